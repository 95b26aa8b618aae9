import {
  CheckOutlined,
  CloseOutlined,
  EditOutlined,
  SaveOutlined,
  SendOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { chartOfAccounts } from '../../../../domain/fund/ledger/accounts.ts';
import { ApiError } from '../../../api/client.ts';
import { fundApi } from '../fund-api.ts';
import type {
  BudgetApproval,
  BudgetLineView,
  BudgetStatus,
  BudgetView,
  Consolidation,
} from '../fund-types.ts';
import type { SessionUser } from '../../../api/types.ts';
import { formatShanghaiDateTime } from '../../../format/date-time.ts';
import { fenToYuanInput, yuanToFen } from '../../../format/money.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { ExecutionPanel } from './execution-panel.tsx';
import {
  ActionError,
  FundHeader,
  isProvinceUser,
  LoadError,
  useLoad,
  useRegionNames,
  Yuan,
} from '../fund-common.tsx';

const statusColors: Record<BudgetStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  consolidated: 'gold',
  approved: 'green',
};

/** The budgetable lines (income and expense, not the due accounts), as the server allows them. */
const budgetAccounts = chartOfAccounts.filter(
  (a) => (a.type === 'income' || a.type === 'expense') && a.perCounterparty !== true,
);

function StatusTag({ status }: { status: BudgetStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={statusColors[status]} data-testid="budget-status" data-status={status}>
      {t(`fund.budget.status.${status}`)}
    </Tag>
  );
}

type Draft = Record<string, string>;

function draftFrom(lines: BudgetLineView[]): Draft {
  const draft: Draft = {};
  for (const account of budgetAccounts) draft[account.code] = '';
  for (const line of lines) draft[line.account] = fenToYuanInput(line.amountFen);
  return draft;
}

/** The typed yuan → lines (blank lines left out); null with the bad accounts when any is not yuan. */
function linesFrom(draft: Draft): {
  lines: { account: string; amountFen: number }[];
  bad: string[];
} {
  const lines: { account: string; amountFen: number }[] = [];
  const bad: string[] = [];
  for (const account of budgetAccounts) {
    const text = (draft[account.code] ?? '').trim();
    if (text === '') continue;
    const fen = yuanToFen(text);
    if (fen === null) bad.push(account.code);
    else lines.push({ account: account.code, amountFen: fen });
  }
  return { lines, bad };
}

function LineEditor({
  draft,
  onChange,
  bad,
}: {
  draft: Draft;
  onChange: (next: Draft) => void;
  bad: readonly string[];
}) {
  const { t, language } = useI18n();
  return (
    <Table
      data-testid="budget-editor"
      rowKey="code"
      size="small"
      pagination={false}
      dataSource={budgetAccounts.map((a) => ({
        code: a.code,
        name: language === 'zh' ? a.name : a.nameEn,
        type: a.type,
      }))}
      columns={[
        {
          title: t('fund.ledger.account'),
          dataIndex: 'code',
          width: 80,
          render: (v: string) => <span className="mono">{v}</span>,
        },
        { title: t('fund.exec.line'), dataIndex: 'name' },
        {
          title: t('fund.ledger.type'),
          dataIndex: 'type',
          width: 90,
          render: (v: 'income' | 'expense') => t(`fund.accountType.${v}`),
        },
        {
          title: t('fund.budget.amountYuan'),
          key: 'amount',
          width: 240,
          render: (_, row) => (
            <Input
              data-testid={`budget-line-${row.code}`}
              value={draft[row.code] ?? ''}
              status={bad.includes(row.code) ? 'error' : ''}
              placeholder="0.00"
              inputMode="decimal"
              onChange={(e) => onChange({ ...draft, [row.code]: e.target.value })}
            />
          ),
        },
      ]}
    />
  );
}

