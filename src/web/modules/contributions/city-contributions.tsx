import {
  Alert,
  Button,
  Card,
  DatePicker,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText } from '../../format/money.ts';
import type { MessageKey } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { chartFontFamily, EChart, type EChartOption } from '../../ui/echart.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { employerPath } from '../registry/registry-routes.ts';
import {
  CollectionsCard,
  ForwardAction,
  ResolveAction,
  UnpostedCard,
} from './collections-card.tsx';
import {
  type ArrearsLine,
  type AssessmentRun,
  type CollectionRecord,
  contributionsApi,
  type Reconciliation,
} from './contributions-api.ts';
import { FloatingReviewCard } from './floating-review-card.tsx';
import { RefundFilesCard } from './refund-files-card.tsx';

type Translate = ReturnType<typeof useI18n>['t'];
const yuan = (fen: number) => fenToYuanText(fen);

/** The twelve months ending with `last`, oldest first ("2025-01" … "2025-12"). */
export function monthsEnding(last: string, count = 12): string[] {
  const end = dayjs(`${last}-01`);
  return Array.from({ length: count }, (_, i) =>
    end.subtract(count - 1 - i, 'month').format('YYYY-MM'),
  );
}

function chartOption(t: Translate, rows: Reconciliation[]): EChartOption {
  const series = (name: string, pick: (r: Reconciliation) => number) => ({
    name,
    type: 'bar',
    data: rows.map((r) => pick(r) / 100),
  });
  return {
    textStyle: { fontFamily: chartFontFamily },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 80, right: 20, bottom: 30, top: 56 },
    xAxis: { type: 'category', data: rows.map((r) => r.month) },
    yAxis: { type: 'value', name: t('contributions.chart.yuan') },
    series: [
      series(t('contributions.arrears.assessed'), (r) => r.assessedFen),
      series(t('contributions.arrears.collected'), (r) => r.collectedFen),
      series(t('contributions.arrears.outstanding'), (r) => r.outstandingFen),
    ],
  };
}

function reconciliationColumns(t: Translate): TableColumnsType<Reconciliation> {
  return [
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.reconcile.employers'), dataIndex: 'employerCount' },
    { title: t('contributions.arrears.assessed'), dataIndex: 'assessedFen', render: yuan },
    { title: t('contributions.arrears.collected'), dataIndex: 'collectedFen', render: yuan },
    { title: t('contributions.arrears.outstanding'), dataIndex: 'outstandingFen', render: yuan },
    { title: t('contributions.reconcile.overpaid'), dataIndex: 'overpaidFen', render: yuan },
    { title: t('contributions.reconcile.unmatched'), dataIndex: 'unmatchedCount' },
    {
      title: t('contributions.reconcile.ledger'),
      dataIndex: 'balanced',
      render: (ok: boolean) => (
        <Tag color={ok ? 'green' : 'red'}>
          {ok ? t('contributions.reconcile.balanced') : t('contributions.reconcile.unbalanced')}
        </Tag>
      ),
    },
  ];
}

function ReconciliationCard({ region, version }: { region: string; version: number }) {
  const { t } = useI18n();
  const [last, setLast] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const months = monthsEnding(last.format('YYYY-MM'));
  const state = useLoad(
    () => Promise.all(months.map((m) => contributionsApi.reconciliation(region, m))),
    [region, months.join(), version],
  );
  return (
    <Card
      title={t('contributions.reconcile.title')}
      extra={
        <DatePicker
          picker="month"
          allowClear={false}
          value={last}
          onChange={(m) => m !== null && setLast(m)}
        />
      }
    >
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && (
        <Alert type="error" showIcon title={describeError(state.error)} />
      )}
      {state.status === 'ready' && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <EChart
            option={chartOption(t, state.data)}
            ariaLabel={t('contributions.reconcile.chartAria')}
            style={{ height: 320 }}
            data-testid="reconciliation-chart"
          />
          <Table
            data-testid="reconciliation-table"
            size="small"
            rowKey="month"
            columns={reconciliationColumns(t)}
            dataSource={state.data}
            pagination={false}
          />
        </Space>
      )}
    </Card>
  );
}

function arrearsColumns(t: Translate, region: string): TableColumnsType<ArrearsLine> {
  return [
    {
      title: t('contributions.arrears.employer'),
      dataIndex: 'employerName',
      render: (name: string, a: ArrearsLine) => (
        <Link to={employerPath(a.regionCode === region ? region : a.regionCode, a.employerId)}>
          {name}
        </Link>
      ),
    },
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.arrears.outstanding'), dataIndex: 'outstandingFen', render: yuan },
    { title: t('contributions.arrears.daysLate'), dataIndex: 'daysLate' },
    { title: t('contributions.arrears.lateFee'), dataIndex: 'lateFeeFen', render: yuan },
  ];
}

