import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { boolOf, intOf, oneOf, textArrayOf, textOf } from '../../db/rows.ts';
import { benefitOverpaymentFailedLines, benefitOverpayments } from '../../db/schema.ts';
import {
  type CountedLine,
  type CountedOverpayment,
  type OverpaymentReduction,
  withoutFailedLines,
} from '../../domain/benefits/overpayment-failed-lines.ts';
import { OVERPAYMENT_REASONS } from '../../domain/benefits/recovery.ts';

/** What a bank return did to the overpayments that counted the lines it failed (for its audit). */
export type OverpaymentsAfterReturn = {
  reduced: {
    id: string;
    lineIds: string[];
    removedFen: number;
    amountFen: number;
    status: 'open' | 'cancelled';
  }[];
  review: { id: string; reason: string; lineIds: string[] }[];
};

/**
 * Inside a bank return's transaction (payroll-return.ts `writeAnswers`, for a run's and a batch's
 * return), after its failures are written: every open overpayment naming a line just failed loses
 * it (docs/benefits.md, "A line the bank fails later"), or is named for review when the rule cannot
 * reduce it (domain/benefits/overpayment-failed-lines.ts). The overpayments are locked first: a
 * recovery decided meanwhile waits for this transaction and then reads the failed line.
 */
export async function dropFailedLines(
  tx: Executor,
  input: { regionCode: string; failedLineIds: readonly string[]; returnSha256: string },
): Promise<OverpaymentsAfterReturn> {
  const out: OverpaymentsAfterReturn = { reduced: [], review: [] };
  if (input.failedLineIds.length === 0) return out;
  const held = await countingOverpayments(tx, input.regionCode, input.failedLineIds);
  if (held.length === 0) return out;
  const lines = await linesOf(tx, input.regionCode, [...new Set(held.flatMap((o) => o.lineIds))]);
  for (const o of held) {
    const change = withoutFailedLines(o, lines);
    if (change === null) continue;
    if (change.kind === 'review') {
      out.review.push({ id: change.id, reason: change.reason, lineIds: change.lineIds });
      continue;
    }
    await writeReduction(tx, input, change);
    out.reduced.push({
      id: change.id,
      lineIds: change.removed.map((r) => r.lineId),
      removedFen: change.removed.reduce((s, r) => s + r.amountFen, 0),
      amountFen: change.after.amountFen,
      status: change.after.status,
    });
  }
  return out;
}

async function countingOverpayments(
  tx: Executor,
  regionCode: string,
  lineIds: readonly string[],
): Promise<CountedOverpayment[]> {
  const r = await tx.query(
    `SELECT o.id, o.reason, o.months, o.line_ids, o.amount_fen,
       EXISTS (SELECT 1 FROM benefit_recoveries v
               WHERE v.region_code = o.region_code AND v.overpayment_id = o.id) AS recovering
     FROM benefit_overpayments o
     WHERE o.region_code = $1 AND o.status = 'open' AND o.line_ids ?| $2::text[]
     ORDER BY o.id
     FOR UPDATE OF o`,
    [regionCode, [...lineIds]],
  );
  return r.rows.map((row) => ({
    id: textOf(row, 'id'),
    reason: oneOf(row, 'reason', OVERPAYMENT_REASONS),
    months: textArrayOf(row, 'months'),
    lineIds: textArrayOf(row, 'line_ids'),
    amountFen: intOf(row, 'amount_fen'),
    recovering: boolOf(row, 'recovering'),
  }));
}

/** The lines as they are now in this transaction, each with the month it was owed for. */
async function linesOf(tx: Executor, regionCode: string, ids: readonly string[]) {
  const r = await tx.query(
    `SELECT l.id, coalesce(l.reissue_month, r.month)::text AS month, l.amount_fen, l.status
     FROM payroll_lines l
     LEFT JOIN payroll_runs r ON r.region_code = l.region_code AND r.id = l.run_id
     WHERE l.region_code = $1 AND l.id = ANY($2::text[])`,
    [regionCode, [...ids]],
  );
  return r.rows.map(
    (row): CountedLine => ({
      id: textOf(row, 'id'),
      month: textOf(row, 'month'),
      amountFen: intOf(row, 'amount_fen'),
      failed: textOf(row, 'status') === 'failed',
    }),
  );
}

async function writeReduction(
  tx: Executor,
  input: { regionCode: string; returnSha256: string },
  change: Extract<OverpaymentReduction, { kind: 'reduced' }>,
): Promise<void> {
  const { months, lineIds, amountFen, status } = change.after;
  await tx.orm
    .update(benefitOverpayments)
    .set({ months, lineIds, amountFen, status })
    .where(
      and(
        eq(benefitOverpayments.regionCode, input.regionCode),
        eq(benefitOverpayments.id, change.id),
        eq(benefitOverpayments.status, 'open'),
      ),
    );
  await tx.orm.insert(benefitOverpaymentFailedLines).values(
    change.removed.map((r) => ({
      regionCode: input.regionCode,
      overpaymentId: change.id,
      lineId: r.lineId,
      month: r.month,
      amountFen: r.amountFen,
      returnSha256: input.returnSha256,
    })),
  );
}
