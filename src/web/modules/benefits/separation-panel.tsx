import { Alert, Button, Card, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { casesApi } from '../cases/cases-api.ts';
import { benefitText, itemLabel } from './benefit-messages.ts';
import { type Separation, type SeparationInput, separationApi } from './separation-api.ts';
import { type SeparationMessageKey, separationText } from './separation-messages.ts';

export type SeparationPanelProps = { regionCode: string; caseId: string };

function useSeparationText() {
  const { language } = useI18n();
  return { language, s: (key: SeparationMessageKey) => separationText(language, key) };
}

/**
 * The separation on the case page: the case's separations with both grants (the employer's shown,
 * never paid by the fund); the handler records one and applies the supervisor's approval. The
 * fund's grant is then a payment of the benefit decision (paid in its panel).
 */
export function SeparationPanel({ regionCode, caseId }: SeparationPanelProps) {
  const { s } = useSeparationText();
  const [rows, setRows] = useState<Separation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  const load = useCallback(async () => {
    try {
      setRows(await separationApi.list(regionCode, caseId));
    } catch (e) {
      setError(e);
    }
  }, [regionCode, caseId]);
  useEffect(() => {
    void load();
  }, [load]);
  const act = async (step: () => Promise<unknown>) => {
    setError(null);
    try {
      await step();
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const decided = rows?.some((r) => r.status === 'approved') ?? false;
  return (
    <Card title={s('title')} data-testid="separation-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
        {rows !== null && rows.length === 0 && <span>{s('none')}</span>}
        {!decided && (
          <Button data-testid="separation-record" onClick={() => setOpen(true)}>
            {s('record')}
          </Button>
        )}
        {rows !== null && rows.length > 0 && (
          <SeparationTable
            regionCode={regionCode}
            caseId={caseId}
            rows={rows}
            onApply={(id) => void act(() => separationApi.apply(regionCode, id))}
          />
        )}
        <Alert type="info" title={s('employerNote')} />
      </Space>
      <SeparationForm
        open={open}
        onClose={() => setOpen(false)}
        onSubmit={(body) => {
          setOpen(false);
          void act(() => separationApi.propose(regionCode, caseId, body));
        }}
      />
    </Card>
  );
}

function SeparationTable(props: {
  regionCode: string;
  caseId: string;
  rows: Separation[];
  onApply: (id: string) => void;
}) {
  const { s, language } = useSeparationText();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="separationId"
      dataSource={props.rows}
      columns={[
        { title: s('date'), dataIndex: 'date' },
        {
          title: s('reason'),
          render: (_: unknown, r: Separation) =>
            r.reason === 'worker_request' || r.reason === 'contract_expiry'
              ? s(`reason.${r.reason}`)
              : r.reason,
        },
        {
          title: s('status'),
          render: (_: unknown, r: Separation) => <Tag>{s(`status.${r.status}`)}</Tag>,
        },
        {
          title: s('grants'),
          render: (_: unknown, r: Separation) =>
            r.items.map((i) => (
              <div key={i.code}>
                {itemLabel(language, i.code)} {fenToYuanText(i.amountFen)} (
                {benefitText(language, i.payer === 'fund' ? 'payer.fund' : 'payer.employer')})
              </div>
            )),
        },
        {
          title: s('covered'),
          render: (_: unknown, r: Separation) => <CoveredCases separation={r} />,
        },
        { title: s('retirementDate'), dataIndex: 'retirementDate' },
        { title: s('ledger'), render: (_: unknown, r: Separation) => r.ledgerTransactionId ?? '—' },
        {
          title: s('letter'),
          render: (_: unknown, r: Separation) =>
            r.letter === null || r.letter === undefined ? (
              '—'
            ) : (
              <a
                // The letter is issued on the separation's own case: a combined separation read
                // from another case it covers downloads it from there.
                href={casesApi.letterUrl(props.regionCode, r.caseId, r.letter.id)}
                data-testid="separation-letter-download"
              >
                {r.letter.documentNumber}
              </a>
            ),
        },
        {
          title: '',
          render: (_: unknown, r: Separation) =>
            r.status === 'proposed' ? (
              <Button
                size="small"
                data-testid="separation-apply"
                onClick={() => props.onApply(r.separationId)}
              >
                {s('apply')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}

/**
 * A combined separation (《浙江省工伤保险条例》第二十八条): the grade the grants follow and every case
 * it covers with its grade; a dash for a separation of one case.
 */
function CoveredCases({ separation }: { separation: Separation }) {
  const { s } = useSeparationText();
  const covered = separation.coveredCases;
  if (covered.length === 0) return <>—</>;
  const used = Math.min(...covered.map((c) => c.grade));
  return (
    <div data-testid="separation-covered">
      <div>{s('coveredGrade').replace('{grade}', String(used))}</div>
      {covered.map((c) => (
        <div key={c.caseId}>
          {c.caseId} {s('gradeOf').replace('{grade}', String(c.grade))}
        </div>
      ))}
    </div>
  );
}

function SeparationForm(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (body: SeparationInput) => void;
}) {
  const { s } = useSeparationText();
  const [date, setDate] = useState('');
  const [reason, setReason] = useState<SeparationInput['reason']>('worker_request');
  const [years, setYears] = useState<number>(60);
  const [months, setMonths] = useState<number>(0);
  return (
    <Modal
      open={props.open}
      title={s('record')}
      okText={s('submit')}
      cancelText={s('cancel')}
      onCancel={props.onClose}
      onOk={() => props.onSubmit({ date, reason, retirementAge: { years, months } })}
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="separation-form">
        <span>{s('date')}</span>
        <Input placeholder="YYYY-MM-DD" value={date} onChange={(e) => setDate(e.target.value)} />
        <span>{s('reason')}</span>
        <Select
          value={reason}
          onChange={setReason}
          options={[
            { value: 'worker_request', label: s('reason.worker_request') },
            { value: 'contract_expiry', label: s('reason.contract_expiry') },
          ]}
        />
        <span>{s('retirementAge')}</span>
        <Space>
          <InputNumber min={40} max={70} value={years} onChange={(v) => setYears(v ?? 60)} />
          {s('years')}
          <InputNumber min={0} max={11} value={months} onChange={(v) => setMonths(v ?? 0)} />
          {s('months')}
        </Space>
      </Space>
    </Modal>
  );
}
