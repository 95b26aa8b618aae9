import { Alert, Button, Input, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { fenToYuanText, yuanToFen } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useLoad } from '../fund/fund-common.tsx';
import { type SettlementResponse, statementApi } from './statement-api.ts';

type Line = SettlementResponse['lines'][number];

type LineActionProps = {
  settlement: SettlementResponse;
  line: Line;
  canWrite: boolean;
  onDone: () => void;
};

/** Accept a line or deduct from it (amount in yuan, reason), once. */
function LineAction({ settlement, line, canWrite, onDone }: LineActionProps) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (line.review !== null)
    return line.review.decision === 'accepted' ? (
      <Tag color="green" data-testid={`review-accepted-${line.lineNo}`}>
        {t('settlement.review.accepted')}
      </Tag>
    ) : (
      <Tag color="red" data-testid={`review-deducted-${line.lineNo}`}>
        {t('settlement.review.deducted', { amount: fenToYuanText(line.review.deductedFen) })}
      </Tag>
    );
  if (!canWrite || settlement.kind !== 'settlement' || settlement.status !== 'active') return null;
  const send = async (body: Parameters<typeof statementApi.review>[3]) => {
    setError(null);
    try {
      await statementApi.review(settlement.regionCode, settlement.id, line.lineNo, body);
      onDone();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const deduct = () => {
    const fen = yuanToFen(amount);
    if (fen === null || fen <= 0) return setError(t('settlement.review.amount'));
    void send({ decision: 'deducted', deductedFen: fen, reason });
  };
  return (
    <Space direction="vertical" size="small">
      <Space wrap>
        <Button
          size="small"
          data-testid={`review-accept-${line.lineNo}`}
          onClick={() => void send({ decision: 'accepted' })}
        >
          {t('settlement.review.accept')}
        </Button>
        <Input
          size="small"
          style={{ width: 110 }}
          placeholder={t('settlement.review.amount')}
          value={amount}
          data-testid={`review-amount-${line.lineNo}`}
          onChange={(e) => setAmount(e.target.value)}
        />
        <Input
          size="small"
          style={{ width: 180 }}
          placeholder={t('settlement.review.reason')}
          value={reason}
          data-testid={`review-reason-${line.lineNo}`}
          onChange={(e) => setReason(e.target.value)}
        />
        <Button size="small" danger data-testid={`review-deduct-${line.lineNo}`} onClick={deduct}>
          {t('settlement.review.deduct')}
        </Button>
      </Space>
      {error !== null && <Alert type="error" title={error} showIcon />}
    </Space>
  );
}

type PanelProps = {
  regionCode: string;
  settlementId: string;
  canWrite: boolean;
  onChanged: () => void;
};

/** One settlement's lines, their adjudication and review (人工审核). */
export function SettlementReviewPanel({
  regionCode,
  settlementId,
  canWrite,
  onChanged,
}: PanelProps) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const load = useLoad(
    () => statementApi.settlement(regionCode, settlementId),
    [regionCode, settlementId, version],
  );
  if (load.status === 'loading') return null;
  if (load.status === 'failed') return <Alert type="error" title={describeError(load.error)} />;
  const settlement = load.data;
  const done = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const columns: TableColumnsType<Line> = [
    { title: t('settlement.col.line'), dataIndex: 'lineNo' },
    { title: t('settlement.col.name'), dataIndex: 'name' },
    {
      title: t('settlement.col.claimed'),
      dataIndex: 'claimedFen',
      align: 'right',
      render: (v: number) => fenToYuanText(v),
    },
    {
      title: t('settlement.col.payable'),
      dataIndex: 'payableFen',
      align: 'right',
      render: (v: number) => fenToYuanText(v),
    },
    {
      title: t('settlement.col.reasons'),
      dataIndex: 'reasons',
      render: (r: string[]) => r.join(', '),
    },
    {
      title: t('settlement.col.review'),
      key: 'review',
      render: (_: unknown, line: Line) => (
        <LineAction settlement={settlement} line={line} canWrite={canWrite} onDone={done} />
      ),
    },
  ];
  return (
    <Table<Line>
      rowKey="lineNo"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={settlement.lines}
      data-testid="review-lines"
    />
  );
}
