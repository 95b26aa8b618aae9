import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { employerExperience } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { rational, roundToInteger } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * An employer-year's experience (contributions paid, benefit costs, injuries, average headcount)
 * derived from the system's own records for a closed year and a city, for the floating-rate review
 * (《浙江省工伤保险条例》第九条: "根据用人单位工伤保险费使用、工伤发生率…确定并调整用人单位的具体缴费费率").
 * One set-based statement computes every employer of the city at once; the rows are written as
 * source 'system' beside any imported row of the same employer-year, which the review prefers
 * (an import is the province's correction). Definitions: docs/contributions.md, "Experience from
 * the system's records".
 */
export type ExperienceDeriveRefusal = 'experience.not_in_city' | 'experience.year_not_closed';

export type DerivedExperience = {
  employerId: string;
  employerName: string;
  creditCode: string;
  contributionsFen: number;
  /** lumpSumsFen + payrollFen + medicalFen. */
  benefitCostsFen: number;
  lumpSumsFen: number;
  payrollFen: number;
  medicalFen: number;
  injuries: number;
  /** Σ over the 12 month-ends of the spells open on that day. */
  headcountMonthEnds: number;
  averageHeadcount: number;
  /** The imported row of the same employer-year, which the review reads instead, or null. */
  imported: {
    contributionsFen: number;
    benefitCostsFen: number;
    injuries: number;
    averageHeadcount: number;
  } | null;
};

export type ExperienceDerivation = {
  regionCode: string;
  year: number;
  status: 'preview' | 'written';
  employers: number;
  overriddenByImport: number;
  totals: { contributionsFen: number; benefitCostsFen: number; injuries: number };
  /** The first ROWS_SHOWN_MAX employers by id (the counts and totals cover all). */
  rows: DerivedExperience[];
  rowsTruncated: boolean;
};

const ROWS_SHOWN_MAX = 1_000;
const INSERT_CHUNK = 1_000;
/**
 * A headcount is a count of people, not money: the mean of 12 month-ends is rounded half-up to a
 * whole worker (the experience table holds whole numbers, as the import's layout does).
 */
const HEADCOUNT_ROUNDING = 'half_up' as const;

/**
 * Why hand-written SQL: one statement aggregates five sources (collections, lump sums, payroll
 * lines, direct settlements, cases) and the spells at 12 month-ends for every employer of the city,
 * instead of a query per employer; rows are read through the typed mapper below.
 */
const DERIVE_SQL = `
WITH bounds AS (SELECT make_date($2::int, 1, 1) AS y0, make_date($2::int, 12, 31) AS y1),
emp AS (
  SELECT e.id, e.name, e.credit_code FROM employers e, bounds b
   WHERE e.region_code = $1 AND e.registered_on <= b.y1),
paid AS (
  SELECT x.employer_id, sum(x.fen)::int8 AS fen FROM (
    SELECT c.employer_id, c.applied_fen AS fen FROM collection_records c, bounds b
     WHERE c.region_code = $1 AND c.posting_id IS NOT NULL AND c.paid_on BETWEEN b.y0 AND b.y1
    UNION ALL
    SELECT o.employer_id, o.amount_fen FROM contribution_offsets o, bounds b
     WHERE o.region_code = $1 AND o.offset_on BETWEEN b.y0 AND b.y1) x
   GROUP BY x.employer_id),
lump AS (
  SELECT k.employer_id, sum(p.amount_fen)::int8 AS fen
    FROM benefit_payments p
    JOIN benefit_decisions d ON d.region_code = p.region_code AND d.id = p.decision_id
    JOIN cases k ON k.region_code = d.region_code AND k.id = d.case_id, bounds b
   WHERE k.employer_region_code = $1 AND p.status = 'paid' AND p.paid_on BETWEEN b.y0 AND b.y1
   GROUP BY k.employer_id),
monthly AS (
  SELECT k.employer_id, sum(l.amount_fen)::int8 AS fen
    FROM payroll_lines l
    JOIN benefit_entitlements n ON n.region_code = l.region_code AND n.id = l.entitlement_id
    JOIN benefit_decisions d ON d.region_code = n.region_code AND d.id = n.decision_id
    JOIN cases k ON k.region_code = d.region_code AND k.id = d.case_id, bounds b
   WHERE k.employer_region_code = $1 AND n.payer = 'fund' AND l.status = 'paid'
     AND l.paid_on BETWEEN b.y0 AND b.y1
   GROUP BY k.employer_id),
medical AS (
  SELECT k.employer_id, sum(s.fund_fen)::int8 AS fen
    FROM settlement_settlements s
    JOIN settlement_visits v ON v.region_code = s.region_code AND v.id = s.visit_id
    JOIN cases k ON k.region_code = v.region_code AND k.id = v.case_id
   WHERE k.employer_region_code = $1 AND s.kind = 'settlement' AND s.status = 'active'
     AND s.accounting_month BETWEEN $2::text || '-01' AND $2::text || '-12'
   GROUP BY k.employer_id),
injured AS (
  SELECT k.employer_id, count(*)::int4 AS n FROM cases k, bounds b
   WHERE k.employer_region_code = $1 AND k.determination_outcome IN ('recognised', 'deemed')
     AND k.accident_date BETWEEN b.y0 AND b.y1
   GROUP BY k.employer_id),
month_ends AS (
  SELECT (make_date($2::int, m, 1) + interval '1 month' - interval '1 day')::date AS d
    FROM generate_series(1, 12) AS m),
heads AS (
  SELECT s.employer_id, count(*)::int4 AS n FROM employment_spells s JOIN month_ends me
      ON s.start_date <= me.d AND (s.end_date IS NULL OR s.end_date >= me.d)
   WHERE s.region_code = $1
   GROUP BY s.employer_id)
SELECT emp.id, emp.name, emp.credit_code,
       coalesce(paid.fen, 0)::int8 AS contributions_fen, coalesce(lump.fen, 0)::int8 AS lump_fen,
       coalesce(monthly.fen, 0)::int8 AS payroll_fen, coalesce(medical.fen, 0)::int8 AS medical_fen,
       coalesce(injured.n, 0)::int4 AS injuries, coalesce(heads.n, 0)::int4 AS month_ends,
       coalesce(imp.contributions_fen, -1)::int8 AS imp_contributions_fen,
       coalesce(imp.benefit_costs_fen, -1)::int8 AS imp_benefit_costs_fen,
       coalesce(imp.injuries, -1)::int4 AS imp_injuries,
       coalesce(imp.average_headcount, -1)::int4 AS imp_headcount
  FROM emp
  LEFT JOIN paid ON paid.employer_id = emp.id
  LEFT JOIN lump ON lump.employer_id = emp.id
  LEFT JOIN monthly ON monthly.employer_id = emp.id
  LEFT JOIN medical ON medical.employer_id = emp.id
  LEFT JOIN injured ON injured.employer_id = emp.id
  LEFT JOIN heads ON heads.employer_id = emp.id
  LEFT JOIN employer_experience imp ON imp.region_code = $1 AND imp.employer_id = emp.id
       AND imp.year = $2::int AND imp.source = 'import'
 ORDER BY emp.id`;

const rowSpec = {
  id: textOf,
  name: textOf,
  credit_code: textOf,
  contributions_fen: intOf,
  lump_fen: intOf,
  payroll_fen: intOf,
  medical_fen: intOf,
  injuries: intOf,
  month_ends: intOf,
  imp_contributions_fen: intOf,
  imp_benefit_costs_fen: intOf,
  imp_injuries: intOf,
  imp_headcount: intOf,
};

async function derive(ex: Executor, regionCode: string, year: number) {
  const r = withColumns(await ex.query(DERIVE_SQL, [regionCode, year]), rowSpec);
  return r.rows.map(
    (x): DerivedExperience => ({
      employerId: x.id,
      employerName: x.name,
      creditCode: x.credit_code,
      contributionsFen: x.contributions_fen,
      benefitCostsFen: x.lump_fen + x.payroll_fen + x.medical_fen,
      lumpSumsFen: x.lump_fen,
      payrollFen: x.payroll_fen,
      medicalFen: x.medical_fen,
      injuries: x.injuries,
      headcountMonthEnds: x.month_ends,
      averageHeadcount: Number(
        roundToInteger(rational(BigInt(x.month_ends), 12n), HEADCOUNT_ROUNDING),
      ),
      // -1 marks "no imported row" (the columns are NOT NULL and ≥ 0 when a row exists).
      imported:
        x.imp_contributions_fen < 0
          ? null
          : {
              contributionsFen: x.imp_contributions_fen,
              benefitCostsFen: x.imp_benefit_costs_fen,
              injuries: x.imp_injuries,
              averageHeadcount: x.imp_headcount,
            },
    }),
  );
}

function check(input: {
  regionCode: string;
  year: number;
  today: IsoDate;
}): Result<true, ExperienceDeriveRefusal> {
  if (!/^[0-9]{6}$/.test(input.regionCode) || input.regionCode.endsWith('0000'))
    return refuse(
      'experience.not_in_city',
      `experience is derived for a city (its agency reviews the rates: 《浙江省工伤保险条例》第九条); ${input.regionCode} is not one: give a city code such as 330100`,
      { regionCode: input.regionCode },
    );
  const lastClosed = Number(input.today.slice(0, 4)) - 1;
  if (!Number.isInteger(input.year) || input.year < 1990 || input.year > lastClosed)
    return refuse(
      'experience.year_not_closed',
      `year ${input.year} is not a closed year (1990 … ${lastClosed}): a year's experience is derived once it has ended`,
      { year: input.year, lastClosedYear: lastClosed },
    );
  return ok(true);
}

function summaryOf(
  input: { regionCode: string; year: number },
  status: ExperienceDerivation['status'],
  rows: readonly DerivedExperience[],
): ExperienceDerivation {
  const totals = { contributionsFen: 0, benefitCostsFen: 0, injuries: 0 };
  for (const r of rows) {
    totals.contributionsFen += r.contributionsFen;
    totals.benefitCostsFen += r.benefitCostsFen;
    totals.injuries += r.injuries;
  }
  return {
    regionCode: input.regionCode,
    year: input.year,
    status,
    employers: rows.length,
    overriddenByImport: rows.filter((r) => r.imported !== null).length,
    totals,
    rows: rows.slice(0, ROWS_SHOWN_MAX),
    rowsTruncated: rows.length > ROWS_SHOWN_MAX,
  };
}

/**
 * Derives a city's experience of a closed year. `write: false` is the preview (nothing written, no
 * audit); `write: true` replaces the city-year's 'system' rows in one transaction with the audit
 * event. Imported rows are never touched.
 */
export async function deriveExperience(
  db: Database,
  actor: Actor,
  input: { regionCode: string; year: number; today: IsoDate; write: boolean },
): Promise<Result<ExperienceDerivation, ExperienceDeriveRefusal>> {
  const checked = check(input);
  if (!checked.ok) return checked;
  if (!input.write) {
    const rows = await db.withConnection((ex) => derive(ex, input.regionCode, input.year));
    return ok(summaryOf(input, 'preview', rows));
  }
  return db.transaction(async (tx) => {
    // Two derivations of the same city-year at once would both delete and insert: one waits.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `experience:${input.regionCode}:${input.year}`,
    ]);
    const rows = await derive(tx, input.regionCode, input.year);
    await writeSystemRows(tx, actor, input, rows);
    const summary = summaryOf(input, 'written', rows);
    await appendAudit(
      tx,
      okEventOf(actor, 'contributions.experience.derive', `experience/${input.regionCode}`, {
        year: input.year,
        employers: summary.employers,
        overriddenByImport: summary.overriddenByImport,
        ...summary.totals,
      }),
    );
    return ok(summary);
  });
}

async function writeSystemRows(
  tx: Executor,
  actor: Actor,
  input: { regionCode: string; year: number },
  rows: readonly DerivedExperience[],
): Promise<void> {
  const e = employerExperience;
  // An employer no longer derived (none should vanish, but a registration date corrected after the
  // year) keeps no stale system row: the year's system rows are replaced whole.
  await tx.orm
    .delete(e)
    .where(and(eq(e.regionCode, input.regionCode), eq(e.year, input.year), eq(e.source, 'system')));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK)
    await tx.orm.insert(e).values(
      rows.slice(i, i + INSERT_CHUNK).map((r) => ({
        regionCode: input.regionCode,
        employerId: r.employerId,
        year: input.year,
        contributionsFen: r.contributionsFen,
        benefitCostsFen: r.benefitCostsFen,
        injuries: r.injuries,
        averageHeadcount: r.averageHeadcount,
        source: 'system' as const,
        recordedBy: actor.userId,
        recordedAt: sql`now()`,
      })),
    );
}
