import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { SessionUser } from '../../../api/types.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { useAction } from '../../../ui/use-action.ts';
import { fundApi } from '../fund-api.ts';
import { ActionError, LoadError, useLoad, useRegionNames, Yuan } from '../fund-common.tsx';
import type { BudgetApproval, BudgetStatus, BudgetView, Consolidation } from '../fund-types.ts';
import { StatusTag, statusColors } from './budget-status.tsx';

const budgetStatuses: readonly BudgetStatus[] = ['draft', 'submitted', 'consolidated', 'approved'];

function countByStatus(budgets: BudgetView[]): Record<BudgetStatus, number> {
  const counts: Record<BudgetStatus, number> = {
    draft: 0,
    submitted: 0,
    consolidated: 0,
    approved: 0,
  };
  for (const b of budgets) counts[b.status] += 1;
  return counts;
}

/** Every segment's budget of the year, and the province's consolidate → decide → approve steps. */
function useProvinceBudgets(region: string, year: number) {
  const [reloads, setReloads] = useState(0);
  const state = useLoad(() => fundApi.budgets(region, year), [region, year, reloads]);
  const { busy, error, act } = useAction(() => setReloads((n) => n + 1));
  const [consolidation, setConsolidation] = useState<Consolidation | null>(null);
  const [approval, setApproval] = useState<BudgetApproval | null>(null);
  const [decided, setDecided] = useState<string | null>(null);
  const budgets = state.status === 'ready' ? state.data.budgets : [];
  const pending = useMemo(
    () => [
      ...new Set(
        budgets
          .filter((b) => b.status === 'consolidated' && b.consolidationApprovalId !== null)
          .map((b) => b.consolidationApprovalId ?? ''),
      ),
    ],
    [budgets],
  );
  const consolidate = () =>
    void act(async () => {
      setConsolidation(await fundApi.consolidate(region, year));
    });
  const decide = (id: string, decision: 'approved' | 'rejected') =>
    void act(async () => {
      await fundApi.decide(region, id, decision);
      setDecided(id);
    });
  const approveAll = (id: string) =>
    void act(async () => {
      setApproval(await fundApi.approveBudgets(region, year, id));
    });
  const results = { consolidation, approval, decided };
  return { state, budgets, pending, busy, error, results, consolidate, decide, approveAll };
}

type ProvinceBudgetsProps = {
  user: SessionUser;
  region: string;
  year: number;
  onOpen: (segment: string) => void;
};

/** The province: every segment's budget of the year, consolidation (maker) and approval (checker). */
export function ProvinceBudgets({ user, region, year, onOpen }: ProvinceBudgetsProps) {
  const { t } = useI18n();
  const { nameOf } = useRegionNames(user);
  const province = useProvinceBudgets(region, year);
  const { state, budgets, pending, busy } = province;
  const canMake = user.permissions.includes('fund:write');
  const canDecide = user.permissions.includes('fund:approve');
  const counts = countByStatus(budgets);
  return (
    <Card title={t('fund.budget.provinceTitle', { year })} data-testid="province-budgets">
      {state.status === 'failed' && <LoadError error={state.error} what="fund.budget.what" />}
      {state.status !== 'failed' && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            {budgetStatuses.map((s) => (
              <Tag key={s} color={statusColors[s]}>
                {t(`fund.budget.status.${s}`)} {counts[s]}
              </Tag>
            ))}
          </Space>
          <Typography.Paragraph type="secondary">{t('fund.budget.flow')}</Typography.Paragraph>
          {province.error !== null && (
            <ActionError error={province.error} testId="approval-error" />
          )}
          <Space wrap>
            {canMake && (
              <Button
                type="primary"
                loading={busy}
                disabled={counts.submitted === 0}
                data-testid="budget-consolidate"
                onClick={province.consolidate}
              >
                {t('fund.budget.consolidate', { count: counts.submitted })}
              </Button>
            )}
            {pending.map((id) => (
              <PendingApproval
                key={id}
                id={id}
                canDecide={canDecide}
                canMake={canMake}
                busy={busy}
                onDecide={province.decide}
                onApproveAll={province.approveAll}
              />
            ))}
          </Space>
          {canMake && canDecide && pending.length > 0 && (
            <Typography.Text type="secondary">{t('fund.budget.checkerHint')}</Typography.Text>
          )}
          <ProvinceResults {...province.results} />
          <ProvinceBudgetsTable
            budgets={budgets}
            loading={state.status === 'loading'}
            nameOf={nameOf}
            onOpen={onOpen}
          />
        </Space>
      )}
    </Card>
  );
}

