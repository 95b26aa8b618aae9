import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  benefitEntitlements,
  benefitOverpayments,
  benefitPayments,
  benefitRecoveries,
  benefitRecoveryRepayments,
  payrollLines,
} from '../../db/schema.ts';
import {
  OVERPAYMENT_STATUSES,
  type OverpaymentReason,
  type OverpaymentStatus,
  recoveryBalanceFen,
} from '../../domain/benefits/recovery.ts';

/**
 * A city's overpayments with their recovery state, as the recoveries page lists them (read-only):
 * newest first, at most 500, optionally one status. The balance is `recoveryBalanceFen`, as
 * `recoveryOf` (benefit-recovery-read.ts) gives it — the amount less repayments and every deduction
 * written, posted or pending — so the list and the overpayment's own view agree. No ID number: the
 * worker's id only.
 */
export type { OverpaymentStatus };

export type OverpaymentListItem = {
  overpaymentId: string;
  workerId: string;
  /** Null: a lump sum to return (the advance of a reappeared worker, migration 0060). */
  entitlementId: string | null;
  /** The entitlement's kind, or the lump sum's item code. */
  entitlementKind: string;
  reason: OverpaymentReason;
  months: string[];
  amountFen: number;
  status: OverpaymentStatus;
  createdAt: string;
  /** Null: no recovery decided yet. */
  recovery: {
    id: string;
    method: 'offset' | 'order';
    monthlyFen: number | null;
    status: 'active' | 'settled';
    decidedOn: string;
    balanceFen: number;
  } | null;
};

export const overpaymentStatuses: readonly OverpaymentStatus[] = OVERPAYMENT_STATUSES;
const LIMIT = 500;

/** Each listed recovery's repayments and deductions, summed in the list's one statement. */
function recoverySums() {
  const repaid = sql<string>`COALESCE((SELECT sum(${benefitRecoveryRepayments.amountFen})
      FROM ${benefitRecoveryRepayments}
     WHERE ${benefitRecoveryRepayments.regionCode} = ${benefitRecoveries.regionCode}
       AND ${benefitRecoveryRepayments.recoveryId} = ${benefitRecoveries.id}), 0)`;
  const offset = sql<string>`COALESCE((SELECT sum(${payrollLines.offsetFen}) FROM ${payrollLines}
     WHERE ${payrollLines.regionCode} = ${benefitRecoveries.regionCode}
       AND ${payrollLines.recoveryId} = ${benefitRecoveries.id}), 0)`;
  return { repaid, offset };
}

export async function listOverpayments(
  db: Database,
  input: { regionCode: string; status?: OverpaymentStatus | undefined },
): Promise<OverpaymentListItem[]> {
  const sums = recoverySums();
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({
        o: benefitOverpayments,
        kind: sql<string>`coalesce(${benefitEntitlements.kind}, ${benefitPayments.itemCode})`,
        recovery: benefitRecoveries,
        repaidFen: sums.repaid,
        offsetFen: sums.offset,
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
      .leftJoin(
        benefitRecoveries,
        and(
          eq(benefitRecoveries.regionCode, benefitOverpayments.regionCode),
          eq(benefitRecoveries.overpaymentId, benefitOverpayments.id),
        ),
      )
      .where(
        and(
          eq(benefitOverpayments.regionCode, input.regionCode),
          input.status === undefined ? undefined : eq(benefitOverpayments.status, input.status),
        ),
      )
      .orderBy(desc(benefitOverpayments.createdAt), benefitOverpayments.id)
      .limit(LIMIT),
  );
  return rows.map(({ o, kind, recovery: c, repaidFen, offsetFen }) => ({
    overpaymentId: o.id,
    workerId: o.workerId,
    entitlementId: o.entitlementId,
    entitlementKind: kind,
    reason: o.reason,
    months: o.months,
    amountFen: o.amountFen,
    status: o.status,
    createdAt: o.createdAt.toISOString(),
    recovery:
      c === null
        ? null
        : {
            id: c.id,
            method: c.method,
            monthlyFen: c.monthlyFen,
            status: c.status,
            decidedOn: c.decidedOn,
            balanceFen: recoveryBalanceFen({
              amountFen: c.amountFen,
              repaidFen: Number(repaidFen),
              offsetFen: Number(offsetFen),
            }),
          },
  }));
}
