import { Alert, Button, Card, Drawer, Input, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/router.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { settlementMonthPath } from './settlement-month-routes.ts';
import { SettlementReviewPanel } from './settlement-review-panel.tsx';
import { type QueueResponse, statementApi } from './statement-api.ts';

type Entry = QueueResponse['entries'][number];

/** The current month in Beijing (YYYY-MM). */
export function currentMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date())
    .slice(0, 7);
}

/** The manual-review queue: the month's sampled settlements in the user's scope. */
export function SettlementReviewPage({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const [month, setMonth] = useState(currentMonth());
  const [open, setOpen] = useState<Entry | null>(null);
  const [version, setVersion] = useState(0);
  const load = useLoad(() => statementApi.queue(month), [month, version]);
  const columns: TableColumnsType<Entry> = [
    { title: t('settlement.col.serial'), dataIndex: 'serial' },
    {
      title: t('settlement.months.institution'),
      dataIndex: 'institutionId',
      render: (id: string) => <Link to={settlementMonthPath(id, month)}>{id}</Link>,
    },
    { title: t('settlement.col.region'), dataIndex: 'regionCode' },
    {
      title: t('settlement.col.fund'),
      dataIndex: 'fundFen',
      align: 'right',
      render: (v: number) => fenToYuanText(v),
    },
    {
      title: t('settlement.col.review'),
      key: 'progress',
      render: (_: unknown, e: Entry) =>
        t('settlement.review.progress', { done: e.reviewedLines, total: e.lineCount }),
    },
    {
      title: '',
      key: 'open',
      render: (_: unknown, e: Entry) => (
        <Button size="small" data-testid={`review-open-${e.serial}`} onClick={() => setOpen(e)}>
          {t('settlement.review.open')}
        </Button>
      ),
    },
  ];
  return (
    <Card title={t('settlement.review.queueTitle', { month })} data-testid="settlement-review-page">
      <Space style={{ marginBottom: 12 }}>
        <span>{t('settlement.review.month')}</span>
        <Input
          value={month}
          style={{ width: 120 }}
          data-testid="review-month"
          onChange={(e) => setMonth(e.target.value)}
        />
      </Space>
      {load.status === 'failed' && <Alert type="error" title={describeError(load.error)} />}
      <Table<Entry>
        rowKey="settlementId"
        size="small"
        columns={columns}
        loading={load.status === 'loading'}
        dataSource={load.status === 'ready' ? load.data.entries : []}
        data-testid="review-queue"
      />
      <Drawer
        open={open !== null}
        width={960}
        onClose={() => setOpen(null)}
        title={open === null ? '' : t('settlement.review.title', { serial: open.serial })}
      >
        {open !== null && (
          <SettlementReviewPanel
            regionCode={open.regionCode}
            settlementId={open.settlementId}
            canWrite={user.permissions.includes('settlement:write')}
            onChanged={() => setVersion((v) => v + 1)}
          />
        )}
      </Drawer>
    </Card>
  );
}
