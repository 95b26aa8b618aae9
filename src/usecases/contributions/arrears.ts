import type { Database } from '../../db/client.ts';
import { intOf, rowsOf, textOf } from '../../db/rows.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { isIsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { makeContext } from '../../rules/context.ts';
import { lateFeeOf } from '../../rules/contributions/late-fee.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';

/**
 * 欠费 (arrears) per employer and month: the latest assessment version minus what posted collections
 * applied to it, where positive, with the late fee of 《社会保险法》第八十六条 on `on` for reference
 * (the tax bureau charges it; nothing here posts it). A region is a city, or the province (all).
 */
export type Arrear = {
  regionCode: string;
  employerId: string;
  employerName: string;
  month: string;
  assessedFen: number;
  collectedFen: number;
  outstandingFen: number;
  dueDate: IsoDate;
  daysLate: number;
  dailyRate: string;
  lateFeeFen: number;
  citations: string[];
};

export type ArrearsRefusal = 'contributions.invalid_request' | 'rules.parameter_missing';

/** Rows returned at most: the list is a worklist, paged by employer or city. */
export const ARREARS_ROWS_MAX = 5_000;

export async function listArrears(
  db: Database,
  rules: RuleSet,
  input: { regionCode: string; employerId?: string | undefined; on: IsoDate; limit?: number },
): Promise<Result<Arrear[], ArrearsRefusal>> {
  if (!isIsoDate(input.on))
    return refuse('contributions.invalid_request', `on ${input.on} is not YYYY-MM-DD`, {
      field: 'on',
    });
  const r = await db.query(
    `SELECT a.region_code, a.employer_id, e.name, to_char(a.month, 'YYYY-MM') AS month, a.amount_fen AS assessed,
            (coalesce(c.applied, 0) + coalesce(o.offset_fen, 0))::int8 AS collected
       FROM (SELECT DISTINCT ON (region_code, employer_id, month) region_code, employer_id, month, amount_fen
               FROM contribution_assessments
              WHERE (region_code = $1 OR ($1 LIKE '%0000' AND left(region_code, 2) = left($1, 2)))
                AND ($2::text IS NULL OR employer_id = $2) AND month <= $3::date
              ORDER BY region_code, employer_id, month, version DESC) a
       JOIN employers e ON e.region_code = a.region_code AND e.id = a.employer_id
       LEFT JOIN LATERAL (SELECT sum(applied_fen) AS applied FROM collection_records r
                           WHERE r.region_code = a.region_code AND r.employer_id = a.employer_id
                             AND r.match_month = a.month AND r.posting_id IS NOT NULL) c ON true
       LEFT JOIN LATERAL (SELECT sum(amount_fen) AS offset_fen FROM contribution_offsets f
                           WHERE f.region_code = a.region_code AND f.employer_id = a.employer_id
                             AND f.month = a.month) o ON true
      WHERE a.amount_fen > coalesce(c.applied, 0) + coalesce(o.offset_fen, 0)
      ORDER BY a.region_code, a.employer_id, a.month
      LIMIT $4`,
    [
      input.regionCode,
      input.employerId ?? null,
      input.on,
      Math.min(input.limit ?? ARREARS_ROWS_MAX, ARREARS_ROWS_MAX),
    ],
  );
  const out: Arrear[] = [];
  for (const row of rowsOf(r, (x) => x)) {
    const regionCode = textOf(row, 'region_code');
    const month = textOf(row, 'month');
    const assessedFen = intOf(row, 'assessed');
    const collectedFen = intOf(row, 'collected');
    const outstandingFen = assessedFen - collectedFen;
    const fee = lateFeeOf(makeContext(rules, regionCode, {}, false), {
      month,
      outstandingFen,
      on: input.on,
    });
    if (!fee.ok) return fee;
    out.push({
      regionCode,
      employerId: textOf(row, 'employer_id'),
      employerName: textOf(row, 'name'),
      month,
      assessedFen,
      collectedFen,
      outstandingFen,
      ...fee.value,
    });
  }
  return ok(out);
}
