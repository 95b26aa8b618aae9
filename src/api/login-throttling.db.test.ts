import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boolOf, intOf, textOf, withColumns } from '../db/rows.ts';
import { testBackend } from '../db/testing.ts';
import { systemActor } from '../identity/actor.ts';
import { unlockUser } from '../usecases/identity/user-admin.ts';
import { DEMO_PASSWORD } from '../usecases/seed/seed-demo.ts';
import { startTestApp, type TestApp } from './testing.ts';

/**
 * The lock-out race (issue 9 point 2) and the targeted lock-out (point 3) over real HTTP: each
 * request leaves from a chosen loopback address (127.0.0.0/8 is all loopback on Linux), so the
 * server sees the socket address it would see from two machines, with TRUST_PROXY off.
 */
type Answer = { status: number; body: Record<string, unknown>; headers: Record<string, unknown> };

function post(port: number, from: string, body: unknown): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        localAddress: from,
        method: 'POST',
        path: '/api/v1/auth/login',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const TARGET = 'province.fund';
const CEILING = 8;
const FREE = 5;

/** The target's counts: all failures, weighed guesses, the first address's, audit events. */
async function counts(h: TestApp) {
  const r = withColumns(
    await h.t.db.query(
      `SELECT u.failed_attempts, u.guesses,
              (SELECT failures FROM login_throttles WHERE username = $1 AND address = '127.0.0.1') AS address_failures,
              (SELECT count(*)::int FROM audit_events
                WHERE action = 'auth.login' AND actor = $1 AND result = 'refused') AS refused_events
         FROM users u WHERE u.username = $1`,
      [TARGET],
    ),
    { failed_attempts: intOf, guesses: intOf, address_failures: intOf, refused_events: intOf },
  );
  return r.rows[0];
}

/** Weighed guesses from two addresses up to the ceiling: the account is then locked. */
type Login = (from: string, password: string) => Promise<Answer>;

async function reachCeiling(h: TestApp, login: Login, fromA: string, fromB: string): Promise<void> {
  for (let i = 0; i < FREE; i++) expect((await login(fromA, `wrong-a${i}`)).status).toBe(401);
  for (let i = 0; i < CEILING - FREE; i++)
    expect((await login(fromB, `wrong-b${i}`)).status).toBe(401);
  const locked = withColumns(
    await h.t.db.query(`SELECT locked_until > now() AS locked FROM users WHERE username = $1`, [
      TARGET,
    ]),
    { locked: boolOf },
  );
  expect(locked.rows[0]?.locked).toBe(true);
}

