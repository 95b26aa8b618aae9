import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { systemActor } from '../../identity/actor.ts';
import { testDemoProvince } from '../../runtime/testing.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import {
  consumeApproval,
  decideApproval,
  listApprovals,
  requestApproval,
} from '../approvals/approvals.ts';
import { approvalsFixture } from '../approvals/approvals-fixture.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { DEMO_PASSWORD, demoUsersOf, seedDemo } from '../seed/seed-demo.ts';
import { authenticateApiToken, createApiToken } from './api-tokens.ts';
import { login } from './login.ts';
import { authenticateSession, type SessionPolicy } from './sessions.ts';
import { addUser } from './users.ts';

const province = testDemoProvince();
const demoUsers = demoUsersOf(province);

const policy: SessionPolicy = {
  idleMinutes: 30,
  absoluteHours: 12,
  throttleFailures: 5,
  throttleBaseSeconds: 30,
  throttleMaxMinutes: 15,
  accountCeiling: 100,
  lockMinutes: 30,
  secondFactor: 'optional',
};

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await seedDemo(t.db, systemActor('seed'), { seed: 7, province });
});
afterAll(async () => t.cleanup());

describe(`identity on ${testBackend}: seed`, () => {
  it('seeding is idempotent and deterministic', async () => {
    const count = async () =>
      withColumns(
        await t.db.query(
          `SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM persons) || '/' ||
                (SELECT string_agg(code || ':' || insured_workers, ',' ORDER BY code) FROM regions) AS s`,
        ),
        { s: textOf },
      ).rows[0]!.s;
    const before = await count();
    const again = await seedDemo(t.db, systemActor('seed'), { seed: 7, province });
    expect(again.created).toBe(false);
    expect(await count()).toBe(before);
    // 33 seeded persons (three per city) and the demo survivor.
    expect(before.startsWith(`${demoUsers.length}/34/`)).toBe(true);
    const other = await openTestDatabase();
    try {
      await seedDemo(other.db, systemActor('seed'), { seed: 7, province });
      const ids = async (db: typeof t.db) =>
        withColumns(
          await db.query(
            `SELECT string_agg(id_number, ',' ORDER BY region_code, id) AS s FROM persons`,
          ),
          { s: textOf },
        ).rows[0]!.s;
      expect(await ids(other.db)).toBe(await ids(t.db));
    } finally {
      await other.cleanup();
    }
  });
});

describe(`identity on ${testBackend}: users`, () => {
  it('users add validates role × scope and refuses duplicates', async () => {
    const actor = systemActor('t');
    const base = {
      username: 'wz.handler',
      displayName: '温州经办员',
      role: 'city_handler' as const,
      scopeKind: 'city' as const,
      scopeCode: '330300',
      regionCode: '330300',
      password: 'a-long-password',
    };
    expect((await addUser(t.db, actor, base)).ok).toBe(true);
    expect(await addUser(t.db, actor, base)).toMatchObject({
      ok: false,
      code: 'user.username_taken',
    });
    expect(
      await addUser(t.db, actor, { ...base, username: 'x.y', scopeKind: 'province' }),
    ).toMatchObject({
      ok: false,
      code: 'user.scope_not_allowed',
    });
    expect(
      await addUser(t.db, actor, {
        ...base,
        username: 'x.z',
        regionCode: '999900',
        scopeCode: '999900',
      }),
    ).toMatchObject({
      ok: false,
      code: 'user.region_unknown',
    });
    const s = await login(t.db, policy, {
      username: 'wz.handler',
      password: 'a-long-password',
      requestId: 'r',
      address: '127.0.0.1',
    });
    expect(s.ok).toBe(true);
  });
});

