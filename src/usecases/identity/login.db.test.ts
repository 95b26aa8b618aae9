import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Executor } from '../../db/client.ts';
import { boolOf, dateOrNullOf, intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { systemActor } from '../../identity/actor.ts';
import { testDemoProvince } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { DEMO_PASSWORD, seedDemo } from '../seed/seed-demo.ts';
import { type LoginInput, login } from './login.ts';
import { changeOwnPassword } from './password-change.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from './second-factor.ts';
import { actorOf, authenticateSession, type SessionPolicy } from './sessions.ts';
import { base32Decode, hotp, totpStep } from './totp.ts';
import {
  disableUser,
  enableUser,
  resetSecondFactor,
  setUserPassword,
  unlockUser,
} from './user-admin.ts';

/**
 * Log-in throttling, the account ceiling, password changes and the second factor, on the use cases
 * (the HTTP journeys and the concurrency burst are in src/api/login-throttling.db.test.ts).
 */
const policy: SessionPolicy = {
  idleMinutes: 30,
  absoluteHours: 12,
  throttleFailures: 3,
  throttleBaseSeconds: 30,
  throttleMaxMinutes: 15,
  accountCeiling: 5,
  lockMinutes: 30,
  secondFactor: 'optional',
};

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await seedDemo(t.db, systemActor('seed'), { seed: 7, province: testDemoProvince() });
});
afterAll(async () => t.cleanup());

function attempt(
  username: string,
  password: string,
  address: string,
  extra: Partial<LoginInput> = {},
) {
  return login(t.db, policy, {
    username,
    password,
    address,
    requestId: 'r',
    ...extra,
  });
}

async function accountOf(username: string) {
  const r = withColumns(
    await t.db.query(
      `SELECT failed_attempts, guesses, locked_until, (locked_until > now()) IS TRUE AS locked
         FROM users WHERE username = $1`,
      [username],
    ),
    { failed_attempts: intOf, guesses: intOf, locked_until: dateOrNullOf, locked: boolOf },
  );
  return r.rows[0]!;
}

async function throttleOf(username: string, address: string) {
  const r = withColumns(
    await t.db.query(
      `SELECT failures, coalesce(extract(epoch FROM throttled_until - last_failure_at), 0)::int AS wait
         FROM login_throttles WHERE username = $1 AND address = $2`,
      [username, address],
    ),
    { failures: intOf, wait: intOf },
  );
  return r.rows[0] ?? null;
}

