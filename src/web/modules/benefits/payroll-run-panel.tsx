import { Alert, Button, Card, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useLoad } from '../fund/fund-common.tsx';
import { type BankReturn, type PayrollRun, payrollApi } from './payroll-api.ts';
import { PayrollDownloads } from './payroll-downloads.tsx';
import { RecomputeButton, RecomputeDone } from './payroll-recompute.tsx';
import { PayrollReturnCard, ReturnDone } from './payroll-return-card.tsx';
import {
  payrollAnomalyLabel,
  payrollKindLabel,
  runActionsFor,
  statusColors,
} from './payroll-view.ts';

type T = ReturnType<typeof useI18n>['t'];
type KindTotal = PayrollRun['byKind'][number];
type Anomaly = PayrollRun['anomalies'][number];
type FigureRow = { key: keyof PayrollRun['reconciliation']; lines: number; amountFen: number };
const yuan = (v: number) => fenToYuanText(v);

type PanelProps = {
  user: SessionUser;
  city: string;
  runId: string;
  /** The checker's log-in name from the run list (the run view gives the user id). */
  checkerName: string | null;
  onChanged: () => void;
  onClose: () => void;
};

/** A run as the handler and the checker see it, with the buttons its status and the user allow. */
export function PayrollRunPanel(props: PanelProps) {
  const { user, city, runId, checkerName, onChanged, onClose } = props;
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [returned, setReturned] = useState<BankReturn | null>(null);
  const [recomputed, setRecomputed] = useState<PayrollRun | null>(null);
  const load = useLoad(() => payrollApi.show(city, runId), [city, runId, version]);
  if (load.status === 'loading') return <Card loading />;
  if (load.status === 'failed') return <Alert type="error" title={describeError(load.error)} />;
  const run = load.data;
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const actions = runActionsFor(run.status, user.permissions);
  return (
    <Card
      data-testid="payroll-run"
      title={t('payroll.run.title', { month: run.month, runId: run.id })}
      extra={<Button onClick={onClose}>{t('payroll.run.close')}</Button>}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <RunSummary run={run} checkerName={checkerName} t={t} />
        <RunButtons
          city={city}
          run={run}
          actions={actions}
          onChanged={changed}
          onRecomputed={(again) => {
            setRecomputed(again);
            changed();
          }}
        />
        {recomputed !== null && <RecomputeDone run={recomputed} />}
        <KindTable run={run} t={t} />
        <AnomalyTable run={run} t={t} />
        <ReconciliationTable run={run} t={t} />
        {returned !== null && <ReturnDone answer={returned} />}
        {actions.bankReturn && (
          <PayrollReturnCard
            sendText={(text) => payrollApi.bankReturn(city, run.id, text)}
            onDone={(answer) => {
              setReturned(answer);
              changed();
            }}
          />
        )}
      </Space>
    </Card>
  );
}

type SummaryProps = { run: PayrollRun; checkerName: string | null; t: T };

function RunSummary({ run, checkerName, t }: SummaryProps) {
  return (
    <Space wrap size="large">
      <Tag color={statusColors[run.status]} data-testid="payroll-run-status">
        {t(`payroll.status.${run.status}`)}
      </Tag>
      <Typography.Text strong data-testid="payroll-run-total">
        {t('payroll.run.total', { lines: run.lineCount, amount: yuan(run.totalFen) })}
      </Typography.Text>
      {run.reissued.lines > 0 && (
        <Typography.Text>
          {t('payroll.run.reissued', {
            lines: run.reissued.lines,
            amount: yuan(run.reissued.amountFen),
          })}
        </Typography.Text>
      )}
      {run.approvedBy !== null && (
        <Typography.Text type="secondary" data-testid="payroll-run-approved">
          {t('payroll.run.approvedBy', {
            date: run.approvedOn ?? '',
            checker: checkerName ?? run.approvedBy,
          })}
        </Typography.Text>
      )}
    </Space>
  );
}

