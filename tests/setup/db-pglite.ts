import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_STDOUT_FILE, SEEDED_DEMO_VARIABLE, startSeed } from '../../src/cli/testing.ts';
import { templateSetup } from './db-templates.ts';

const templates = templateSetup('pglite');

/**
 * vitest globalSetup of the db-pglite project: the test templates (tests/setup/db-templates.ts),
 * and the demo as the real `tongchou seed` leaves a file-backed PGlite directory, built once and
 * copied by the CLI tests (src/cli/testing.ts `seedDemoCopy`). Its return is the teardown.
 */
export async function setup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'tc-seeded-'));
  // The seed runs in its own process while this one builds the templates: two cores, ~15 s less
  // before the first test.
  const [removeTemplates] = await Promise.all([
    templates(),
    startSeed(
      {
        TONGCHOU_DATA_DIR: join(dir, 'data'),
        TONGCHOU_BLOB_DIR: join(dir, 'blobs'),
        DATABASE_URL: '',
      },
      join(dir, SEED_STDOUT_FILE),
    ),
  ]);
  process.env[SEEDED_DEMO_VARIABLE] = dir;
  return async () => {
    delete process.env[SEEDED_DEMO_VARIABLE];
    rmSync(dir, { recursive: true, force: true });
    await removeTemplates();
  };
}
