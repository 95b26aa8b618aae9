import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateOrNullOf, withColumns } from '../../../db/rows.ts';
import { testBackend } from '../../../db/testing.ts';
import { systemActor } from '../../../identity/actor.ts';
import { createApiToken, revokeApiToken } from '../../../usecases/identity/api-tokens.ts';
import { base32Decode, hotp, totpStep } from '../../../usecases/identity/totp.ts';
import { DEMO_PASSWORD } from '../../../usecases/seed/seed-demo.ts';
import { loginAs, problemOf, startTestApp, type TestApp, withSession } from '../../testing.ts';

/** Password change, TOTP enrolment and log-in, the enrolment-only session, scoped API tokens. */
const codeNow = (secret: string, offset = 0) =>
  hotp(base32Decode(secret), totpStep(Date.now()) + offset);

/** A token for hz.handler carrying region:read only: scope, last use, expiry, revocation. */
async function scopedTokenJourney(h: TestApp): Promise<void> {
  const created = await createApiToken(
    h.t.db,
    systemActor('t'),
    {
      username: 'hz.handler',
      name: 'regions feed',
      permissions: ['region:read'],
      expiresInDays: 30,
    },
    { maxDays: 365 },
  );
  if (!created.ok) throw new Error(created.message);
  const bearer = { authorization: `Bearer ${created.value.token}` };
  const get = (url: string) => h.app.inject({ url, headers: bearer });
  expect((await get('/api/v1/regions')).statusCode).toBe(200);
  // hz.handler's role holds fund:read; this token does not.
  expect((await get('/api/v1/regions/330100/fund/balances')).statusCode).toBe(403);
  expect((await get('/api/v1/auth/me')).json().user.permissions).toEqual(['region:read']);
  const used = withColumns(
    await h.t.db.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [created.value.id]),
    { last_used_at: dateOrNullOf },
  );
  expect(used.rows[0]?.last_used_at).toBeInstanceOf(Date);
  await h.t.db.query(
    `UPDATE api_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`,
    [created.value.id],
  );
  expect((await get('/api/v1/regions')).statusCode).toBe(401);
  await h.t.db.query(`UPDATE api_tokens SET expires_at = now() + interval '1 day' WHERE id = $1`, [
    created.value.id,
  ]);
  expect((await get('/api/v1/regions')).statusCode).toBe(200);
  expect((await revokeApiToken(h.t.db, systemActor('admin'), { id: created.value.id })).ok).toBe(
    true,
  );
  expect((await get('/api/v1/regions')).statusCode).toBe(401);
}

