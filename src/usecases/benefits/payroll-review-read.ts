import { createHash } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import { endsWithDeath } from '../../domain/benefits/death.ts';
import { monthBounds } from '../../domain/benefits/payroll-lines.ts';
import {
  type AmountBand,
  digestLine,
  duplicateKindAnomalies,
  type KindTotal,
  lineAnomalies,
  type PayrollAnomaly,
  type PayrollApprovalPayload,
  payrollApprovalPayload,
  type ReviewLine,
} from '../../domain/benefits/payroll-review.ts';
import { offsetsByKind } from './payroll-offsets.ts';
import { reissueTotal } from './payroll-reissue.ts';
import { linePage } from './payroll-store.ts';

const PAGE = 5000;

/**
 * The approval's payload of a computed run, rebuilt from its written lines (never from a request):
 * totals by kind, the lines' digest, the anomaly guards' findings. Computing asks the approval with
 * it; approving rebuilds it and must find the same (a changed line no longer fits the approval).
 * Lines are read page by page, so memory stays bounded by the page and the duplicate candidates.
 */
export async function runReview(
  tx: Executor,
  run: { regionCode: string; id: string; month: string },
  band: AmountBand,
): Promise<PayrollApprovalPayload> {
  const m = monthBounds(run.month);
  const hash = createHash('sha256');
  const anomalies: PayrollAnomaly[] = [];
  let lineCount = 0;
  let totalFen = 0;
  const deaths = await deathDates(tx, run);
  for (let afterId = ''; ; ) {
    const page = await linePage(tx, { ...run, runId: run.id, afterId, limit: PAGE });
    for (const l of page) {
      hash.update(digestLine(l));
      lineCount += 1;
      totalFen += l.amountFen;
      // The recorded date of death (migration 0027's worker_deaths): a line for a month after it is
      // flagged. A reissue line pays an earlier month: its own run's month is not the one it pays.
      // A survivor's pension is paid after the death by its nature (endsWithDeath).
      const diedOn =
        l.reissueOf === null && endsWithDeath(l.kind) ? (deaths.get(l.workerId) ?? null) : null;
      anomalies.push(...lineAnomalies(reviewLineOf(l, diedOn), m, band));
    }
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) break;
    afterId = last.id;
  }
  anomalies.push(...duplicateKindAnomalies(await duplicateCandidates(tx, run)));
  anomalies.push(...(await notInForce(tx, run, m)));
  return payrollApprovalPayload({
    runId: run.id,
    regionCode: run.regionCode,
    month: run.month,
    lineCount,
    totalFen,
    byKind: await totalsByKind(tx, run),
    reissued: await reissueTotal(tx, run),
    linesSha256: hash.digest('hex'),
    anomalies,
    offsets: await offsetsByKind(tx, run),
  });
}

function reviewLineOf(
  l: {
    id: string;
    workerId: string;
    kind: string;
    amountFen: number;
    accountNumber: string | null;
    accountValidFrom: string | null;
  },
  diedOn: string | null,
): ReviewLine {
  return {
    id: l.id,
    workerId: l.workerId,
    kind: l.kind,
    amountFen: l.amountFen,
    hasAccount: l.accountNumber !== null,
    accountValidFrom: l.accountValidFrom,
    diedOn,
  };
}

/**
 * The recorded dates of death of the run's workers, in one statement for the whole run (one per
 * page cost a round trip per 2 000 lines; bench/payroll.bench.ts). Deaths are few: the map holds
 * only the run's workers who have one.
 */
async function deathDates(
  tx: Executor,
  run: { regionCode: string; id: string },
): Promise<Map<string, string>> {
  const r = await tx.query(
    `SELECT d.worker_id, d.died_on::text FROM worker_deaths d
      WHERE EXISTS (SELECT 1 FROM payroll_lines l
                     WHERE l.worker_id = d.worker_id AND l.region_code = $1 AND l.run_id = $2)`,
    [run.regionCode, run.id],
  );
  return new Map(r.rows.map((row) => [textOf(row, 'worker_id'), textOf(row, 'died_on')]));
}

