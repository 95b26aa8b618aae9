import { createHash } from 'node:crypto';
import type { IsoDate } from '../../kernel/dates.ts';
import { BENEFITS_PAYABLE } from './ledger-postings.ts';
import {
  coversMonth,
  monthAmountFen,
  monthBounds,
  type PartialMonthRule,
  payrollExpenseAccount,
} from './payroll-lines.ts';

/**
 * A manual correction of an entitlement recorded wrong (amount, start or end; docs/benefits.md,
 * "Correcting an entitlement"), pure. The wrong row is replaced from its start (ended with no end
 * date: it pays nothing more) by the corrected one. For every month of the city's posted payroll
 * runs the plan compares what the wrong row's month lines actually paid (the bank's amount plus
 * any offset withheld: both reached the person or their debt) with what the corrected row owes
 * that month under the city's partial-month rule. The net is either arrears, posted and paid as a
 * regrade's arrears are (Dr 51xx / Cr 2102, one benefit payment), or an overpayment handed to the
 * recovery (《社会保险经办条例》第四十六条).
 */
export const BENEFIT_CORRECTION_ACTION = 'benefits.correction';

export type CorrectedTerms = { amountFen: number; startsOn: IsoDate; endsOn: IsoDate | null };

export type CorrectionEntitlement = CorrectedTerms & {
  id: string;
  kind: string;
  payer: 'fund' | 'employer';
};

/** A month line of a posted run paying the wrong entitlement (never a reissue line). */
export type CorrectionPaidLine = { id: string; month: string; paidFen: number };

export type CorrectionMonth = {
  month: string;
  paidFen: number;
  dueFen: number;
  differenceFen: number;
  /** The city's `payroll.partial_month_rule` on the month's first day, as its run applied it. */
  partialMonthRule: PartialMonthRule;
};

export type CorrectionPlan = {
  kind: string;
  before: CorrectedTerms;
  after: CorrectedTerms;
  /** Every posted run month where something was paid or is due, in month order. */
  months: CorrectionMonth[];
  netFen: number;
  /** Net paid too little: posted Dr `account` / Cr 2102 and paid as one benefit payment. */
  arrears: { account: string; amountFen: number } | null;
  /** Net paid too much: an open `benefit_overpayments` row (reason `correction`). */
  overpayment: { amountFen: number; months: string[]; lineIds: string[] } | null;
};

function dueIn(
  entitlement: CorrectionEntitlement,
  after: CorrectedTerms,
  month: string,
  rule: PartialMonthRule,
) {
  const corrected = { ...entitlement, ...after, workerId: '', status: 'active' as const };
  const m = monthBounds(month);
  return coversMonth(corrected, m) ? monthAmountFen(corrected, m, rule) : 0;
}

/** The plan (hand-checkable: docs/benefits.md gives a worked example). */
export function correctionPlan(input: {
  entitlement: CorrectionEntitlement;
  after: CorrectedTerms;
  runMonths: readonly string[];
  paid: readonly CorrectionPaidLine[];
  /** The city's partial-month rule of a month (the payroll's dated parameter). */
  ruleOf: (month: string) => PartialMonthRule;
}): CorrectionPlan {
  const { entitlement, after } = input;
  const months: CorrectionMonth[] = [];
  for (const month of [...new Set(input.runMonths)].sort()) {
    const paidFen = input.paid.filter((l) => l.month === month).reduce((s, l) => s + l.paidFen, 0);
    const partialMonthRule = input.ruleOf(month);
    const dueFen = dueIn(entitlement, after, month, partialMonthRule);
    if (paidFen !== 0 || dueFen !== 0)
      months.push({ month, paidFen, dueFen, differenceFen: dueFen - paidFen, partialMonthRule });
  }
  const netFen = months.reduce((s, m) => s + m.differenceFen, 0);
  const account = payrollExpenseAccount(entitlement.kind);
  const overMonths = months.filter((m) => m.differenceFen < 0).map((m) => m.month);
  return {
    kind: entitlement.kind,
    before: {
      amountFen: entitlement.amountFen,
      startsOn: entitlement.startsOn,
      endsOn: entitlement.endsOn,
    },
    after,
    months,
    netFen,
    arrears: netFen > 0 && account !== null ? { account, amountFen: netFen } : null,
    overpayment:
      netFen < 0
        ? {
            amountFen: -netFen,
            months: overMonths,
            lineIds: input.paid
              .filter((l) => overMonths.includes(l.month))
              .map((l) => l.id)
              .sort(),
          }
        : null,
  };
}

export function correctionId(regionCode: string, entitlementId: string, nonce: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${entitlementId}|${nonce}|correction`);
  return `bcr_${digest.digest('hex').slice(0, 20)}`;
}

/** The corrected entitlement's id: derived, so a replayed apply names the same row. */
export function correctedEntitlementId(regionCode: string, correction: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${correction}|corrected`);
  return `ent_${regionCode}_${digest.digest('hex').slice(0, 16)}`;
}

export function correctionOverpaymentId(regionCode: string, entitlementId: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${entitlementId}|correction`);
  return `ovp_${digest.digest('hex').slice(0, 20)}`;
}

export function correctionPaymentId(regionCode: string, correction: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${correction}|arrears`);
  return `bpy_${regionCode}_${digest.digest('hex').slice(0, 16)}`;
}

export function correctionTransactionId(correction: string): string {
  return `benefit-correction:${correction}:approved`;
}

/** Arrears made payable as a regrade's are: Dr 51xx / Cr 2102 in the city's segment. */
export function correctionPayableTransaction(input: {
  correctionId: string;
  segment: string;
  effectiveDate: IsoDate;
  arrears: NonNullable<CorrectionPlan['arrears']>;
}) {
  return {
    id: correctionTransactionId(input.correctionId),
    effectiveDate: input.effectiveDate,
    source: { type: 'benefit.correction', id: input.correctionId },
    memo: '工伤保险待遇更正补发 arrears of a corrected entitlement',
    postings: [
      {
        segment: input.segment,
        account: input.arrears.account,
        side: 'debit' as const,
        amountFen: input.arrears.amountFen,
      },
      {
        segment: input.segment,
        account: BENEFITS_PAYABLE,
        side: 'credit' as const,
        amountFen: input.arrears.amountFen,
      },
    ],
  };
}