describe(`log-in throttling on ${testBackend}`, () => {
  it('throttles one address with growing waits, and another address still logs in', async () => {
    for (let i = 0; i < 6; i++)
      expect(await attempt('nb.handler', `wrong-${i}`, '10.0.0.1')).toMatchObject({
        ok: false,
        code: 'auth.invalid_credentials',
      });
    // 3 free failures, then 30 s, doubling with each failure: 30, 60, 120 s after the 3rd…6th.
    expect(await throttleOf('nb.handler', '10.0.0.1')).toEqual({ failures: 6, wait: 240 });
    // Only the weighed ones (before the address was throttled) count towards the ceiling.
    expect(await accountOf('nb.handler')).toMatchObject({ failed_attempts: 6, guesses: 3 });
    expect((await attempt('nb.handler', DEMO_PASSWORD, '10.0.0.1')).ok).toBe(false);
    expect((await attempt('nb.handler', DEMO_PASSWORD, '10.0.0.2')).ok).toBe(true);
    expect(await accountOf('nb.handler')).toMatchObject({ failed_attempts: 0, guesses: 0 });
    // The address that failed stays throttled after the owner logged in elsewhere.
    expect((await attempt('nb.handler', DEMO_PASSWORD, '10.0.0.1')).ok).toBe(false);
  });

  it('caps the wait at LOGIN_THROTTLE_MAX_MINUTES', async () => {
    for (let i = 0; i < 12; i++) await attempt('province.appraisal', `wrong-${i}`, '10.0.1.1');
    expect(await throttleOf('province.appraisal', '10.0.1.1')).toEqual({ failures: 12, wait: 900 });
  });

  it('throttles an unknown user name exactly like a real one', async () => {
    for (let i = 0; i < 4; i++) await attempt('no.such.user', `wrong-${i}`, '10.0.2.1');
    expect(await throttleOf('no.such.user', '10.0.2.1')).toEqual({ failures: 4, wait: 60 });
  });

  it('locks the account at the ceiling of weighed guesses from many addresses, until unlocked', async () => {
    for (let i = 0; i < 5; i++) await attempt('hz.supervisor', `wrong-${i}`, `10.0.3.${i}`);
    const locked = await accountOf('hz.supervisor');
    expect(locked).toMatchObject({ guesses: 5, locked: true });
    expect((await attempt('hz.supervisor', DEMO_PASSWORD, '10.0.3.99')).ok).toBe(false);
    // Further failures do not move the end of the lock.
    await attempt('hz.supervisor', 'wrong-again', '10.0.3.98');
    expect((await accountOf('hz.supervisor')).locked_until).toEqual(locked.locked_until);
    expect((await unlockUser(t.db, systemActor('admin'), 'hz.supervisor')).ok).toBe(true);
    expect((await attempt('hz.supervisor', DEMO_PASSWORD, '10.0.3.99')).ok).toBe(true);
  });

  it('lets time lift the lock, and then counts the guesses again from zero', async () => {
    for (let i = 0; i < 5; i++) await attempt('hz.determination', `wrong-${i}`, `10.0.4.${i}`);
    expect((await accountOf('hz.determination')).locked).toBe(true);
    await t.db.query(
      `UPDATE users SET locked_until = now() - interval '1 second' WHERE username = 'hz.determination'`,
    );
    await attempt('hz.determination', 'one-more-wrong', '10.0.4.50');
    expect(await accountOf('hz.determination')).toMatchObject({ guesses: 1, locked: false });
    expect((await attempt('hz.determination', DEMO_PASSWORD, '10.0.4.51')).ok).toBe(true);
  });

  it('refuses a disabled user like a wrong password, and enabling restores the log-in', async () => {
    const admin = systemActor('admin');
    const s = await attempt('demo.employer', DEMO_PASSWORD, '10.0.5.1');
    if (!s.ok) throw new Error(s.message);
    expect(await disableUser(t.db, admin, 'demo.employer')).toMatchObject({
      ok: true,
      value: { sessionsEnded: 1 },
    });
    expect(await authenticateSession(t.db, policy, s.value.sessionToken)).toBeNull();
    expect(await attempt('demo.employer', DEMO_PASSWORD, '10.0.5.1')).toMatchObject({
      ok: false,
      code: 'auth.invalid_credentials',
    });
    await enableUser(t.db, admin, 'demo.employer');
    expect((await attempt('demo.employer', DEMO_PASSWORD, '10.0.5.2')).ok).toBe(true);
    expect(await disableUser(t.db, admin, 'nobody.here')).toMatchObject({ code: 'user.not_found' });
  });
});

describe(`passwords on ${testBackend}`, () => {
  it('a user changes their password: current one required, other sessions end, this one stays', async () => {
    const first = await attempt('demo.worker', DEMO_PASSWORD, '10.1.0.1');
    const second = await attempt('demo.worker', DEMO_PASSWORD, '10.1.0.2');
    if (!first.ok || !second.ok) throw new Error('log-in failed');
    const actor = actorOf(first.value.user, 'r');
    const change = (currentPassword: string, newPassword: string) =>
      changeOwnPassword(t.db, policy, actor, {
        currentPassword,
        newPassword,
        sessionToken: first.value.sessionToken,
      });
    expect(await change('not-it', 'a-brand-new-secret')).toMatchObject({
      code: 'user.current_password_wrong',
    });
    expect((await accountOf('demo.worker')).guesses).toBe(1);
    expect(await change(DEMO_PASSWORD, 'demo.worker-2027')).toMatchObject({
      code: 'user.password_weak',
    });
    expect(await change(DEMO_PASSWORD, 'a-brand-new-secret')).toEqual({
      ok: true,
      value: { sessionsEnded: 1 },
    });
    expect(await authenticateSession(t.db, policy, first.value.sessionToken)).not.toBeNull();
    expect(await authenticateSession(t.db, policy, second.value.sessionToken)).toBeNull();
    expect((await attempt('demo.worker', DEMO_PASSWORD, '10.1.0.3')).ok).toBe(false);
    expect((await attempt('demo.worker', 'a-brand-new-secret', '10.1.0.4')).ok).toBe(true);
  });

  it('an administrator sets a password: sessions end, the lock lifts', async () => {
    const s = await attempt('hz.handler', DEMO_PASSWORD, '10.1.1.1');
    if (!s.ok) throw new Error(s.message);
    const out = await setUserPassword(t.db, systemActor('admin'), {
      username: 'hz.handler',
      password: 'reset-by-the-admin',
    });
    expect(out).toEqual({ ok: true, value: { sessionsEnded: 1 } });
    expect(await authenticateSession(t.db, policy, s.value.sessionToken)).toBeNull();
    expect((await attempt('hz.handler', 'reset-by-the-admin', '10.1.1.1')).ok).toBe(true);
    // Put the demo password back for the other tests of this file.
    await setUserPassword(t.db, systemActor('admin'), {
      username: 'hz.handler',
      password: DEMO_PASSWORD,
    });
  });
});

