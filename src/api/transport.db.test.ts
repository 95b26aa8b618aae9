import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../db/testing.ts';
import { systemActor } from '../identity/actor.ts';
import { loadConfig } from '../runtime/config.ts';
import { createLocalBlobStore } from '../runtime/local-blob-store.ts';
import { selfSignedCertificate, testRuleBook } from '../runtime/testing.ts';
import { insertUser } from '../usecases/identity/users.ts';
import { initProvince } from '../usecases/registry/init-province.ts';
import { buildApp } from './app.ts';
import { loginAs, problemOf, withSession } from './testing.ts';

/**
 * Transport (issue 9 point 7) and limits (point 10) on an app over a province created by `init`,
 * with no demo user: Secure cookies and HSTS in production and under TLS, forwarded headers believed
 * from TRUST_PROXY only, HTTPS from TLS_CERT_FILE / TLS_KEY_FILE, 200-character ledger ids in the
 * path, and a bounded managementGapsFen.
 */
const password = 'henan administrator pass phrase';
const dir = mkdtempSync(join(tmpdir(), 'tc-transport-'));
const tls = selfSignedCertificate(dir);
const hsts = 'max-age=31536000; includeSubDomains';

let t: TestDatabase;
const apps: FastifyInstance[] = [];

async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
  const config = loadConfig({ LOG_LEVEL: 'silent', LOGIN_RATE_PER_MINUTE: '10000', ...env });
  const app = await buildApp(
    { db: t.db, config, rules: testRuleBook(), blobs: createLocalBlobStore(join(dir, 'blobs')) },
    { checkResponses: true },
  );
  await app.ready();
  apps.push(app);
  return app;
}

beforeAll(async () => {
  t = await openTestDatabase();
  const out = await initProvince(t.db, systemActor('test', '410000'), {
    definition: {
      code: '410000',
      name: '河南省',
      nameEn: 'Henan',
      poolingMode: 'adjustment_fund',
      cities: [{ code: '410100', name: '郑州市', nameEn: 'Zhengzhou' }],
      administrator: { username: 'ha.admin', displayName: '管理员', role: 'supervisor' },
    },
    password,
    pooling: testRuleBook().pooling,
    date: '2026-03-01',
  });
  if (!out.ok) throw new Error(out.message);
  const fund = await t.db.transaction((tx) =>
    insertUser(tx, {
      username: 'ha.fund',
      displayName: '省基金管理',
      role: 'province_fund_manager',
      scopeKind: 'province',
      scopeCode: '410000',
      regionCode: '410000',
      password,
    }),
  );
  if (!fund.ok) throw new Error(fund.message);
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function loginCookie(app: FastifyInstance, headers: Record<string, string> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'ha.admin', password },
    headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return String(res.headers['set-cookie']);
}

describe(`transport on ${testBackend}`, () => {
  it('a plain demo (HTTP, no proxy) sets no Secure flag and no HSTS on the API', async () => {
    const app = await appWith({});
    const cookie = await loginCookie(app);
    expect(cookie).toMatch(/^tc_session=/);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    const me = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(me.headers['strict-transport-security']).toBeUndefined();
  });

  it('production marks the session cookie Secure and __Host-, and sends HSTS on every answer', async () => {
    const app = await appWith({ TONGCHOU_MODE: 'production', TRUST_PROXY: '10.0.0.5' });
    const cookie = await loginCookie(app);
    expect(cookie).toMatch(
      /^__Host-tc_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/,
    );
    // Only the __Host- cookie counts: the same token under the plain name could have been planted.
    const token = cookie.split(';')[0]?.split('=')[1] ?? '';
    const me = (name: string) =>
      app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { cookie: `${name}=${token}` },
      });
    expect((await me('__Host-tc_session')).statusCode).toBe(200);
    expect((await me('tc_session')).statusCode).toBe(401);
    for (const url of ['/api/v1/health', '/api/v1/auth/me', '/login'])
      expect((await app.inject({ method: 'GET', url })).headers['strict-transport-security']).toBe(
        hsts,
      );
  });

  it('believes X-Forwarded-Proto from the TRUST_PROXY addresses only', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
    // inject() comes from 127.0.0.1.
    const trusting = await appWith({ TRUST_PROXY: '127.0.0.1' });
    expect(await loginCookie(trusting, forwarded)).toMatch(/;\s*Secure/i);
    const ignoring = await appWith({ TRUST_PROXY: '10.0.0.5' });
    expect(await loginCookie(ignoring, forwarded)).not.toMatch(/;\s*Secure/i);
    const none = await appWith({});
    expect(await loginCookie(none, forwarded)).not.toMatch(/;\s*Secure/i);
  });

  it('speaks HTTPS itself with TLS_CERT_FILE and TLS_KEY_FILE: Secure cookie, HSTS', async () => {
    const app = await appWith({ TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const port = new URL(address).port;
    const body = JSON.stringify({ username: 'ha.admin', password });
    const res = await new Promise<{ status: number; headers: Record<string, unknown> }>(
      (done, fail) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/auth/login',
            ca: readFileSync(tls.certFile),
            headers: { 'content-type': 'application/json', 'content-length': body.length },
          },
          (r) => {
            r.resume();
            r.on('end', () => done({ status: r.statusCode ?? 0, headers: r.headers }));
          },
        );
        req.on('error', fail);
        req.end(body);
      },
    );
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    expect(res.headers['strict-transport-security']).toBe(hsts);
    // Plain HTTP on the same port is not served.
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
  });
});

describe(`limits on ${testBackend}`, () => {
  it('routes a 200-character ledger id, URL-encoded, to its handler', async () => {
    const app = await appWith({});
    const session = await loginAs(app, 'ha.admin', password);
    const get = (id: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v1/regions/410000/fund/transactions/${encodeURIComponent(id)}`,
        headers: withSession(session),
      });
    // Fastify's default maxParamLength (100) answered route.not_found for these.
    for (const id of ['x'.repeat(200), `demo-fund:${'年'.repeat(190)}`, '工'.repeat(200)]) {
      const res = await get(id);
      expect(res.statusCode, id).toBe(404);
      expect(problemOf(res).code, id).toBe('fund.transaction_not_found');
    }
    // Beyond 200 characters the contract refuses it by name.
    const long = await get('x'.repeat(201));
    expect(problemOf(long).code).toBe('input.invalid');
  });

  it('refuses a managementGapsFen of more cities than a province has, naming the field', async () => {
    const app = await appWith({});
    const session = await loginAs(app, 'ha.fund', password);
    const gaps = Object.fromEntries(
      Array.from({ length: 65 }, (_, i) => [String(410100 + i * 100), 1]),
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/regions/410000/fund/year-end/2025/run',
      headers: withSession(session),
      payload: { managementGapsFen: gaps, approvalId: `apr_${'0'.repeat(24)}` },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(problemOf(res).errors?.map((e) => e.path)).toEqual(['managementGapsFen']);
    expect(res.body).toMatch(/at most 64 cities/);
  });
});
