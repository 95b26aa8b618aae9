import type { Database } from '../src/db/client.ts';
import { openTestDatabase } from '../src/db/testing.ts';
import { assessmentRunSeqId } from '../src/domain/contributions/assessment-postings.ts';
import { assessmentTables } from '../src/domain/contributions/assessment-rates.ts';
import { testRuleBook } from '../src/runtime/testing.ts';
import {
  declaredIndustries,
  insertAssessment,
  previewAssessment,
} from '../src/usecases/contributions/assessment-sql.ts';
import { HZ, loadRegister } from './contributions-fixtures.ts';
import type { BenchResult } from './harness.ts';

/**
 * Assessment (核定) of a city-month of E employers / W workers (100 k / 1 M at BENCH_SCALE 1): the
 * register loaded by the generator, then one declaration per employer for the month and one line
 * per worker on a spell covering the whole month, written set-based with the declaration's totals
 * (what the import would leave).
 * Timed: the statement that writes contribution_assessments (insertAssessment, the set-based
 * INSERT … SELECT of assessment-sql.ts that assessCityMonth runs inside its posting transaction)
 * under a run row inserted directly; the approval round and the ledger posting of the run are not
 * timed. Baseline: one raw INSERT of the same result rows (read back beforehand into a temporary
 * table) into a table of the same shape (LIKE contribution_assessments INCLUDING ALL: its
 * indexes, checks and defaults; and, since session 6, its foreign keys, which the assessment's
 * INSERT pays for every row too).
 */
const MONTH = '2025-03';
const MONTH_START = `${MONTH}-01`;
const MONTH_END = '2025-03-31';

async function declareMonth(db: Database): Promise<{ declarations: number; lines: number }> {
  const d = await db.query(
    `INSERT INTO declarations (region_code, id, employer_id, month, version, file_sha256, file_name,
       worker_count, wage_total_fen, base_total_fen, diff, declared_by)
     SELECT e.region_code, 'dcl_' || e.region_code || '_' || substr(md5(e.id), 1, 16), e.id,
            $2::date, 1, repeat('0', 64), 'bench.csv', 0, 0, 0, '{}'::jsonb, 'bench'
       FROM employers e WHERE e.region_code = $1 AND e.registered_on <= $3::date`,
    [HZ, MONTH_START, MONTH_END],
  );
  // Wages of 5 000–10 000 yuan, inside the month's base bounds: base = wage.
  const l = await db.query(
    `INSERT INTO declaration_lines (region_code, declaration_id, worker_id, row_number, wage_fen, base_fen)
     SELECT d.region_code, d.id, sp.worker_id,
            row_number() OVER (PARTITION BY d.id ORDER BY sp.worker_id),
            500000 + abs(hashtext(sp.worker_id)) % 500000, 500000 + abs(hashtext(sp.worker_id)) % 500000
       FROM declarations d
       JOIN employment_spells sp ON sp.region_code = d.region_code AND sp.employer_id = d.employer_id
      WHERE d.region_code = $1 AND d.month = $2::date
        AND sp.start_date <= $2::date AND (sp.end_date IS NULL OR sp.end_date >= $3::date)`,
    [HZ, MONTH_START, MONTH_END],
  );
  // The import writes each declaration's totals with its lines (the assessment reads them).
  await db.query(
    `UPDATE declarations d SET worker_count = s.n, wage_total_fen = s.wage, base_total_fen = s.base
       FROM (SELECT declaration_id, count(*)::int AS n, sum(wage_fen) AS wage, sum(base_fen) AS base
               FROM declaration_lines WHERE region_code = $1 GROUP BY declaration_id) s
      WHERE d.region_code = $1 AND d.id = s.declaration_id`,
    [HZ],
  );
  await db.query('ANALYZE declarations, declaration_lines');
  return { declarations: d.rowCount, lines: l.rowCount };
}

