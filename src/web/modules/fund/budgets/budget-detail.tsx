import { EditOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Skeleton,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ApiError } from '../../../api/client.ts';
import type { SessionUser } from '../../../api/types.ts';
import { formatShanghaiDateTime } from '../../../format/date-time.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { useAction } from '../../../ui/use-action.ts';
import { fundApi } from '../fund-api.ts';
import { ActionError, isProvinceUser, LoadError, useLoad, Yuan } from '../fund-common.tsx';
import type { BudgetLineView, BudgetView } from '../fund-types.ts';
import { type Draft, DraftEditor, draftFrom, linesFrom } from './budget-editor.tsx';
import { StatusTag } from './budget-status.tsx';

/** The budget's load, the open draft, and the actions on it (save, submit, return). */
function useBudgetDetail(region: string, year: number) {
  const [reloads, setReloads] = useState(0);
  const state = useLoad(() => fundApi.budget(region, year), [region, year, reloads]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [bad, setBad] = useState<string[]>([]);
  const [returning, setReturning] = useState(false);
  const { busy, error, act } = useAction(() => {
    setDraft(null);
    setReturning(false);
    setReloads((n) => n + 1);
  });
  const missing =
    state.status === 'failed' &&
    state.error instanceof ApiError &&
    state.error.code === 'budget.not_found';
  const budget = state.status === 'ready' ? state.data : null;

  const save = () => {
    if (draft === null) return;
    const { lines, bad: wrong } = linesFrom(draft);
    setBad(wrong);
    if (wrong.length > 0) return;
    void act(() => fundApi.saveBudget(region, year, lines, budget?.version ?? null));
  };
  const submit = () => void act(() => fundApi.submitBudget(region, year));
  const returnBudget = (reason: string) =>
    void act(() => fundApi.returnBudget(region, year, reason));
  const editing = { draft, setDraft, bad, returning, setReturning };
  return { state, missing, budget, ...editing, busy, error, save, submit, returnBudget };
}

type BudgetDetailProps = { user: SessionUser; region: string; year: number };

/** One segment's budget of a year: lines, status, and (for the segment's own staff) edit and submit. */
export function BudgetDetail({ user, region, year }: BudgetDetailProps) {
  const { t } = useI18n();
  const detail = useBudgetDetail(region, year);
  const { state, missing, budget, draft, setDraft } = detail;
  const canWrite = user.permissions.includes('fund:write');
  const ownSegment = canWrite && region === user.scope.code;
  const canReturn = canWrite && (ownSegment || isProvinceUser(user));
  return (
    <Card title={t('fund.budget.detailTitle', { year, region })} data-testid="budget-detail">
      {state.status === 'loading' && <Skeleton active />}
      {state.status === 'failed' && !missing && (
        <LoadError error={state.error} what="fund.budget.what" />
      )}
      {detail.error !== null && <ActionError error={detail.error} testId="budget-error" />}
      {missing && draft === null && (
        <BudgetMissing year={year} canStart={ownSegment} onStart={() => setDraft(draftFrom([]))} />
      )}
      {budget !== null && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <BudgetSummary budget={budget} />
          {draft === null && (
            <BudgetActions
              budget={budget}
              ownSegment={ownSegment}
              canReturn={canReturn}
              busy={detail.busy}
              onEdit={() => setDraft(draftFrom(budget.lines))}
              onSubmit={detail.submit}
              onReturn={() => detail.setReturning(true)}
            />
          )}
          {draft === null && <BudgetLinesTable lines={budget.lines} />}
        </Space>
      )}
      {draft !== null && (
        <DraftEditor
          draft={draft}
          bad={detail.bad}
          busy={detail.busy}
          onChange={setDraft}
          onSave={detail.save}
          onCancel={() => setDraft(null)}
        />
      )}
      <ReturnModal
        open={detail.returning}
        busy={detail.busy}
        onReturn={detail.returnBudget}
        onCancel={() => detail.setReturning(false)}
      />
    </Card>
  );
}

type BudgetMissingProps = { year: number; canStart: boolean; onStart: () => void };

function BudgetMissing({ year, canStart, onStart }: BudgetMissingProps) {
  const { t } = useI18n();
  return (
    <Alert
      type="info"
      showIcon
      data-testid="budget-missing"
      title={t('fund.budget.missing', { year })}
      action={
        canStart ? (
          <Button
            type="primary"
            icon={<EditOutlined />}
            onClick={onStart}
            data-testid="budget-start"
          >
            {t('fund.budget.start')}
          </Button>
        ) : undefined
      }
    />
  );
}

type BudgetSummaryProps = { budget: BudgetView };

function BudgetSummary({ budget }: BudgetSummaryProps) {
  const { t, language } = useI18n();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }}>
      <Descriptions.Item label={t('fund.budget.status')}>
        <StatusTag status={budget.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('fund.budget.version')}>{budget.version}</Descriptions.Item>
      <Descriptions.Item label={t('fund.budget.updated')}>
        {budget.updatedBy ?? '—'}
        {budget.updatedAt !== null && ` · ${formatShanghaiDateTime(budget.updatedAt, language)}`}
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
  );
}

type BudgetActionsProps = {
  budget: BudgetView;
  ownSegment: boolean;
  canReturn: boolean;
  busy: boolean;
  onEdit: () => void;
  onSubmit: () => void;
  onReturn: () => void;
};

function BudgetActions(props: BudgetActionsProps) {
  const { budget, ownSegment, canReturn, busy } = props;
  const { t } = useI18n();
  return (
    <Space wrap>
      {ownSegment && budget.status === 'draft' && (
        <>
          <Button icon={<EditOutlined />} onClick={props.onEdit} data-testid="budget-edit">
            {t('fund.budget.edit')}
          </Button>
          <Button
            type="primary"
            icon={<SendOutlined />}
            loading={busy}
            onClick={props.onSubmit}
            data-testid="budget-submit"
          >
            {t('fund.budget.submit')}
          </Button>
        </>
      )}
      {canReturn && (budget.status === 'submitted' || budget.status === 'consolidated') && (
        <Button danger onClick={props.onReturn} data-testid="budget-return">
          {t('fund.budget.return')}
        </Button>
      )}
      {!ownSegment && budget.status === 'draft' && (
        <Typography.Text type="secondary">{t('fund.budget.draftOwnOnly')}</Typography.Text>
      )}
    </Space>
  );
}

type BudgetLinesTableProps = { lines: BudgetLineView[] };

function BudgetLinesTable({ lines }: BudgetLinesTableProps) {
  const { t, language } = useI18n();
  return (
    <Table<BudgetLineView>
      data-testid="budget-lines"
      rowKey="account"
      size="small"
      pagination={false}
      dataSource={lines}
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
  );
}

type ReturnModalProps = {
  open: boolean;
  busy: boolean;
  onReturn: (reason: string) => void;
  onCancel: () => void;
};

/** Returning a submitted budget to its segment needs a reason (at least two characters). */
function ReturnModal({ open, busy, onReturn, onCancel }: ReturnModalProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <Modal
      open={open}
      title={t('fund.budget.return')}
      okText={t('fund.budget.return')}
      cancelText={t('fund.budget.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: reason.trim().length < 2 }}
      onOk={() => onReturn(reason.trim())}
      onCancel={onCancel}
    >
      <Input.TextArea
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('fund.budget.returnReason')}
        maxLength={500}
      />
    </Modal>
  );
}
