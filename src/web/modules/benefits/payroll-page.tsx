import { Alert, Button, Card, DatePicker, Space, Table, type TableColumnsType, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { PayrollRunListResponse } from '../../../contract/benefits/payroll-contract.ts';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { PayrollPath } from '../../nav/nav.ts';
import { navigate } from '../../router/router.tsx';
import { type Load, useLoad } from '../fund/fund-common.tsx';
import { type PayrollRunItem, payrollApi } from './payroll-api.ts';
import { ByHandCard } from './payroll-by-hand-card.tsx';
import { FailedLinesCard } from './payroll-failed-lines-card.tsx';
import { ReissueBatchPanel } from './payroll-reissue-batch-panel.tsx';
import { ReleasePanel } from './payroll-release-panel.tsx';
import { PayrollRunPanel } from './payroll-run-panel.tsx';
import { beijingMonthOf, payrollCityOf, statusColors } from './payroll-view.ts';

type T = ReturnType<typeof useI18n>['t'];

type PageProps = { user: SessionUser } & PayrollPath;

/**
 * `/payroll`: the city's monthly benefit payroll (月度发放) — its runs, a start, and the failed lines
 * to reissue by hand; `/payroll/<run id>` the same with that run opened, so a run has an address (a
 * checker can be sent the link); `/payroll/<batch id>` a reissue batch opened, and
 * `/payroll/<release id>` a release of failed lines owed to no one, for the same reason.
 */
export function PayrollPage(props: PageProps) {
  const { user } = props;
  const { t } = useI18n();
  const city = payrollCityOf(user);
  if (city === null) return <Alert type="info" showIcon title={t('payroll.noCity')} />;
  return <CityPayroll {...props} city={city} />;
}

/** A run's or a reissue batch's address under /payroll (null: the page alone). */
const openRun = (id: string | null) => navigate(id === null ? '/payroll' : `/payroll/${id}`);

function CityPayroll(props: PageProps & { city: string }) {
  const { user, city, runId, batchId, releaseId } = props;
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const load = useLoad(() => payrollApi.list(city), [city, version]);
  const refresh = () => setVersion((v) => v + 1);
  const items = load.status === 'ready' ? load.data.items : [];
  const shown = items.find((item) => item.runId === runId);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="payroll-page">
      {user.permissions.includes('fund:write') && (
        <StartCard
          city={city}
          onStarted={(id) => {
            openRun(id);
            refresh();
          }}
        />
      )}
      {runId !== null && (
        <PayrollRunPanel
          key={runId}
          user={user}
          city={city}
          runId={runId}
          checkerName={shown?.approvedByUsername ?? null}
          onChanged={refresh}
          onClose={() => openRun(null)}
        />
      )}
      {batchId !== null && (
        <ReissueBatchPanel
          key={batchId}
          user={user}
          city={city}
          batchId={batchId}
          onChanged={refresh}
          onClose={() => openRun(null)}
        />
      )}
      {releaseId !== null && (
        <ReleasePanel
          key={releaseId}
          user={user}
          city={city}
          releaseId={releaseId}
          onChanged={refresh}
          onClose={() => openRun(null)}
        />
      )}
      <RunsCard load={load} onOpen={openRun} t={t} />
      <FailedLinesCard
        user={user}
        city={city}
        version={version}
        onProposed={(id) => {
          openRun(id);
          refresh();
        }}
      />
      <ByHandCard city={city} version={version} />
    </Space>
  );
}

function StartCard({ city, onStarted }: { city: string; onStarted: (runId: string) => void }) {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs>(dayjs(`${beijingMonthOf(new Date())}-01`));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const run = await payrollApi.start(city, month.format('YYYY-MM'));
      onStarted(run.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('payroll.start.title')} data-testid="payroll-start">
      <Space wrap>
        <span>{t('payroll.start.month')}</span>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          onChange={(m) => m !== null && setMonth(m)}
          data-testid="payroll-month"
        />
        <Button
          type="primary"
          loading={busy}
          onClick={() => void start()}
          data-testid="payroll-start-submit"
        >
          {t('payroll.start.submit')}
        </Button>
      </Space>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="payroll-start-error"
          title={describeError(error)}
        />
      )}
    </Card>
  );
}

function runColumns(t: T, onOpen: (runId: string) => void): TableColumnsType<PayrollRunItem> {
  return [
    { title: t('payroll.col.month'), dataIndex: 'month' },
    {
      title: t('payroll.col.status'),
      dataIndex: 'status',
      render: (s: PayrollRunItem['status']) => (
        <Tag color={statusColors[s]}>{t(`payroll.status.${s}`)}</Tag>
      ),
    },
    { title: t('payroll.col.lines'), dataIndex: 'lineCount', align: 'right' },
    {
      title: t('payroll.col.total'),
      dataIndex: 'totalFen',
      align: 'right',
      render: (v: number) => fenToYuanText(v),
    },
    {
      title: t('payroll.col.startedBy'),
      key: 'startedBy',
      render: (_: unknown, run: PayrollRunItem) => run.startedByUsername ?? run.startedBy,
    },
    {
      title: t('payroll.col.approvedBy'),
      key: 'approvedBy',
      render: (_: unknown, run: PayrollRunItem) => run.approvedByUsername ?? run.approvedBy ?? '',
    },
    {
      title: t('payroll.col.approvedOn'),
      dataIndex: 'approvedOn',
      render: (v: string | null) => v ?? '',
    },
    {
      title: '',
      key: 'open',
      render: (_: unknown, run: PayrollRunItem) => (
        <Button
          size="small"
          data-testid={`payroll-open-${run.month}`}
          onClick={() => onOpen(run.runId)}
        >
          {t('payroll.open')}
        </Button>
      ),
    },
  ];
}

type RunsProps = {
  load: Load<PayrollRunListResponse>;
  onOpen: (runId: string) => void;
  t: T;
};

function RunsCard({ load, onOpen, t }: RunsProps) {
  return (
    <Card
      title={t('payroll.title')}
      data-testid="payroll-runs"
      extra={
        // The yearly adjustment (待遇调整) changes what the payroll pays from its effective month.
        <Button onClick={() => navigate('/payroll/indexation')} data-testid="payroll-indexation">
          {t('indexation.link')}
        </Button>
      }
    >
      {load.status === 'failed' && <Alert type="error" title={describeError(load.error)} />}
      <Table<PayrollRunItem>
        rowKey="runId"
        size="small"
        columns={runColumns(t, onOpen)}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.items : []}
        pagination={{ pageSize: 12 }}
      />
    </Card>
  );
}