describe(`password change over the API on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp();
  });
  afterAll(async () => h.close());

  it('needs the current password, ends the other sessions and keeps this one', async () => {
    const mine = await loginAs(h.app, 'nb.handler');
    const other = await loginAs(h.app, 'nb.handler');
    const change = (currentPassword: string, newPassword: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: withSession(mine),
        payload: { currentPassword, newPassword },
      });
    const wrong = await change('not-my-password', 'a-long-new-password');
    expect(wrong.statusCode).toBe(422);
    expect(problemOf(wrong).code).toBe('user.current_password_wrong');
    const short = await change(DEMO_PASSWORD, 'short');
    expect(short.statusCode).toBe(400);
    expect(problemOf(short).errors?.map((e) => e.path)).toEqual(['newPassword']);
    const ok = await change(DEMO_PASSWORD, 'a-long-new-password');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ sessionsEnded: 1 });
    const me = (s: { cookie: string; csrf: string }) =>
      h.app.inject({ url: '/api/v1/auth/me', headers: withSession(s) });
    expect((await me(mine)).statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(401);
    await expect(loginAs(h.app, 'nb.handler')).rejects.toThrow(/401/);
    await loginAs(h.app, 'nb.handler', 'a-long-new-password');
  });

  it("an API token cannot change its user's password", async () => {
    const created = await createApiToken(
      h.t.db,
      systemActor('t'),
      { username: 'hz.handler', name: 'script', permissions: ['region:read'], expiresInDays: 1 },
      { maxDays: 365 },
    );
    if (!created.ok) throw new Error(created.message);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { authorization: `Bearer ${created.value.token}` },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'taken-over-by-a-script' },
    });
    expect(res.statusCode).toBe(403);
    expect(problemOf(res).code).toBe('auth.forbidden');
  });

  it('API tokens act with their scope only, until they expire or are revoked; last use is kept', () =>
    scopedTokenJourney(h));

  it('refuses a token scope outside the role and a lifetime beyond API_TOKEN_MAX_DAYS', async () => {
    const make = (permissions: ('pii:reveal' | 'region:read')[], expiresInDays: number) =>
      createApiToken(
        h.t.db,
        systemActor('t'),
        { username: 'hz.handler', name: 'x', permissions, expiresInDays },
        { maxDays: 365 },
      );
    expect(await make(['pii:reveal'], 30)).toMatchObject({ code: 'token.scope_not_allowed' });
    expect(await make(['region:read'], 366)).toMatchObject({ code: 'token.lifetime_too_long' });
  });
});

describe(`second factor over the API on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp({ env: { LOGIN_SECOND_FACTOR: 'required' } });
  });
  afterAll(async () => h.close());

  const post = (url: string, s: { cookie: string; csrf: string }, payload?: unknown) =>
    h.app.inject({ method: 'POST', url, headers: withSession(s), ...(payload ? { payload } : {}) });

  it('a money role must enrol first: its session can only enrol, then works; log-in then asks for the code', async () => {
    const s = await loginAs(h.app, 'hz.handler');
    const me = await h.app.inject({ url: '/api/v1/auth/me', headers: withSession(s) });
    expect(me.json().user.secondFactor).toEqual({ enrolled: false, pending: true });
    const blocked = await h.app.inject({ url: '/api/v1/regions', headers: withSession(s) });
    expect(blocked.statusCode).toBe(403);
    expect(problemOf(blocked).code).toBe('auth.second_factor_enrolment_required');
    const noPassword = await post('/api/v1/auth/second-factor/enrolment', s, { password: 'x' });
    expect(problemOf(noPassword).code).toBe('user.current_password_wrong');
    const started = await post('/api/v1/auth/second-factor/enrolment', s, {
      password: DEMO_PASSWORD,
    });
    expect(started.statusCode).toBe(200);
    const { secret, uri } = started.json();
    expect(uri).toContain(`secret=${secret}`);
    const bad = codeNow(secret) === '000000' ? '111111' : '000000';
    const wrong = await post('/api/v1/auth/second-factor/confirmation', s, { code: bad });
    expect(problemOf(wrong).code).toBe('second_factor.code_wrong');
    const confirmed = await post('/api/v1/auth/second-factor/confirmation', s, {
      code: codeNow(secret),
    });
    expect(confirmed.json()).toEqual({ enrolled: true, sessionsEnded: 0 });
    expect(
      (await h.app.inject({ url: '/api/v1/regions', headers: withSession(s) })).statusCode,
    ).toBe(200);

    const login = (payload: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    const noCode = await login({ username: 'hz.handler', password: DEMO_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(problemOf(noCode).code).toBe('auth.second_factor_required');
    const withCode = await login({
      username: 'hz.handler',
      password: DEMO_PASSWORD,
      totpCode: codeNow(secret, 1),
    });
    expect(withCode.statusCode).toBe(200);
    expect(withCode.json().user.secondFactor).toEqual({ enrolled: true, pending: false });
  });

  it('a role that neither moves money nor reveals IDs is not asked', async () => {
    const s = await loginAs(h.app, 'province.appraisal');
    const me = await h.app.inject({ url: '/api/v1/auth/me', headers: withSession(s) });
    expect(me.json().user.secondFactor).toEqual({ enrolled: false, pending: false });
    expect(
      (await h.app.inject({ url: '/api/v1/regions', headers: withSession(s) })).statusCode,
    ).toBe(200);
  });
});
