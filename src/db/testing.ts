import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import pg from 'pg';
import { type Backend, type Database, openDatabase } from './client.ts';
import { migrate } from './migrate.ts';

/**
 * Test databases. The DB suite runs unchanged on both backends: vitest's `db-pglite` project sets
 * TONGCHOU_TEST_BACKEND=pglite (a fresh in-memory PGlite per call) and `db-pg` sets `pg` (a fresh
 * database per call on the server at TEST_DATABASE_URL, default postgres://127.0.0.1:5432/test,
 * dropped afterwards). An unreachable server fails the suite: it never skips.
 */
export const testBackend: Backend = process.env['TONGCHOU_TEST_BACKEND'] === 'pg' ? 'pg' : 'pglite';

export function adminUrl(): string {
  return (
    process.env['TEST_DATABASE_URL'] ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`
  );
}

export type TestDatabase = { db: Database; url: string | null; cleanup: () => Promise<void> };

/** A statement on the test server's admin connection (roles, databases). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL server unreachable at ${adminUrl()} (${String(err)}). The db-pg suite needs a server: ` +
        'start one or set TEST_DATABASE_URL.',
    );
  }
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * What a test database can start from. `migrated`: every migration applied; `demo`: migrated, then
 * seeded by `seedTestDemo` (src/runtime/testing.ts). Building either from scratch costs seconds per
 * file (PGlite's initdb alone ~2 s, the demo seed 1.5–3 s), so the DB projects' global set-up
 * (tests/setup/db-templates.ts) builds each once per run and names it in the environment: a
 * database to copy on the server, a dumped data directory for PGlite. Without those variables (a
 * benchmark, a single file run another way) everything is built from scratch as before.
 */
export type TestTemplate = 'migrated' | 'demo';

export function templateVariable(backend: Backend, template: TestTemplate): string {
  return `TONGCHOU_TEST_TEMPLATE_${backend.toUpperCase()}_${template.toUpperCase()}`;
}

export type OpenedTestDatabase = TestDatabase & {
  /** True when the database is a copy of the requested template (the caller need not seed it). */
  fromTemplate: boolean;
};

export async function openTestDatabase(
  options: { migrate?: boolean; poolMax?: number; backend?: Backend; template?: TestTemplate } = {},
): Promise<OpenedTestDatabase> {
  const backend = options.backend ?? testBackend;
  const template =
    options.migrate === false ? undefined : (options.template ?? ('migrated' as const));
  const source = template ? process.env[templateVariable(backend, template)] : undefined;
  const opened =
    backend === 'pg'
      ? await openPgTest(options.poolMax ?? 10, source || undefined)
      : await openPgliteTest(source || undefined);
  const fromTemplate = Boolean(source);
  if (!fromTemplate && options.migrate !== false) await migrate(opened.db);
  return { ...opened, fromTemplate };
}

/** The URL of database `name` on the test server (the admin URL's server and user). */
export function testDatabaseUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function openPgTest(poolMax: number, template: string | undefined): Promise<TestDatabase> {
  const name = `tc_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(name, template);
  const url = testDatabaseUrl(name);
  const db = await openDatabase({ backend: 'pg', url, poolMax });
  const cleanup = async () => {
    await db.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  return { db, url, cleanup };
}

/**
 * CREATE DATABASE … TEMPLATE refuses while another session is connected to the template (55006);
 * only the set-up ever connects to it, but a copy started at the same instant can see the other's
 * short-lived connection, so that one refusal is retried.
 */
export async function createDatabase(name: string, template?: string): Promise<void> {
  const sql = template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(sql);
      return;
    } catch (err) {
      const busy = err instanceof Error && /being accessed by other users/.test(err.message);
      if (!busy || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

async function openPgliteTest(dumpFile: string | undefined): Promise<TestDatabase> {
  const loadDataDir = dumpFile ? new Blob([readFileSync(dumpFile)]) : undefined;
  const db = await openDatabase({ backend: 'pglite', loadDataDir });
  return { db, url: null, cleanup: () => db.close() };
}
