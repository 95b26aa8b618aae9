import type { Database, Executor } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import type { KindTotal } from '../../domain/benefits/payroll-review.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { offsetsByKind } from './payroll-offsets.ts';
import { reissueTotal } from './payroll-reissue.ts';
import { totalsByKind } from './payroll-review-read.ts';
import { type PayrollRefusalCode, type RunRow, runRow } from './payroll-store.ts';

/**
 * A run as the handler and the checker see it: status, totals by kind, the anomaly guards'
 * findings, and the reconciliation figures — sent (lines in the payment file), confirmed, failed
 * by the bank and still owed, outstanding (sent, not answered), not sent (no card account: failed
 * at computation) and released (owed to no one, its liability out of 2102: a release or a death's
 * reversal; counted there only, so sent = confirmed + failed + outstanding + the released lines
 * that were sent) — each as lines and fen.
 */
export type Figure = { lines: number; amountFen: number };

export type Reconciliation = {
  sent: Figure;
  confirmed: Figure;
  failed: Figure;
  outstanding: Figure;
  notSent: Figure;
  released: Figure;
};

export type PayrollRunView = RunRow & {
  byKind: KindTotal[];
  /** Reissue lines of earlier runs' failed lines (in the file, not in the payable). */
  reissued: Figure;
  /** Deductions for recoveries by offset, by kind (payroll-offsets.ts). */
  offsets: KindTotal[];
  reconciliation: Reconciliation;
};

export async function reconciliation(
  ex: Executor,
  run: { regionCode: string; id: string },
): Promise<Reconciliation> {
  const r = await ex.query(
    `SELECT CASE
         WHEN EXISTS (SELECT 1 FROM payroll_released_lines z
                      WHERE z.region_code = l.region_code AND z.line_id = l.id)
           THEN CASE WHEN l.account_number IS NULL THEN 'released_held' ELSE 'released_sent' END
         WHEN l.account_number IS NULL THEN 'not_sent' ELSE l.status END AS bucket,
       count(*)::int AS lines, coalesce(sum(l.amount_fen), 0)::bigint AS amount_fen
     FROM payroll_lines l WHERE l.region_code = $1 AND l.run_id = $2 GROUP BY 1`,
    [run.regionCode, run.id],
  );
  const of = (bucket: string): Figure => {
    const row = r.rows.find((x) => textOf(x, 'bucket') === bucket);
    return row === undefined
      ? { lines: 0, amountFen: 0 }
      : { lines: intOf(row, 'lines'), amountFen: intOf(row, 'amount_fen') };
  };
  const confirmed = of('paid');
  const failed = of('failed');
  const outstanding = of('issued');
  const releasedSent = of('released_sent');
  const releasedHeld = of('released_held');
  const sum = (figures: Figure[]): Figure => ({
    lines: figures.reduce((n, f) => n + f.lines, 0),
    amountFen: figures.reduce((n, f) => n + f.amountFen, 0),
  });
  return {
    sent: sum([confirmed, failed, outstanding, releasedSent]),
    confirmed,
    failed,
    outstanding,
    notSent: of('not_sent'),
    released: sum([releasedSent, releasedHeld]),
  };
}

export async function payrollRunView(
  db: Database,
  input: { regionCode: string; runId: string },
): Promise<Result<PayrollRunView, PayrollRefusalCode>> {
  return db.withConnection(async (ex) => {
    const run = await runRow(ex, input.regionCode, input.runId, false);
    if (run === null)
      return refuse('benefit.payroll_run_not_found', `run ${input.runId} not found`);
    return ok({
      ...run,
      byKind: await totalsByKind(ex, run),
      reissued: await reissueTotal(ex, run),
      offsets: await offsetsByKind(ex, run),
      reconciliation: await reconciliation(ex, run),
    });
  });
}
