import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Executor } from './client.ts';
import { boolOf, textOf } from './rows.ts';

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

/**
 * Once migration 0007 has made tongchou_owner the owner in this database, every later migration
 * runs as it (for this transaction only), so new tables belong to it and get the application
 * role's default privileges. Roles are server-wide: the role may exist from another database
 * while this one is still before 0007 (no CREATE right here yet), and then nothing changes. A
 * migrating user who is not a member (nor superuser) stays who it is.
 */
async function actAsOwner(tx: Executor): Promise<void> {
  const r = await tx.query(
    `SELECT CASE WHEN to_regrole('tongchou_owner') IS NULL THEN false
            ELSE pg_has_role(session_user, 'tongchou_owner', 'MEMBER')
                 AND has_schema_privilege('tongchou_owner', current_schema(), 'CREATE') END AS member`,
  );
  const row = r.rows[0];
  if (row && boolOf(row, 'member')) await tx.query('SET LOCAL ROLE tongchou_owner');
}

export type MigrateReport = { applied: number[]; alreadyApplied: number };

/**
 * Applies pending migrations, each in its own transaction under an advisory lock (two processes
 * starting at once do not race). An applied migration whose file changed is refused: migrations are
 * never edited once shipped.
 */
export async function migrate(db: Database, dir = migrationsDir): Promise<MigrateReport> {
  const migrations = listMigrations(dir);
  // Looked up first: the application role (migration 0007) may read the table but not create in
  // the schema, and CREATE … IF NOT EXISTS checks that right even when the table is there.
  const known = await db.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
  const present = known.rows[0];
  if (!present || !boolOf(present, 'present'))
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
      await actAsOwner(tx);
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
