import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { boolOf, intOf, textOf } from '../../db/rows.ts';
import {
  benefitEntitlements,
  benefitOverpayments,
  benefitPayments,
  benefitRecoveries,
  benefitRecoveryRepayments,
  type RecoveryMethod,
  type RecoveryStatus,
} from '../../db/schema.ts';
import {
  type OverpaymentReason,
  type OverpaymentStatus,
  recoveryBalanceFen,
} from '../../domain/benefits/recovery.ts';
import type { IsoDate } from '../../kernel/dates.ts';

/**
 * An overpayment with its recovery, as the handler and the checker see it: the amount, what has
 * come back (repayments of an order, deductions of an offset — posted with an approved payroll run
 * or only written on a computed one) and the balance left. No ID number: the worker's id only.
 */
export type RepaymentView = {
  id: string;
  amountFen: number;
  paidOn: IsoDate;
  reference: string;
  approvalId: string;
  transactionId: string;
};

/** One payroll line's deduction: the month's amount is paidFen + offsetFen. */
export type DeductionView = {
  lineId: string;
  runId: string;
  month: string;
  kind: string;
  paidFen: number;
  offsetFen: number;
  /** Whether the line's run is approved (its payable, with the 1132 credit, is posted). */
  posted: boolean;
};

export type RecoveryView = {
  id: string;
  method: RecoveryMethod;
  amountFen: number;
  monthlyFen: number | null;
  expenseAccount: string;
  reason: string;
  decidedOn: IsoDate;
  approvalId: string;
  recognisedTransactionId: string;
  status: RecoveryStatus;
  settledOn: IsoDate | null;
  repayments: RepaymentView[];
  repaidFen: number;
  deductions: DeductionView[];
  /** Deductions on lines of runs approved or later (their 1132 credit is posted). */
  offsetPostedFen: number;
  /** Deductions on lines of runs computed and not yet approved (posted with the approval). */
  offsetPendingFen: number;
  balanceFen: number;
};

export type OverpaymentRecoveryView = {
  regionCode: string;
  overpaymentId: string;
  workerId: string;
  /** Null: a lump sum to return (the advance of a reappeared worker, migration 0060). */
  entitlementId: string | null;
  /** The entitlement's kind, or the lump sum's item code (`death_lump_sum_advance`). */
  entitlementKind: string;
  /** The lump sum's payment and the account it was expensed to (null for an entitlement's months). */
  paymentId: string | null;
  expenseAccount: string | null;
  reason: OverpaymentReason;
  months: string[];
  lineIds: string[];
  amountFen: number;
  status: OverpaymentStatus;
  recovery: RecoveryView | null;
};

export async function overpaymentRecoveryOf(
  ex: Executor,
  regionCode: string,
  overpaymentId: string,
): Promise<OverpaymentRecoveryView | null> {
  const [o] = await ex.orm
    .select({
      workerId: benefitOverpayments.workerId,
      entitlementId: benefitOverpayments.entitlementId,
      entitlementKind: sql<string>`coalesce(${benefitEntitlements.kind}, ${benefitPayments.itemCode})`,
      paymentId: benefitOverpayments.paymentId,
      expenseAccount: benefitOverpayments.expenseAccount,
      reason: benefitOverpayments.reason,
      months: benefitOverpayments.months,
      lineIds: benefitOverpayments.lineIds,
      amountFen: benefitOverpayments.amountFen,
      status: benefitOverpayments.status,
    })
    .from(benefitOverpayments)
    .leftJoin(
      benefitEntitlements,
      and(
        eq(benefitEntitlements.regionCode, benefitOverpayments.regionCode),
        eq(benefitEntitlements.id, benefitOverpayments.entitlementId),
      ),
    )
    .leftJoin(
      benefitPayments,
      and(
        eq(benefitPayments.regionCode, benefitOverpayments.regionCode),
        eq(benefitPayments.id, benefitOverpayments.paymentId),
      ),
    )
    .where(
      and(
        eq(benefitOverpayments.regionCode, regionCode),
        eq(benefitOverpayments.id, overpaymentId),
      ),
    );
  if (o === undefined) return null;
  const [r] = await ex.orm
    .select({ id: benefitRecoveries.id })
    .from(benefitRecoveries)
    .where(
      and(
        eq(benefitRecoveries.regionCode, regionCode),
        eq(benefitRecoveries.overpaymentId, overpaymentId),
      ),
    );
  const recovery = r === undefined ? null : await recoveryOf(ex, regionCode, r.id);
  return { regionCode, overpaymentId, ...o, recovery };
}

