import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../db/rows.ts';
import { testBackend } from '../db/testing.ts';
import { holdsIdNumber } from '../identity/masking.ts';
import { rolePermissions } from '../identity/roles.ts';
import { testDemoProvince } from '../runtime/testing.ts';
import { demoUsersOf } from '../usecases/seed/seed-demo.ts';
import { accessPermissions, type RouteSpec } from './route-spec.ts';
import { loginAs, type Session, startTestApp, type TestApp, withSession } from './testing.ts';

const demoUsers = demoUsersOf(testDemoProvince());

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

type DemoUser = (typeof demoUsers)[number];
type Which = 'own' | 'other' | '-';

function fillUrl(url: string, params: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, k: string) => params[k] ?? `missing-${k}`);
}

/** The regions a route is tried in for a user: its own city and another, or none for global routes. */
function citiesFor(route: RouteSpec, user: DemoUser): [Which, string][] {
  const own = user.scopeKind === 'province' ? '330100' : user.regionCode;
  const other =
    user.scopeKind === 'province' ? '410100' : user.regionCode === '330100' ? '330200' : '330100';
  return route.regionParam
    ? [
        ['own', own],
        ['other', other],
      ]
    : [['-', own]];
}

function policyOf(body: string): string | undefined {
  return (JSON.parse(body) as { details?: { policy?: string } }).details?.policy;
}

/** Checks one answer against the policy; true when it is a denial (which must be audited). */
function expectAnswer(
  res: LightMyRequestResponse,
  cell: { route: RouteSpec; user: DemoUser; which: Which; code: string | undefined },
): boolean {
  const { route, user, which, code } = cell;
  const perms = rolePermissions[user.role];
  const has =
    route.access.kind === 'authenticated' ||
    accessPermissions(route.access).some((p) => perms.includes(p));
  const label = `${route.method} ${route.url} as ${user.username} (${which})`;
  if (!has) {
    expect(res.statusCode, label).toBe(403);
    expect(code, label).toBe('auth.forbidden');
    return true;
  }
  if (
    which === 'other' ||
    (route.regionParam && user.scopeKind !== 'province' && user.scopeKind !== 'city')
  ) {
    expect(res.statusCode, label).toBe(404);
    expect(policyOf(res.body), label).toBe('out_of_scope');
    return true;
  }
  expect([401, 403].includes(res.statusCode), `${label}: ${res.statusCode} ${res.body}`).toBe(
    false,
  );
  if (res.statusCode === 404) expect(policyOf(res.body), label).toBeUndefined();
  expect(res.statusCode, `${label}: ${res.body}`).toBeLessThan(500);
  return false;
}

async function expectDeniedAudited(h: TestApp, res: LightMyRequestResponse, label: string) {
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

type Matrix = { cells: Cell[]; unmasked: string[] };

async function tryCell(
  h: TestApp,
  session: Session,
  at: { route: RouteSpec; user: DemoUser; which: Which; regionCode: string },
  matrix: Matrix,
): Promise<void> {
  const { route, user, which, regionCode } = at;
  const ex = route.example?.({ regionCode }) ?? {};
  const res = await h.app.inject({
    method: route.method as 'GET',
    url: fillUrl(route.url, ex.params ?? {}),
    ...(ex.query ? { query: ex.query } : {}),
    headers: withSession(session),
    ...(ex.body !== undefined ? { payload: ex.body as object } : {}),
  });
  const code = res.headers['content-type']?.toString().includes('problem')
    ? (JSON.parse(res.body) as { code: string }).code
    : undefined;
  matrix.cells.push({
    route: `${route.method} ${route.url}`,
    user: user.username,
    city: which,
    status: res.statusCode,
    ...(code ? { code } : {}),
  });
  const isRevealByHolder =
    route.action === 'pii.reveal' && rolePermissions[user.role].includes('pii:reveal');
  if (!isRevealByHolder && holdsIdNumber(res.body))
    matrix.unmasked.push(`${route.url} as ${user.username}`);
  if (expectAnswer(res, { route, user, which, code }))
    await expectDeniedAudited(
      h,
      res,
      `${route.method} ${route.url} as ${user.username} (${which})`,
    );
}

/** Without a session every non-public route answers 401. */
async function expectAnonymousRefused(h: TestApp, routes: RouteSpec[]): Promise<void> {
  for (const route of routes) {
    const ex = route.example?.({ regionCode: '330100' }) ?? {};
    const res = await h.app.inject({
      method: route.method as 'GET',
      url: fillUrl(route.url, ex.params ?? {}),
    });
    expect(res.statusCode, `${route.url} anonymous`).toBe(401);
  }
}

/**
 * The default suite walks the matrix on one backend — the PostgreSQL server when the suite has one,
 * else PGlite — as the route fuzz does (fuzz.db.test.ts): the answers are the permission layer's and
 * the two backends run the same SQL for the few writes (the denials' audit events), while the walk
 * (every route × 14 users × 2 cities) was the suite's longest file on PGlite (114 s of a 963 s
 * fresh-clone suite, against 49 s on the server; session 17). `npm run fuzz` walks it on both
 * (PERMISSION_MATRIX_BOTH=1).
 */
const matrixHere =
  process.env['PERMISSION_MATRIX_BOTH'] === '1' ||
  testBackend === (process.env['TEST_DATABASE_URL'] ? 'pg' : 'pglite');

describe.runIf(matrixHere)(`permission matrix on ${testBackend}`, () => {
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
    const matrix: Matrix = { cells: [], unmasked: [] };
    const routes = h.app.routeTable.filter((r) => r.access.kind !== 'public');
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const route of routes)
      for (const user of demoUsers)
        for (const [which, regionCode] of citiesFor(route, user)) {
          if (route.url === '/api/v1/auth/logout') continue; // would end the session the matrix reuses
          const session = sessions.get(user.username)!;
          await tryCell(h, session, { route, user, which, regionCode }, matrix);
        }
    await expectAnonymousRefused(h, routes);
    expect(matrix.unmasked).toEqual([]);
    const leakingLogs = logLines.filter((l) => holdsIdNumber(l));
    expect(leakingLogs).toEqual([]);
    expect(logLines.length).toBeGreaterThan(matrix.cells.length);
    expect(matrix.cells.length).toBeGreaterThan(100);
  }, 240_000);
});