/**
 * Month lines whose entitlement no longer covers the month as the computation read it
 * (`coversMonth`, payroll-lines.ts): an event recorded after the run was computed — a 第四十二条
 * stop, a missing worker, an indexation or a correction replacing the row — ended it. Computing
 * finds none (it wrote the lines from the entitlements in force); approving rebuilds the review and
 * so finds the change, and the approval, bound to the review without it, is refused: the run is
 * recomputed (payroll-run.ts `recomputePayrollRun`) rather than paying a month no longer owed.
 * A death's own guard (payment_after_death) already names a dead worker's items. One statement.
 */
async function notInForce(
  tx: Executor,
  run: { regionCode: string; id: string },
  m: { month: string; first: string; last: string },
): Promise<PayrollAnomaly[]> {
  const r = await tx.query(
    `SELECT l.id, l.worker_id, l.kind, e.id AS entitlement_id, e.status, e.ends_on::text AS ends_on
       FROM payroll_lines l
       JOIN benefit_entitlements e ON e.region_code = l.region_code AND e.id = l.entitlement_id
      WHERE l.region_code = $1 AND l.run_id = $2 AND l.reissue_of IS NULL
        AND (e.payer <> 'fund' OR e.amount_fen <= 0 OR e.starts_on > $4::date
             OR (e.status = 'ended' AND e.ends_on IS NULL)
             OR (e.ends_on IS NOT NULL AND e.ends_on < $3::date))
        -- A dead worker's own items for a month after the death: payment_after_death names them
        -- already (a month before the death, ended by another event, is still named here).
        AND NOT (e.dependant_id IS NULL AND EXISTS (SELECT 1 FROM worker_deaths d
                                                    WHERE d.worker_id = l.worker_id
                                                      AND d.died_on < $3::date))
      ORDER BY l.id`,
    [run.regionCode, run.id, m.first, m.last],
  );
  return r.rows.map((row) => ({
    code: 'entitlement_not_in_force' as const,
    workerId: textOf(row, 'worker_id'),
    lineIds: [textOf(row, 'id')],
    detail: `${textOf(row, 'kind')} for ${m.month}: entitlement ${textOf(row, 'entitlement_id')} is ${textOf(row, 'status')}${row['ends_on'] === null ? '' : ` (ends ${textOf(row, 'ends_on')})`}: recompute the run`,
  }));
}

/** Only the lines of a worker and kind that occur twice (the database finds them). */
async function duplicateCandidates(
  tx: Executor,
  run: { regionCode: string; id: string },
): Promise<ReviewLine[]> {
  const r = await tx.query(
    // Per beneficiary: the survivors' pensions of one deceased worker are one per dependant
    // (migration 0034), so they are duplicates only within one dependant. One pass with a window
    // count: a CTE joined to its own grouping was planned as a nested loop and took minutes at
    // 100 000 lines (tests/process/payroll-kill.test.ts at its acceptance size).
    `SELECT id, worker_id, kind, amount_fen FROM (
       SELECT l.id, l.worker_id, l.kind, l.amount_fen,
              count(*) OVER (PARTITION BY l.worker_id, coalesce(e.dependant_id, ''), l.kind) AS n
         FROM payroll_lines l
         JOIN benefit_entitlements e ON e.region_code = l.region_code AND e.id = l.entitlement_id
        WHERE l.region_code = $1 AND l.run_id = $2 AND l.reissue_of IS NULL) x
      WHERE n > 1
      ORDER BY id`,
    [run.regionCode, run.id],
  );
  return r.rows.map((row) =>
    reviewLineOf(
      {
        id: textOf(row, 'id'),
        workerId: textOf(row, 'worker_id'),
        kind: textOf(row, 'kind'),
        amountFen: intOf(row, 'amount_fen'),
        accountNumber: null,
        accountValidFrom: null,
      },
      null,
    ),
  );
}

export async function totalsByKind(
  ex: Executor,
  run: { regionCode: string; id: string },
): Promise<KindTotal[]> {
  const r = await ex.query(
    `SELECT kind, expense_account, count(*)::int AS lines, sum(amount_fen)::bigint AS amount_fen
     FROM payroll_lines WHERE region_code = $1 AND run_id = $2 AND reissue_of IS NULL
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
