import { describe, expect, it } from 'vitest';
import { seedTestDemo } from '../runtime/testing.ts';
import type { Database } from './client.ts';
import { migrate } from './migrate.ts';
import { openTestDatabase, templateVariable, testBackend } from './testing.ts';

/** Every table's row count: what a copy of a template must share with a database built afresh. */
async function rowCounts(db: Database): Promise<Record<string, number>> {
  const tables = await db.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const row of tables.rows) {
    const name = String(row['table_name']);
    const r = await db.query(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = Number(r.rows[0]?.['n']);
  }
  return counts;
}

describe(`test templates on ${testBackend}`, () => {
  it('are built once for the run and named to every worker', () => {
    expect(process.env[templateVariable(testBackend, 'migrated')]).toBeTruthy();
    expect(process.env[templateVariable(testBackend, 'demo')]).toBeTruthy();
  });

  it('give the database a test would build afresh: every migration, the same demo rows', async () => {
    const copy = await openTestDatabase({ template: 'demo' });
    const fresh = await openTestDatabase({ migrate: false });
    try {
      expect(copy.fromTemplate).toBe(true);
      expect(fresh.fromTemplate).toBe(false);
      await migrate(fresh.db);
      await seedTestDemo(fresh.db);
      const copied = await rowCounts(copy.db);
      expect(copied['users']).toBeGreaterThan(0);
      expect(copied).toEqual(await rowCounts(fresh.db));
      // Migrating a copy again applies nothing: it holds every numbered migration already.
      const applied = await copy.db.query('SELECT count(*)::int AS n FROM schema_migrations');
      await migrate(copy.db);
      const after = await copy.db.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(after.rows).toEqual(applied.rows);
    } finally {
      await copy.cleanup();
      await fresh.cleanup();
    }
  });

  it('copies are independent: a write to one is not seen by the next', async () => {
    const a = await openTestDatabase();
    await a.db.query(`CREATE TABLE scratch_probe (x int)`);
    await a.cleanup();
    const b = await openTestDatabase();
    try {
      const r = await b.db.query(`SELECT to_regclass('scratch_probe') IS NULL AS absent`);
      expect(r.rows[0]?.['absent']).toBe(true);
    } finally {
      await b.cleanup();
    }
  });
});