/** One segment's budget of a year: lines, status, and (for the segment's own staff) edit and submit. */
function BudgetDetail({ user, region, year }: { user: SessionUser; region: string; year: number }) {
  const { t, language } = useI18n();
  const [reloads, setReloads] = useState(0);
  const state = useLoad(() => fundApi.budget(region, year), [region, year, reloads]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [bad, setBad] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const canWrite = user.permissions.includes('fund:write');
  const ownSegment = canWrite && region === user.scope.code;
  const canReturn = canWrite && (ownSegment || isProvinceUser(user));

  const missing =
    state.status === 'failed' &&
    state.error instanceof ApiError &&
    state.error.code === 'budget.not_found';
  const budget = state.status === 'ready' ? state.data : null;

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setDraft(null);
      setReturning(false);
      setReloads((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    if (draft === null) return;
    const { lines, bad: wrong } = linesFrom(draft);
    setBad(wrong);
    if (wrong.length > 0) return;
    void act(() => fundApi.saveBudget(region, year, lines, budget?.version ?? null));
  };

  return (
    <Card title={t('fund.budget.detailTitle', { year, region })} data-testid="budget-detail">
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && !missing && (
        <LoadError error={state.error} what="fund.budget.what" />
      )}
      {error !== null && <ActionError error={error} testId="budget-error" />}
      {missing && draft === null && (
        <Alert
          type="info"
          showIcon
          data-testid="budget-missing"
          title={t('fund.budget.missing', { year })}
          action={
            ownSegment ? (
              <Button
                type="primary"
                icon={<EditOutlined />}
                onClick={() => setDraft(draftFrom([]))}
                data-testid="budget-start"
              >
                {t('fund.budget.start')}
              </Button>
            ) : undefined
          }
        />
      )}
      {budget !== null && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('fund.budget.status')}>
              <StatusTag status={budget.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.budget.version')}>{budget.version}</Descriptions.Item>
            <Descriptions.Item label={t('fund.budget.updated')}>
              {budget.updatedBy ?? '—'}
              {budget.updatedAt !== null &&
                ` · ${formatShanghaiDateTime(budget.updatedAt, language)}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.budget.incomeTotal')}>
              <Yuan fen={budget.totals.incomeFen} testId="budget-income-total" />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.budget.expenseTotal')}>
              <Yuan fen={budget.totals.expenseFen} testId="budget-expense-total" />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.budget.submitted')}>
              {budget.submittedBy ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.budget.approved')}>
              {budget.approvedBy === null
                ? '—'
                : t('fund.budget.approvedBy', {
                    maker: budget.approvedBy,
                    checker: budget.checkerId ?? '—',
                  })}
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.budget.approvalId')}>
              {budget.approvalId ?? budget.consolidationApprovalId ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          {draft === null && (
            <Space wrap>
              {ownSegment && budget.status === 'draft' && (
                <>
                  <Button
                    icon={<EditOutlined />}
                    onClick={() => setDraft(draftFrom(budget.lines))}
                    data-testid="budget-edit"
                  >
                    {t('fund.budget.edit')}
                  </Button>
                  <Button
                    type="primary"
                    icon={<SendOutlined />}
                    loading={busy}
                    onClick={() => void act(() => fundApi.submitBudget(region, year))}
                    data-testid="budget-submit"
                  >
                    {t('fund.budget.submit')}
                  </Button>
                </>
              )}
              {canReturn && (budget.status === 'submitted' || budget.status === 'consolidated') && (
                <Button danger onClick={() => setReturning(true)} data-testid="budget-return">
                  {t('fund.budget.return')}
                </Button>
              )}
              {!ownSegment && budget.status === 'draft' && (
                <Typography.Text type="secondary">{t('fund.budget.draftOwnOnly')}</Typography.Text>
              )}
            </Space>
          )}
          {draft === null && (
            <Table<BudgetLineView>
              data-testid="budget-lines"
              rowKey="account"
              size="small"
              pagination={false}
              dataSource={budget.lines}
              columns={[
                {
                  title: t('fund.ledger.account'),
                  dataIndex: 'account',
                  width: 80,
                  render: (v: string) => <span className="mono">{v}</span>,
                },
                {
                  title: t('fund.exec.line'),
                  key: 'name',
                  render: (_, l) => (language === 'zh' ? l.name : l.nameEn),
                },
                {
                  title: t('fund.ledger.type'),
                  dataIndex: 'type',
                  width: 90,
                  render: (v: 'income' | 'expense') => t(`fund.accountType.${v}`),
                },
                {
                  title: t('fund.budget.amount'),
                  dataIndex: 'amountFen',
                  align: 'right',
                  render: (fen: number) => <Yuan fen={fen} />,
                },
              ]}
            />
          )}
        </Space>
      )}
      {draft !== null && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('fund.budget.editHint')}</Typography.Text>
          {bad.length > 0 && (
            <Alert
              type="error"
              showIcon
              title={t('fund.budget.badYuan', { accounts: bad.join(', ') })}
            />
          )}
          <LineEditor draft={draft} onChange={setDraft} bad={bad} />
          <Space>
            <Button
              type="primary"
              icon={<SaveOutlined />}
              loading={busy}
              onClick={save}
              data-testid="budget-save"
            >
              {t('fund.budget.save')}
            </Button>
            <Button onClick={() => setDraft(null)}>{t('fund.budget.cancel')}</Button>
          </Space>
        </Space>
      )}
      <Modal
        open={returning}
        title={t('fund.budget.return')}
        okText={t('fund.budget.return')}
        cancelText={t('fund.budget.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        onOk={() => void act(() => fundApi.returnBudget(region, year, reason.trim()))}
        onCancel={() => setReturning(false)}
      >
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('fund.budget.returnReason')}
          maxLength={500}
        />
      </Modal>
    </Card>
  );
}

/** The province: every segment's budget of the year, consolidation (maker) and approval (checker). */
function ProvinceBudgets({
  user,
  region,
  year,
  onOpen,
}: {
  user: SessionUser;
  region: string;
  year: number;
  onOpen: (segment: string) => void;
}) {
  const { t } = useI18n();
  const { nameOf } = useRegionNames(user);
  const [reloads, setReloads] = useState(0);
  const state = useLoad(() => fundApi.budgets(region, year), [region, year, reloads]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [consolidation, setConsolidation] = useState<Consolidation | null>(null);
  const [approval, setApproval] = useState<BudgetApproval | null>(null);
  const [decided, setDecided] = useState<string | null>(null);
  const canMake = user.permissions.includes('fund:write');
  const canDecide = user.permissions.includes('fund:approve');
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
  const counts: Record<BudgetStatus, number> = {
    draft: 0,
    submitted: 0,
    consolidated: 0,
    approved: 0,
  };
  for (const b of budgets) counts[b.status] += 1;

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setReloads((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('fund.budget.provinceTitle', { year })} data-testid="province-budgets">
      {state.status === 'failed' && <LoadError error={state.error} what="fund.budget.what" />}
      {state.status !== 'failed' && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            {(['draft', 'submitted', 'consolidated', 'approved'] as const).map((s) => (
              <Tag key={s} color={statusColors[s]}>
                {t(`fund.budget.status.${s}`)} {counts[s]}
              </Tag>
            ))}
          </Space>
          <Typography.Paragraph type="secondary">{t('fund.budget.flow')}</Typography.Paragraph>
          {error !== null && <ActionError error={error} testId="approval-error" />}
          <Space wrap>
            {canMake && (
              <Button
                type="primary"
                loading={busy}
                disabled={counts.submitted === 0}
                data-testid="budget-consolidate"
                onClick={() =>
                  void act(async () => {
                    setConsolidation(await fundApi.consolidate(region, year));
                  })
                }
              >
                {t('fund.budget.consolidate', { count: counts.submitted })}
              </Button>
            )}
            {pending.map((id) => (
              <Space key={id} wrap className="approval-box" data-testid="pending-approval">
                <span>
                  {t('fund.budget.pendingApproval')} <Typography.Text code>{id}</Typography.Text>
                </span>
                {canDecide && (
                  <>
                    <Button
                      icon={<CheckOutlined />}
                      loading={busy}
                      data-testid="approval-approve"
                      onClick={() =>
                        void act(async () => {
                          await fundApi.decide(region, id, 'approved');
                          setDecided(id);
                        })
                      }
                    >
                      {t('fund.budget.decideApprove')}
                    </Button>
                    <Button
                      danger
                      icon={<CloseOutlined />}
                      loading={busy}
                      data-testid="approval-reject"
                      onClick={() =>
                        void act(async () => {
                          await fundApi.decide(region, id, 'rejected');
                          setDecided(id);
                        })
                      }
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
                    onClick={() =>
                      void act(async () => {
                        setApproval(await fundApi.approveBudgets(region, year, id));
                      })
                    }
                  >
                    {t('fund.budget.approveAll')}
                  </Button>
                )}
              </Space>
            ))}
          </Space>
          {canMake && canDecide && pending.length > 0 && (
            <Typography.Text type="secondary">{t('fund.budget.checkerHint')}</Typography.Text>
          )}
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
                  {t('fund.budget.incomeTotal')}{' '}
                  <Yuan fen={consolidation.payload.totals.incomeFen} /> ·{' '}
                  {t('fund.budget.expenseTotal')}{' '}
                  <Yuan fen={consolidation.payload.totals.expenseFen} /> ·{' '}
                  {t('fund.budget.payloadHash')}{' '}
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
          <Table<BudgetView>
            data-testid="province-budgets-table"
            rowKey="regionCode"
            size="small"
            loading={state.status === 'loading'}
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
                  <span className="mono small">
                    {b.approvalId ?? b.consolidationApprovalId ?? '—'}
                  </span>
                ),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}

function yearOptions(around: number): { value: number; label: string }[] {
  const out: { value: number; label: string }[] = [];
  for (let y = around + 1; y >= around - 2; y -= 1) out.push({ value: y, label: String(y) });
  return out;
}

function BudgetsBody({
  user,
  region,
  defaultYear,
}: {
  user: SessionUser;
  region: string;
  defaultYear: number;
}) {
  const { t } = useI18n();
  const { nameOf } = useRegionNames(user);
  const [year, setYear] = useState(defaultYear);
  const province = region.endsWith('0000');
  const [segment, setSegment] = useState<string>(region);
  return (
    <>
      <Space wrap>
        <span>{t('fund.budget.year')}</span>
        <Select<number>
          data-testid="budget-year"
          value={year}
          style={{ width: 120 }}
          onChange={setYear}
          options={yearOptions(defaultYear)}
        />
      </Space>
      {province && <ProvinceBudgets user={user} region={region} year={year} onOpen={setSegment} />}
      {province && (
        <Typography.Text type="secondary">
          {t('fund.budget.showing', { name: nameOf(segment) })}
        </Typography.Text>
      )}
      <BudgetDetail user={user} region={province ? segment : region} year={year} />
      <ExecutionPanel region={region} year={year} />
    </>
  );
}

/**
 * Budgets of a year: the city's (or, for the province, every segment's) lines, the draft editor
 * for the segment's own staff, consolidation and approval, execution and variance, Excel download.
 * The default year is the year of the region's latest posted data (the overview's `year`).
 */
export function BudgetsView({ user, region }: { user: SessionUser; region: string }) {
  const overview = useLoad(() => fundApi.overview(region), [region]);
  return (
    <div className="page" data-testid="fund-budgets">
      <FundHeader user={user} view="budgets" region={region} />
      {overview.status === 'loading' && <Skeleton active />}
      {overview.status === 'failed' && <LoadError error={overview.error} what="nav.fundBudgets" />}
      {overview.status === 'ready' && (
        <BudgetsBody key={region} user={user} region={region} defaultYear={overview.data.year} />
      )}
    </div>
  );
}
