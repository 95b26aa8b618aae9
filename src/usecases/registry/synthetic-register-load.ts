import type { Executor } from '../../db/client.ts';
import type { SyntheticPlan } from '../../domain/registry/synthetic/synthetic-plan.ts';
import {
  type SyntheticEmployer,
  type SyntheticSpell,
  type SyntheticWorker,
  syntheticEmployers,
  syntheticSpells,
  syntheticWorkers,
} from '../../domain/registry/synthetic/synthetic-province.ts';

/**
 * Loads a synthetic province's register (employers with their 'registered' event, workers,
 * employment spells) set-based: each chunk of rows is one INSERT … SELECT FROM unnest(arrays), so a
 * chunk costs one round trip whatever its size, and only one chunk is in memory. Hand SQL because
 * Drizzle's multi-row insert binds one parameter per cell (65 535 at most) and builds the whole
 * statement text; the rows are typed by the generator, and nothing is read back.
 */
export const LOAD_CHUNK_ROWS = 5000;

export type LoadCounts = { employers: number; workers: number; spells: number };

type Progress = (what: string, rows: number) => void;

async function inChunks<T>(
  rows: Iterable<T>,
  chunk: { rows: number; what: string; progress: Progress },
  write: (chunk: T[]) => Promise<void>,
): Promise<number> {
  let pending: T[] = [];
  let n = 0;
  for (const row of rows) {
    pending.push(row);
    if (pending.length >= chunk.rows) {
      await write(pending);
      n += pending.length;
      chunk.progress(chunk.what, n);
      pending = [];
    }
  }
  if (pending.length > 0) await write(pending);
  return n + pending.length;
}

async function insertEmployers(ex: Executor, rows: SyntheticEmployer[], by: string) {
  const cols = [
    rows.map((r) => r.regionCode),
    rows.map((r) => r.id),
    rows.map((r) => r.creditCode),
    rows.map((r) => r.name),
    rows.map((r) => r.address),
    rows.map((r) => r.division),
    rows.map((r) => r.category),
    rows.map((r) => r.registeredOn),
  ];
  await ex.query(
    `INSERT INTO employers (region_code, id, credit_code, name, address, industry_standard,
       industry_division, category, registered_on, status, status_from, floating_grade,
       floating_grade_from, created_by)
     SELECT r, i, c, n, a, 'GB/T 4754-2017', d, k, o, 'registered', o, 'base', o, $9
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::text[], $8::date[]) AS t(r, i, c, n, a, d, k, o)`,
    [...cols, by],
  );
  await ex.query(
    `INSERT INTO employer_events (region_code, employer_id, seq, kind, effective_from, data, recorded_by)
     SELECT r, i, 1, 'registered', o,
            jsonb_build_object('status', 'registered', 'floatingGrade', 'base', 'riskClass', c), $5
       FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS t(r, i, o, c)`,
    [cols[0], cols[1], cols[7], rows.map((r) => String(r.riskClass)), by],
  );
}

async function insertWorkers(ex: Executor, rows: SyntheticWorker[], by: string) {
  await ex.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     SELECT i, n, m, s, b, $6
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[]) AS t(i, n, m, s, b)`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.idNumber),
      rows.map((r) => r.name),
      rows.map((r) => r.sex),
      rows.map((r) => r.birthDate),
      by,
    ],
  );
}

async function insertSpells(ex: Executor, rows: SyntheticSpell[], by: string) {
  await ex.query(
    `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name,
       start_date, end_date, hired_by, left_by)
     SELECT r, i, e, w, n, s, x, $8, CASE WHEN x IS NULL THEN NULL ELSE $8 END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[],
                   $7::date[]) AS t(r, i, e, w, n, s, x)`,
    [
      rows.map((r) => r.regionCode),
      rows.map((r) => r.id),
      rows.map((r) => r.employerId),
      rows.map((r) => r.workerId),
      rows.map((r) => r.workerName),
      rows.map((r) => r.startDate),
      rows.map((r) => r.endDate),
      by,
    ],
  );
}

/**
 * Spells are written with the no-overlap trigger of migration 0010 switched off and the same rule
 * checked once, set-based, before the transaction ends. The trigger takes a transaction-scoped
 * advisory lock per row, so a load of millions of spells in one transaction runs out of lock
 * table ("out of shared memory", max_locks_per_transaction) and pays a lookup per row. ALTER
 * TABLE holds an ACCESS EXCLUSIVE lock on employment_spells until commit, so no other writer can
 * slip a spell past the check; DISABLE/ENABLE are transactional, so a failure restores the
 * trigger with the rollback. Needs the table's owner: the demo and benchmark databases, never
 * production (the CLI refuses --into-db there).
 */
export async function withOverlapCheckedOnce(
  ex: Executor,
  load: () => Promise<number>,
): Promise<number> {
  await ex.query('ALTER TABLE employment_spells DISABLE TRIGGER employment_spells_no_overlap');
  const n = await load();
  // Rows inserted by this transaction carry its start time (created_at defaults to now()). Per
  // (employer, worker) pair they touch, spells sorted by start overlap somewhere iff some spell
  // starts on or before the end of the one before it: one sort, no self-join. The spells read are
  // those of the touched employers (a semi-join on the employer alone), the pairs touched are
  // marked by a window: a semi-join on the (employer, worker) pair was planned as a merge join on
  // the employer with the worker as a filter, quadratic for one employer of a million workers.
  const clash = await ex.query(
    `SELECT 1 FROM (
       SELECT s.start_date,
              lag(coalesce(s.end_date, 'infinity'::date)) OVER pair AS previous_end,
              bool_or(s.created_at = now()) OVER pair_all AS touched
         FROM employment_spells s
        WHERE (s.region_code, s.employer_id) IN (
          SELECT DISTINCT region_code, employer_id FROM employment_spells WHERE created_at = now())
       WINDOW pair AS (PARTITION BY s.region_code, s.employer_id, s.worker_id ORDER BY s.start_date),
              pair_all AS (PARTITION BY s.region_code, s.employer_id, s.worker_id)
     ) ordered
     WHERE ordered.touched AND ordered.previous_end >= ordered.start_date
     LIMIT 1`,
  );
  if (clash.rows.length > 0)
    throw new Error(
      'synthetic spells overlap another spell of the same worker at the same employer',
    );
  await ex.query('ALTER TABLE employment_spells ENABLE TRIGGER employment_spells_no_overlap');
  return n;
}

/**
 * Inserts the register of a plan through `ex` (the caller's transaction): employers and their
 * events, then workers, then spells (each pass streams the generator again). `by` is written as
 * created_by / registered_by / hired_by.
 */
export async function loadSyntheticRegister(
  ex: Executor,
  plan: SyntheticPlan,
  options: {
    by: string;
    chunkRows?: number | undefined;
    onProgress?: ((what: string, rows: number) => void) | undefined;
  },
): Promise<LoadCounts> {
  const rows = options.chunkRows ?? LOAD_CHUNK_ROWS;
  const progress = options.onProgress ?? (() => {});
  const by = options.by;
  const employers = await inChunks(
    syntheticEmployers(plan),
    { rows, what: 'employers', progress },
    (c) => insertEmployers(ex, c, by),
  );
  const workers = await inChunks(syntheticWorkers(plan), { rows, what: 'workers', progress }, (c) =>
    insertWorkers(ex, c, by),
  );
  const spells = await withOverlapCheckedOnce(ex, () =>
    inChunks(syntheticSpells(plan), { rows, what: 'spells', progress }, (c) =>
      insertSpells(ex, c, by),
    ),
  );
  return { employers, workers, spells };
}
