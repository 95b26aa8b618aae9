import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_STDOUT_FILE, SEEDED_DEMO_PG_VARIABLE, startSeed } from '../../src/cli/testing.ts';
import { adminQuery, createDatabase, testDatabaseUrl } from '../../src/db/testing.ts';
import { templateSetup } from './db-templates.ts';

const templates = templateSetup('pg');

/**
 * vitest globalSetup of the db-pg project: the test templates (tests/setup/db-templates.ts), and
 * the demo as the real `tongchou seed` leaves a server database (in demo mode), built once and
 * copied as a template by the CLI tests (src/cli/testing.ts `seedDemoCopy`). Its return is the
 * teardown.
 */
export async function setup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'tc-seeded-pg-'));
  const name = `tc_tpl_${randomBytes(4).toString('hex')}_seeded`;
  await createDatabase(name);
  const remove = async () => {
    rmSync(dir, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    // The seed runs in its own process while this one builds the templates.
    const [removeTemplates] = await Promise.all([
      templates(),
      startSeed(
        {
          DATABASE_URL: testDatabaseUrl(name),
          TONGCHOU_MODE: 'demo',
          TONGCHOU_BLOB_DIR: join(dir, 'blobs'),
        },
        join(dir, SEED_STDOUT_FILE),
      ),
    ]);
    process.env[SEEDED_DEMO_PG_VARIABLE] = `${name}:${dir}`;
    return async () => {
      delete process.env[SEEDED_DEMO_PG_VARIABLE];
      await remove();
      await removeTemplates();
    };
  } catch (err) {
    await remove();
    throw err;
  }
}
