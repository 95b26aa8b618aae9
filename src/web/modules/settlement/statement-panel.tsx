import { Alert, Button, Card, Descriptions, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { fenToYuanText, yuanToFen } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type StatementResponse, statementApi } from './statement-api.ts';

type Props = { user: SessionUser; statement: StatementResponse; onChanged: () => void };

function useAction(onChanged: () => void) {
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return { error, run };
}

function ReconciliationTag({ statement }: { statement: StatementResponse }) {
  const { t } = useI18n();
  const r = statement.reconciliation;
  const color = r.status === 'reconciled' ? 'green' : r.status === 'differs' ? 'red' : 'default';
  const key =
    r.status === 'reconciled'
      ? 'settlement.statement.reconciled'
      : r.status === 'differs'
        ? 'settlement.statement.differs'
        : 'settlement.statement.notDeclared';
  return (
    <Space>
      <Tag color={color} data-testid="statement-reconciliation">
        {t(key)}
      </Tag>
      {r.declared !== undefined &&
        t('settlement.statement.declaredAs', {
          count: r.declared.settlementCount,
          amount: fenToYuanText(r.declared.fundFen),
        })}
    </Space>
  );
}

/** The institution declares its totals (总额对账): count and fund share in yuan. */
function DeclareForm({ statement, onChanged }: Omit<Props, 'user'>) {
  const { t } = useI18n();
  const [count, setCount] = useState('');
  const [fund, setFund] = useState('');
  const { error, run } = useAction(onChanged);
  const send = () => {
    const fen = yuanToFen(fund);
    const n = Number.parseInt(count, 10);
    if (fen === null || Number.isNaN(n)) return;
    void run(() =>
      statementApi.declare(statement.institutionId, statement.month, {
        settlementCount: n,
        fundFen: fen,
      }),
    );
  };
  return (
    <Space wrap>
      <Input
        style={{ width: 110 }}
        placeholder={t('settlement.statement.declareCount')}
        value={count}
        data-testid="declare-count"
        onChange={(e) => setCount(e.target.value)}
      />
      <Input
        style={{ width: 160 }}
        placeholder={t('settlement.statement.declareFund')}
        value={fund}
        data-testid="declare-fund"
        onChange={(e) => setFund(e.target.value)}
      />
      <Button data-testid="declare-submit" onClick={send}>
        {t('settlement.statement.declare')}
      </Button>
      {error !== null && <Alert type="error" title={error} showIcon />}
    </Space>
  );
}

function PaymentActions({ user, statement, onChanged }: Props) {
  const { t } = useI18n();
  const { error, run } = useAction(onChanged);
  const stored = statement.stored;
  const { institutionId, month } = statement;
  if (stored?.status === 'paid')
    return (
      <Space direction="vertical">
        <Alert
          type="success"
          showIcon
          data-testid="statement-paid"
          title={t('settlement.statement.paid', {
            date: stored.paidOn ?? '',
            checker: stored.approvedBy ?? '',
          })}
        />
        <span>
          {t('settlement.statement.ledger')}:{' '}
          <span data-testid="statement-ledger-ids">{stored.ledgerTransactionIds.join(', ')}</span>
        </span>
      </Space>
    );
  const canPropose =
    user.permissions.includes('fund:write') && statement.reconciliation.status === 'reconciled';
  const canApprove = user.permissions.includes('fund:approve') && stored?.status === 'proposed';
  return (
    <Space direction="vertical">
      {stored?.status === 'proposed' && (
        <Alert
          type="info"
          showIcon
          data-testid="statement-proposed"
          title={t('settlement.statement.proposed', { approval: stored.approvalId })}
        />
      )}
      <Space>
        {canPropose && stored === null && (
          <Button
            type="primary"
            data-testid="statement-propose"
            onClick={() => void run(() => statementApi.propose(institutionId, month))}
          >
            {t('settlement.statement.propose')}
          </Button>
        )}
        {canApprove && (
          <Button
            type="primary"
            data-testid="statement-approve"
            onClick={() => void run(() => statementApi.approve(institutionId, month))}
          >
            {t('settlement.statement.approve')}
          </Button>
        )}
      </Space>
      {error !== null && (
        <Alert type="error" title={error} showIcon data-testid="statement-error" />
      )}
    </Space>
  );
}

/** The monthly statement: totals, reconciliation, deductions, guarantee, payable and actions. */
export function StatementPanel({ user, statement, onChanged }: Props) {
  const { t } = useI18n();
  const x = statement.totals;
  const share = `${(Number(statement.guaranteeShare) * 100).toFixed(1)}%`;
  const differences = statement.reconciliation.differences ?? [];
  return (
    <Card
      title={t('settlement.statement.title')}
      data-testid="statement-panel"
      extra={<ReconciliationTag statement={statement} />}
    >
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('settlement.statement.netCount')}>
          {x.netCount}
        </Descriptions.Item>
        <Descriptions.Item label={t('settlement.statement.claimed')}>
          {fenToYuanText(x.claimedFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('settlement.statement.fund')}>
          {fenToYuanText(x.fundFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('settlement.statement.deducted')}>
          <span data-testid="statement-deducted">{fenToYuanText(x.deductedFen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('settlement.statement.guarantee', { share })}>
          {fenToYuanText(x.guaranteeFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('settlement.statement.payable')}>
          <span data-testid="statement-payable">{fenToYuanText(x.payableFen)}</span>
        </Descriptions.Item>
      </Descriptions>
      {differences.length > 0 && (
        <Table
          size="small"
          rowKey="serial"
          pagination={false}
          style={{ marginTop: 12 }}
          data-testid="statement-differences"
          title={() => t('settlement.statement.differences')}
          dataSource={differences}
          columns={[
            { title: t('settlement.col.serial'), dataIndex: 'serial' },
            {
              title: t('settlement.statement.ours'),
              dataIndex: 'oursFen',
              render: (v: number | null) => (v === null ? '—' : fenToYuanText(v)),
            },
            {
              title: t('settlement.statement.theirs'),
              dataIndex: 'theirsFen',
              render: (v: number | null) => (v === null ? '—' : fenToYuanText(v)),
            },
          ]}
        />
      )}
      <Space direction="vertical" style={{ marginTop: 12 }}>
        {user.permissions.includes('bill:submit') && statement.stored?.status !== 'paid' && (
          <DeclareForm statement={statement} onChanged={onChanged} />
        )}
        <PaymentActions user={user} statement={statement} onChanged={onChanged} />
        <Space>
          {(['pdf', 'xlsx'] as const).map((format) => (
            <a
              key={format}
              data-testid={`statement-download-${format}`}
              href={statementApi.documentUrl(statement.institutionId, statement.month, format)}
            >
              {t('settlement.statement.download', { format: format.toUpperCase() })}
            </a>
          ))}
        </Space>
      </Space>
    </Card>
  );
}