function codeAt(secret: string, offsetSteps = 0): string {
  return hotp(base32Decode(secret), totpStep(Date.now()) + offsetSteps);
}

describe(`second factor on ${testBackend}`, () => {
  it('enrols TOTP, then log-in needs a code; a wrong code counts; a code works once', async () => {
    const s = await attempt('province.fund', DEMO_PASSWORD, '10.2.0.1');
    if (!s.ok) throw new Error(s.message);
    const actor = actorOf(s.value.user, 'r');
    const elsewhere = await attempt('province.fund', DEMO_PASSWORD, '10.2.0.9');
    // Changing a factor asks for the password again; a wrong one is a guess.
    expect(await startTotpEnrolment(t.db, policy, actor, { password: 'not-it' })).toMatchObject({
      code: 'user.current_password_wrong',
    });
    const started = await startTotpEnrolment(t.db, policy, actor, { password: DEMO_PASSWORD });
    if (!started.ok) throw new Error(started.message);
    expect(started.value.uri).toMatch(
      /^otpauth:\/\/totp\/tongchou%3Aprovince\.fund\?secret=[A-Z2-7]{32}&/,
    );
    const confirm = (code: string) =>
      confirmTotpEnrolment(t.db, actor, { code, sessionToken: s.value.sessionToken });
    expect(await confirm('000000')).toMatchObject({ code: 'second_factor.code_wrong' });
    expect(await confirm(codeAt(started.value.secret))).toEqual({
      ok: true,
      value: { enrolled: true, sessionsEnded: 1 },
    });
    // The session opened elsewhere without the factor has ended; this one stays.
    if (!elsewhere.ok) throw new Error(elsewhere.message);
    expect(await authenticateSession(t.db, policy, elsewhere.value.sessionToken)).toBeNull();
    expect(await authenticateSession(t.db, policy, s.value.sessionToken)).not.toBeNull();
    const again = await startTotpEnrolment(t.db, policy, actor, { password: DEMO_PASSWORD });
    expect(again).toMatchObject({ code: 'second_factor.already_enrolled' });

    expect(await attempt('province.fund', DEMO_PASSWORD, '10.2.0.2')).toMatchObject({
      code: 'auth.second_factor_required',
    });
    expect(
      await attempt('province.fund', DEMO_PASSWORD, '10.2.0.2', { totpCode: '123456' }),
    ).toMatchObject({
      code: 'auth.invalid_credentials',
    });
    // The wrong password at enrolment and the wrong code: two guesses in a row.
    expect((await accountOf('province.fund')).guesses).toBe(2);
    // The confirmation used this step's code: the next step's is accepted once, then refused.
    const next = codeAt(started.value.secret, 1);
    expect((await attempt('province.fund', DEMO_PASSWORD, '10.2.0.3', { totpCode: next })).ok).toBe(
      true,
    );
    expect((await attempt('province.fund', DEMO_PASSWORD, '10.2.0.4', { totpCode: next })).ok).toBe(
      false,
    );
    // Without the right password the second factor is never asked for.
    expect(await attempt('province.fund', 'wrong', '10.2.0.5')).toMatchObject({
      code: 'auth.invalid_credentials',
    });
    // A lost phone: the administrator removes the factor; the password alone logs in again.
    expect(await resetSecondFactor(t.db, systemActor('admin'), 'province.fund')).toMatchObject({
      ok: true,
    });
    expect((await attempt('province.fund', DEMO_PASSWORD, '10.2.0.6')).ok).toBe(true);
  });

  it('LOGIN_SECOND_FACTOR=required: a money role without TOTP gets a session that can only enrol', async () => {
    const required = { ...policy, secondFactor: 'required' as const };
    const fund = await login(t.db, required, {
      username: 'nb.handler',
      password: DEMO_PASSWORD,
      address: '10.3.0.1',
      requestId: 'r',
    });
    if (!fund.ok) throw new Error(fund.message);
    expect(fund.value.user.secondFactor).toEqual({ enrolled: false, pending: true });
    expect(actorOf(fund.value.user, 'r').permissions).toEqual([]);
    const actor = actorOf(fund.value.user, 'r');
    const started = await startTotpEnrolment(t.db, policy, actor, { password: DEMO_PASSWORD });
    if (!started.ok) throw new Error(started.message);
    await confirmTotpEnrolment(t.db, actor, {
      code: codeAt(started.value.secret),
      sessionToken: fund.value.sessionToken,
    });
    const after = await authenticateSession(t.db, policy, fund.value.sessionToken);
    expect(after?.user.secondFactor).toEqual({ enrolled: true, pending: false });
    expect(after?.user.permissions).toContain('fund:write');
    // A role that neither moves money nor reveals IDs is not asked.
    const worker = await login(t.db, required, {
      username: 'province.appraisal',
      password: DEMO_PASSWORD,
      address: '10.3.0.2',
      requestId: 'r',
    });
    expect(worker.ok && worker.value.user.secondFactor.pending).toBe(false);
  });
});

