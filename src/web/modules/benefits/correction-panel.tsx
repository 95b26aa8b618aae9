import { Alert, Button, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import {
  type CorrectionDraft,
  type CorrectionRow,
  correctionRows,
  mayApply,
  parseCorrectionDraft,
  STATE_COLORS,
  termsText,
} from './benefit-change-view.ts';
import { EntitlementsTable, useBenefitText } from './benefit-decision-tables.tsx';
import { itemLabel } from './benefit-messages.ts';
import type { BenefitPanel } from './benefits-api.ts';
import { type Correction, correctionApi, type ListedCorrection } from './correction-api.ts';
import { useAppliedText, useBenefitChangeText } from './survivor-changes-list.tsx';

type Entitlement = BenefitPanel['entitlements'][number];

/**
 * 待遇更正 on the case page (docs/benefits.md, "Correcting an entitlement"), for the handler
 * (fund:write, the propose and apply routes' permission): the entitlements table with a 更正
 * button per active one, the form (amount in 元, start, end, reason, evidence) whose answer shows
 * the plan per month, and the case's corrections read back from the server (so the handler can
 * come back from any browser) with their state and the 执行 button once a supervisor approved.
 * `reload` reads the decision panel again after an apply (the corrected entitlement replaces it).
 */
export function EntitlementCorrections(props: { panel: BenefitPanel; reload: () => void }) {
  const { c } = useBenefitChangeText();
  const { regionCode, caseId } = props.panel;
  const [correcting, setCorrecting] = useState<Entitlement | null>(null);
  const [corrections, setCorrections] = useState<ListedCorrection[] | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const appliedText = useAppliedText();
  const load = useCallback(async () => {
    try {
      setCorrections((await correctionApi.ofCase(regionCode, caseId)).corrections);
    } catch (e) {
      setOutcome({ ok: false, text: describeError(e) });
    }
  }, [regionCode, caseId]);
  useEffect(() => {
    void load();
  }, [load]);
  const apply = async (row: CorrectionRow) => {
    setOutcome(null);
    try {
      const out = await correctionApi.apply(regionCode, row.entitlementId, row.id);
      setOutcome(appliedText(out.replayed, out.correction.plan));
      await load();
      props.reload();
    } catch (e) {
      setOutcome({ ok: false, text: describeError(e) });
    }
  };
  return (
    <>
      <EntitlementsTable
        panel={props.panel}
        correct={{ label: c('correction.button'), onCorrect: setCorrecting }}
      />
      {corrections !== null && corrections.length > 0 && (
        <CorrectionsTable rows={correctionRows(corrections)} onApply={apply} />
      )}
      {outcome !== null && (
        <Alert
          type={outcome.ok ? 'success' : 'error'}
          showIcon
          title={outcome.text}
          data-testid="correction-outcome"
        />
      )}
      {correcting !== null && (
        <CorrectionDialog
          regionCode={regionCode}
          entitlement={correcting}
          onClose={() => {
            setCorrecting(null);
            void load();
          }}
        />
      )}
    </>
  );
}

function CorrectionsTable(props: {
  rows: CorrectionRow[];
  onApply: (row: CorrectionRow) => Promise<void>;
}) {
  const { c } = useBenefitChangeText();
  const { b, language } = useBenefitText();
  const [busy, setBusy] = useState<string | null>(null);
  const yuan = (f: number) => fenToYuanText(f);
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      title={() => c('correction.list')}
      data-testid="benefit-corrections"
      dataSource={props.rows}
      expandable={{ expandedRowRender: (r) => <PlanMonths months={r.months} /> }}
      columns={[
        { title: b('item'), dataIndex: 'kind', render: (k: string) => itemLabel(language, k) },
        {
          title: c('correction.title'),
          key: 'terms',
          render: (_: unknown, r: CorrectionRow) =>
            c('correction.terms', {
              before: termsText(r.before, c('correction.openEnded')),
              after: termsText(r.after, c('correction.openEnded')),
            }),
        },
        {
          title: c('state'),
          key: 'state',
          render: (_: unknown, r: CorrectionRow) => (
            <Tag color={STATE_COLORS[r.state]} data-testid={`correction-state-${r.id}`}>
              {c(`state.${r.state}`)}
            </Tag>
          ),
        },
        { title: c('arrears'), dataIndex: 'arrearsFen', align: 'right', render: yuan },
        { title: c('overpayment'), dataIndex: 'overpaymentFen', align: 'right', render: yuan },
        {
          title: b('actions'),
          key: 'apply',
          render: (_: unknown, r: CorrectionRow) =>
            mayApply(r.state) ? (
              <Button
                size="small"
                type="primary"
                loading={busy === r.id}
                data-testid={`correction-apply-${r.id}`}
                onClick={() => {
                  setBusy(r.id);
                  void props.onApply(r).finally(() => setBusy(null));
                }}
              >
                {c('apply')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}

/** The plan's months: what was paid, what was due, the difference (arrears +, overpaid −). */
function PlanMonths(props: { months: CorrectionRow['months'] }) {
  const { c } = useBenefitChangeText();
  const yuan = (f: number) => fenToYuanText(f);
  if (props.months.length === 0) return <Typography.Text>{c('none')}</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="month"
      pagination={false}
      dataSource={props.months}
      data-testid="correction-months"
      columns={[
        { title: c('month'), dataIndex: 'month' },
        { title: c('paid'), dataIndex: 'paidFen', align: 'right', render: yuan },
        { title: c('due'), dataIndex: 'dueFen', align: 'right', render: yuan },
        { title: c('difference'), dataIndex: 'differenceFen', align: 'right', render: yuan },
      ]}
    />
  );
}

const EMPTY_DRAFT: CorrectionDraft = {
  amountYuan: '',
  startsOn: '',
  endsOn: '',
  reason: '',
  evidence: '',
};

/** The form; once proposed it shows the plan the server computed and the approval asked. */
function CorrectionDialog(props: {
  regionCode: string;
  entitlement: Entitlement;
  onClose: () => void;
}) {
  const { c, language } = useBenefitChangeText();
  const [draft, setDraft] = useState<CorrectionDraft>(EMPTY_DRAFT);
  const [proposed, setProposed] = useState<Correction | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const submit = async () => {
    const parsed = parseCorrectionDraft(draft);
    if (!parsed.ok) return setErrors(parsed.errors.map((k) => c(k)));
    setErrors([]);
    try {
      setProposed(await correctionApi.propose(props.regionCode, props.entitlement.id, parsed.body));
    } catch (e) {
      setErrors([describeError(e)]);
    }
  };
  const field = (key: keyof CorrectionDraft, placeholder: string) => (
    <Input
      placeholder={placeholder}
      data-testid={`correction-${key}`}
      value={draft[key]}
      disabled={proposed !== null}
      onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
    />
  );
  const e = props.entitlement;
  return (
    <Modal
      open
      title={`${c('correction.title')} · ${itemLabel(language, e.kind)} ${fenToYuanText(e.amountFen)}`}
      okText={c('correction.submit')}
      okButtonProps={{ disabled: proposed !== null, 'data-testid': 'correction-submit' }}
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {field('amountYuan', c('correction.amount'))}
        {field('startsOn', c('correction.startsOn'))}
        {field('endsOn', c('correction.endsOn'))}
        {field('reason', c('correction.reason'))}
        {field('evidence', c('correction.evidence'))}
        {errors.map((text) => (
          <Alert key={text} type="error" showIcon title={text} />
        ))}
        {proposed !== null && <ProposedPlan correction={proposed} />}
      </Space>
    </Modal>
  );
}

function ProposedPlan({ correction }: { correction: Correction }) {
  const { c } = useBenefitChangeText();
  const { plan } = correction;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="correction-proposed">
      <Alert type="success" showIcon title={c('correction.proposed', { id: correction.id })} />
      <Typography.Text>
        {c('correction.terms', {
          before: termsText(plan.before, c('correction.openEnded')),
          after: termsText(plan.after, c('correction.openEnded')),
        })}
      </Typography.Text>
      <Typography.Text data-testid="correction-net">
        {c('correction.net', { net: fenToYuanText(plan.netFen) })}
      </Typography.Text>
      <PlanMonths months={plan.months} />
    </Space>
  );
}
