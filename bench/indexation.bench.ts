import type { Database } from '../src/db/client.ts';
import { openTestDatabase } from '../src/db/testing.ts';
import { indexationBatchId } from '../src/domain/benefits/indexation.ts';
import { testRuleBook } from '../src/runtime/testing.ts';
import { applyIndexation, approveIndexation } from '../src/usecases/benefits/indexation-apply.ts';
import { proposeIndexation } from '../src/usecases/benefits/indexation-propose.ts';
import { insertBulkEntitlements, setUpBenefits } from '../src/usecases/benefits/testing.ts';
import { HZ, POLICY } from '../src/usecases/contributions/testing.ts';
import { withRssSampled } from './contributions-fixtures.ts';
import { type Benchmark, type BenchResult, median } from './harness.ts';

/**
 * Issue 12's indexation figure: "indexation of 1 M entitlements ≥ 50 % of raw INSERT of the new
 * rows". A scratch PostgreSQL database holds N (INDEXATION_BENCH_ENTITLEMENTS, default 1 000 000)
 * active entitlements of 杭州 written set-based by insertBulkEntitlements (the payroll's kill -9
 * test's seed; its decision's appraisal is grade 3 with full nursing, so every one is adjusted by
 * the demo 2025 figures of src/rules/values/330000/indexation.yaml); not timed.
 * Timed: the 2025 batch as `tongchou benefits indexation propose`, `approve` and `apply` run it —
 * proposeIndexation (the register read in pages of 10 000, each page's lines computed, inserted and
 * folded into the payload, the approval asked), approveIndexation by the checker, applyIndexation
 * (the stored lines read back into their digest and the register witnessed by one aggregate, the
 * approval consumed against that payload, the old rows ended and their successors inserted, one
 * transaction). RSS growth is sampled over the three: one page, not the register, is held. Baseline, same run: the successors just written, copied beforehand into a temporary
 * table (not timed), then one `INSERT … SELECT *` of them into a copy of benefit_entitlements (LIKE
 * … INCLUDING ALL plus its foreign keys). The apply alone is reported beside it.
 */
const N = Number(process.env['INDEXATION_BENCH_ENTITLEMENTS'] ?? 1_000_000);
const FULL = 1_000_000;
const YEAR = 2025;
const INSERT_ROUNDS = 3;
const rules = testRuleBook().benefits;

async function timedIndexation(db: Database, f: Awaited<ReturnType<typeof setUpBenefits>>) {
  const t0 = performance.now();
  const proposed = await proposeIndexation(
    db,
    f.maker,
    rules,
    { regionCode: HZ, year: YEAR },
    { policy: POLICY },
  );
  if (!proposed.ok) throw new Error(`proposal refused: ${proposed.message}`);
  const t1 = performance.now();
  const batch = { regionCode: HZ, batchId: proposed.value.batchId };
  const approved = await approveIndexation(db, f.checker, batch);
  if (!approved.ok) throw new Error(`approval refused: ${approved.message}`);
  const t2 = performance.now();
  const applied = await applyIndexation(db, f.maker, batch);
  if (!applied.ok) throw new Error(`apply refused: ${applied.message}`);
  const t3 = performance.now();
  return {
    lines: applied.value.lineCount,
    proposeMs: t1 - t0,
    approveMs: t2 - t1,
    applyMs: t3 - t2,
  };
}

