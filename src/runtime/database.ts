import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Database, openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { syncBundledCalendar } from '../usecases/calendar/calendar-import.ts';
import { readBundledCalendar } from './calendar-file.ts';
import { type Config, loadConfig } from './config.ts';

/**
 * Opens the database the configuration names (PGlite under TONGCHOU_DATA_DIR unless DATABASE_URL)
 * and migrates it — through DATABASE_OWNER_URL when that is set — then adds the bundled calendar's
 * years the database lacks (an administrator's imported years are kept).
 */
export async function openConfiguredDatabase(config: Config = loadConfig()): Promise<Database> {
  const db = await openMigratedDatabase(config);
  try {
    await syncBundledCalendar(db, readBundledCalendar());
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

async function openMigratedDatabase(config: Config): Promise<Database> {
  let db: Database;
  if (config.DATABASE_URL && config.DATABASE_OWNER_URL) {
    // The server runs as the least-privilege application role (docs/security.md), which cannot
    // change the schema: the migrations go through the owner's connection, closed at once.
    const owner = await openDatabase({ backend: 'pg', url: config.DATABASE_OWNER_URL, poolMax: 1 });
    try {
      await migrate(owner);
    } finally {
      await owner.close();
    }
    return openDatabase({ backend: 'pg', url: config.DATABASE_URL, poolMax: config.DB_POOL_MAX });
  }
  if (config.DATABASE_URL) {
    db = await openDatabase({
      backend: 'pg',
      url: config.DATABASE_URL,
      poolMax: config.DB_POOL_MAX,
    });
  } else {
    const dir = resolve(config.TONGCHOU_DATA_DIR);
    mkdirSync(dir, { recursive: true });
    db = await openDatabase({ backend: 'pglite', dataDir: dir });
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    if (!isPermissionDenied(err)) throw err;
    throw new Error(
      `a migration is pending and the database user of DATABASE_URL may not run it (${String(err)}); ` +
        'set DATABASE_OWNER_URL to the owner role, or run `tongchou migrate` as the owner (docs/security.md)',
    );
  }
  return db;
}

function isPermissionDenied(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '42501';
}

export function describeDatabase(config: Config): string {
  if (!config.DATABASE_URL) return `PGlite (embedded) at ${resolve(config.TONGCHOU_DATA_DIR)}`;
  const u = new URL(config.DATABASE_URL);
  if (u.password) u.password = '***';
  return `PostgreSQL server ${u.toString()}`;
}
