import { Alert, Button, Card, Drawer, Input, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { type SettlementRoute, settlementMonthPath } from './settlement-month-routes.ts';
import { SettlementReviewPage } from './settlement-review-page.tsx';
import { SettlementReviewPanel } from './settlement-review-panel.tsx';
import { type MonthResponse, type MonthsResponse, statementApi } from './statement-api.ts';
import { StatementPanel } from './statement-panel.tsx';

type Settlement = MonthResponse['settlements'][number];
type Rejection = MonthResponse['rejections'][number];
type Month = MonthsResponse['months'][number];
const yuan = (v: number) => fenToYuanText(v);

/** `/settlement…`: the months list, the review queue or an institution's month. */
export function SettlementPage({ user, route }: { user: SessionUser; route: SettlementRoute }) {
  if (route.view === 'review') return <SettlementReviewPage user={user} />;
  if (route.view === 'month')
    return (
      <SettlementMonthPage user={user} institutionId={route.institutionId} month={route.month} />
    );
  return <SettlementMonthList user={user} />;
}

/** An institution's months: its own for the institution, any in scope for staff (by id). */
function SettlementMonthList({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const own = user.scope.kind === 'institution' ? user.scope.code : null;
  const [institutionId, setInstitutionId] = useState(own ?? 'INST-330100-0001');
  const load = useLoad(() => statementApi.months(institutionId), [institutionId]);
  const columns: TableColumnsType<Month> = [
    {
      title: t('settlement.col.month'),
      dataIndex: 'month',
      render: (m: string) => (
        <Link to={settlementMonthPath(institutionId, m)} data-testid={`settlement-month-${m}`}>
          {m}
        </Link>
      ),
    },
    { title: t('settlement.col.settlements'), dataIndex: 'settlements' },
    { title: t('settlement.col.fund'), dataIndex: 'fundFen', align: 'right', render: yuan },
    {
      title: t('settlement.col.status'),
      dataIndex: 'status',
      render: (s: Month['status']) => t(`settlement.status.${s}`),
    },
  ];
  return (
    <Card title={t('settlement.months.title')} data-testid="settlement-months">
      {own === null && (
        <Space style={{ marginBottom: 12 }}>
          <span>{t('settlement.months.institution')}</span>
          <Input
            value={institutionId}
            style={{ width: 200 }}
            onChange={(e) => setInstitutionId(e.target.value)}
          />
        </Space>
      )}
      {load.status === 'failed' && <Alert type="error" title={describeError(load.error)} />}
      <Table<Month>
        rowKey="month"
        size="small"
        columns={columns}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.months : []}
      />
    </Card>
  );
}

type MonthProps = { user: SessionUser; institutionId: string; month: string };

function settlementColumns(
  t: ReturnType<typeof useI18n>['t'],
  onReview: ((s: Settlement) => void) | null,
) {
  const columns: TableColumnsType<Settlement> = [
    { title: t('settlement.col.serial'), dataIndex: 'serial' },
    { title: t('settlement.col.region'), dataIndex: 'regionCode' },
    {
      title: t('settlement.col.kind'),
      dataIndex: 'kind',
      render: (k: Settlement['kind']) => t(`settlement.kind.${k}`),
    },
    { title: t('settlement.col.claimed'), dataIndex: 'claimedFen', align: 'right', render: yuan },
    { title: t('settlement.col.fund'), dataIndex: 'fundFen', align: 'right', render: yuan },
    { title: t('settlement.col.rejected'), dataIndex: 'rejectedFen', align: 'right', render: yuan },
    { title: t('settlement.col.deducted'), dataIndex: 'deductedFen', align: 'right', render: yuan },
    {
      title: t('settlement.col.sampled'),
      dataIndex: 'sampled',
      render: (v: boolean) => (v ? <Tag color="orange">✓</Tag> : ''),
    },
  ];
  if (onReview !== null)
    columns.push({
      title: '',
      key: 'review',
      render: (_: unknown, s: Settlement) => (
        <Button size="small" data-testid={`month-review-${s.serial}`} onClick={() => onReview(s)}>
          {t('settlement.review.open')}
        </Button>
      ),
    });
  return columns;
}

/** An institution's month: the statement, its settlements and the lines not paid whole. */
function SettlementMonthPage({ user, institutionId, month }: MonthProps) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<Settlement | null>(null);
  const load = useLoad(
    async () => ({
      month: await statementApi.month(institutionId, month),
      statement: await statementApi.statement(institutionId, month),
    }),
    [institutionId, month, version],
  );
  if (load.status === 'loading') return <Card loading />;
  if (load.status === 'failed') return <Alert type="error" title={describeError(load.error)} />;
  const { statement } = load.data;
  const refresh = () => setVersion((v) => v + 1);
  const canReview = user.permissions.includes('settlement:write');
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="settlement-month-page">
      <Card
        title={t('settlement.month.title', { institution: statement.institutionName, month })}
      />
      <StatementPanel user={user} statement={statement} onChanged={refresh} />
      <Card title={t('settlement.month.settlements')}>
        <Table<Settlement>
          rowKey="id"
          size="small"
          pagination={false}
          data-testid="month-settlements"
          columns={settlementColumns(t, canReview ? setOpen : null)}
          dataSource={load.data.month.settlements}
        />
      </Card>
      <Card title={t('settlement.month.rejections')}>
        <Table<Rejection>
          rowKey={(r) => `${r.settlementId}:${r.lineNo}`}
          size="small"
          pagination={false}
          dataSource={load.data.month.rejections}
          data-testid="month-rejections"
          columns={[
            { title: t('settlement.col.serial'), dataIndex: 'serial' },
            { title: t('settlement.col.line'), dataIndex: 'lineNo' },
            { title: t('settlement.col.name'), dataIndex: 'name' },
            {
              title: t('settlement.col.claimed'),
              dataIndex: 'claimedFen',
              align: 'right',
              render: yuan,
            },
            {
              title: t('settlement.col.payable'),
              dataIndex: 'payableFen',
              align: 'right',
              render: yuan,
            },
            {
              title: t('settlement.col.reasons'),
              dataIndex: 'reasons',
              render: (r: string[]) => r.join(', '),
            },
          ]}
        />
      </Card>
      <Drawer
        open={open !== null}
        width={960}
        onClose={() => setOpen(null)}
        title={open === null ? '' : t('settlement.review.title', { serial: open.serial })}
      >
        {open !== null && (
          <SettlementReviewPanel
            regionCode={open.regionCode}
            settlementId={open.id}
            canWrite={canReview}
            onChanged={refresh}
          />
        )}
      </Drawer>
    </Space>
  );
}
