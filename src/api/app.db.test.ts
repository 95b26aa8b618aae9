import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../db/testing.ts';
import { systemActor } from '../identity/actor.ts';
import { verifyAuditChain } from '../usecases/audit/audit-log.ts';
import { createApiToken } from '../usecases/identity/api-tokens.ts';
import { loginAs, problemOf, startTestApp, type TestApp, withSession } from './testing.ts';

/** The app of the first describe (the basics); the other describes start their own. */
let h: TestApp;

function probeTests(): void {
  it('health and readiness', async () => {
    expect((await h.app.inject('/api/v1/health')).json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject('/api/v1/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', backend: testBackend });
  });

  it('serves OpenAPI 3.1 and self-hosted docs', async () => {
    const doc = (await h.app.inject('/api/v1/openapi.json')).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/auth/login');
    const ui = await h.app.inject('/api/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });
}

function sessionTests(): void {
  it('logs in, answers me, scopes regions to the city, sets security headers', async () => {
    const s = await loginAs(h.app, 'hz.handler');
    const me = await h.app.inject({ url: '/api/v1/auth/me', headers: withSession(s) });
    expect(me.json()).toMatchObject({
      user: {
        username: 'hz.handler',
        role: 'city_handler',
        scope: { kind: 'city', code: '330100', name: '杭州市' },
      },
    });
    const regions = await h.app.inject({ url: '/api/v1/regions', headers: withSession(s) });
    expect(regions.json().cities.map((c: { code: string }) => c.code)).toEqual(['330100']);
    expect(regions.headers['x-content-type-options']).toBe('nosniff');
    expect(regions.headers['content-security-policy']).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
    expect(regions.headers['x-frame-options']).toBeUndefined();
    expect(regions.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    // HSTS only over HTTPS (RFC 6797 §8.1); inject() is plain HTTP.
    expect(regions.headers['strict-transport-security']).toBeUndefined();
    const page = await h.app.inject({ url: '/' });
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(regions.headers['cache-control']).toBe('no-store');
    const p = await loginAs(h.app, 'province.fund');
    const all = await h.app.inject({ url: '/api/v1/regions', headers: withSession(p) });
    expect(all.json().cities).toHaveLength(11);
  });
}

function loginRefusalTests(): void {
  it('wrong password is a clear 401; unknown fields are rejected, not stripped', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'hz.handler', password: 'nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(problemOf(bad).code).toBe('auth.invalid_credentials');
    const extra = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'hz.handler', password: 'x', admin: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(problemOf(extra).errors?.[0]?.path).toBe('(root)');
    expect(extra.body).toContain('admin');
  });

  it('throttles an address after repeated failures, with the same answer as a wrong password', async () => {
    const attempt = (password: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nb.handler', password },
      });
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await attempt(`bad${i}`));
    expect(wrong.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401]);
    const right = await attempt('Tongchou-Demo-2026');
    expect(right.statusCode).toBe(401);
    const { requestId: _a, ...throttled } = right.json();
    const { requestId: _b, ...plainWrong } = wrong[0]!.json();
    expect(throttled).toEqual(plainWrong);
    expect(throttled.code).toBe('auth.invalid_credentials');
  });
}

function writeGuardTests(): void {
  it('CSRF: a mutating request without the token is refused and changes nothing', async () => {
    const s = await loginAs(h.app, 'hz.handler');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330100/persons',
      headers: { cookie: s.cookie },
      payload: { idNumber: '11010519491231002X', name: '甲' },
    });
    expect(res.statusCode).toBe(403);
    expect(problemOf(res).code).toBe('auth.csrf');
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330100/persons',
      headers: withSession(s),
      payload: { idNumber: '11010519491231002X', name: '甲' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().idNumberMasked).toBe('110105********002X');
  });

  it('reveal is audited with its reason; the chain verifies', async () => {
    const s = await loginAs(h.app, 'hz.determination');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330100/persons/per_330100_0001/reveal',
      headers: withSession(s),
      payload: { reason: '工伤认定核对身份' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().idNumber).toMatch(/^\d{17}[\dX]$/);
    const ev = await h.t.db.query(`SELECT details FROM audit_events WHERE action = 'pii.reveal'`);
    expect(ev.rows[0]?.['details']).toMatchObject({ reason: '工伤认定核对身份' });
    expect((await verifyAuditChain(h.t.db)).ok).toBe(true);
  });
}

describe(`API basics on ${testBackend}`, () => {
  beforeAll(async () => {
    h = await startTestApp();
  });
  afterAll(async () => h.close());

  probeTests();
  sessionTests();
  loginRefusalTests();
  writeGuardTests();
});

describe(`calculator route on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp();
  });
  afterAll(async () => h.close());

  it('computes without log-in; invalid input names each field', async () => {
    const body = {
      region: '330000',
      kind: 'disability',
      injuryDate: '2025-03-01',
      decisionDate: '2025-09-01',
      monthlyWagesFen: [600_000],
      disabilityGrade: 7,
    };
    const ok = await h.app.inject({ method: 'POST', url: '/api/v1/calculations', payload: body });
    expect(ok.statusCode).toBe(200);
    const result = ok.json() as { items: { code: string; citation: string }[]; snapshotId: string };
    expect(result.items.map((i) => i.code)).toContain('disability_lump_sum');
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/calculations',
      payload: { ...body, disabilityGrade: 11, monthlyWagesFen: [-1], colour: 'red' },
    });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json() as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['disabilityGrade', 'monthlyWagesFen.0', 'colour']),
    );
  });
});

describe(`log-in rate limit and API tokens on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp({ loginRatePerMinute: 3 });
  });
  afterAll(async () => h.close());

  it('the fourth log-in attempt within a minute from one address is refused with 429', async () => {
    const attempt = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'province.fund', password: 'x' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(problemOf(limited).code).toBe('auth.rate_limited');
    // Other routes are not rate limited.
    expect((await h.app.inject('/api/v1/health')).statusCode).toBe(200);
  });

  it('an institution calls the API with a bearer token, without cookie or CSRF token', async () => {
    const created = await createApiToken(
      h.t.db,
      systemActor('t'),
      { username: 'demo.institution', name: 'HIS', permissions: ['bill:read'], expiresInDays: 30 },
      { maxDays: 365 },
    );
    if (!created.ok) throw new Error(created.message);
    const { token } = created.value;
    const me = await h.app.inject({
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { username: 'demo.institution', role: 'institution' },
    });
    const wrong = await h.app.inject({
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(wrong.statusCode).toBe(401);
    // An institution holds no region permission: the region list is forbidden, and audited as such.
    const regions = await h.app.inject({
      url: '/api/v1/regions',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(regions.statusCode).toBe(403);
  });
});
