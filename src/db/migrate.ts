import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';
import { textOf } from './rows.ts';

/** Numbered, plain-SQL, forward-only migrations: `NNNN_name.sql`, applied in order, each once. */
export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Migration = { version: number; name: string; sql: string; checksum: string };

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function listMigrations(dir = migrationsDir): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file, i) => {
    const m = FILE.exec(file);
    if (!m) throw new Error(`migration file name ${file} must look like 0001_some_name.sql`);
    const version = Number(m[1]);
    if (version !== i + 1)
      throw new Error(`migration ${file}: expected number ${i + 1} (no gaps, no repeats)`);
    const sql = readFileSync(join(dir, file), 'utf8');
    return { version, name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

export type MigrateReport = { applied: number[]; alreadyApplied: number };

/**
 * Applies pending migrations, each in its own transaction under an advisory lock (two processes
 * starting at once do not race). An applied migration whose file changed is refused: migrations are
 * never edited once shipped.
 */
export async function migrate(db: Database, dir = migrationsDir): Promise<MigrateReport> {
  const migrations = listMigrations(dir);
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  let alreadyApplied = 0;
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(2019164)`);
      // Hand SQL: schema_migrations is the migrator's own bookkeeping, created above, not a mirror.
      const existing = await tx.query('SELECT checksum FROM schema_migrations WHERE version = $1', [
        m.version,
      ]);
      const row = existing.rows[0];
      if (row) {
        if (textOf(row, 'checksum') !== m.checksum) {
          throw new Error(
            `migration ${m.version} (${m.name}) was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await tx.exec(m.sql);
      await tx.query(
        'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
        [m.version, m.name, m.checksum],
      );
      return true;
    });
    if (done) applied.push(m.version);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}
