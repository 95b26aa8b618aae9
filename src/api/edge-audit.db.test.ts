import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, jsonOf, textOrNullOf } from '../db/rows.ts';
import { testBackend } from '../db/testing.ts';
import type { FailureSummary } from '../domain/audit/failure-tally.ts';
import { verifyAuditChain } from '../usecases/audit/audit-log.ts';
import { loginAs, startTestApp, type TestApp, withSession } from './testing.ts';

async function eventCount(h: TestApp): Promise<number> {
  const r = await h.t.db.query('SELECT count(*)::int AS n FROM audit_events');
  return intOf(r.rows[0] ?? {}, 'n');
}

async function lastEvent(h: TestApp) {
  const r = await h.t.db.query(
    'SELECT action, details, source_address, user_agent FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const row = r.rows[0] ?? {};
  return {
    action: textOrNullOf(row, 'action'),
    details: jsonOf(row, 'details'),
    sourceAddress: textOrNullOf(row, 'source_address'),
    userAgent: textOrNullOf(row, 'user_agent'),
  };
}

const FLOOD = 10_000;

let h: TestApp;

describe(`unauthenticated failures are counted, not appended one by one, on ${testBackend}`, () => {
  beforeAll(async () => {
    h = await startTestApp({
      loginRatePerMinute: 5,
      // The test writes the window itself (flush); the timer must not do it halfway.
      settings: { AUDIT_FAILURE_WINDOW_SECONDS: '3600', AUDIT_FAILURE_ADDRESSES_MAX: '3' },
    });
  });
  afterAll(async () => h.close());

  floodTests();
  windowTests();
});

function floodTests(): void {
  it(`a flood of ${FLOOD} unauthenticated POSTs adds one aggregated event`, async () => {
    const before = await eventCount(h);
    for (let i = 0; i < FLOOD; i += 500)
      await Promise.all(
        Array.from({ length: 500 }, () =>
          h.app.inject({
            method: 'POST',
            url: '/api/v1/regions/330100/persons',
            remoteAddress: '198.51.100.9',
            headers: { 'user-agent': 'flood/1.0' },
            payload: { idNumber: '11010519491231002X', name: 'x' },
          }),
        ),
      ).then((answers) => {
        for (const a of answers) expect(a.statusCode).toBe(401);
      });
    expect(await eventCount(h)).toBe(before);
    expect(h.app.auditFailures.pending()).toBe(FLOOD);
    expect(await h.app.auditFailures.flush()).toBe(1);
    expect(await eventCount(h)).toBe(before + 1);
    const e = await lastEvent(h);
    expect(e).toMatchObject({
      action: 'security.unauthenticated_failures',
      sourceAddress: '198.51.100.9',
      userAgent: 'flood/1.0',
    });
    const details = e.details as FailureSummary;
    expect(details).toMatchObject({ failures: FLOOD, byKind: { unauthenticated: FLOOD } });
    expect(details.addresses[0]).toMatchObject({ address: '198.51.100.9', failures: FLOOD });
    expect(await h.app.auditFailures.flush()).toBe(0);
  }, 600_000);

  it('CSRF refusals and 429s join the window, counted per address and kind', async () => {
    const s = await loginAs(h.app, 'hz.handler');
    const csrf = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330100/persons',
      remoteAddress: '192.0.2.1',
      headers: { cookie: s.cookie },
      payload: { idNumber: '11010519491231002X', name: 'x' },
    });
    expect(csrf.statusCode).toBe(403);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '192.0.2.2',
        payload: { username: 'nobody.here', password: 'x' },
      });
      statuses.push(r.statusCode);
    }
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThan(0);
    const before = await eventCount(h);
    expect(await h.app.auditFailures.flush()).toBe(1);
    expect(await eventCount(h)).toBe(before + 1);
    const details = (await lastEvent(h)).details as FailureSummary;
    const byAddress = new Map(details.addresses.map((a) => [a.address, a]));
    expect(byAddress.get('192.0.2.1')).toMatchObject({
      byKind: { csrf: 1 },
      usernames: ['hz.handler'],
    });
    expect(byAddress.get('192.0.2.2')?.byKind.rate_limited).toBe(
      statuses.filter((x) => x === 429).length,
    );
  });
}

function windowTests(): void {
  it('past the address limit, failures are still counted; the last window is written at close', async () => {
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'])
      await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', remoteAddress: address });
    expect(h.app.auditFailures.pending()).toBe(4);
    const summary = await (async () => {
      const before = await eventCount(h);
      await h.app.auditFailures.flush();
      expect(await eventCount(h)).toBe(before + 1);
      return (await lastEvent(h)).details as FailureSummary;
    })();
    expect(summary).toMatchObject({ failures: 4, addressesSeen: 3, untrackedFailures: 1 });
    expect((await verifyAuditChain(h.t.db)).ok).toBe(true);
  });

  it('an authenticated write records its source address and user agent', async () => {
    const s = await loginAs(h.app, 'hz.handler');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330100/persons',
      remoteAddress: '10.1.2.3',
      headers: { ...withSession(s), 'user-agent': 'Mozilla/5.0 id 11010519491231002X\u0007' },
      payload: { idNumber: '11010519491231002X', name: '甲' },
    });
    expect(res.statusCode).toBe(201);
    expect(await lastEvent(h)).toMatchObject({
      action: 'persons.register',
      sourceAddress: '10.1.2.3',
      userAgent: 'Mozilla/5.0 id 110105********002X ',
    });
  });
}
