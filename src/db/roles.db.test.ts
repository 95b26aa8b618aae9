import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boolOf, textOf } from './rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from './testing.ts';

/**
 * Migration 0007's roles. The test connects as a superuser and takes the application role with
 * SET ROLE for each statement: privileges and ownership are then checked against tongchou_app,
 * as for a server logged in as it (src/api/app-role.db.test.ts does that on PostgreSQL). On PGlite
 * the roles exist and hold too, but the embedded server only ever runs as its superuser.
 */
async function asAppRole(t: TestDatabase, sql: string): Promise<string | null> {
  try {
    await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE tongchou_app');
      await tx.query(sql);
      // Rolled back whatever happened: a statement that passed changes nothing for the next one.
      throw new Error('passed');
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof Error && err.message === 'passed') return null;
    return typeof code === 'string' ? code : String(err);
  }
  return null;
}

const INSUFFICIENT_PRIVILEGE = '42501';

describe(`database roles on ${testBackend}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('the application role cannot UPDATE, DELETE or TRUNCATE the audit trail', async () => {
    for (const sql of [
      `UPDATE audit_events SET actor = 'forger'`,
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
      `UPDATE audit_checkpoints SET head_hash = 'x'`,
      'DELETE FROM audit_checkpoints',
      'DELETE FROM audit_chain_head',
    ])
      expect(await asAppRole(t, sql), sql).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('the application role cannot switch triggers off, drop or replace them, or change the schema', async () => {
    for (const sql of [
      'ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only',
      'ALTER TABLE audit_events DISABLE TRIGGER ALL',
      'ALTER TABLE ledger_postings DISABLE TRIGGER ALL',
      'DROP TRIGGER audit_events_append_only ON audit_events',
      `CREATE TRIGGER sneak BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()`,
      `CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$`,
      'DROP TABLE audit_events',
      'ALTER TABLE audit_events ADD COLUMN note text',
      'CREATE TABLE shadow (x int)',
    ])
      expect(await asAppRole(t, sql), sql).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('the application role appends to the chain and works with the other tables', async () => {
    for (const sql of [
      'SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
      `INSERT INTO audit_events (seq, at, action, result, request_id, prev_hash, hash)
       VALUES (1000, now(), 'probe', 'ok', 'r', 'p', 'h')`,
      'UPDATE audit_chain_head SET seq = seq WHERE id = 1',
      `INSERT INTO audit_checkpoints VALUES (1000, 'h', now(), 'k', 's')`,
      'UPDATE users SET display_name = display_name WHERE false',
      'DELETE FROM sessions WHERE false',
      `INSERT INTO person_aliases SELECT region_code, 'per_x', id, name, 'u' FROM persons WHERE false`,
      'SELECT version FROM schema_migrations',
    ])
      expect(await asAppRole(t, sql), sql).toBeNull();
  });

  it('the application role creates and reads the e-card key but cannot change or delete it', async () => {
    const insert = `INSERT INTO settlement_ecard_keys (id, secret_hex) VALUES (1, repeat('a', 64))
                    ON CONFLICT DO NOTHING`;
    for (const sql of [insert, 'SELECT secret_hex FROM settlement_ecard_keys WHERE id = 1'])
      expect(await asAppRole(t, sql), sql).toBeNull();
    for (const sql of [
      `UPDATE settlement_ecard_keys SET secret_hex = repeat('b', 64)`,
      'DELETE FROM settlement_ecard_keys',
    ])
      expect(await asAppRole(t, sql), sql).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('the owner role owns every table; the application role can read every one of them', async () => {
    const r = await t.db.query(
      `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner,
              has_table_privilege('tongchou_app', c.oid, 'SELECT') AS can_read
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`,
    );
    const tables = r.rows.map((row) => ({
      table: textOf(row, 'relname'),
      owner: textOf(row, 'owner'),
      canRead: boolOf(row, 'can_read'),
    }));
    expect(tables.length).toBeGreaterThan(10);
    for (const x of tables) {
      expect(x.owner, x.table).toBe('tongchou_owner');
      expect(x.canRead, x.table).toBe(true);
    }
  });
});
