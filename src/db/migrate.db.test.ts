import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './client.ts';
import { listMigrations, migrate } from './migrate.ts';
import { boolOf, intOf, textOf } from './rows.ts';
import * as schema from './schema.ts';
import { openTestDatabase, type TestDatabase, testBackend } from './testing.ts';

describe(`migrations on ${testBackend}`, () => {
  let t: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  afterAll(async () => t.cleanup());

  it('applies every numbered migration once; a rerun applies nothing', async () => {
    const rows = await db.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => intOf(r, 'version'))).toEqual(
      listMigrations().map((m) => m.version),
    );
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
  });

  it('the Drizzle schema matches the migrated tables, column by column', async () => {
    for (const table of Object.values(schema)) {
      const cfg = getTableConfig(table);
      const cols = await db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
        [cfg.name],
      );
      const actual = new Set(cols.rows.map((c) => textOf(c, 'column_name')));
      expect(actual.size, `table ${cfg.name} exists`).toBeGreaterThan(0);
      for (const c of cfg.columns) expect(actual.has(c.name), `${cfg.name}.${c.name}`).toBe(true);
    }
  });

  it('every table holding city records has a region_code in its primary key', async () => {
    const result = await db.query(
      `SELECT c.table_name,
              EXISTS (SELECT 1 FROM information_schema.key_column_usage k
                        JOIN information_schema.table_constraints tc
                          ON tc.constraint_name = k.constraint_name AND tc.table_name = k.table_name
                       WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name
                         AND k.column_name = 'region_code' AND k.table_schema = current_schema()) AS in_pk
         FROM information_schema.columns c
        WHERE c.table_schema = current_schema() AND c.column_name = 'region_code'`,
    );
    const rows = result.rows.map((r) => ({
      tableName: textOf(r, 'table_name'),
      inPk: boolOf(r, 'in_pk'),
    }));
    // users are a reference table (ADR 0001): region_code there is the scope, not a distribution key.
    const cityTables = rows.filter((r) => r.tableName !== 'users');
    expect(cityTables.length).toBeGreaterThan(0);
    for (const r of cityTables) expect(r.inPk, r.tableName).toBe(true);
  });

  it('audit events refuse UPDATE and DELETE at the database', async () => {
    await db.query(
      `INSERT INTO audit_events (seq, at, action, result, request_id, prev_hash, hash) VALUES (999, now(), 'x', 'ok', 'r', 'p', 'h')`,
    );
    await expect(db.query(`UPDATE audit_events SET action = 'y' WHERE seq = 999`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query(`DELETE FROM audit_events WHERE seq = 999`)).rejects.toThrow(
      /append-only/,
    );
  });
});
