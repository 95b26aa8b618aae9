import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { SyntheticConfig } from '../../domain/registry/synthetic/synthetic-plan.ts';
import { systemActor } from '../../identity/actor.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { generateSyntheticProvince } from './generate-province.ts';
import { withOverlapCheckedOnce } from './synthetic-register-load.ts';

const rules = testRuleBook().benefits;
const dir = mkdtempSync(join(tmpdir(), 'tc-generate-db-'));
const config: SyntheticConfig = {
  seed: 11,
  employers: 50,
  workers: 500,
  months: 13,
  from: '2024-06',
  cities: [
    { code: '330100', name: '杭州市' },
    { code: '330200', name: '宁波市' },
  ],
};

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province')`,
  );
  for (const c of config.cities)
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $2, 'city', '330000')`,
      [c.code, c.name],
    );
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function fileLines(name: string): string[] {
  return readFileSync(join(dir, name), 'utf8').trimEnd().split('\n').slice(1);
}

async function count(sql: string): Promise<number> {
  const r = withColumns(await t.db.query(sql), { n: intOf });
  return r.rows[0]?.n ?? -1;
}

describe(`tongchou generate --into-db on ${testBackend}`, () => {
  it('loads the same register as the files, in chunks, with its registration events and audit', async () => {
    const actor = systemActor('test-generate');
    const out = await generateSyntheticProvince(t.db, actor, rules, {
      config,
      out: { dir, perEmployerFiles: false },
      intoDb: true,
      chunkRows: 64,
    });
    if (!out.ok) throw new Error(out.message);
    expect(out.value.database).toEqual({
      employers: out.value.files?.employers,
      workers: out.value.files?.workers,
      spells: out.value.files?.spells,
    });
    expect(await count('SELECT count(*)::int AS n FROM employers')).toBe(
      fileLines('employers.csv').length,
    );
    expect(await count('SELECT count(*)::int AS n FROM workers')).toBe(
      fileLines('workers.csv').length,
    );
    expect(await count('SELECT count(*)::int AS n FROM employment_spells')).toBe(
      fileLines('spells.csv').length,
    );
    expect(
      await count(`SELECT count(*)::int AS n FROM employer_events WHERE kind = 'registered'`),
    ).toBe(50);
    const ids = withColumns(await t.db.query('SELECT id_number FROM workers ORDER BY id'), {
      id_number: textOf,
    });
    const fromFile = fileLines('workers.csv')
      .map((l) => l.split(','))
      .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(ids.rows.map((r) => r.id_number)).toEqual(fromFile.map((r) => r[1]));
    const open = await count(
      'SELECT count(*)::int AS n FROM employment_spells WHERE end_date IS NULL',
    );
    expect(open).toBe(fileLines('spells.csv').filter((l) => l.endsWith(',')).length);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('refuses a city the regions table does not hold, and loads nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM employers');
    const out = await generateSyntheticProvince(t.db, systemActor('test'), rules, {
      config: { ...config, seed: 12, cities: [{ code: '330900', name: '舟山市' }] },
      intoDb: true,
    });
    expect(out).toMatchObject({ ok: false, code: 'synthetic.unknown_city' });
    expect(await count('SELECT count(*)::int AS n FROM employers')).toBe(before);
  });

  it('checks the no-overlap rule once for the spells it loads, and restores the trigger', async () => {
    const [pair] = withColumns(
      await t.db.query(
        'SELECT region_code, employer_id, worker_id FROM employment_spells WHERE end_date IS NOT NULL LIMIT 1',
      ),
      { region_code: textOf, employer_id: textOf, worker_id: textOf },
    ).rows;
    if (!pair) throw new Error('no spell loaded');
    const insert = (tx: { query: typeof t.db.query }, id: string) =>
      tx.query(
        `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name, start_date, hired_by)
         VALUES ($1, $2, $3, $4, '重叠', '2030-01-01', 'test')`,
        [pair.region_code, id, pair.employer_id, pair.worker_id],
      );
    const load = t.db.transaction((tx) =>
      withOverlapCheckedOnce(tx, async () => {
        await insert(tx, `spl_${pair.region_code}_00000000000000c1`);
        await insert(tx, `spl_${pair.region_code}_00000000000000c2`);
        return 2;
      }),
    );
    await expect(load).rejects.toThrow(/overlap/);
    await expect(insert(t.db, `spl_${pair.region_code}_00000000000000c3`)).resolves.toBeDefined();
    await expect(insert(t.db, `spl_${pair.region_code}_00000000000000c4`)).rejects.toThrow(
      /overlaps/,
    );
  });
});