type ButtonsProps = {
  city: string;
  run: PayrollRun;
  actions: ReturnType<typeof runActionsFor>;
  onChanged: () => void;
  onRecomputed: (run: PayrollRun) => void;
};

/**
 * Approve, recompute and download; a refusal (the maker approving, a file refused) shows the
 * server's text (the recomputation's, in its dialog).
 */
function RunButtons({ city, run, actions, onChanged, onRecomputed }: ButtonsProps) {
  const { t } = useI18n();
  const { busy, error, act } = useAction(onChanged);
  if (!actions.approve && !actions.recompute && !actions.download && !actions.report) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {actions.approve && (
          <Button
            type="primary"
            loading={busy}
            data-testid="payroll-approve"
            onClick={() => void act(() => payrollApi.approve(city, run.id))}
          >
            {t('payroll.run.approve')}
          </Button>
        )}
        {actions.recompute && <RecomputeButton city={city} run={run} onDone={onRecomputed} />}
        <PayrollDownloads city={city} run={run} actions={actions} busy={busy} act={act} />
      </Space>
      {error !== null && (
        <Alert type="error" showIcon data-testid="payroll-error" title={describeError(error)} />
      )}
    </Space>
  );
}

function KindTable({ run, t }: { run: PayrollRun; t: T }) {
  const columns: TableColumnsType<KindTotal> = [
    {
      title: t('payroll.run.kind'),
      dataIndex: 'kind',
      render: (k: string) => payrollKindLabel(t, k),
    },
    { title: t('payroll.run.account'), dataIndex: 'expenseAccount' },
    { title: t('payroll.col.lines'), dataIndex: 'lines', align: 'right' },
    { title: t('payroll.col.total'), dataIndex: 'amountFen', align: 'right', render: yuan },
  ];
  return (
    <Table<KindTotal>
      title={() => t('payroll.run.byKind')}
      rowKey="kind"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={run.byKind}
      data-testid="payroll-by-kind"
    />
  );
}

function AnomalyTable({ run, t }: { run: PayrollRun; t: T }) {
  const columns: TableColumnsType<Anomaly> = [
    {
      title: t('payroll.anomaly.code'),
      dataIndex: 'code',
      render: (code: string) => payrollAnomalyLabel(t, code),
    },
    { title: t('payroll.anomaly.worker'), dataIndex: 'workerId' },
    { title: t('payroll.anomaly.detail'), dataIndex: 'detail' },
  ];
  return (
    <Table<Anomaly>
      title={() => t('payroll.anomaly.title')}
      rowKey={(a) => `${a.code}:${a.workerId}:${a.lineIds.join(',')}`}
      size="small"
      pagination={false}
      columns={columns}
      dataSource={run.anomalies}
      locale={{ emptyText: t('payroll.anomaly.none') }}
      data-testid="payroll-anomalies"
    />
  );
}

function ReconciliationTable({ run, t }: { run: PayrollRun; t: T }) {
  const keys: FigureRow['key'][] = [
    'sent',
    'confirmed',
    'failed',
    'outstanding',
    'notSent',
    'released',
  ];
  const rows: FigureRow[] = keys.map((key) => ({ key, ...run.reconciliation[key] }));
  const columns: TableColumnsType<FigureRow> = [
    {
      title: t('payroll.rec.figure'),
      dataIndex: 'key',
      render: (k: FigureRow['key']) => t(`payroll.rec.${k}`),
    },
    {
      title: t('payroll.rec.lines'),
      dataIndex: 'lines',
      align: 'right',
      render: (v: number, row) => <span data-testid={`payroll-rec-${row.key}`}>{v}</span>,
    },
    { title: t('payroll.rec.amount'), dataIndex: 'amountFen', align: 'right', render: yuan },
  ];
  return (
    <Table<FigureRow>
      title={() => t('payroll.rec.title')}
      rowKey="key"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={rows}
    />
  );
}