function unmatchedColumns(
  t: Translate,
  region: string,
  onDone: () => void,
  canWrite: boolean,
): TableColumnsType<CollectionRecord> {
  const action: TableColumnsType<CollectionRecord> = canWrite
    ? [
        {
          title: t('registry.roster.action'),
          key: 'action',
          render: (_: unknown, r: CollectionRecord) => (
            <Space size="small">
              <ResolveAction region={region} record={r} onDone={onDone} />
              {(r.unmatchedReason === 'other_city' ||
                r.unmatchedReason === 'unknown_credit_code') && (
                <ForwardAction region={region} record={r} onDone={onDone} />
              )}
            </Space>
          ),
        },
      ]
    : [];
  return [
    { title: t('contributions.collection.voucher'), dataIndex: 'voucher' },
    { title: t('registry.employer.creditCode'), dataIndex: 'creditCode' },
    { title: t('contributions.month'), dataIndex: 'month' },
    { title: t('contributions.collection.amount'), dataIndex: 'amountFen', render: yuan },
    { title: t('contributions.collection.reason'), dataIndex: 'unmatchedReason' },
    ...action,
  ];
}

type ListsProps = { region: string; canWrite: boolean; version: number; changed: () => void };

function CityLists({ region, canWrite, version, changed }: ListsProps) {
  const { t } = useI18n();
  const arrears = useLoad(() => contributionsApi.cityArrears(region), [region, version]);
  const queue = useLoad(() => contributionsApi.unmatched(region), [region, version]);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('contributions.arrears.title')}>
        {arrears.status === 'ready' ? (
          <Table
            data-testid="city-arrears"
            size="small"
            rowKey={(a) => `${a.employerId}|${a.month}`}
            columns={arrearsColumns(t, region)}
            dataSource={arrears.data.arrears}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: t('contributions.arrears.none') }}
          />
        ) : arrears.status === 'failed' ? (
          <Alert type="error" showIcon title={describeError(arrears.error)} />
        ) : (
          <Skeleton active />
        )}
      </Card>
      <Card title={t('contributions.unmatched.title')}>
        {queue.status === 'ready' ? (
          <Table
            data-testid="unmatched-queue"
            size="small"
            rowKey="voucher"
            columns={unmatchedColumns(t, region, changed, canWrite)}
            dataSource={queue.data.records}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: t('contributions.unmatched.none') }}
          />
        ) : queue.status === 'failed' ? (
          <Alert type="error" showIcon title={describeError(queue.error)} />
        ) : (
          <Skeleton active />
        )}
      </Card>
    </Space>
  );
}

const statusKeys = {
  nothing: 'contributions.assess.status.nothing',
  approval_requested: 'contributions.assess.status.approval_requested',
  posted: 'contributions.assess.status.posted',
  preview: 'contributions.assess.status.preview',
} as const satisfies Record<AssessmentRun['status'], MessageKey>;

/**
 * 核定 of a city-month in two steps (maker-checker): the handler asks, which files an approval bound
 * to the run's amounts; once another person approved it (待审批), the same month is posted with it.
 */
function AssessmentCard({ region }: { region: string }) {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const [answer, setAnswer] = useState<AssessmentRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (approvalId?: string) => {
    setError(null);
    try {
      setAnswer(await contributionsApi.assess(region, month.format('YYYY-MM'), approvalId));
    } catch (e) {
      setError(e);
    }
  };
  const pending = answer?.status === 'approval_requested' ? answer.approval : null;
  return (
    <Card title={t('contributions.assess.title')}>
      <Space wrap>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          onChange={(m) => m !== null && setMonth(m)}
          data-testid="assess-month"
        />
        <Button onClick={() => void run()} data-testid="assess-request">
          {t('contributions.assess.request')}
        </Button>
        {pending !== null && (
          <Button type="primary" onClick={() => void run(pending.id)} data-testid="assess-post">
            {t('contributions.assess.post')}
          </Button>
        )}
      </Space>
      {answer !== null && (
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="assess-answer">
          {t(statusKeys[answer.status], {
            approval: answer.approval?.id ?? '',
            total: answer.payload === null ? '—' : yuan(answer.payload.amountTotalFen),
            difference: answer.payload === null ? '—' : yuan(answer.payload.differenceFen),
          })}
        </Typography.Paragraph>
      )}
      {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
    </Card>
  );
}

/** A city's contributions at a glance: reconciliation by month, arrears, the unmatched queue. */
export function CityContributions({ region, canWrite }: { region: string; canWrite: boolean }) {
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {canWrite && <AssessmentCard region={region} />}
      {canWrite && <CollectionsCard region={region} onChange={changed} />}
      {canWrite && <UnpostedCard region={region} version={version} onChange={changed} />}
      <ReconciliationCard region={region} version={version} />
      <CityLists region={region} canWrite={canWrite} version={version} changed={changed} />
      {canWrite && <RefundFilesCard region={region} version={version} onChange={changed} />}
      <FloatingReviewCard region={region} canWrite={canWrite} />
    </Space>
  );
}
