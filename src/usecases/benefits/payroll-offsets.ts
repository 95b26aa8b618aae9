import type { Executor } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import type { KindTotal } from '../../domain/benefits/payroll-review.ts';
import { offsetLines } from '../../domain/benefits/recovery.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { settleRecovery } from './benefit-recovery-repay.ts';

/**
 * The payroll's side of a recovery by offset (docs/benefits.md, "Recovering overpayments"): while
 * a chunk's lines are computed, each person with an active offset gives up to the month's amount
 * from their own lines (never a survivor's pension, never a reissue), until the balance is gone.
 * The month and the balance are read from the lines already written (this run's and every run's),
 * under the run's lock in the chunk's transaction, and lines are taken in entitlement-id order (the
 * run's reading order), so a resumed computation, or one in chunks of another size, writes the same
 * deductions as an uninterrupted one.
 */
export type LineOffset = { offsetFen: number; recoveryId: string };

type ActiveOffset = {
  id: string;
  workerId: string;
  monthlyFen: number;
  balanceFen: number;
  takenInRunFen: number;
};

async function activeOffsets(
  tx: Executor,
  run: { regionCode: string; id: string },
  workerIds: readonly string[],
): Promise<ActiveOffset[]> {
  if (workerIds.length === 0) return [];
  // Set-based: one statement per chunk, the recoveries' lines found by payroll_lines_recovery_idx.
  const r = await tx.query(
    `SELECT r.id, r.worker_id, r.monthly_fen, r.amount_fen - coalesce(t.taken, 0) AS balance_fen,
            coalesce(t.in_run, 0) AS in_run_fen
       FROM benefit_recoveries r
       LEFT JOIN LATERAL (
         SELECT sum(l.offset_fen)::bigint AS taken,
                (sum(l.offset_fen) FILTER (WHERE l.run_id = $3))::bigint AS in_run
           FROM payroll_lines l WHERE l.region_code = r.region_code AND l.recovery_id = r.id) t ON true
      WHERE r.region_code = $1 AND r.status = 'active' AND r.method = 'offset'
        AND r.worker_id = ANY($2::text[])`,
    [run.regionCode, [...new Set(workerIds)], run.id],
  );
  return r.rows.map((row) => ({
    id: textOf(row, 'id'),
    workerId: textOf(row, 'worker_id'),
    monthlyFen: intOf(row, 'monthly_fen'),
    balanceFen: intOf(row, 'balance_fen'),
    takenInRunFen: intOf(row, 'in_run_fen'),
  }));
}

/** The deductions of a chunk's own lines (by line id): what is left of each month and balance. */
export async function chunkOffsets<
  L extends { id: string; entitlementId: string; workerId: string; amountFen: number },
>(
  tx: Executor,
  run: { regionCode: string; id: string },
  ownLines: readonly L[],
): Promise<Map<string, LineOffset>> {
  const out = new Map<string, LineOffset>();
  const offsets = await activeOffsets(
    tx,
    run,
    ownLines.map((l) => l.workerId),
  );
  for (const o of offsets) {
    // In entitlement-id order, the order the run reads them: each line takes what the lines of
    // lower entitlements (this chunk's or an earlier chunk's) left, so the deductions are the same
    // whatever the chunk size and wherever a computation was killed and resumed.
    const lines = ownLines
      .filter((l) => l.workerId === o.workerId)
      .sort((a, b) =>
        a.entitlementId < b.entitlementId ? -1 : a.entitlementId > b.entitlementId ? 1 : 0,
      );
    const taken = offsetLines(lines, {
      monthLeftFen: o.monthlyFen - o.takenInRunFen,
      balanceFen: o.balanceFen,
    });
    for (const t of taken) out.set(t.line.id, { offsetFen: t.offsetFen, recoveryId: o.id });
  }
  return out;
}

/** A run's deductions by kind: the 1132 credit of its payable (empty: none, nothing changes). */
export async function offsetsByKind(
  ex: Executor,
  run: { regionCode: string; id: string },
): Promise<KindTotal[]> {
  const r = await ex.query(
    `SELECT kind, expense_account, count(*)::int AS lines, sum(offset_fen)::bigint AS amount_fen
     FROM payroll_lines WHERE region_code = $1 AND run_id = $2 AND offset_fen > 0
     GROUP BY kind, expense_account ORDER BY kind, expense_account`,
    [run.regionCode, run.id],
  );
  return r.rows.map((row) => ({
    kind: textOf(row, 'kind'),
    expenseAccount: textOf(row, 'expense_account'),
    lines: intOf(row, 'lines'),
    amountFen: intOf(row, 'amount_fen'),
  }));
}

/**
 * After a run's payable is posted: each recovery whose posted deductions now reach its amount is
 * settled (and its overpayment recovered) on the approval's day.
 */
export async function settleOffsets(
  tx: Executor,
  run: { regionCode: string; id: string },
  on: IsoDate,
): Promise<string[]> {
  const r = await tx.query(
    `SELECT r.id FROM benefit_recoveries r
      WHERE r.region_code = $1 AND r.status = 'active' AND r.method = 'offset'
        AND r.id IN (SELECT recovery_id FROM payroll_lines
                      WHERE region_code = $1 AND run_id = $2 AND recovery_id IS NOT NULL)
        AND r.amount_fen <= (
          SELECT coalesce(sum(l.offset_fen), 0) FROM payroll_lines l
            JOIN payroll_runs p ON p.region_code = l.region_code AND p.id = l.run_id
           WHERE l.region_code = r.region_code AND l.recovery_id = r.id
             AND (p.id = $2 OR p.status IN ('approved', 'file_issued', 'reconciled')))
      ORDER BY r.id`,
    [run.regionCode, run.id],
  );
  const ids = r.rows.map((row) => textOf(row, 'id'));
  for (const recoveryId of ids) await settleRecovery(tx, { ...run, recoveryId, on });
  return ids;
}
