import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Database, openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { type Config, loadConfig } from './config.ts';

/** Opens the database the configuration names (PGlite under TONGCHOU_DATA_DIR unless DATABASE_URL) and migrates it. */
export async function openConfiguredDatabase(config: Config = loadConfig()): Promise<Database> {
  let db: Database;
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
  await migrate(db);
  return db;
}

export function describeDatabase(config: Config): string {
  if (!config.DATABASE_URL) return `PGlite (embedded) at ${resolve(config.TONGCHOU_DATA_DIR)}`;
  const u = new URL(config.DATABASE_URL);
  if (u.password) u.password = '***';
  return `PostgreSQL server ${u.toString()}`;
}
