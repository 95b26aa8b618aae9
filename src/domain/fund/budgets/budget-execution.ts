import type { Fen } from '../../../kernel/money.ts';
import {
  type Rational,
  type RoundingRule,
  rational,
  roundToInteger,
  toDecimalString,
} from '../../../kernel/rational.ts';
import { chartAccount, TRANSFER_EXPENSE_CODES, TRANSFER_INCOME_CODES } from '../ledger/accounts.ts';
import { type BudgetLine, type BudgetStatus, budgetLineType, phaseMonthly } from './budget.ts';

/**
 * Budget execution (pure): budget vs actual postings per line and month, integer fen. Planned
 * amounts are the annual budget phased evenly over twelve months (phaseMonthly); actuals are the
 * month's movement of the line's account on its normal side (income: credits − debits; expense:
 * debits − credits). Variance = cumulative actual − cumulative planned; variance ratio = variance ÷
 * cumulative planned, exact, rendered with RATIO_PLACES decimals by RATIO_ROUNDING (null when
 * nothing was planned). docs/budgets.md.
 */
export const RATIO_PLACES = 4;
export const RATIO_ROUNDING: RoundingRule = 'half_up';

/** num ÷ den rendered with `places` decimals under a named rounding rule ("-0.0523"). */
export function decimalRatio(
  r: Rational,
  places: number = RATIO_PLACES,
  rule: RoundingRule = RATIO_ROUNDING,
): string {
  const scale = 10n ** BigInt(places);
  const scaled = roundToInteger(rational(r.num * scale, r.den), rule);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${frac}` : ''}`;
}

export type RatioView = { value: string; exact: string } | null;

export function ratioView(num: number, den: number): RatioView {
  if (den === 0) return null;
  const r = rational(BigInt(num), BigInt(den));
  return { value: decimalRatio(r), exact: toDecimalString(r) };
}

export type ExecutionMonth = {
  period: string;
  plannedFen: Fen;
  actualFen: Fen;
  cumulativePlannedFen: Fen;
  cumulativeActualFen: Fen;
  varianceFen: Fen;
  varianceRatio: RatioView;
};

export type ExecutionLine = {
  account: string;
  name: string;
  nameEn: string;
  type: 'income' | 'expense';
  /** False for an account with postings but no budget line (planned 0). */
  budgeted: boolean;
  annualBudgetFen: Fen;
  plannedToDateFen: Fen;
  actualToDateFen: Fen;
  varianceFen: Fen;
  varianceRatio: RatioView;
  /** actual to date ÷ annual budget. */
  executionRatio: RatioView;
  months: ExecutionMonth[];
};

export type ExecutionTotals = {
  annualBudgetFen: Fen;
  plannedToDateFen: Fen;
  actualToDateFen: Fen;
  varianceFen: Fen;
  varianceRatio: RatioView;
  executionRatio: RatioView;
};

export type SegmentExecution = {
  segment: string;
  year: number;
  /** Last month included, 1–12. */
  throughMonth: number;
  status: BudgetStatus | 'none';
  lines: ExecutionLine[];
  totals: { income: ExecutionTotals; expense: ExecutionTotals };
};

function period(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The totals of lines (or of segments' totals): sums, variance and the two ratios. */
export function sumExecutionTotals(
  lines: readonly Pick<
    ExecutionTotals,
    'annualBudgetFen' | 'plannedToDateFen' | 'actualToDateFen'
  >[],
): ExecutionTotals {
  let annualBudgetFen = 0;
  let plannedToDateFen = 0;
  let actualToDateFen = 0;
  for (const l of lines) {
    annualBudgetFen += l.annualBudgetFen;
    plannedToDateFen += l.plannedToDateFen;
    actualToDateFen += l.actualToDateFen;
  }
  const varianceFen = actualToDateFen - plannedToDateFen;
  return {
    annualBudgetFen,
    plannedToDateFen,
    actualToDateFen,
    varianceFen,
    varianceRatio: ratioView(varianceFen, plannedToDateFen),
    executionRatio: ratioView(actualToDateFen, annualBudgetFen),
  };
}

/**
 * Execution of one segment's budget. `actuals` maps a chart code to its twelve monthly movements on
 * the normal side (index 0 = January); months after `throughMonth` are ignored.
 */
export function budgetExecution(input: {
  segment: string;
  year: number;
  throughMonth: number;
  status: BudgetStatus | 'none';
  lines: readonly BudgetLine[];
  actuals: ReadonlyMap<string, readonly Fen[]>;
}): SegmentExecution {
  const through = Math.max(1, Math.min(12, Math.trunc(input.throughMonth)));
  const budgeted = new Map(input.lines.map((l) => [l.account, l.amountFen]));
  const accounts = [...new Set([...budgeted.keys(), ...input.actuals.keys()])].sort();
  const lines: ExecutionLine[] = [];
  for (const account of accounts) {
    const chart = chartAccount(account);
    if (!chart || (chart.type !== 'income' && chart.type !== 'expense')) continue;
    const annual = budgeted.get(account) ?? 0;
    const planned = phaseMonthly(annual);
    const actual = input.actuals.get(account) ?? [];
    const months: ExecutionMonth[] = [];
    let cumPlanned = 0;
    let cumActual = 0;
    for (let m = 1; m <= through; m++) {
      const p = planned[m - 1] ?? 0;
      const a = actual[m - 1] ?? 0;
      cumPlanned += p;
      cumActual += a;
      const varianceFen = cumActual - cumPlanned;
      months.push({
        period: period(input.year, m),
        plannedFen: p,
        actualFen: a,
        cumulativePlannedFen: cumPlanned,
        cumulativeActualFen: cumActual,
        varianceFen,
        varianceRatio: ratioView(varianceFen, cumPlanned),
      });
    }
    const varianceFen = cumActual - cumPlanned;
    lines.push({
      account,
      name: chart.name,
      nameEn: chart.nameEn,
      type: budgetLineType(account),
      budgeted: budgeted.has(account),
      annualBudgetFen: annual,
      plannedToDateFen: cumPlanned,
      actualToDateFen: cumActual,
      varianceFen,
      varianceRatio: ratioView(varianceFen, cumPlanned),
      executionRatio: ratioView(cumActual, annual),
      months,
    });
  }
  return {
    segment: input.segment,
    year: input.year,
    throughMonth: through,
    status: input.status,
    lines,
    // Totals are of the segment's own income and expenditure: transfers between segments (a unified
    // sweep, an allocation) stay listed as lines but would otherwise inflate execution (e.g. 187 %).
    totals: {
      income: sumExecutionTotals(
        lines.filter((l) => l.type === 'income' && !TRANSFER_INCOME_CODES.has(l.account)),
      ),
      expense: sumExecutionTotals(
        lines.filter((l) => l.type === 'expense' && !TRANSFER_EXPENSE_CODES.has(l.account)),
      ),
    },
  };
}
