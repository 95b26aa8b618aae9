import { createHash } from 'node:crypto';
import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { DISBURSEMENT_ACCOUNT } from './ledger-postings.ts';

/**
 * Recovering an overpayment (pure; docs/benefits.md, "Recovering overpayments"). 《社会保险经办条例》
 * 第四十六条: "个人多享受社会保险待遇的，由社会保险经办机构责令退回；难以一次性退回的，可以签订还款协议分期退回，也可以从其后续享受的
 * 社会保险待遇或者个人账户余额中抵扣。" Two methods: an order (责令退回, repaid at once or in instalments)
 * and an offset (抵扣) against the same person's later payments ("其后续享受的": the one who received
 * it, never a survivor). The ledger: the overpaid months stayed in 51xx when they were found
 * (migration 0027), so applying a recovery recognises the receivable, Dr 1132 暂付款 / Cr 51xx (the
 * months were not owed); a repayment is Dr 1003 / Cr 1132; an offset credits 1132 in the payroll's
 * payable (payroll-bank.ts), the month's expense staying whole.
 */
export type RecoveryMethod = 'offset' | 'order';

/**
 * Why an overpayment was recorded: a death, a suspension (第四十二条) or a missing worker's
 * return found paid months, a correction of a wrong entitlement (migration 0050), or a back-dated
 * retirement's net (migration 0061). One list for
 * the table's type, the contract's enums and the list's row reader.
 */
export const OVERPAYMENT_REASONS = [
  'death',
  'suspension',
  'missing',
  'correction',
  'survivor_end',
  'missing_reappeared',
  'missing_advance',
  'retirement',
] as const;
export type OverpaymentReason = (typeof OVERPAYMENT_REASONS)[number];

/**
 * An overpayment's state: open (to recover), recovered, waived (nothing sets it yet) or cancelled
 * (the bank failed every line it counted: nothing was overpaid; migration 0066). One list for the
 * table's type and every contract's enum.
 */
export const OVERPAYMENT_STATUSES = ['open', 'recovered', 'waived', 'cancelled'] as const;
export type OverpaymentStatus = (typeof OVERPAYMENT_STATUSES)[number];

/**
 * What is left to recover: the recovery's amount less the repayments and every deduction written
 * by a payroll run, posted or pending (a pending deduction is withheld from a line already). One
 * formula for the recovery's own view and the city's list.
 */
export function recoveryBalanceFen(input: { amountFen: Fen; repaidFen: Fen; offsetFen: Fen }): Fen {
  return input.amountFen - input.repaidFen - input.offsetFen;
}

/** 暂付款: the chart's "advances and other receivables", here what a person owes the fund. */
export const RECOVERY_RECEIVABLE = '1132';

export const RECOVERY_ACTION = 'benefits.recovery';
export const REPAYMENT_ACTION = 'benefits.recovery_repayment';

function digest(prefix: string, parts: readonly string[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 20)}`;
}

/** Derived from the approval: a replayed apply names the row it wrote. */
export function recoveryId(regionCode: string, approvalId: string): string {
  return digest('brc', [regionCode, approvalId]);
}

export function repaymentId(regionCode: string, approvalId: string): string {
  return digest('brp', [regionCode, approvalId]);
}

export function recognitionTransactionId(id: string): string {
  return `benefit-recovery:${id}:recognised`;
}

/** Applied: the receivable from the person against the expense of the months not owed. */
export function recognitionTransaction(input: {
  recoveryId: string;
  overpaymentId: string;
  segment: string;
  effectiveDate: IsoDate;
  expenseAccount: string;
  amountFen: Fen;
  method: RecoveryMethod;
}): TransactionRequest {
  const legs = { segment: input.segment, amountFen: input.amountFen };
  return {
    id: recognitionTransactionId(input.recoveryId),
    effectiveDate: input.effectiveDate,
    source: { type: 'benefit.recovery', id: input.recoveryId },
    memo: `多领待遇追回 overpayment ${input.overpaymentId} to recover by ${input.method} (社会保险经办条例第四十六条)`,
    postings: [
      { ...legs, account: RECOVERY_RECEIVABLE, side: 'debit' },
      { ...legs, account: input.expenseAccount, side: 'credit' },
    ],
  };
}

/** A repayment of an order: the bank's credit against the receivable. */
export function repaymentTransaction(input: {
  recoveryId: string;
  repaymentId: string;
  segment: string;
  paidOn: IsoDate;
  amountFen: Fen;
  reference: string;
}): TransactionRequest {
  const legs = { segment: input.segment, amountFen: input.amountFen };
  return {
    id: `benefit-recovery:${input.recoveryId}:repayment:${input.repaymentId}`,
    effectiveDate: input.paidOn,
    source: { type: 'benefit.recovery', id: input.recoveryId },
    memo: `多领待遇退回 repayment ${input.reference}`,
    postings: [
      { ...legs, account: DISBURSEMENT_ACCOUNT, side: 'debit' },
      { ...legs, account: RECOVERY_RECEIVABLE, side: 'credit' },
    ],
  };
}

/**
 * The deductions of one month's lines of the person (in the order given: the payroll gives them in
 * entitlement-id order, its reading order, so chunking does not change them): each line gives up to
 * what is left of the month's amount and of the balance. A line the deduction would empty is paid
 * whole and the deduction carried: a payroll line is a payment the bank makes (never of 0 fen), and
 * 第四十六条 offsets against benefits the person goes on receiving. Never below zero per line.
 */
export function offsetLines<L extends { id: string; amountFen: Fen }>(
  lines: readonly L[],
  limits: { monthLeftFen: Fen; balanceFen: Fen },
): { line: L; offsetFen: Fen }[] {
  let monthLeft = Math.max(0, limits.monthLeftFen);
  let balance = Math.max(0, limits.balanceFen);
  const out: { line: L; offsetFen: Fen }[] = [];
  for (const line of lines) {
    const take = Math.min(monthLeft, balance, line.amountFen);
    if (take <= 0 || take >= line.amountFen) continue;
    out.push({ line, offsetFen: take });
    monthLeft -= take;
    balance -= take;
  }
  return out;
}

/**
 * The months an offset takes, for the handler to see before proposing it: each month's deduction
 * while the balance lasts, at the same monthly payment (the payroll recomputes it month by month).
 */
export function offsetSchedule(input: {
  balanceFen: Fen;
  monthlyFen: Fen;
  monthPaymentFen: Fen;
}): Fen[] {
  const out: Fen[] = [];
  let balance = input.balanceFen;
  // Bounded: a month that deducts nothing would never end (the caller refuses such an offset).
  for (let month = 0; balance > 0 && month < 1200; month += 1) {
    const [d] = offsetLines([{ id: 'month', amountFen: input.monthPaymentFen }], {
      monthLeftFen: input.monthlyFen,
      balanceFen: balance,
    });
    if (d === undefined) break;
    out.push(d.offsetFen);
    balance -= d.offsetFen;
  }
  return out;
}
