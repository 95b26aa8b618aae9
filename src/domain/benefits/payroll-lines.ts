import { createHash } from 'node:crypto';
import { daysInMonth, type IsoDate, laterDate, toDayNumber } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { benefitExpenseAccount } from '../fund/ledger/accounts.ts';

/**
 * The monthly payroll's lines (pure): which entitlements a month pays, how much, to which
 * account, and what the checker must look at before approving (the anomaly guards). Rules and
 * thresholds come from dated parameters (src/rules/values/…/payroll.yaml), never from here.
 */

/** How a month an entitlement covers only in part is paid (`payroll.partial_month_rule`). */
export type PartialMonthRule = 'full_month' | 'pro_rata_days';

export function isPartialMonthRule(text: string): text is PartialMonthRule {
  return text === 'full_month' || text === 'pro_rata_days';
}

export type PayrollEntitlement = {
  id: string;
  workerId: string;
  kind: string;
  amountFen: Fen;
  payer: 'fund' | 'employer';
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  status: 'active' | 'ended';
};

export type MonthBounds = { month: string; first: IsoDate; last: IsoDate; days: number };

export function isPayrollMonth(text: string): boolean {
  return /^[0-9]{4}-(0[1-9]|1[0-2])$/.test(text);
}

export function monthBounds(month: string): MonthBounds {
  const days = daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  return { month, first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}`, days };
}

/**
 * Whether the month pays the entitlement: the fund pays it (the employer's are recorded, not
 * paid), it started by the month's end, and it runs into the month. An ended entitlement still pays
 * the months its dates cover (one ended by an event inside the month); one ended without an end
 * date pays nothing.
 */
export function coversMonth(e: PayrollEntitlement, m: MonthBounds): boolean {
  if (e.payer !== 'fund' || e.amountFen <= 0) return false;
  if (e.status === 'ended' && e.endsOn === null) return false;
  return e.startsOn <= m.last && (e.endsOn === null || e.endsOn >= m.first);
}

/** The month's amount: whole, or by the days covered (rounded half up once, to the fen). */
export function monthAmountFen(e: PayrollEntitlement, m: MonthBounds, rule: PartialMonthRule): Fen {
  if (rule === 'full_month') return e.amountFen;
  const from = laterDate(e.startsOn, m.first);
  const until = e.endsOn !== null && e.endsOn < m.last ? e.endsOn : m.last;
  const covered = toDayNumber(until) - toDayNumber(from) + 1;
  if (covered >= m.days) return e.amountFen;
  return Math.floor((e.amountFen * covered * 2 + m.days) / (2 * m.days));
}

/** The benefit-expense account a monthly kind is posted to (null: the payroll does not pay it). */
export function payrollExpenseAccount(kind: string): string | null {
  // The fund's difference after retirement (第三十五条第一款第（三）项 "由工伤保险基金补足差额") is what
  // is left of the 伤残津贴 the fund paid: the same expense account, not a new one.
  if (kind === 'disability_allowance' || kind === 'disability_allowance_top_up')
    return benefitExpenseAccount.disability_allowance;
  if (kind === 'nursing_allowance') return benefitExpenseAccount.nursing;
  if (kind === 'survivor_pension') return benefitExpenseAccount.survivor_pension;
  return null;
}

export function payrollRunId(regionCode: string, month: string): string {
  return `prl_${regionCode}_${month.replace('-', '')}`;
}

/** Derived from the run and the entitlement only: a resumed computation writes the same ids. */
export function payrollLineId(runId: string, entitlementId: string): string {
  return `pln_${createHash('sha256').update(`${runId}|${entitlementId}`).digest('hex').slice(0, 20)}`;
}

/** The social-security card's bank account in force (the latest valid_from on or before the day). */
export type CardAccount = {
  bankName: string;
  accountNumber: string;
  accountName: string;
  validFrom: IsoDate;
};

export type PayrollLine = {
  id: string;
  entitlementId: string;
  workerId: string;
  kind: string;
  expenseAccount: string;
  amountFen: Fen;
  account: CardAccount | null;
};

export function payrollLineOf(
  runId: string,
  e: PayrollEntitlement,
  m: MonthBounds,
  rule: PartialMonthRule,
  account: CardAccount | null,
): PayrollLine | null {
  const expenseAccount = payrollExpenseAccount(e.kind);
  if (expenseAccount === null || !coversMonth(e, m)) return null;
  const amountFen = monthAmountFen(e, m, rule);
  if (amountFen <= 0) return null;
  return {
    id: payrollLineId(runId, e.id),
    entitlementId: e.id,
    workerId: e.workerId,
    kind: e.kind,
    expenseAccount,
    amountFen,
    account,
  };
}
