import { userInfo } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { int8Value } from './int8.ts';
import type { Row } from './rows.ts';
import * as schema from './schema.ts';

/**
 * One interface over both backends (ADR 0001): PGlite in the process (file-backed under ./data or in
 * memory) and a PostgreSQL server through a pool. Same SQL dialect, same migrations, same tests.
 */
export type Backend = 'pglite' | 'pg';
export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;
export type QueryResult<R> = { rows: R[]; rowCount: number };

/**
 * What a use case gets inside a transaction (or for a single read): the typed ORM for ordinary
 * reads and writes, and raw SQL for measured hot paths. Raw rows are `Record<string, unknown>`: a
 * typed row comes only from Drizzle or from a mapper built with ./rows.ts.
 */
export type Executor = {
  query(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
  readonly orm: Orm;
};

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';
export type TransactionOptions = { isolation?: Isolation; retries?: number };

export type Database = {
  readonly backend: Backend;
  /** Runs `fn` in one transaction; retries serialization failures and deadlocks (40001, 40P01). */
  transaction<T>(fn: (tx: Executor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs `fn` on one connection without a transaction (reads). */
  withConnection<T>(fn: (ex: Executor) => Promise<T>): Promise<T>;
  query(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as an uncompressed tar (what `loadDataDir` reads). */
  dumpDataDir?: () => Promise<Blob>;
};

export type DatabaseConfig =
  | {
      backend: 'pglite';
      dataDir?: string | undefined;
      /** A data directory dumped by PGlite's dumpDataDir, loaded instead of a fresh cluster. */
      loadDataDir?: Blob | undefined;
    }
  | { backend: 'pg'; url: string; poolMax?: number };

const INT8_OID = 20;

/** int8 comes back as a JS number; anything beyond 2^53 is a broken invariant, not silent loss. */
const parseInt8 = (value: string): number => int8Value(value);

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * A serialization failure or deadlock, raised by the driver or wrapped by Drizzle (its
 * DrizzleQueryError carries the driver's error as `cause`, without a code of its own): without
 * following the cause, a deadlock inside an ORM statement was never retried.
 */
function isRetryable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    if ('code' in e && typeof e.code === 'string' && RETRYABLE.has(e.code)) return true;
    e = 'cause' in e ? e.cause : undefined;
  }
  return false;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function withRetry<T>(attempt: () => Promise<T>, retries: number): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= retries || !isRetryable(err)) throw err;
      await sleep(5 * 2 ** i + Math.floor(Math.random() * 10));
    }
  }
}

function beginStatement(isolation: Isolation | undefined): string {
  return isolation ? `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}` : 'BEGIN';
}

/** BEGIN, run, COMMIT — or ROLLBACK and rethrow — on one connection. */
async function inTransaction<T>(
  ex: Executor,
  fn: (tx: Executor) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  await ex.query(beginStatement(options.isolation));
  try {
    const out = await fn(ex);
    await ex.query('COMMIT');
    return out;
  } catch (err) {
    await ex.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function openPg(url: string, poolMax: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    // A URL without a user name means the OS user, as psql does.
    ...(new URL(url).username ? {} : { user: process.env['PGUSER'] ?? userInfo().username }),
    max: poolMax,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? parseInt8
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries in flight report their own error.
  });
  const ormByClient = new WeakMap<pg.PoolClient, Orm>();
  const executorFor = (client: pg.PoolClient): Executor => {
    let orm = ormByClient.get(client);
    if (!orm) {
      orm = drizzlePg(client, { schema }) as unknown as Orm;
      ormByClient.set(client, orm);
    }
    return {
      orm,
      async query(text: string, params?: readonly unknown[]) {
        const r = await client.query<Row>(text, params as unknown[] | undefined);
        return { rows: r.rows, rowCount: r.rowCount ?? 0 };
      },
      async exec(script: string) {
        await client.query(script);
      },
    };
  };
  const withConnection = async <T>(fn: (ex: Executor) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(executorFor(client));
    } finally {
      client.release();
    }
  };
  return {
    backend: 'pg',
    withConnection,
    transaction: (fn, options = {}) =>
      withRetry(() => withConnection((ex) => inTransaction(ex, fn, options)), options.retries ?? 3),
    async query(text: string, params?: readonly unknown[]) {
      const r = await pool.query<Row>(text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    },
    close: () => pool.end(),
  };
}

async function openPglite(
  dataDir: string | undefined,
  loadDataDir: Blob | undefined,
): Promise<Database> {
  const db = await PGlite.create(dataDir, {
    parsers: { [INT8_OID]: parseInt8 },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const orm = drizzlePglite(db, { schema }) as unknown as Orm;
  // PGlite is one connection: a mutex keeps one transaction (or one read) on it at a time, so that a
  // concurrent request's statement never lands inside another request's transaction.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  const ex: Executor = {
    orm,
    async query(text: string, params?: readonly unknown[]) {
      const r = await db.query<Row>(text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
  return {
    backend: 'pglite',
    withConnection: (fn) => exclusive(() => fn(ex)),
    transaction: (fn, options = {}) =>
      withRetry(() => exclusive(() => inTransaction(ex, fn, options)), options.retries ?? 3),
    query: (text, params) => exclusive(() => ex.query(text, params)),
    close: () => exclusive(() => db.close()),
    dumpDataDir: () => exclusive(() => db.dumpDataDir('none')),
  };
}

/** Runs `fn` on an Executor: the caller's transaction, or a connection of the database. */
export function withExecutor<T>(
  db: Database | Executor,
  fn: (ex: Executor) => Promise<T>,
): Promise<T> {
  return 'withConnection' in db ? db.withConnection(fn) : fn(db);
}

/** Opens the configured backend. The caller runs migrations (see migrate.ts). */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.backend === 'pg'
    ? openPg(config.url, config.poolMax ?? 10)
    : openPglite(config.dataDir, config.loadDataDir);
}
