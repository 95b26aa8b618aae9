import { randomBytes } from 'node:crypto';
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

export async function openTestDatabase(
  options: { migrate?: boolean; poolMax?: number; backend?: Backend } = {},
): Promise<TestDatabase> {
  let db: Database;
  let url: string | null = null;
  let cleanup: () => Promise<void>;
  if ((options.backend ?? testBackend) === 'pg') {
    const name = `tc_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl());
    u.pathname = `/${name}`;
    url = u.toString();
    db = await openDatabase({ backend: 'pg', url, poolMax: options.poolMax ?? 10 });
    cleanup = async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
  } else {
    db = await openDatabase({ backend: 'pglite' });
    cleanup = () => db.close();
  }
  if (options.migrate !== false) await migrate(db);
  return { db, url, cleanup };
}