/** The database with every raw statement of a transaction recorded (its first words). */
function recording(db: Database, seen: string[]): Database {
  const wrap = (tx: Executor): Executor => ({
    query: (text, params) => {
      seen.push(text.replace(/\s+/g, ' ').trim().slice(0, 40));
      return tx.query(text, params);
    },
    exec: (script) => tx.exec(script),
    orm: tx.orm,
  });
  return { ...db, transaction: (fn, options) => db.transaction((tx) => fn(wrap(tx)), options) };
}

describe(`log-in refusals on ${testBackend}`, () => {
  it('every kind of refusal runs the same statements (no timing difference to measure)', async () => {
    await t.db.query(
      `INSERT INTO login_throttles (username, address, failures, last_failure_at, throttled_until)
       VALUES ('demo.institution', '10.9.0.1', 9, now(), now() + interval '1 hour')`,
    );
    await t.db.query(
      `UPDATE users SET locked_until = now() + interval '1 hour' WHERE username = 'province.supervisor'`,
    );
    const statements = async (username: string, password: string, address: string) => {
      const seen: string[] = [];
      const out = await login(recording(t.db, seen), policy, {
        username,
        password,
        address,
        requestId: 'r',
      });
      expect(out).toMatchObject({ ok: false, code: 'auth.invalid_credentials' });
      return seen;
    };
    const unknown = await statements('nobody.at.all', 'whatever-1', '10.9.0.2');
    expect(unknown.length).toBeGreaterThanOrEqual(7);
    expect(await statements('demo.institution', 'wrong-pass', '10.9.0.3')).toEqual(unknown);
    expect(await statements('demo.institution', DEMO_PASSWORD, '10.9.0.1')).toEqual(unknown);
    expect(await statements('province.supervisor', DEMO_PASSWORD, '10.9.0.4')).toEqual(unknown);
  });
});

describe(`log-in audit on ${testBackend}`, () => {
  it('every attempt is audited and the chain verifies', async () => {
    const reasons = withColumns(
      await t.db.query(
        `SELECT details->>'reason' AS reason FROM audit_events
          WHERE action = 'auth.login' AND result = 'refused' AND details->>'reason' IS NOT NULL`,
      ),
      { reason: textOf },
    ).rows.map((r) => r.reason);
    expect(reasons.some((r) => r.startsWith('unknown user'))).toBe(true);
    expect(reasons.some((r) => r.includes('address throttled, not weighed'))).toBe(true);
    expect(reasons.some((r) => r.includes('right password, account locked'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('disabled'))).toBe(true);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
