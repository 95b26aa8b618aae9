import type { Database } from '../../db/client.ts';
import { intOf, rowsOf, textArrayOf, textOf } from '../../db/rows.ts';

/** One employer-month's current assessment (its latest version), with the rate trail. */
export type AssessmentView = {
  regionCode: string;
  employerId: string;
  month: string;
  version: number;
  declarationId: string;
  declarationVersion: number;
  workerCount: number;
  baseTotalFen: number;
  riskClass: number;
  floatingGrade: string;
  baseRate: string;
  multiplier: string;
  rate: string;
  amountFen: number;
  previousAmountFen: number;
  citations: string[];
  runId: string;
};

/** Rows returned at most per call. */
export const ASSESSMENT_ROWS_MAX = 1_000;

/**
 * Current assessments of a city (or the province: every city), optionally of one month and one
 * employer, newest month first.
 */
export async function listAssessments(
  db: Database,
  input: {
    regionCode: string;
    month?: string | undefined;
    employerId?: string | undefined;
    limit?: number;
  },
): Promise<AssessmentView[]> {
  const r = await db.query(
    `SELECT DISTINCT ON (region_code, employer_id, month)
            region_code, employer_id, to_char(month, 'YYYY-MM') AS month, version, declaration_id,
            declaration_version, worker_count, base_total_fen, risk_class, floating_grade, base_rate, multiplier,
            rate, amount_fen, previous_amount_fen, citations, run_id
       FROM contribution_assessments
      WHERE (region_code = $1 OR ($1 LIKE '%0000' AND left(region_code, 2) = left($1, 2)))
        AND ($2::date IS NULL OR month = $2::date) AND ($3::text IS NULL OR employer_id = $3)
      ORDER BY region_code, employer_id, month DESC, version DESC
      LIMIT $4`,
    [
      input.regionCode,
      input.month === undefined ? null : `${input.month}-01`,
      input.employerId ?? null,
      Math.min(input.limit ?? ASSESSMENT_ROWS_MAX, ASSESSMENT_ROWS_MAX),
    ],
  );
  return rowsOf(r, (row) => ({
    regionCode: textOf(row, 'region_code'),
    employerId: textOf(row, 'employer_id'),
    month: textOf(row, 'month'),
    version: intOf(row, 'version'),
    declarationId: textOf(row, 'declaration_id'),
    declarationVersion: intOf(row, 'declaration_version'),
    workerCount: intOf(row, 'worker_count'),
    baseTotalFen: intOf(row, 'base_total_fen'),
    riskClass: intOf(row, 'risk_class'),
    floatingGrade: textOf(row, 'floating_grade'),
    baseRate: textOf(row, 'base_rate'),
    multiplier: textOf(row, 'multiplier'),
    rate: textOf(row, 'rate'),
    amountFen: intOf(row, 'amount_fen'),
    previousAmountFen: intOf(row, 'previous_amount_fen'),
    citations: textArrayOf(row, 'citations'),
    runId: textOf(row, 'run_id'),
  }));
}