describe(`log-in throttling over HTTP on ${testBackend}`, () => {
  let h: TestApp;
  let port: number;
  const login = (from: string, password: string) =>
    post(port, from, { username: TARGET, password });

  beforeAll(async () => {
    h = await startTestApp({
      poolMax: 20,
      env: { LOGIN_THROTTLE_FAILURES: String(FREE), LOGIN_ACCOUNT_CEILING: String(CEILING) },
    });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
    port = address.port;
  });
  afterAll(async () => h.close());

  it('counts all 50 concurrent wrong passwords from one address; that address is then refused, another is not', async () => {
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login('127.0.0.1', `wrong-${i}`)),
    );
    expect(burst.map((a) => a.status)).toEqual(Array(50).fill(401));
    const bodies = new Set(
      burst.map(({ body: { requestId: _, ...rest } }) => JSON.stringify(rest)),
    );
    expect(bodies.size).toBe(1);
    // Every failure counted; only those before the address was throttled weighed as guesses.
    expect(await counts(h)).toEqual({
      failed_attempts: 50,
      guesses: FREE,
      address_failures: 50,
      refused_events: 50,
    });
    const sameAddress = await login('127.0.0.1', DEMO_PASSWORD);
    expect(sameAddress.status).toBe(401);
    expect(sameAddress.body['code']).toBe('auth.invalid_credentials');
    const otherAddress = await login('127.0.0.2', DEMO_PASSWORD);
    expect(otherAddress.status).toBe(200);
    expect(otherAddress.headers['set-cookie']).toBeDefined();
    expect((await login('127.0.0.1', DEMO_PASSWORD)).status).toBe(401);
  });

  it('at the per-account ceiling a fresh address is refused too, until an administrator unlocks', async () => {
    await reachCeiling(h, login, '127.0.0.3', '127.0.0.4');
    const locked = await login('127.0.0.5', DEMO_PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.body['code']).toBe('auth.invalid_credentials');
    expect((await unlockUser(h.t.db, systemActor('admin'), TARGET)).ok).toBe(true);
    expect((await login('127.0.0.5', DEMO_PASSWORD)).status).toBe(200);
  });

  it('or until LOGIN_LOCK_MINUTES have passed', async () => {
    await reachCeiling(h, login, '127.0.0.6', '127.0.0.7');
    expect((await login('127.0.0.8', DEMO_PASSWORD)).status).toBe(401);
    await h.t.db.query(
      `UPDATE users SET locked_until = now() - interval '1 second' WHERE username = $1`,
      [TARGET],
    );
    expect((await login('127.0.0.8', DEMO_PASSWORD)).status).toBe(200);
    const audit = withColumns(
      await h.t.db.query(
        `SELECT details->>'address' AS address FROM audit_events
          WHERE action = 'auth.login' AND result = 'ok' ORDER BY seq DESC LIMIT 1`,
      ),
      { address: textOf },
    );
    expect(audit.rows[0]?.address).toBe('127.0.0.8');
  });
});

describe(`TRUST_PROXY on ${testBackend}`, () => {
  let trusting: TestApp;
  beforeAll(async () => {
    trusting = await startTestApp({ loginRatePerMinute: 3, env: { TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(async () => trusting.close());

  const attempt = (app: TestApp, remoteAddress: string, forwardedFor: string) =>
    app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { username: 'hz.handler', password: 'wrong' },
    });

  async function throttledAddresses(app: TestApp): Promise<string[]> {
    const r = withColumns(
      await app.t.db.query(
        `SELECT address FROM login_throttles WHERE username = 'hz.handler' ORDER BY address`,
      ),
      { address: textOf },
    );
    return r.rows.map((row) => row.address);
  }

  it('behind a trusted proxy, the rate limit and the throttle key on the forwarded client address', async () => {
    for (let i = 0; i < 3; i++)
      expect((await attempt(trusting, '127.0.0.1', '198.51.100.7')).statusCode).toBe(401);
    expect((await attempt(trusting, '127.0.0.1', '198.51.100.7')).statusCode).toBe(429);
    // Another client behind the same proxy is not blocked by the first one.
    expect((await attempt(trusting, '127.0.0.1', '198.51.100.8')).statusCode).toBe(401);
    // A peer that is not the trusted proxy cannot choose its address by sending the header.
    expect((await attempt(trusting, '192.0.2.10', '198.51.100.9')).statusCode).toBe(401);
    expect(await throttledAddresses(trusting)).toEqual([
      '192.0.2.10',
      '198.51.100.7',
      '198.51.100.8',
    ]);
  });
});

describe(`without TRUST_PROXY on ${testBackend}`, () => {
  let direct: TestApp;
  beforeAll(async () => {
    direct = await startTestApp({ loginRatePerMinute: 3 });
  });
  afterAll(async () => direct.close());

  it('X-Forwarded-For is ignored: a client cannot pick a fresh address per try', async () => {
    const spoofed = (i: number) =>
      direct.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '192.0.2.20',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
        payload: { username: 'hz.handler', password: 'wrong' },
      });
    for (let i = 0; i < 3; i++) expect((await spoofed(i)).statusCode).toBe(401);
    expect((await spoofed(3)).statusCode).toBe(429);
    const r = withColumns(
      await direct.t.db.query(`SELECT address, failures FROM login_throttles`),
      { address: textOf, failures: intOf },
    );
    expect(r.rows).toEqual([{ address: '192.0.2.20', failures: 3 }]);
  });
});