async function timedAssessment(db: Database) {
  const tables = assessmentTables(
    testRuleBook().benefits,
    HZ,
    MONTH_START,
    await db.withConnection((ex) => declaredIndustries(ex, HZ, MONTH_START)),
  );
  if (!tables.ok) throw new Error(tables.message);
  const runId = assessmentRunSeqId(HZ, MONTH, 1);
  const p0 = performance.now();
  const preview = await db.transaction((tx) => previewAssessment(tx, HZ, tables.value, runId));
  const previewMs = performance.now() - p0;
  return db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO contribution_assessment_runs (region_code, id, month, seq, employer_count,
         amount_total_fen, difference_fen, amounts_sha256, approval_id, run_by)
       VALUES ($1, $2, $3::date, 1, $4, 0, 0, $5, 'bench', 'bench')`,
      [HZ, runId, MONTH_START, preview.length, '0'.repeat(64)],
    );
    const started = performance.now();
    const rows = await insertAssessment(tx, HZ, tables.value, runId);
    return { rows, ms: performance.now() - started, previewMs };
  });
}

async function timedRawInsert(db: Database) {
  return db.transaction(async (tx) => {
    await tx.query(
      `CREATE TEMP TABLE bench_result ON COMMIT DROP AS
         SELECT * FROM contribution_assessments WHERE region_code = $1 AND month = $2::date`,
      [HZ, MONTH_START],
    );
    await tx.query('CREATE TABLE bench_assessments (LIKE contribution_assessments INCLUDING ALL)');
    // LIKE copies indexes, checks and defaults but not foreign keys: add the same ones, so the raw
    // INSERT pays every check the assessment's INSERT pays.
    const fks = await tx.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'contribution_assessments'::regclass AND contype = 'f'`,
    );
    for (const fk of fks.rows)
      await tx.query(`ALTER TABLE bench_assessments ADD ${String(fk['def'])}`);
    const started = performance.now();
    const r = await tx.query('INSERT INTO bench_assessments SELECT * FROM bench_result');
    return { rows: r.rowCount, ms: performance.now() - started, foreignKeys: fks.rows.length };
  });
}

export async function assessmentBench(scale: number): Promise<BenchResult> {
  const employers = Math.max(100, Math.round(100_000 * scale));
  const workers = Math.max(1000, Math.round(1_000_000 * scale));
  const t = await openTestDatabase({ backend: 'pg', poolMax: 4 });
  try {
    const { loadMs } = await loadRegister(t.db, testRuleBook().benefits, {
      employers,
      workers,
      months: 3,
      from: '2025-01',
    });
    const declared = await declareMonth(t.db);
    const run = await timedAssessment(t.db);
    const raw = await timedRawInsert(t.db);
    if (raw.rows !== run.rows) throw new Error(`raw insert wrote ${raw.rows}, run ${run.rows}`);
    const figure = run.rows / (run.ms / 1000);
    const baseline = raw.rows / (raw.ms / 1000);
    return {
      name: 'assessment-city-month',
      unit: 'rows/s',
      figure,
      baseline,
      baselineLabel: 'raw INSERT of the result rows rows/s',
      ratio: figure / baseline,
      ...(scale === 1
        ? { target: { description: '≥ 50 % of raw INSERT', met: figure / baseline >= 0.5 } }
        : {}),
      notes: `PostgreSQL; ${declared.declarations} employers / ${declared.lines} declared lines of ${MONTH} in 杭州 (register of ${employers} employers / ${workers} workers loaded by generate --into-db in ${(loadMs / 1000).toFixed(0)} s); timed: insertAssessment, the INSERT … SELECT writing contribution_assessments (${(run.ms / 1000).toFixed(2)} s for ${run.rows} rows), not the approval round nor the ledger posting; the run's preview SELECT took ${(run.previewMs / 1000).toFixed(2)} s; baseline: INSERT INTO a LIKE … INCLUDING ALL copy of contribution_assessments with its ${raw.foreignKeys} foreign keys SELECT * FROM a temp table holding the same rows (${(raw.ms / 1000).toFixed(2)} s); BENCH_SCALE ${scale}`,
      extra: { employers: declared.declarations, lines: declared.lines, rows: run.rows },
    };
  } finally {
    await t.cleanup();
  }
}