/** A recovery with its repayments, deductions and balance (null: none such in the city). */
export async function recoveryOf(
  ex: Executor,
  regionCode: string,
  id: string,
): Promise<RecoveryView | null> {
  const [r] = await ex.orm
    .select()
    .from(benefitRecoveries)
    .where(and(eq(benefitRecoveries.regionCode, regionCode), eq(benefitRecoveries.id, id)));
  if (r === undefined) return null;
  const repayments = await ex.orm
    .select({
      id: benefitRecoveryRepayments.id,
      amountFen: benefitRecoveryRepayments.amountFen,
      paidOn: benefitRecoveryRepayments.paidOn,
      reference: benefitRecoveryRepayments.reference,
      approvalId: benefitRecoveryRepayments.approvalId,
      transactionId: benefitRecoveryRepayments.transactionId,
    })
    .from(benefitRecoveryRepayments)
    .where(
      and(
        eq(benefitRecoveryRepayments.regionCode, regionCode),
        eq(benefitRecoveryRepayments.recoveryId, id),
      ),
    )
    .orderBy(asc(benefitRecoveryRepayments.paidOn), asc(benefitRecoveryRepayments.id));
  const deductions = await deductionsOf(ex, regionCode, id);
  const sum = (list: readonly DeductionView[]) => list.reduce((t, d) => t + d.offsetFen, 0);
  const offsets = {
    offsetPostedFen: sum(deductions.filter((d) => d.posted)),
    offsetPendingFen: sum(deductions.filter((d) => !d.posted)),
  };
  const repaidFen = repayments.reduce((s, p) => s + p.amountFen, 0);
  return {
    id: r.id,
    method: r.method,
    amountFen: r.amountFen,
    monthlyFen: r.monthlyFen,
    expenseAccount: r.expenseAccount,
    reason: r.reason,
    decidedOn: r.decidedOn,
    approvalId: r.approvalId,
    recognisedTransactionId: r.recognisedTransactionId,
    status: r.status,
    settledOn: r.settledOn,
    repayments,
    repaidFen,
    deductions,
    ...offsets,
    balanceFen: recoveryBalanceFen({
      amountFen: r.amountFen,
      repaidFen,
      offsetFen: offsets.offsetPostedFen + offsets.offsetPendingFen,
    }),
  };
}

/** The deductions written for a recovery, line by line, in month order. */
async function deductionsOf(
  ex: Executor,
  regionCode: string,
  recoveryId: string,
): Promise<DeductionView[]> {
  // Set-based over the recovery's lines (payroll_lines_recovery_idx): few rows, one statement.
  const r = await ex.query(
    `SELECT l.id, l.run_id, p.month, l.kind, l.amount_fen, l.offset_fen,
            p.status IN ('approved', 'file_issued', 'reconciled') AS posted
       FROM payroll_lines l JOIN payroll_runs p ON p.region_code = l.region_code AND p.id = l.run_id
      WHERE l.region_code = $1 AND l.recovery_id = $2
      ORDER BY p.month, l.id`,
    [regionCode, recoveryId],
  );
  return r.rows.map((row) => ({
    lineId: textOf(row, 'id'),
    runId: textOf(row, 'run_id'),
    month: textOf(row, 'month'),
    kind: textOf(row, 'kind'),
    paidFen: intOf(row, 'amount_fen'),
    offsetFen: intOf(row, 'offset_fen'),
    posted: boolOf(row, 'posted'),
  }));
}
