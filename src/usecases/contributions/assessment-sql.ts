import type { Executor } from '../../db/client.ts';
import {
  intOf,
  intOrNullOf,
  oneOf,
  type Row,
  rowsOf,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import type { AssessmentTables } from '../../domain/contributions/assessment-rates.ts';

/**
 * The set-based assessment of a city-month (ADR 0010), hand SQL: one SELECT (preview) and the same
 * SELECT under one INSERT (the write), over declarations, employers and employer_events, joined
 * with the month's small rate tables passed as arrays. Per employer whose current declaration
 * (highest version) has no assessment yet: Σ base_fen × rate, rounded once by the named rule. The
 * Σ base_fen is the declaration's base_total_fen, written with its lines in the import's
 * transaction (declaration-import.ts), so a city-month reads one row per employer instead of
 * grouping every line again (about a million for 100 k employers). The grade is the one in force
 * on the month's first day (the latest registration or grade event effective on or before it; for
 * an employer registered later in the month, its registration grade).
 *
 * Shape (contributions benchmark, EXPLAIN ANALYZE at 10 k and 100 k employers): the three
 * per-employer picks (current declaration, latest assessment, grade in force) are each one
 * DISTINCT ON pass sorted by the employer id under the "C" collation (byte order: the ids are
 * ASCII, so the order is the same as the database's, and the sort compares bytes instead of
 * calling the locale), merged on that key without another sort; the employer's row is hash-joined
 * once. Each pick outputs its sort key as `k` so the planner knows it is unique per employer: keyed
 * on a bare employer_id it estimated each join at rows × rows / 200 and chose merge joins that
 * re-sorted the whole wide result on disk. The rate's citations are turned from JSON into text[]
 * once per rate row (38), not once per employer, and the rate's decimal is cast once per rate.
 * Sorts are used, not self anti-joins, for the picks: a month imported after the last ANALYZE is
 * estimated at one row, and a nested-loop self-join on that estimate is quadratic.
 */
const ASSESSMENT_SELECT = `
WITH rates AS (
  SELECT r.risk_class, r.grade, r.base_rate, r.multiplier, r.rate, r.rate::numeric AS factor,
         ARRAY(SELECT jsonb_array_elements_text(r.citations::jsonb)) AS citations
    FROM unnest($3::int4[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
      AS r(risk_class, grade, base_rate, multiplier, rate, citations)
), divisions AS (
  SELECT d.standard, d.division, d.risk_class, array_remove(ARRAY[d.citation], NULL) AS citations
    FROM unnest($9::text[], $10::text[], $11::int4[], $12::text[])
      AS d(standard, division, risk_class, citation)
), current_declarations AS (
  SELECT DISTINCT ON (d.employer_id COLLATE "C") d.employer_id COLLATE "C" AS k, d.employer_id,
         d.id, d.version, d.worker_count, d.base_total_fen
    FROM declarations d
   WHERE d.region_code = $1 AND d.month = $2::date
   ORDER BY d.employer_id COLLATE "C", d.version DESC
), latest AS (
  SELECT DISTINCT ON (a.employer_id COLLATE "C") a.employer_id COLLATE "C" AS k, a.version,
         a.declaration_id, a.amount_fen
    FROM contribution_assessments a
   WHERE a.region_code = $1 AND a.month = $2::date
   ORDER BY a.employer_id COLLATE "C", a.version DESC
), grades AS (
  SELECT DISTINCT ON (e.employer_id COLLATE "C") e.employer_id COLLATE "C" AS k,
         CASE e.kind WHEN 'registered' THEN e.data->>'floatingGrade' ELSE e.data->>'to' END AS grade
    FROM employer_events e
   WHERE e.region_code = $1 AND e.kind IN ('registered', 'floating_grade')
   ORDER BY e.employer_id COLLATE "C", (e.effective_from > $2::date),
            CASE WHEN e.effective_from <= $2::date THEN $2::date - e.effective_from
                 ELSE e.effective_from - $2::date END,
            e.seq DESC
)
SELECT $1::text AS region_code, c.employer_id, $2::date AS month,
       coalesce(l.version, 0) + 1 AS version, $14::text AS run_id,
       c.id AS declaration_id, c.version AS declaration_version, c.worker_count, c.base_total_fen,
       r.risk_class, g.grade AS floating_grade, r.base_rate, r.multiplier, r.rate,
       (CASE $13::text
          WHEN 'half_up' THEN round(x.exact)
          WHEN 'down' THEN trunc(x.exact)
          WHEN 'up' THEN ceil(x.exact)
          WHEN 'half_even' THEN CASE WHEN x.exact - floor(x.exact) = 0.5
                                     THEN floor(x.exact) + mod(floor(x.exact), 2)
                                     ELSE round(x.exact) END
        END)::int8 AS amount_fen,
       coalesce(l.amount_fen, 0) AS previous_amount_fen,
       coalesce(r.citations, '{}') || coalesce(dv.citations, '{}') AS citations,
       dv.risk_class AS division_class
  FROM current_declarations c
  LEFT JOIN latest l ON l.k = c.k
  LEFT JOIN grades g ON g.k = c.k
  JOIN employers e ON e.region_code = $1 AND e.id = c.employer_id
  LEFT JOIN divisions dv ON dv.standard = e.industry_standard AND dv.division = e.industry_division
  LEFT JOIN rates r ON r.risk_class = dv.risk_class AND r.grade = g.grade
  CROSS JOIN LATERAL (SELECT c.base_total_fen::numeric * r.factor AS exact) x
 WHERE l.declaration_id IS DISTINCT FROM c.id`;

const INDUSTRY_STANDARDS = ['GB/T 4754-2011', 'GB/T 4754-2017'] as const;

const COLUMNS = `region_code, employer_id, month, version, run_id, declaration_id, declaration_version,
  worker_count, base_total_fen, risk_class, floating_grade, base_rate, multiplier, rate, amount_fen,
  previous_amount_fen, citations`;

function paramsOf(city: string, tables: AssessmentTables, runId: string): unknown[] {
  const { rates, divisions } = tables;
  return [
    city,
    tables.date,
    rates.map((r) => r.riskClass),
    rates.map((r) => r.grade),
    rates.map((r) => r.baseRate),
    rates.map((r) => r.multiplier),
    rates.map((r) => r.rate),
    rates.map((r) => JSON.stringify(r.citations)),
    divisions.map((d) => d.standard),
    divisions.map((d) => d.division),
    divisions.map((d) => d.riskClass),
    divisions.map((d) => d.citation),
    tables.rounding,
    runId,
  ];
}

export type PreviewRow = {
  employerId: string;
  version: number;
  declarationId: string;
  workerCount: number;
  baseTotalFen: number;
  /** Null when no rate applies (class 1 with a downward grade, or no class). */
  riskClass: number | null;
  grade: string | null;
  amountFen: number | null;
  previousAmountFen: number;
};

const previewRowOf = (row: Row): PreviewRow => ({
  employerId: textOf(row, 'employer_id'),
  version: intOf(row, 'version'),
  declarationId: textOf(row, 'declaration_id'),
  workerCount: intOf(row, 'worker_count'),
  baseTotalFen: intOf(row, 'base_total_fen'),
  riskClass: intOrNullOf(row, 'risk_class') ?? intOrNullOf(row, 'division_class'),
  grade: textOrNullOf(row, 'floating_grade'),
  amountFen: intOrNullOf(row, 'amount_fen'),
  previousAmountFen: intOf(row, 'previous_amount_fen'),
});

/** What a run would assess now, without writing (ordered by employer id); call it in a transaction. */
export async function previewAssessment(
  ex: Executor,
  city: string,
  tables: AssessmentTables,
  runId: string,
): Promise<PreviewRow[]> {
  // JIT compiling cost 3 of the 4 s of a 10 000-employer preview (EXPLAIN ANALYZE, session 6): off
  // for the rest of the caller's transaction, as for the write below.
  await ex.query('SET LOCAL jit = off');
  // By the byte-ordered key: the ids match ^emp_[0-9]{6}_[0-9a-f]{16}$, so it is the id order.
  const r = await ex.query(`${ASSESSMENT_SELECT} ORDER BY c.k`, paramsOf(city, tables, runId));
  return rowsOf(r, previewRowOf);
}

/**
 * The write: the same SELECT under one INSERT; returns the number of rows written. Called inside
 * the posting transaction, with JIT off for the rest of it: when the statement still grouped the
 * declaration lines, its estimated cost passed jit_above_cost and PostgreSQL spent about 0.9 s
 * compiling it, 60 % of the statement at 20 000 employers (contributions benchmark); the per-employer
 * grade look-up keeps the estimate high, and compiling never pays for a single statement.
 */
export async function insertAssessment(
  ex: Executor,
  city: string,
  tables: AssessmentTables,
  runId: string,
): Promise<number> {
  await ex.query('SET LOCAL jit = off');
  const r = await ex.query(
    `INSERT INTO contribution_assessments (${COLUMNS})
     SELECT ${COLUMNS} FROM (${ASSESSMENT_SELECT}) s`,
    paramsOf(city, tables, runId),
  );
  return r.rowCount;
}

/** The (standard, division) pairs of the employers that declared for the city-month. */
export async function declaredIndustries(ex: Executor, city: string, monthStart: string) {
  const r = await ex.query(
    `SELECT DISTINCT e.industry_standard, e.industry_division
       FROM declarations d JOIN employers e ON e.region_code = d.region_code AND e.id = d.employer_id
      WHERE d.region_code = $1 AND d.month = $2::date
      ORDER BY 1, 2`,
    [city, monthStart],
  );
  return rowsOf(r, (row) => ({
    standard: oneOf(row, 'industry_standard', INDUSTRY_STANDARDS),
    division: textOf(row, 'industry_division'),
  }));
}