async function timedRawInsert(db: Database) {
  return db.transaction(async (tx) => {
    await tx.query(
      `CREATE TEMP TABLE bench_successors ON COMMIT DROP AS
         SELECT e.* FROM benefit_entitlements e
           JOIN benefit_indexation_lines l
             ON l.region_code = e.region_code AND l.new_entitlement_id = e.id
          WHERE l.region_code = $1 AND l.batch_id = $2`,
      [HZ, indexationBatchId(HZ, YEAR)],
    );
    await tx.query('CREATE TABLE bench_entitlements (LIKE benefit_entitlements INCLUDING ALL)');
    // LIKE copies indexes, checks and defaults but not foreign keys: the same ones are added, so the
    // raw INSERT pays every check the apply's INSERT pays.
    const fks = await tx.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'benefit_entitlements'::regclass AND contype = 'f'`,
    );
    for (const fk of fks.rows)
      await tx.query(`ALTER TABLE bench_entitlements ADD ${String(fk['def'])}`);
    // Three rounds, emptied between them, the median kept: the machine's load moves in minutes.
    const rounds: number[] = [];
    let rows = 0;
    for (let round = 0; round < INSERT_ROUNDS; round++) {
      if (round > 0) await tx.query('TRUNCATE bench_entitlements');
      const started = performance.now();
      rows = (await tx.query('INSERT INTO bench_entitlements SELECT * FROM bench_successors'))
        .rowCount;
      rounds.push(performance.now() - started);
    }
    return { rows, ms: median(rounds), rounds, foreignKeys: fks.rows.length };
  });
}

const rate = (rows: number, ms: number) => rows / (ms / 1000);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const benchmark: Benchmark = {
  name: 'indexation',
  run: async (): Promise<BenchResult[]> => {
    const t = await openTestDatabase({ backend: 'pg', poolMax: 4 });
    try {
      const l0 = performance.now();
      const f = await setUpBenefits(t.db, rules, []);
      await insertBulkEntitlements(t.db, {
        employerId: f.employer.id,
        count: N,
        nursingLevel: 'full',
      });
      await t.db.query('ANALYZE');
      const loadMs = performance.now() - l0;
      const sampled = await withRssSampled(() => timedIndexation(t.db, f));
      const run = sampled.value;
      if (run.lines !== N) throw new Error(`the batch adjusted ${run.lines} of ${N}`);
      const raw = await timedRawInsert(t.db);
      if (raw.rows !== run.lines) throw new Error(`raw INSERT wrote ${raw.rows} of ${run.lines}`);
      const totalMs = run.proposeMs + run.approveMs + run.applyMs;
      const figure = rate(run.lines, totalMs);
      const baseline = rate(raw.rows, raw.ms);
      const judged = N >= FULL;
      const scale = `${N} entitlements (INDEXATION_BENCH_ENTITLEMENTS; target judged at ${FULL}), seeded set-based in ${s(loadMs)}; shared machine, figures noisy`;
      return [
        {
          name: 'indexation-pg',
          unit: 'rows/s',
          figure,
          baseline,
          baselineLabel: 'raw INSERT … SELECT of the successor rows rows/s',
          ratio: figure / baseline,
          ...(judged
            ? { target: { description: '≥ 50 % of raw INSERT', met: figure / baseline >= 0.5 } }
            : {}),
          notes: `PostgreSQL; timed: proposeIndexation (${s(run.proposeMs)}), approveIndexation (${s(run.approveMs)}), applyIndexation (${s(run.applyMs)}, alone ${rate(run.lines, run.applyMs).toFixed(0)} rows/s = ${(rate(run.lines, run.applyMs) / baseline).toFixed(2)} of the baseline) of ${run.lines} entitlements; rss growth ${sampled.growthMb.toFixed(0)} MB over idle ${sampled.idleMb.toFixed(0)} MB; vs INSERT INTO a LIKE … INCLUDING ALL copy of benefit_entitlements with its ${raw.foreignKeys} foreign keys SELECT * FROM a temp table of the same ${raw.rows} successors (median of ${raw.rounds.length} rounds emptied between them, ${raw.rounds.map(s).join(' / ')}); ${scale}`,
          extra: {
            lines: run.lines,
            proposeMs: run.proposeMs,
            approveMs: run.approveMs,
            applyMs: run.applyMs,
            insertMs: raw.ms,
            rssGrowthMb: sampled.growthMb,
          },
        },
      ];
    } finally {
      await t.cleanup();
    }
  },
};