describe(`identity on ${testBackend}: sessions and API tokens`, () => {
  it('sessions end on idle timeout, absolute timeout and when the user is disabled', async () => {
    const s = await login(t.db, policy, {
      username: 'hz.handler',
      password: DEMO_PASSWORD,
      requestId: 'r',
      address: '127.0.0.1',
    });
    if (!s.ok) throw new Error(s.message);
    const token = s.value.sessionToken;
    expect(await authenticateSession(t.db, policy, token)).not.toBeNull();
    await t.db.query(
      `UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`,
      [s.value.user.id],
    );
    expect(await authenticateSession(t.db, policy, token)).toBeNull();
    const s2 = await login(t.db, policy, {
      username: 'hz.handler',
      password: DEMO_PASSWORD,
      requestId: 'r',
      address: '127.0.0.1',
    });
    if (!s2.ok) throw new Error(s2.message);
    await t.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = $1`,
      [s2.value.csrfToken],
    );
    expect(await authenticateSession(t.db, policy, s2.value.sessionToken)).toBeNull();
    const s3 = await login(t.db, policy, {
      username: 'hz.handler',
      password: DEMO_PASSWORD,
      requestId: 'r',
      address: '127.0.0.1',
    });
    if (!s3.ok) throw new Error(s3.message);
    await t.db.query(`UPDATE users SET disabled = true WHERE username = 'hz.handler'`);
    expect(await authenticateSession(t.db, policy, s3.value.sessionToken)).toBeNull();
    await t.db.query(`UPDATE users SET disabled = false WHERE username = 'hz.handler'`);
  });

  it('API tokens are stored hashed and authenticate the institution', async () => {
    const created = await createApiToken(
      t.db,
      systemActor('t'),
      {
        username: 'demo.institution',
        name: 'HIS link',
        permissions: ['bill:read'],
        expiresInDays: 30,
      },
      { maxDays: 365 },
    );
    if (!created.ok) throw new Error(created.message);
    const { token } = created.value;
    const stored = withColumns(await t.db.query('SELECT token_hash FROM api_tokens'), {
      token_hash: textOf,
    });
    expect(stored.rows[0]!.token_hash).not.toContain(token);
    expect((await authenticateApiToken(t.db, token))?.role).toBe('institution');
    expect(await authenticateApiToken(t.db, `${token}x`)).toBeNull();
  });
});

describe(`identity on ${testBackend}: maker-checker`, () => {
  it('maker-checker: approver ≠ maker, bound to the exact payload, consumed once', async () => {
    const { maker, checker } = await approvalsFixture(t.db);
    const payload = { segment: '330100', period: '2026-01' };
    const req = await t.db.transaction((tx) =>
      requestApproval(tx, maker, {
        regionCode: '330100',
        action: 'ledger.close_period',
        payload,
        policy: DEFAULT_APPROVAL_POLICY,
      }),
    );
    expect(
      await decideApproval(t.db, maker, { regionCode: '330100', id: req.id, decision: 'approved' }),
    ).toMatchObject({
      ok: false,
      code: 'approval.self_approval',
    });
    const early = await t.db.transaction((tx) =>
      consumeApproval(tx, {
        regionCode: '330100',
        id: req.id,
        action: 'ledger.close_period',
        payload,
      }),
    );
    expect(early).toMatchObject({ ok: false, code: 'approval.not_approved' });
    expect(
      (
        await decideApproval(t.db, checker, {
          regionCode: '330100',
          id: req.id,
          decision: 'approved',
        })
      ).ok,
    ).toBe(true);
    const other = await t.db.transaction((tx) =>
      consumeApproval(tx, {
        regionCode: '330100',
        id: req.id,
        action: 'ledger.close_period',
        payload: { ...payload, period: '2026-02' },
      }),
    );
    expect(other).toMatchObject({ ok: false, code: 'approval.payload_mismatch' });
    const listed = await listApprovals(t.db, { within: '330000', status: 'approved', limit: 10 });
    expect(listed.find((a) => a.id === req.id)).toMatchObject({
      maker: 'hz.handler',
      checker: 'hz.supervisor',
    });
    expect(await listApprovals(t.db, { within: '330200', limit: 10 })).toEqual([]);
    const used = await t.db.transaction((tx) =>
      consumeApproval(tx, {
        regionCode: '330100',
        id: req.id,
        action: 'ledger.close_period',
        payload,
      }),
    );
    expect(used.ok).toBe(true);
    const twice = await t.db.transaction((tx) =>
      consumeApproval(tx, {
        regionCode: '330100',
        id: req.id,
        action: 'ledger.close_period',
        payload,
      }),
    );
    expect(twice).toMatchObject({ ok: false, code: 'approval.already_used' });
    // The database itself refuses a row where checker = maker.
    await expect(
      t.db.query(
        `INSERT INTO approvals (region_code, id, action, payload_hash, maker_id, checker_id, status) VALUES ('330100', 'x', 'a', $1, $2, $2, 'approved')`,
        ['a'.repeat(64), maker.userId],
      ),
    ).rejects.toThrow();
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
