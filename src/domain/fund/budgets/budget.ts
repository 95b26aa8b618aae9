import { allocateLargestRemainder, type Fen } from '../../../kernel/money.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { type AccountType, type ChartAccount, chartOfAccounts } from '../ledger/accounts.ts';

/**
 * Yearly fund budgets (pure part): which lines a budget may carry, line validation, the status
 * machine and the exact payload the province's maker-checker approval covers (docs/budgets.md).
 */
export type BudgetStatus = 'draft' | 'submitted' | 'consolidated' | 'approved';

export type BudgetRefusalCode =
  | 'budget.not_found'
  | 'budget.not_draft'
  | 'budget.not_submitted'
  | 'budget.already_approved'
  | 'budget.line_unknown'
  | 'budget.line_duplicate'
  | 'budget.version_conflict'
  | 'budget.segment_unknown'
  | 'budget.province_only'
  | 'budget.nothing_to_consolidate'
  | 'budget.nothing_consolidated';

export type BudgetLine = { account: string; amountFen: Fen };

/** Budgetable lines: every income and expense account of the chart (not the due accounts). */
export const budgetAccounts: readonly ChartAccount[] = chartOfAccounts.filter(
  (a) => (a.type === 'income' || a.type === 'expense') && a.perCounterparty !== true,
);

const budgetAccountByCode = new Map(budgetAccounts.map((a) => [a.code, a]));

export function budgetAccount(code: string): ChartAccount | undefined {
  return budgetAccountByCode.get(code);
}

export function budgetLineType(code: string): Extract<AccountType, 'income' | 'expense'> {
  return budgetAccountByCode.get(code)?.type === 'income' ? 'income' : 'expense';
}

/** Largest budget line accepted: 10^15 fen (10 trillion yuan), far above any real fund. */
export const MAX_LINE_FEN = 1_000_000_000_000_000;

/**
 * Checks lines (known income/expense chart code, each once, integer fen 0…MAX_LINE_FEN) and
 * returns them sorted by account code, so equal budgets have equal payloads.
 */
export function validateBudgetLines(
  lines: readonly BudgetLine[],
): Result<BudgetLine[], 'budget.line_unknown' | 'budget.line_duplicate'> {
  const seen = new Set<string>();
  for (const [i, l] of lines.entries()) {
    if (!budgetAccountByCode.has(l.account))
      return refuse(
        'budget.line_unknown',
        `lines[${i}].account ${l.account} is not an income or expense line of the chart of accounts`,
        { index: i, account: l.account, allowed: budgetAccounts.map((a) => a.code) },
      );
    if (seen.has(l.account))
      return refuse('budget.line_duplicate', `lines[${i}].account ${l.account} appears twice`, {
        index: i,
        account: l.account,
      });
    seen.add(l.account);
    if (!Number.isSafeInteger(l.amountFen) || l.amountFen < 0 || l.amountFen > MAX_LINE_FEN)
      return refuse(
        'budget.line_unknown',
        `lines[${i}].amountFen must be an integer 0…${MAX_LINE_FEN}`,
        { index: i, account: l.account },
      );
  }
  return ok(
    [...lines]
      .map((l) => ({ account: l.account, amountFen: l.amountFen }))
      .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0)),
  );
}

/** The action name of the consolidation approval (approvals.action). */
export const BUDGET_APPROVAL_ACTION = 'fund.budget.approve';

export type ConsolidatedBudget = { segment: string; version: number; lines: BudgetLine[] };

/**
 * What the checker approves: every budget in the consolidation with its version and lines, in
 * segment order. The approval stores its hash; approving recomputes it from the database, so any
 * change after consolidation (a budget returned, edited, resubmitted) is `approval.payload_mismatch`.
 */
export type ConsolidationPayload = {
  action: typeof BUDGET_APPROVAL_ACTION;
  province: string;
  year: number;
  budgets: ConsolidatedBudget[];
  totals: { incomeFen: number; expenseFen: number };
};

export function consolidationPayload(
  province: string,
  year: number,
  budgets: readonly ConsolidatedBudget[],
): ConsolidationPayload {
  const sorted = [...budgets]
    .map((b) => ({
      segment: b.segment,
      version: b.version,
      lines: [...b.lines].sort((x, y) => (x.account < y.account ? -1 : 1)),
    }))
    .sort((a, b) => (a.segment < b.segment ? -1 : 1));
  let incomeFen = 0;
  let expenseFen = 0;
  for (const b of sorted)
    for (const l of b.lines)
      if (budgetLineType(l.account) === 'income') incomeFen += l.amountFen;
      else expenseFen += l.amountFen;
  return {
    action: BUDGET_APPROVAL_ACTION,
    province,
    year,
    budgets: sorted,
    totals: { incomeFen, expenseFen },
  };
}

/**
 * Monthly phasing of an annual amount: twelve equal shares by the largest-remainder method (the
 * earlier months take the extra fen), so the months sum to the annual amount exactly.
 */
export function phaseMonthly(annualFen: Fen): Fen[] {
  return allocateLargestRemainder(
    BigInt(annualFen),
    Array.from({ length: 12 }, () => 1n),
  ).map((v) => Number(v));
}
