import { SaveOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Table, Typography } from 'antd';
import { chartOfAccounts } from '../../../../domain/fund/ledger/accounts.ts';
import { fenToYuanInput, yuanToFen } from '../../../format/money.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import type { BudgetLineView } from '../fund-types.ts';

/** The budgetable lines (income and expense, not the due accounts), as the server allows them. */
const budgetAccounts = chartOfAccounts.filter(
  (a) => (a.type === 'income' || a.type === 'expense') && a.perCounterparty !== true,
);

/** The yuan text typed per account code. */
export type Draft = Record<string, string>;

export function draftFrom(lines: BudgetLineView[]): Draft {
  const draft: Draft = {};
  for (const account of budgetAccounts) draft[account.code] = '';
  for (const line of lines) draft[line.account] = fenToYuanInput(line.amountFen);
  return draft;
}

/** The typed yuan → lines (blank lines left out); null with the bad accounts when any is not yuan. */
export function linesFrom(draft: Draft): {
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

type DraftEditorProps = {
  draft: Draft;
  bad: readonly string[];
  busy: boolean;
  onChange: (next: Draft) => void;
  onSave: () => void;
  onCancel: () => void;
};

/** The draft being edited: a hint, the accounts that are not yuan, the lines, save and cancel. */
export function DraftEditor({ draft, bad, busy, onChange, onSave, onCancel }: DraftEditorProps) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('fund.budget.editHint')}</Typography.Text>
      {bad.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('fund.budget.badYuan', { accounts: bad.join(', ') })}
        />
      )}
      <LineEditor draft={draft} onChange={onChange} bad={bad} />
      <Space>
        <Button
          type="primary"
          icon={<SaveOutlined />}
          loading={busy}
          onClick={onSave}
          data-testid="budget-save"
        >
          {t('fund.budget.save')}
        </Button>
        <Button onClick={onCancel}>{t('fund.budget.cancel')}</Button>
      </Space>
    </Space>
  );
}

type LineEditorProps = {
  draft: Draft;
  onChange: (next: Draft) => void;
  bad: readonly string[];
};

function LineEditor({ draft, onChange, bad }: LineEditorProps) {
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
