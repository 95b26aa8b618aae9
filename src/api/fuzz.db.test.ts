import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../db/client.ts';
import { intOf, textOf, withColumns } from '../db/rows.ts';
import { testBackend } from '../db/testing.ts';
import { rolePermissions } from '../identity/roles.ts';
import { calculationInputSchema } from '../rules/calculator/index.ts';
import { testDemoProvince } from '../runtime/testing.ts';
import { demoUsersOf } from '../usecases/seed/seed-demo.ts';
import { accessPermissions, type RouteSpec } from './route-spec.ts';
import { loginAs, type Session, startTestApp, type TestApp, withSession } from './testing.ts';

const demoUsers = demoUsersOf(testDemoProvince());

/**
 * R8: for every route, malformed bodies / params / queries through inject(), sent by a user who
 * holds the route's permission: never a 5xx, never a stack trace, and the database unchanged (row
 * count of every table and the audit chain head).
 *
 * The default suite sends 80 per route on one backend — the PostgreSQL server when the suite has
 * one, else PGlite: malformed input is refused before storage, and the two backends run the same
 * PostgreSQL, while the sweep over every route is the suite's longest file (500 per route took
 * 284 s of a 987 s suite at ~200 routes, 200 per route 110 s of an 851 s suite, 120 per route
 * 95 s of a 962 s suite at ~250 routes in session 17; the 15-minute budget has to hold the new
 * areas' tests too, so the count per route falls as the routes grow). `npm run fuzz` sends R8's
 * 5 000 per route on both backends (FUZZ_RUNS).
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 80);
const fuzzHere =
  process.env['FUZZ_RUNS'] !== undefined ||
  testBackend === (process.env['TEST_DATABASE_URL'] ? 'pg' : 'pglite');

async function snapshot(ex: Executor): Promise<string> {
  const tables = withColumns(
    await ex.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    ),
    { table_name: textOf },
  );
  const counts: string[] = [];
  for (const t of tables.rows) {
    const n = withColumns(await ex.query(`SELECT count(*)::int AS n FROM "${t.table_name}"`), {
      n: intOf,
    });
    counts.push(`${t.table_name}=${n.rows[0]?.n}`);
  }
  const head = withColumns(await ex.query('SELECT seq, hash FROM audit_chain_head'), {
    seq: intOf,
    hash: textOf,
  });
  const users = withColumns(
    await ex.query(
      `SELECT string_agg(username || ':' || failed_attempts, ',' ORDER BY username) AS s FROM users`,
    ),
    { s: textOf },
  );
  return `${counts.join(';')}|${head.rows[0]?.seq}:${head.rows[0]?.hash}|${users.rows[0]?.s}`;
}

function holderOf(route: RouteSpec): string {
  const access = route.access;
  if (access.kind !== 'permission') return 'hz.handler';
  const holds = (d: (typeof demoUsers)[number]) =>
    accessPermissions(access).some((p) => rolePermissions[d.role].includes(p));
  // Staff first; a permission only the employer or the worker holds (self:write) is fuzzed as
  // them, so the malformed input reaches the route instead of stopping at an audited 403.
  const u =
    demoUsers.find((d) => holds(d) && (d.scopeKind === 'city' || d.scopeKind === 'province')) ??
    demoUsers.find(holds);
  return u?.username ?? 'hz.handler';
}

const malformedParam = fc.oneof(
  fc.string({ maxLength: 12 }).filter((s) => !/^\d{6}$/.test(s)),
  fc.constantFrom(
    '../../etc/passwd',
    '%00',
    '33010',
    '3301000',
    '__proto__',
    'constructor',
    '-1',
    '1e6',
  ),
);

describe.runIf(fuzzHere)(`fuzz every route on ${testBackend}`, () => {
  let h: TestApp;
  const sessions = new Map<string, Session>();
  beforeAll(async () => {
    h = await startTestApp();
    for (const u of demoUsers) sessions.set(u.username, await loginAs(h.app, u.username));
  });
  afterAll(async () => h.close());

  it(
    'malformed input never causes a 5xx or a write',
    async () => {
      const before = await h.t.db.withConnection(snapshot);
      let requests = 0;
      for (const route of h.app.routeTable) {
        if (route.url === '/api/v1/auth/logout') continue;
        const session = route.access.kind === 'public' ? null : sessions.get(holderOf(route))!;
        const bodySchema =
          route.url === '/api/v1/calculations' ? calculationInputSchema : route.schema?.body;
        const paramNames = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
        const mutating = route.method !== 'GET';
        const arb = fc.record({
          params: fc.dictionary(
            fc.constantFrom(...(paramNames.length ? paramNames : ['none'])),
            malformedParam,
          ),
          body: fc.oneof(
            fc.jsonValue(),
            fc.object(),
            fc.constant('{"broken json'),
            fc.constant('{"__proto__":{"x":1}}'),
          ),
          query: fc.dictionary(
            fc.constantFrom('limit', 'beforeSeq', 'x'),
            fc.string({ maxLength: 8 }),
          ),
        });
        await fc.assert(
          fc.asyncProperty(arb, async (input) => {
            // A GET with no params and a well-formed query is not malformed: skip those draws.
            const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
            if (
              mutating &&
              bodySchema &&
              typeof input.body !== 'string' &&
              bodySchema.safeParse(input.body).success
            )
              return;
            const params: Record<string, string> = {};
            for (const p of paramNames) params[p] = input.params[p] ?? `bad-${p}`;
            const url = route.url.replace(/:([A-Za-z]+)/g, (_, k: string) =>
              encodeURIComponent(params[k]!),
            );
            const res = await h.app.inject({
              method: route.method as 'GET',
              url,
              query: input.query,
              headers: {
                ...(session ? withSession(session) : {}),
                'content-type': 'application/json',
              },
              ...(mutating ? { payload: body } : {}),
            });
            requests += 1;
            expect(res.statusCode, `${route.method} ${url} → ${res.body}`).toBeLessThan(500);
            expect(res.body).not.toMatch(/at .+\.ts:\d+/);
          }),
          { numRuns: RUNS, seed: 4242 },
        );
      }
      expect(requests).toBeGreaterThan(RUNS * 5);
      expect(await h.t.db.withConnection(snapshot)).toBe(before);
    },
    Math.max(600_000, RUNS * 2_000),
  );
});
