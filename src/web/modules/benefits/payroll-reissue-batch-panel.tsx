import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useLoad } from '../fund/fund-common.tsx';
import { saveDownload } from './payroll-downloads.tsx';
import { type ReissueBatch, type ReissueReturn, reissueApi } from './payroll-reissue-api.ts';
import { type BatchActions, batchActionsFor, batchStatusColors } from './payroll-reissue-view.ts';
import { PayrollReturnCard, ReturnDone } from './payroll-return-card.tsx';

type T = ReturnType<typeof useI18n>['t'];
type BatchLine = ReissueBatch['lines'][number];
const yuan = (v: number) => fenToYuanText(v);

type PanelProps = {
  user: SessionUser;
  city: string;
  batchId: string;
  onChanged: () => void;
  onClose: () => void;
};

/**
 * A reissue batch by hand (立即补发) at its own address `/payroll/<batch id>`: its status and
 * total, the approval for a holder of fund:approve (the server refuses the maker: its text is
 * shown), the payment file (CSV, fixed-width GBK) and the bank's return for the handler.
 */
export function ReissueBatchPanel(props: PanelProps) {
  const { user, city, batchId, onChanged, onClose } = props;
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [returned, setReturned] = useState<ReissueReturn | null>(null);
  const load = useLoad(() => reissueApi.show(city, batchId), [city, batchId, version]);
  if (load.status === 'loading') return <Card loading />;
  if (load.status === 'failed') return <Alert type="error" title={describeError(load.error)} />;
  const batch = load.data;
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const actions = batchActionsFor(batch.status, user.permissions);
  return (
    <Card
      data-testid="reissue-batch"
      title={t('reissue.batch.title', { batchId: batch.id })}
      extra={<Button onClick={onClose}>{t('payroll.run.close')}</Button>}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <BatchSummary batch={batch} t={t} />
        <BatchButtons city={city} batch={batch} actions={actions} onChanged={changed} />
        <BatchLines batch={batch} t={t} />
        {returned !== null && <ReturnDone answer={returned} testId="reissue-return" />}
        {actions.bankReturn && (
          <PayrollReturnCard
            testId="reissue-return"
            sendText={(text) => reissueApi.bankReturn(city, batch.id, text)}
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

function BatchSummary({ batch, t }: { batch: ReissueBatch; t: T }) {
  const rec = batch.reconciliation;
  return (
    <Space wrap size="large">
      <Tag color={batchStatusColors[batch.status]} data-testid="reissue-batch-status">
        {t(`reissue.status.${batch.status}`)}
      </Tag>
      <Typography.Text strong data-testid="reissue-batch-total">
        {t('payroll.run.total', { lines: batch.lineCount, amount: yuan(batch.totalFen) })}
      </Typography.Text>
      <Typography.Text type="secondary">
        {t('reissue.batch.proposedBy', { maker: batch.proposedBy, day: batch.accountsOn })}
      </Typography.Text>
      {batch.appliedBy !== null && (
        <Typography.Text type="secondary" data-testid="reissue-batch-approved">
          {t('reissue.batch.approvedBy', {
            checker: batch.appliedByUsername ?? batch.appliedBy,
          })}
        </Typography.Text>
      )}
      {batch.status !== 'proposed' && (
        <Typography.Text data-testid="reissue-batch-figures">
          {t('reissue.batch.figures', {
            confirmed: rec.confirmed.lines,
            failed: rec.failed.lines,
            outstanding: rec.outstanding.lines,
            released: rec.released.lines,
          })}
        </Typography.Text>
      )}
    </Space>
  );
}

type ButtonsProps = {
  city: string;
  batch: ReissueBatch;
  actions: BatchActions;
  onChanged: () => void;
};

/** Approve and download; a refusal (the maker approving, a file refused) shows the server's text. */
function BatchButtons({ city, batch, actions, onChanged }: ButtonsProps) {
  const { t } = useI18n();
  const { busy, error, act } = useAction(onChanged);
  if (!actions.approve && !actions.download) return null;
  const download = (testId: string, label: string, format: 'csv' | 'fixed-gbk') => (
    <Button
      key={testId}
      loading={busy}
      icon={<DownloadOutlined />}
      data-testid={testId}
      onClick={() =>
        void act(async () => saveDownload(await reissueApi.paymentFile(city, batch.id, format)))
      }
    >
      {label}
    </Button>
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {actions.approve && (
          <Button
            type="primary"
            loading={busy}
            data-testid="reissue-approve"
            onClick={() => void act(() => reissueApi.approve(city, batch.id))}
          >
            {t('reissue.batch.approve')}
          </Button>
        )}
        {actions.download && [
          download('reissue-download', t('payroll.run.download'), 'csv'),
          download('reissue-download-fixed', t('payroll.run.downloadFixed'), 'fixed-gbk'),
        ]}
      </Space>
      {error !== null && (
        <Alert type="error" showIcon data-testid="reissue-error" title={describeError(error)} />
      )}
    </Space>
  );
}

function BatchLines({ batch, t }: { batch: ReissueBatch; t: T }) {
  const columns: TableColumnsType<BatchLine> = [
    { title: t('reissue.col.month'), dataIndex: 'month' },
    { title: t('reissue.col.payee'), dataIndex: 'workerId' },
    { title: t('payroll.col.total'), dataIndex: 'amountFen', align: 'right', render: yuan },
    {
      title: t('reissue.col.paidTo'),
      key: 'account',
      render: (_: unknown, l: BatchLine) =>
        `${l.bankName ?? ''} ${l.accountTail === null ? '' : `****${l.accountTail}`}`.trim(),
    },
    {
      title: t('payroll.col.status'),
      dataIndex: 'status',
      render: (s: BatchLine['status']) => t(`reissue.line.${s}`),
    },
    { title: t('reissue.col.reason'), dataIndex: 'failureReason', render: (r) => r ?? '' },
  ];
  return (
    <Table<BatchLine>
      rowKey="id"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={batch.lines}
      locale={{ emptyText: t('reissue.batch.linesAfterApproval') }}
      data-testid="reissue-batch-lines"
    />
  );
}
