import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { intOf, textOf, withColumns } from '../../src/db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../src/db/testing.ts';
import { randomInt, seededRandom } from '../../src/kernel/random.ts';
import { testRuleBook } from '../../src/runtime/testing.ts';
import { insertBulkEntitlements, setUpBenefits } from '../../src/usecases/benefits/testing.ts';

/**
 * kill -9 of a monthly payroll on PostgreSQL (issue 12 acceptance): `tongchou payroll run` over
 * PAYROLL_KILL_ENTITLEMENTS fund-paid entitlements is killed at PAYROLL_KILL_POINTS seeded points
 * of its computation, and `tongchou payroll file` once while it streams; each rerun resumes. The
 * default suite runs 6 000 entitlements and 3 points (each kill interrupts a different chunk of
 * 1 000; the suite's time is bounded); the acceptance run is PAYROLL_KILL_ENTITLEMENTS=100000
 * PAYROLL_KILL_POINTS=10 (README, Benchmarks). The
 * killed database then has the same lines, the same approval postings and a byte-identical payment
 * file as a database whose run was never interrupted; a second approval and a second run post and
 * add nothing.
 */
const root = resolve(import.meta.dirname, '../..');
const N = Number(process.env['PAYROLL_KILL_ENTITLEMENTS'] ?? 6_000);
const POINTS = Number(process.env['PAYROLL_KILL_POINTS'] ?? 3);
const SEED = 20261206;
const MONTH = '2025-10';
const RUN = 'prl_330100_202510';
const dir = mkdtempSync(join(tmpdir(), 'tc-payroll-kill-'));
const rules = testRuleBook().benefits;
let reference: TestDatabase;
let killed: TestDatabase;

/**
 * N entitlements in 杭州 on one approved decision (insertBulkEntitlements): deterministic ids,
 * amounts and accounts, so two databases seeded alike must pay alike.
 */
async function seed(db: Database): Promise<void> {
  const f = await setUpBenefits(db, rules, [MONTH]);
  await insertBulkEntitlements(db, { employerId: f.employer.id, count: N });
}

function cli(
  url: string,
  args: string[],
): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, TONGCHOU_MODE: 'demo' };
  const child = spawn(process.execPath, ['bin/tongchou.mjs', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => chunks.push(b));
  child.stderr?.on('data', (b: Buffer) => chunks.push(b));
  return {
    child,
    exited: new Promise((done) => child.once('exit', (code) => done(code))),
    output: () => Buffer.concat(chunks).toString('utf8').slice(-2000),
  };
}

const runArgs = ['payroll', 'run', '--region', '330100', '--month', MONTH, '--as', 'hz-maker'];
const approveArgs = [
  ...['payroll', 'approve', '--region', '330100', '--run', RUN, '--as', 'hz-checker'],
  ...['--on', `${MONTH}-18`],
];
const fileArgs = (out: string) => [
  ...['payroll', 'file', '--region', '330100', '--run', RUN, '--as', 'hz-maker'],
  ...['--out', out],
];

async function complete(url: string, args: string[]): Promise<void> {
  const c = cli(url, args);
  const code = await c.exited;
  expect(code, `${args.slice(0, 2).join(' ')}: ${c.output()}`).toBe(0);
}

async function lineCount(db: Database): Promise<number> {
  const r = withColumns(
    await db.query(
      `SELECT coalesce(max(line_count), 0)::int AS n FROM payroll_runs WHERE id = $1`,
      [RUN],
    ),
    { n: intOf },
  );
  return r.rows[0]?.n ?? 0;
}

