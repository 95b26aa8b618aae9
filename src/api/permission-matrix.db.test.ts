import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../db/rows.ts';
import { testBackend } from '../db/testing.ts';
import { UNMASKED_ID_NUMBER } from '../identity/masking.ts';
import { rolePermissions } from '../identity/roles.ts';
import { demoUsers } from '../usecases/seed/seed-demo.ts';
import { loginAs, type Session, startTestApp, type TestApp, withSession } from './testing.ts';

/**
 * Generated from the route table: every route × every demo user × (own city, other city). The
 * expected status follows from the route's declared permission and the user's role and scope; every
 * denial must leave an audit event. All responses and log lines are scanned for unmasked ID numbers.
 */
type Cell = {
  route: string;
  user: string;
  city: 'own' | 'other' | '-';
  status: number;
  code?: string;
};

function fillUrl(url: string, params: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, k: string) => params[k] ?? `missing-${k}`);
}

describe(`permission matrix on ${testBackend}`, () => {
  let h: TestApp;
  const logLines: string[] = [];
  const sessions = new Map<string, Session>();
  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    h = await startTestApp({ logStream });
    for (const u of demoUsers) sessions.set(u.username, await loginAs(h.app, u.username));
  });
  afterAll(async () => h.close());

  it('every route × role × city answers as the policy says, denials audited, nothing unmasked', async () => {
    const cells: Cell[] = [];
    const routes = h.app.routeTable.filter((r) => r.access.kind !== 'public');
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const unmasked: string[] = [];
    for (const route of routes) {
      for (const user of demoUsers) {
        const perms = rolePermissions[user.role];
        const has =
          route.access.kind === 'authenticated' ||
          (route.access.kind === 'permission' && perms.includes(route.access.permission));
        const own = user.scopeKind === 'province' ? '330100' : user.regionCode;
        const other =
          user.scopeKind === 'province'
            ? '410100'
            : user.regionCode === '330100'
              ? '330200'
              : '330100';
        const cities: ['own' | 'other' | '-', string][] = route.regionParam
          ? [
              ['own', own],
              ['other', other],
            ]
          : [['-', own]];
        for (const [which, regionCode] of cities) {
          if (route.url === '/api/v1/auth/logout') continue; // would end the session the matrix reuses
          const ex = route.example?.({ regionCode }) ?? {};
          const res = await h.app.inject({
            method: route.method as 'GET',
            url: fillUrl(route.url, ex.params ?? {}),
            ...(ex.query ? { query: ex.query } : {}),
            headers: withSession(sessions.get(user.username)!),
            ...(ex.body !== undefined ? { payload: ex.body as object } : {}),
          });
          const body = res.body;
          const code = res.headers['content-type']?.toString().includes('problem')
            ? (JSON.parse(body) as { code: string }).code
            : undefined;
          cells.push({
            route: `${route.method} ${route.url}`,
            user: user.username,
            city: which,
            status: res.statusCode,
            ...(code ? { code } : {}),
          });
          const isRevealByHolder = route.action === 'pii.reveal' && perms.includes('pii:reveal');
          if (!isRevealByHolder && UNMASKED_ID_NUMBER.test(body))
            unmasked.push(`${route.url} as ${user.username}`);
          const label = `${route.method} ${route.url} as ${user.username} (${which})`;
          let expectDenied = false;
          if (!has) {
            expect(res.statusCode, label).toBe(403);
            expect(code, label).toBe('auth.forbidden');
            expectDenied = true;
          } else if (
            which === 'other' ||
            (route.regionParam && user.scopeKind !== 'province' && user.scopeKind !== 'city')
          ) {
            expect(res.statusCode, label).toBe(404);
            expect(
              (JSON.parse(body) as { details?: { policy?: string } }).details?.policy,
              label,
            ).toBe('out_of_scope');
            expectDenied = true;
          } else {
            expect([401, 403].includes(res.statusCode), `${label}: ${res.statusCode} ${body}`).toBe(
              false,
            );
            if (res.statusCode === 404)
              expect(
                (JSON.parse(body) as { details?: { policy?: string } }).details?.policy,
                label,
              ).toBeUndefined();
            expect(res.statusCode, `${label}: ${body}`).toBeLessThan(500);
          }
          if (expectDenied) {
            const ev = withColumns(
              await h.t.db.query('SELECT result FROM audit_events WHERE request_id = $1', [
                res.headers['x-request-id'],
              ]),
              { result: textOf },
            );
            expect(
              ev.rows.map((r) => r.result),
              `${label} audited`,
            ).toEqual(['denied']);
          }
        }
      }
    }
    // Without a session every non-public route answers 401.
    for (const route of routes) {
      const ex = route.example?.({ regionCode: '330100' }) ?? {};
      const res = await h.app.inject({
        method: route.method as 'GET',
        url: fillUrl(route.url, ex.params ?? {}),
      });
      expect(res.statusCode, `${route.url} anonymous`).toBe(401);
    }
    expect(unmasked).toEqual([]);
    const leakingLogs = logLines.filter((l) => UNMASKED_ID_NUMBER.test(l));
    expect(leakingLogs).toEqual([]);
    expect(logLines.length).toBeGreaterThan(cells.length);
    expect(cells.length).toBeGreaterThan(100);
  }, 240_000);
});
