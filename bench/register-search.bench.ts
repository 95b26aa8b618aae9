import type { Database } from '../src/db/client.ts';
import { openTestDatabase } from '../src/db/testing.ts';
import {
  planSyntheticProvince,
  type SyntheticPlan,
} from '../src/domain/registry/synthetic/synthetic-plan.ts';
import {
  syntheticEmployer,
  syntheticWorker,
} from '../src/domain/registry/synthetic/synthetic-province.ts';
import { type Actor, systemActor } from '../src/identity/actor.ts';
import { seededRandom } from '../src/kernel/random.ts';
import { testDemoProvince, testRuleBook } from '../src/runtime/testing.ts';
import { searchEmployers } from '../src/usecases/registry/employers.ts';
import { generateSyntheticProvince } from '../src/usecases/registry/generate-province.ts';
import { findWorkerByIdNumber } from '../src/usecases/registry/workers.ts';
import type { Benchmark, BenchResult } from './harness.ts';

/**
 * Register search in the server (issue 10: p95 < 50 ms on 1 M employers / 10 M workers): the
 * search use cases — employer name prefix (a city, the province), exact credit code, worker by ID
 * number — each called QUERIES times with queries drawn from the generated register, against a
 * scratch PostgreSQL database loaded by `tongchou generate --into-db`'s use case and dropped
 * afterwards. Baseline: the same number of one-row primary-key reads of employers through the same
 * pool (the floor any search pays). BENCH_SCALE shrinks the register for quick runs (0.01 → 10 k
 * employers / 100 k workers); the target is judged only at full scale.
 */
const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const EMPLOYERS = Math.max(100, Math.round(1_000_000 * SCALE));
const WORKERS = Math.max(1000, Math.round(10_000_000 * SCALE));
const QUERIES = Number(process.env['REGISTER_SEARCH_QUERIES'] ?? 1000);
const TARGET_P95_MS = 50;

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(sortedMs.length * p))] ?? Number.NaN;
}

async function timed(n: number, run: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  let found = 0;
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const out = await run(i);
    ms.push(performance.now() - started);
    if (out !== null && (!Array.isArray(out) || out.length > 0)) found += 1;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), p99: percentile(ms, 0.99), found };
}

/** The employer whose block holds worker w (binary search over the plan's block starts). */
function blockEmployerOf(plan: SyntheticPlan, w: number): number {
  let lo = 0;
  let hi = plan.config.employers - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((plan.blockStart[mid] ?? 0) <= w) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

async function load(db: Database, actor: Actor): Promise<{ plan: SyntheticPlan; loadMs: number }> {
  const rules = testRuleBook().benefits;
  const province = testDemoProvince();
  await db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ($1, $2, $3, 'province')`,
    [province.code, province.name, province.nameEn],
  );
  for (const c of province.cities)
    await db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $3, 'city', $4)`,
      [c.code, c.name, c.nameEn, province.code],
    );
  const cities = province.cities.map(({ code, name }) => ({ code, name }));
  const config = {
    seed: 20261205,
    employers: EMPLOYERS,
    workers: WORKERS,
    months: 24,
    from: '2024-01',
    cities,
  };
  const plan = planSyntheticProvince(config, rules);
  if (!plan.ok) throw new Error(plan.message);
  const started = performance.now();
  const out = await generateSyntheticProvince(db, actor, rules, {
    config,
    intoDb: true,
    onProgress: (what, rows) => {
      if (rows % 1_000_000 === 0) process.stderr.write(`[register-search] ${what} ${rows}\n`);
    },
  });
  if (!out.ok) throw new Error(out.message);
  await db.query('ANALYZE employers, workers, employment_spells');
  return { plan: plan.value, loadMs: performance.now() - started };
}

type Figures = Awaited<ReturnType<typeof timed>>;

function resultOf(name: string, f: Figures, baseline: Figures, notes: string): BenchResult {
  return {
    name: `register-search-${name}`,
    unit: 'ms p95',
    figure: f.p95,
    baseline: baseline.p95,
    baselineLabel: 'primary-key read p95 ms',
    ratio: f.p95 / baseline.p95,
    ...(SCALE === 1
      ? {
          target: {
            description: `p95 < ${TARGET_P95_MS} ms in the server`,
            met: f.p95 < TARGET_P95_MS,
          },
        }
      : {}),
    notes,
    extra: {
      p50: f.p50,
      p99: f.p99,
      found: f.found,
      queries: QUERIES,
      employers: EMPLOYERS,
      workers: WORKERS,
    },
  };
}

async function measure(db: Database, plan: SyntheticPlan): Promise<Record<string, Figures>> {
  const rand = seededRandom(7);
  const pick = (n: number) => Math.floor(rand() * n);
  const employers = Array.from({ length: QUERIES }, () => syntheticEmployer(plan, pick(EMPLOYERS)));
  const workers = Array.from({ length: QUERIES }, () => {
    const w = pick(WORKERS);
    return syntheticWorker(plan, w, syntheticEmployer(plan, blockEmployerOf(plan, w)));
  });
  const rules = testRuleBook().benefits;
  const viewer = { permissions: ['pii:reveal' as const] };
  const asOf = '2025-12-31';
  const search = (regionCode: string, query: { namePrefix?: string; creditCode?: string }) =>
    searchEmployers(db, rules, { regionCode, limit: 50, ...query }, asOf);
  return {
    baseline: await timed(QUERIES, (i) =>
      db.query('SELECT id FROM employers WHERE region_code = $1 AND id = $2', [
        employers[i]!.regionCode,
        employers[i]!.id,
      ]),
    ),
    'name-prefix-city': await timed(QUERIES, (i) =>
      search(employers[i]!.regionCode, { namePrefix: employers[i]!.name.slice(0, 4) }),
    ),
    'name-prefix-province': await timed(QUERIES, (i) =>
      search('330000', { namePrefix: employers[i]!.name.slice(0, 4) }),
    ),
    'credit-code': await timed(QUERIES, (i) =>
      search('330000', { creditCode: employers[i]!.creditCode }),
    ),
    'worker-id-number': await timed(QUERIES, (i) =>
      findWorkerByIdNumber(db, viewer, { regionCode: '330000', idNumber: workers[i]!.idNumber }),
    ),
  };
}

export const benchmark: Benchmark = {
  name: 'register-search',
  run: async () => {
    const t = await openTestDatabase({ backend: 'pg', poolMax: 4 });
    try {
      const { plan, loadMs } = await load(t.db, systemActor('bench-generate'));
      const figures = await measure(t.db, plan);
      const { baseline, ...searches } = figures;
      const notes = `PostgreSQL, ${EMPLOYERS} employers / ${WORKERS} workers loaded by generate --into-db in ${(loadMs / 1000).toFixed(0)} s (BENCH_SCALE ${SCALE}); ${QUERIES} queries each, one at a time; name prefixes are the first 4 characters of a random employer's name (city + 字号)`;
      return Object.entries(searches).map(([name, f]) => resultOf(name, f, baseline!, notes));
    } finally {
      await t.cleanup();
    }
  },
};
