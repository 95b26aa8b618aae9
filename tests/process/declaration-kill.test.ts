import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { intOf, withColumns } from '../../src/db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../src/db/testing.ts';
import { addDays } from '../../src/kernel/dates.ts';
import { citizenIdCheckCharacter, citizenIdFacts } from '../../src/kernel/ids.ts';

/**
 * kill -9 during a declaration import on PostgreSQL (issue 10 acceptance): the child running
 * `tongchou contributions declare` is killed while it streams rows into its transaction; nothing
 * is declared, and the rerun completes with every line. DECLARATION_KILL_ROWS sets the size
 * (default 100 000; the acceptance figure is 1 000 000).
 */
const root = resolve(import.meta.dirname, '../..');
const ROWS = Number(process.env['DECLARATION_KILL_ROWS'] ?? 100_000);
const EMPLOYER = `emp_330100_${'9'.padStart(16, '0')}`;
const dir = mkdtempSync(join(tmpdir(), 'tc-declare-kill-'));
const file = join(dir, 'big.csv');
let t: TestDatabase;

function idNumberOf(n: number): string {
  const birth = addDays('1960-01-01', n % 14_000).replaceAll('-', '');
  const first17 = `330102${birth}${String(Math.floor(n / 14_000)).padStart(3, '0')}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}

async function seedRegister(db: Database): Promise<void> {
  await db.query(`INSERT INTO regions (code, name, name_en, level) VALUES
    ('330000', '浙江省', 'Zhejiang', 'province')`);
  await db.query(`INSERT INTO regions (code, name, name_en, level, parent_code) VALUES
    ('330100', '杭州市', 'Hangzhou', 'city', '330000')`);
  await db.query(
    `INSERT INTO employers (region_code, id, credit_code, name, address, industry_standard,
       industry_division, category, registered_on, status, status_from, floating_grade,
       floating_grade_from, created_by)
     VALUES ('330100', $1, '91330100MA00009X9D', '杭州大单位', '杭州市', 'GB/T 4754-2017', '34', 'large',
       '2024-01-01', 'registered', '2024-01-01', 'base', '2024-01-01', 'system')`,
    [EMPLOYER],
  );
  for (let from = 0; from < ROWS; from += 20_000) {
    const ns = Array.from({ length: Math.min(20_000, ROWS - from) }, (_, i) => from + i);
    const ids = ns.map(idNumberOf);
    const facts = ids.map(citizenIdFacts);
    await db.query(
      `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
       SELECT 'wkr_' || lpad(to_hex(n), 16, '0'), idn, '职工' || n, sex, birth::date, 'system'
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS u(n, idn, sex, birth)`,
      [ns, ids, facts.map((f) => f.sex), facts.map((f) => f.birthDate)],
    );
    // The overlap trigger checks each spell against every spell of the employer (one employer with
    // 100 000 workers makes that quadratic): the seed of fresh, disjoint spells skips the triggers.
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = 'replica'`);
      await tx.query(
        `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name, start_date, hired_by)
         SELECT '330100', 'spl_330100_' || lpad(to_hex(n), 16, '0'), $2, 'wkr_' || lpad(to_hex(n), 16, '0'),
                '职工' || n, '2024-01-01', 'system'
           FROM unnest($1::int[]) AS n`,
        [ns, EMPLOYER],
      );
    });
  }
  const lines = Array.from(
    { length: ROWS },
    (_, n) => `${idNumberOf(n)},职工${n},${5000 + (n % 9000)}.50`,
  );
  writeFileSync(file, `公民身份号码,姓名,缴费工资\n${lines.join('\n')}\n`);
}

function declare(url: string): { child: ChildProcess; exited: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, TONGCHOU_MODE: 'demo' };
  const args = [
    'contributions',
    'declare',
    '--employer',
    EMPLOYER,
    '--month',
    '2025-03',
    '--file',
    file,
  ];
  const child = spawn(process.execPath, ['bin/tongchou.mjs', ...args], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  return { child, exited: new Promise((done) => child.once('exit', (code) => done(code))) };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return withColumns(await t.db.query(sql, params), { n: intOf }).rows[0]!.n;
}
const declared = () =>
  count(
    'SELECT ((SELECT count(*) FROM declarations) + (SELECT count(*) FROM declaration_lines))::int AS n',
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during a declaration import (PostgreSQL)', () => {
  beforeAll(async () => {
    t = await openTestDatabase({ backend: 'pg' });
    await seedRegister(t.db);
  }, 300_000);
  afterAll(async () => {
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves nothing half-imported; the rerun completes', async () => {
    const dbName = new URL(t.url!).pathname.slice(1);
    const run = declare(t.url!);
    // Wait until the child is inside its transaction, loading rows into the staging table.
    const started = Date.now();
    let staging = 0;
    while (staging === 0 && Date.now() - started < 120_000) {
      staging = await count(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE '%declaration_staging%'`,
        [dbName],
      );
      if (staging === 0) await sleep(10);
    }
    expect(staging).toBeGreaterThan(0);
    run.child.kill('SIGKILL');
    expect(await run.exited).toBeNull();
    // The server ends the orphaned session; its transaction never commits.
    let others = 1;
    for (let i = 0; i < 300 && others > 0; i++) {
      others = await count(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND query ILIKE '%declaration%'`,
        [dbName],
      );
      if (others > 0) await sleep(100);
    }
    expect(await declared()).toBe(0);
    const rerun = declare(t.url!);
    expect(await rerun.exited).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM declaration_lines')).toBe(ROWS);
    expect(await count('SELECT count(*)::int AS n FROM declarations')).toBe(1);
  }, 300_000);
});
