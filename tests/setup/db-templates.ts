import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, type Database, openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import {
  adminQuery,
  type TestTemplate,
  templateVariable,
  testDatabaseUrl,
} from '../../src/db/testing.ts';
import { seedTestDemo } from '../../src/runtime/testing.ts';

/**
 * Global set-up of the db-pglite and db-pg projects: builds the `migrated` and `demo` test
 * templates once for the run (see src/db/testing.ts) and names them in the environment the test
 * workers inherit; the teardown removes them. Each template is built by the code a test would
 * otherwise run itself (migrate, seedTestDemo), so a copy is the database the test would build.
 */
export function templateSetup(backend: Backend): () => Promise<() => Promise<void>> {
  return async () => {
    // The e2e project's set-up asks for the PGlite templates the db-pglite set-up has already built
    // in this run (global set-ups run one after another in one process): the same code would build
    // the same databases again (~10 s before any test starts).
    if (TEMPLATES.every((template) => process.env[templateVariable(backend, template)])) {
      return async () => {};
    }
    const built = backend === 'pg' ? await buildPgTemplates() : await buildPgliteTemplates();
    for (const [template, value] of built.names) {
      process.env[templateVariable(backend, template)] = value;
    }
    return async () => {
      for (const [template] of built.names) delete process.env[templateVariable(backend, template)];
      await built.remove();
    };
  };
}

const TEMPLATES: readonly TestTemplate[] = ['migrated', 'demo'];

type Built = { names: Map<TestTemplate, string>; remove: () => Promise<void> };

async function buildPgTemplates(): Promise<Built> {
  const run = randomBytes(4).toString('hex');
  const names = new Map<TestTemplate, string>();
  const remove = async () => {
    for (const name of names.values()) {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  };
  try {
    for (const template of TEMPLATES) {
      const name = `tc_tpl_${run}_${template}`;
      names.set(template, name);
      await adminQuery(`CREATE DATABASE ${name}`);
      // Closed before any copy: CREATE DATABASE … TEMPLATE needs the template without sessions.
      const url = testDatabaseUrl(name);
      await build(await openDatabase({ backend: 'pg', url, poolMax: 2 }), template);
    }
  } catch (err) {
    await remove();
    throw err;
  }
  return { names, remove };
}

async function build(db: Database, template: TestTemplate): Promise<void> {
  try {
    await migrate(db);
    if (template === 'demo') await seedTestDemo(db);
  } finally {
    await db.close();
  }
}

async function buildPgliteTemplates(): Promise<Built> {
  const dir = mkdtempSync(join(tmpdir(), 'tc-tpl-'));
  const names = new Map<TestTemplate, string>();
  const db = await openDatabase({ backend: 'pglite' });
  try {
    await migrate(db);
    names.set('migrated', await dumpTo(db, join(dir, 'migrated.tar')));
    await seedTestDemo(db);
    names.set('demo', await dumpTo(db, join(dir, 'demo.tar')));
  } finally {
    await db.close();
  }
  return { names, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function dumpTo(db: Database, file: string): Promise<string> {
  if (!db.dumpDataDir) throw new Error('a PGlite database can dump its data directory');
  writeFileSync(file, new Uint8Array(await (await db.dumpDataDir()).arrayBuffer()));
  return file;
}
