import {
  Alert,
  Button,
  Card,
  DatePicker,
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
import { useLoad } from '../fund/fund-common.tsx';
import {
  contributionsApi,
  type RefundFileRow,
  type RefundReturnAnswer,
} from './contributions-api.ts';

type Translate = ReturnType<typeof useI18n>['t'];

const statusKeys = {
  sent: 'contributions.refundFiles.status.sent',
  outstanding: 'contributions.refundFiles.status.outstanding',
  confirmed: 'contributions.refundFiles.status.confirmed',
  failed: 'contributions.refundFiles.status.failed',
} as const satisfies Record<RefundFileRow['status'], MessageKey>;
const statusColors = { sent: 'blue', outstanding: 'gold', confirmed: 'green', failed: 'red' };

/** Picks a return file and imports it for one refund file. */
function ReturnImport({
  region,
  row,
  onDone,
}: {
  region: string;
  row: RefundFileRow;
  onDone: (a: RefundReturnAnswer) => void;
}) {
  const { t } = useI18n();
  return (
    <input
      type="file"
      accept=".csv,text/csv"
      aria-label={t('contributions.refundFiles.return')}
      data-testid={`refund-return-${row.fileId}`}
      onChange={(e) => {
        const file = e.target.files?.[0];
        if (file === undefined) return;
        void file
          .text()
          .then(async (text) =>
            onDone(await contributionsApi.refundReturn(region, row.fileId, text)),
          );
      }}
    />
  );
}

function columns(
  t: Translate,
  region: string,
  onReturn: (p: Promise<RefundReturnAnswer>) => void,
): TableColumnsType<RefundFileRow> {
  const yuan = (fen: number) => fenToYuanText(fen);
  return [
    { title: t('contributions.refundFiles.day'), dataIndex: 'day' },
    { title: t('contributions.refundFiles.count'), dataIndex: 'refundCount' },
    { title: t('contributions.refundFiles.total'), dataIndex: 'totalFen', render: yuan },
    { title: t('contributions.refundFiles.paid'), dataIndex: 'paidFen', render: yuan },
    { title: t('contributions.refundFiles.failed'), dataIndex: 'failedFen', render: yuan },
    {
      title: t('contributions.refundFiles.outstanding'),
      dataIndex: 'outstandingFen',
      render: yuan,
    },
    {
      title: t('contributions.refundFiles.state'),
      dataIndex: 'status',
      render: (s: RefundFileRow['status']) => <Tag color={statusColors[s]}>{t(statusKeys[s])}</Tag>,
    },
    {
      title: t('contributions.refundFiles.actions'),
      key: 'actions',
      render: (_: unknown, row: RefundFileRow) => (
        <Space size="small">
          <a
            href={contributionsApi.refundFileUrl(region, row.fileId)}
            data-testid={`refund-file-download-${row.fileId}`}
          >
            {t('contributions.refundFiles.download')}
          </a>
          <ReturnImport region={region} row={row} onDone={(a) => onReturn(Promise.resolve(a))} />
        </Space>
      ),
    },
  ];
}

/**
 * 退款文件: the day's refund file issued for the bank, downloaded again, and the bank's return file
 * imported against it (paid confirmed, failed reversed into 2103), with each file's totals.
 */
export function RefundFilesCard({
  region,
  version,
  onChange,
}: {
  region: string;
  version: number;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const list = useLoad(() => contributionsApi.refundFiles(region), [region, version]);
  const act = async (step: () => Promise<string>) => {
    setError(null);
    setNote(null);
    try {
      setNote(await step());
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  const issue = () =>
    act(async () => {
      const f = await contributionsApi.issueRefundFile(region, day.format('YYYY-MM-DD'));
      return t('contributions.refundFiles.issued', {
        count: f.refundCount,
        total: fenToYuanText(f.totalFen),
      });
    });
  const onReturn = (p: Promise<RefundReturnAnswer>) =>
    act(async () => {
      const a = await p;
      return t('contributions.refundFiles.imported', {
        confirmed: a.confirmed,
        failed: a.failed,
        replayed: a.replayed,
      });
    });
  return (
    <Card title={t('contributions.refundFiles.title')} data-testid="refund-files-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('contributions.refundFiles.intro')}</Typography.Text>
        <Space wrap>
          <DatePicker
            allowClear={false}
            value={day}
            onChange={(d) => d !== null && setDay(d)}
            data-testid="refund-file-day"
          />
          <Button onClick={() => void issue()} data-testid="refund-file-issue">
            {t('contributions.refundFiles.issue')}
          </Button>
        </Space>
        <Table
          data-testid="refund-files"
          size="small"
          rowKey="fileId"
          columns={columns(t, region, (p) => void onReturn(p))}
          dataSource={list.status === 'ready' ? list.data.files : []}
          loading={list.status === 'loading'}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('contributions.refundFiles.none') }}
        />
        {note !== null && (
          <Alert type="success" showIcon title={note} data-testid="refund-files-note" />
        )}
        {list.status === 'failed' && (
          <Alert type="error" showIcon title={describeError(list.error)} />
        )}
        {error !== null && (
          <Alert
            type="error"
            showIcon
            title={describeError(error)}
            data-testid="refund-files-error"
          />
        )}
      </Space>
    </Card>
  );
}
