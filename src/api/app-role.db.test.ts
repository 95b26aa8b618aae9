import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { adminQuery, openTestDatabase, type TestDatabase, testBackend } from '../db/testing.ts';
import { systemActor } from '../identity/actor.ts';
import { loadConfig } from '../runtime/config.ts';
import { openConfiguredDatabase } from '../runtime/database.ts';
import { testDemoProvince } from '../runtime/testing.ts';
import { verifyAuditChain } from '../usecases/audit/audit-log.ts';
import { seedDemo } from '../usecases/seed/seed-demo.ts';
import { loginAs, startTestApp, type TestApp, withSession } from './testing.ts';

function urlAs(databaseUrl: string, user: string): string {
  const u = new URL(databaseUrl);
  u.username = user;
  u.password = '';
  return u.toString();
}

async function codeOf(db: Database, sql: string): Promise<string | null> {
  try {
    await db.query(sql);
    return null;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? code : String(err);
  }
}

/**
 * The deployment docs/security.md describes, on a PostgreSQL server: migrations through the owner
 * (DATABASE_OWNER_URL), the server logged in as a member of tongchou_app (DATABASE_URL). Roles do
 * not exist apart on PGlite (one embedded superuser), so this runs on the server only.
 */
describe.runIf(testBackend === 'pg')('the server running as the application role', () => {
  const login = `tc_login_${randomBytes(5).toString('hex')}`;
  let t: TestDatabase;
  let appDb: Database;
  let h: TestApp;
  beforeAll(async () => {
    t = await openTestDatabase({ migrate: false });
    // Roles are server-wide: tongchou_app may exist from another test database's migration 0007.
    await adminQuery(`DO $$ BEGIN CREATE ROLE tongchou_app NOLOGIN;
                   EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await adminQuery(`CREATE ROLE ${login} LOGIN IN ROLE tongchou_app`);
    const config = loadConfig({
      DATABASE_URL: urlAs(t.url ?? '', login),
      DATABASE_OWNER_URL: t.url ?? '',
      DB_POOL_MAX: '4',
    });
    // Every migration is pending: they run through the owner's URL, the server connects as login.
    appDb = await openConfiguredDatabase(config);
    await seedDemo(t.db, systemActor('test-seed'), { seed: 2019164, province: testDemoProvince() });
    h = await startTestApp({ db: appDb });
  });
  afterAll(async () => {
    await h.close();
    await appDb.close();
    await t.cleanup();
    await adminQuery(`DROP ROLE IF EXISTS ${login}`);
  });

  it('serves log-in, a registration and the audit list; the chain verifies', async () => {
    const who = await appDb.query('SELECT current_user AS u');
    expect(who.rows[0]).toEqual({ u: login });
    const s = await loginAs(h.app, 'hz.handler');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330100/persons',
      headers: withSession(s),
      payload: { idNumber: '11010519491231002X', name: '甲' },
    });
    expect(res.statusCode).toBe(201);
    const anon = await h.app.inject({ method: 'POST', url: '/api/v1/regions/330100/persons' });
    expect(anon.statusCode).toBe(401);
    expect(await h.app.auditFailures.flush()).toBe(1);
    const sup = await loginAs(h.app, 'hz.supervisor');
    const list = await h.app.inject({ url: '/api/v1/audit/events', headers: withSession(sup) });
    expect(list.statusCode).toBe(200);
    expect(list.json().events[0]).toMatchObject({ sourceAddress: '127.0.0.1' });
    expect(await verifyAuditChain(appDb)).toMatchObject({ ok: true });
  });

  it('cannot rewrite the audit trail, switch its triggers off or become the owner', async () => {
    expect(await codeOf(appDb, `UPDATE audit_events SET actor = 'forger'`)).toBe('42501');
    expect(await codeOf(appDb, 'DELETE FROM audit_events')).toBe('42501');
    expect(
      await codeOf(appDb, 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only'),
    ).toBe('42501');
    expect(await codeOf(appDb, 'SET ROLE tongchou_owner')).toBe('42501');
    expect(await codeOf(appDb, 'CREATE TABLE shadow (x int)')).toBe('42501');
  });

  it('cannot switch off maker-checker: the approval triggers stay, decisions stay as written', async () => {
    expect(
      await codeOf(
        appDb,
        'ALTER TABLE approval_decisions DISABLE TRIGGER approval_decisions_checker',
      ),
    ).toBe('42501');
    expect(
      await codeOf(appDb, 'ALTER TABLE approvals DISABLE TRIGGER approvals_status_guard'),
    ).toBe('42501');
    expect(await codeOf(appDb, `UPDATE approval_decisions SET decision = 'approved'`)).toBe(
      '42501',
    );
    expect(await codeOf(appDb, 'DELETE FROM approval_decisions')).toBe('42501');
  });
});
