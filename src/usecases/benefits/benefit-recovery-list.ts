import type { Database } from '../../db/client.ts';
import {
  intOf,
  intOrNullOf,
  numberOf,
  oneOf,
  type Row,
  textArrayOf,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import { OVERPAYMENT_REASONS, type OverpaymentReason } from '../../domain/benefits/recovery.ts';

/**
 * A city's overpayments with their recovery state, as the recoveries page lists them (read-only):
 * newest first, at most 500, optionally one status. The balance is the one `recoveryOf`
 * (benefit-recovery-read.ts) gives — the amount less repayments and every deduction written,
 * posted or pending — so the list and the overpayment's own view agree. No ID number: the
 * worker's id only.
 */
export type OverpaymentStatus = 'open' | 'recovered' | 'waived';

export type OverpaymentListItem = {
  overpaymentId: string;
  workerId: string;
  entitlementId: string;
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

export const overpaymentStatuses: readonly OverpaymentStatus[] = ['open', 'recovered', 'waived'];
const LIMIT = 500;

function itemOf(r: Row): OverpaymentListItem {
  const recoveryId = textOrNullOf(r, 'recovery_id');
  return {
    overpaymentId: textOf(r, 'id'),
    workerId: textOf(r, 'worker_id'),
    entitlementId: textOf(r, 'entitlement_id'),
    entitlementKind: textOf(r, 'kind'),
    reason: oneOf(r, 'reason', OVERPAYMENT_REASONS),
    months: textArrayOf(r, 'months'),
    amountFen: intOf(r, 'amount_fen'),
    status: oneOf(r, 'status', overpaymentStatuses),
    createdAt: textOf(r, 'created_at'),
    recovery:
      recoveryId === null
        ? null
        : {
            id: recoveryId,
            method: oneOf(r, 'method', ['offset', 'order']),
            monthlyFen: intOrNullOf(r, 'monthly_fen'),
            status: oneOf(r, 'recovery_status', ['active', 'settled']),
            decidedOn: textOf(r, 'decided_on'),
            balanceFen:
              intOf(r, 'recovery_fen') - numberOf(r, 'repaid_fen') - numberOf(r, 'offset_fen'),
          },
  };
}

export async function listOverpayments(
  db: Database,
  input: { regionCode: string; status?: OverpaymentStatus | undefined },
): Promise<OverpaymentListItem[]> {
  // Set-based: one statement sums each recovery's repayments and deductions (a page of rows).
  const r = await db.query(
    `SELECT o.id, o.worker_id, o.entitlement_id, e.kind, o.reason, o.months, o.amount_fen,
            o.status, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
            c.id AS recovery_id, c.method, c.monthly_fen, c.status AS recovery_status,
            c.decided_on::text AS decided_on, c.amount_fen AS recovery_fen,
            COALESCE((SELECT sum(p.amount_fen) FROM benefit_recovery_repayments p
                       WHERE p.region_code = c.region_code AND p.recovery_id = c.id), 0) AS repaid_fen,
            COALESCE((SELECT sum(l.offset_fen) FROM payroll_lines l
                       WHERE l.region_code = c.region_code AND l.recovery_id = c.id), 0) AS offset_fen
       FROM benefit_overpayments o
       JOIN benefit_entitlements e ON e.region_code = o.region_code AND e.id = o.entitlement_id
       LEFT JOIN benefit_recoveries c ON c.region_code = o.region_code AND c.overpayment_id = o.id
      WHERE o.region_code = $1 AND ($2::text IS NULL OR o.status = $2::text)
      ORDER BY o.created_at DESC, o.id
      LIMIT ${LIMIT}`,
    [input.regionCode, input.status ?? null],
  );
  return r.rows.map(itemOf);
}