type PendingApprovalProps = {
  id: string;
  canDecide: boolean;
  canMake: boolean;
  busy: boolean;
  onDecide: (id: string, decision: 'approved' | 'rejected') => void;
  onApproveAll: (id: string) => void;
};

/** A consolidation waiting for the checker's decision, then for the maker's approval of all. */
function PendingApproval({ id, canDecide, canMake, busy, ...on }: PendingApprovalProps) {
  const { t } = useI18n();
  return (
    <Space wrap className="approval-box" data-testid="pending-approval">
      <span>
        {t('fund.budget.pendingApproval')} <Typography.Text code>{id}</Typography.Text>
      </span>
      {canDecide && (
        <>
          <Button
            icon={<CheckOutlined />}
            loading={busy}
            data-testid="approval-approve"
            onClick={() => on.onDecide(id, 'approved')}
          >
            {t('fund.budget.decideApprove')}
          </Button>
          <Button
            danger
            icon={<CloseOutlined />}
            loading={busy}
            data-testid="approval-reject"
            onClick={() => on.onDecide(id, 'rejected')}
          >
            {t('fund.budget.decideReject')}
          </Button>
        </>
      )}
      {canMake && (
        <Button
          type="primary"
          loading={busy}
          data-testid="budget-approve"
          onClick={() => on.onApproveAll(id)}
        >
          {t('fund.budget.approveAll')}
        </Button>
      )}
    </Space>
  );
}

type ProvinceResultsProps = {
  consolidation: Consolidation | null;
  decided: string | null;
  approval: BudgetApproval | null;
};

/** What the last consolidation, decision and approval did. */
function ProvinceResults({ consolidation, decided, approval }: ProvinceResultsProps) {
  const { t } = useI18n();
  return (
    <>
      {consolidation !== null && (
        <Alert
          type="success"
          showIcon
          data-testid="consolidation-result"
          title={t('fund.budget.consolidated', {
            id: consolidation.approvalId,
            count: consolidation.payload.budgets.length,
          })}
          description={
            <span>
              {t('fund.budget.incomeTotal')} <Yuan fen={consolidation.payload.totals.incomeFen} /> ·{' '}
              {t('fund.budget.expenseTotal')} <Yuan fen={consolidation.payload.totals.expenseFen} />{' '}
              · {t('fund.budget.payloadHash')}{' '}
              <span className="mono small">{consolidation.payloadHash.slice(0, 16)}…</span>
            </span>
          }
        />
      )}
      {decided !== null && (
        <Alert type="success" showIcon title={t('fund.budget.decided', { id: decided })} />
      )}
      {approval !== null && (
        <Alert
          type="success"
          showIcon
          data-testid="approval-result"
          title={t('fund.budget.approvedNow', {
            segments: approval.approved.join('、'),
            checker: approval.checkerId,
          })}
        />
      )}
    </>
  );
}

type ProvinceBudgetsTableProps = {
  budgets: BudgetView[];
  loading: boolean;
  nameOf: (code: string) => string;
  onOpen: (segment: string) => void;
};

function ProvinceBudgetsTable({ budgets, loading, nameOf, onOpen }: ProvinceBudgetsTableProps) {
  const { t } = useI18n();
  return (
    <Table<BudgetView>
      data-testid="province-budgets-table"
      rowKey="regionCode"
      size="small"
      loading={loading}
      pagination={false}
      dataSource={budgets}
      onRow={(b) => ({ onClick: () => onOpen(b.regionCode), className: 'clickable' })}
      columns={[
        { title: t('fund.colName'), key: 'name', render: (_, b) => nameOf(b.regionCode) },
        {
          title: t('fund.budget.status'),
          key: 'status',
          render: (_, b) => <StatusTag status={b.status} />,
        },
        { title: t('fund.budget.version'), dataIndex: 'version', width: 64 },
        {
          title: t('fund.budget.incomeTotal'),
          key: 'in',
          align: 'right',
          render: (_, b) => <Yuan fen={b.totals.incomeFen} />,
        },
        {
          title: t('fund.budget.expenseTotal'),
          key: 'out',
          align: 'right',
          render: (_, b) => <Yuan fen={b.totals.expenseFen} />,
        },
        {
          title: t('fund.budget.submitted'),
          dataIndex: 'submittedBy',
          render: (v: string | null) => v ?? '—',
        },
        {
          title: t('fund.budget.approvalId'),
          key: 'apr',
          render: (_, b) => (
            <span className="mono small">{b.approvalId ?? b.consolidationApprovalId ?? '—'}</span>
          ),
        },
      ]}
    />
  );
}