/** The run's lines and the ledger's payroll postings, as one digest each (same in both databases?). */
async function digest(db: Database): Promise<{ lines: string; postings: string; count: number }> {
  const lines = withColumns(
    await db.query(
      `SELECT md5(string_agg(concat_ws(',', id, entitlement_id, worker_id, kind, amount_fen, account_number),
                             ';' ORDER BY id)) AS d, count(*)::int AS n
         FROM payroll_lines WHERE run_id = $1`,
      [RUN],
    ),
    { d: textOf, n: intOf },
  ).rows[0]!;
  const postings = withColumns(
    await db.query(
      `SELECT coalesce(md5(string_agg(concat_ws(',', t.id, s.code, a.code, p.side, p.amount), ';'
                                       ORDER BY t.id, p.seq)), 'none') AS d
         FROM ledger_transactions t
         JOIN ledger_postings p ON p.tx_seq = t.seq
         JOIN ledger_accounts a ON a.id = p.account_id
         JOIN ledger_segments s ON s.id = p.segment_id
        WHERE t.source_type = 'benefit.payroll'`,
    ),
    { d: textOf },
  ).rows[0]!;
  return { lines: lines.d, postings: postings.d, count: lines.n };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the run, waits until it has committed a chunk of its own (so every kill interrupts real
 * progress) and the run holds at least `threshold` lines, lets it run on for `lag` ms (the kill
 * lands inside the next chunk or between two) and kills it with SIGKILL. Answers the lines kept.
 */
async function killAt(threshold: number, lag: number): Promise<number> {
  const before = await lineCount(killed.db);
  const run = cli(killed.url!, runArgs);
  let exited = false;
  void run.exited.then(() => {
    exited = true;
  });
  for (;;) {
    const now = await lineCount(killed.db);
    if (exited || (now > before && now >= threshold)) break;
    await sleep(10);
  }
  await sleep(lag);
  run.child.kill('SIGKILL');
  expect(await run.exited, 'the run finished before it was killed').toBeNull();
  return lineCount(killed.db);
}

describe('kill -9 during a monthly payroll (PostgreSQL)', () => {
  const opened: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of opened) await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`resumes after ${POINTS} seeded kills to the same lines, postings and payment file`, async () => {
    // Fresh databases per attempt (vitest retries a failed test once): a retry starts from nothing.
    reference = await openTestDatabase({ backend: 'pg' });
    killed = await openTestDatabase({ backend: 'pg' });
    const attempt = opened.length / 2;
    opened.push(reference, killed);
    await seed(reference.db);
    await seed(killed.db);
    // The uninterrupted run.
    await complete(reference.url!, runArgs);
    await complete(reference.url!, approveArgs);
    const referenceFile = join(dir, `reference-${attempt}.csv`);
    await complete(reference.url!, fileArgs(referenceFile));
    const expected = await digest(reference.db);
    expect(expected.count).toBe(N);

    // Seeded points of the computation, in order: each kill leaves a run still computing.
    const rand = seededRandom(SEED);
    const points = Array.from({ length: POINTS }, () => randomInt(rand, 1, N - 4_000)).sort(
      (a, b) => a - b,
    );
    const reached: number[] = [];
    for (const point of points) {
      const at = await killAt(point, randomInt(rand, 0, 150));
      reached.push(at);
      expect(at, `killed at ${point}: ${reached.join(' ')}`).toBeLessThan(N);
    }
    expect(reached.at(-1)).toBeGreaterThan(0);
    await complete(killed.url!, runArgs);
    await complete(killed.url!, approveArgs);
    // The file killed while it streams leaves no file at the path; the rerun writes it whole.
    const killedFile = join(dir, `killed-${attempt}.csv`);
    const file = cli(killed.url!, fileArgs(killedFile));
    await sleep(300 + randomInt(rand, 0, 300));
    file.child.kill('SIGKILL');
    await file.exited;
    expect(existsSync(killedFile)).toBe(false);
    await complete(killed.url!, fileArgs(killedFile));

    expect(await digest(killed.db)).toEqual(expected);
    expect(sha256(killedFile)).toBe(sha256(referenceFile));
    // The fixed-width GBK file (derived from the stored lines only) is the same bytes too.
    const referenceFixed = join(dir, `reference-${attempt}.txt`);
    const killedFixed = join(dir, `killed-${attempt}.txt`);
    await complete(reference.url!, [...fileArgs(referenceFixed), '--format', 'fixed-gbk']);
    await complete(killed.url!, [...fileArgs(killedFixed), '--format', 'fixed-gbk']);
    expect(sha256(killedFixed)).toBe(sha256(referenceFixed));
    // Nothing twice: a second approval and a second run change nothing.
    await complete(killed.url!, approveArgs);
    await complete(killed.url!, runArgs);
    expect(await digest(killed.db)).toEqual(expected);
  }, 1_200_000);
});
