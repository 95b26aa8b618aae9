import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { format } from 'node:util';
import { afterAll, beforeAll, vi } from 'vitest';
import { type Database, openDatabase } from '../db/client.ts';
import { adminQuery, createDatabase, testBackend, testDatabaseUrl } from '../db/testing.ts';
import { buildProgram } from './program.ts';

export type CliRun = { code: number; out: string; err: string };

/**
 * Runs `tongchou <args>` in this process, as bin/tongchou.mjs would run it in its own: the same
 * program, the given environment (restored afterwards), stdout and stderr captured, the exit code
 * read back. Spawning a process costs seconds of start-up per command, so a test file runs its
 * commands here and keeps one real-process call to show the entry point behaves the same.
 */
export async function runCliInProcess(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  options: { stdin?: string } = {},
): Promise<CliRun> {
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) setEnv(k, v);
  let out = '';
  let err = '';
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  // Commands print with console.log / console.error too; the test runner patches console, so
  // those calls are captured here rather than through the stream spies.
  const consoleSpies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      out += `${format(...a)}\n`;
    }),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      err += `${format(...a)}\n`;
    }),
    vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => {
      err += `${format(...a)}\n`;
    }),
  ];
  // Standard input as a pipe gives it: the text, then its end (never a terminal). `process.stdin`
  // is a lazy getter on process; the original descriptor is put back afterwards.
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', {
    value: Readable.from([Buffer.from(options.stdin ?? '')]),
    configurable: true,
  });
  const before = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  try {
    await buildProgram().parseAsync(['node', 'tongchou', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    const exitCode = e instanceof Error && 'exitCode' in e ? e.exitCode : undefined;
    if (typeof exitCode !== 'number') throw e;
    code = exitCode;
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
    if (stdinDescriptor) Object.defineProperty(process, 'stdin', stdinDescriptor);
    for (const spy of consoleSpies) spy.mockRestore();
    process.exitCode = before;
    for (const [k, v] of saved) setEnv(k, v);
  }
  return { code, out, err };
}

function setEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

type SeedEnv = Readonly<Record<string, string | undefined>>;

const SEED_ARGS = ['bin/tongchou.mjs', 'seed'];

/** Runs the real `tongchou seed` under the given environment (on top of this process's); its stdout. */
export function runSeed(env: SeedEnv): string {
  const r = spawnSync(process.execPath, SEED_ARGS, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`tongchou seed failed: ${r.stderr}`);
  return r.stdout;
}

/** The file in the seeded directory that keeps what the real seed printed (cli.db.test.ts reads it). */
export const SEED_STDOUT_FILE = 'seed-stdout.txt';

/**
 * `runSeed` in the background: the caller does other work while the child seeds. Its standard
 * output is kept in `stdoutFile`, so a test can check what the real process printed.
 */
export function startSeed(env: SeedEnv, stdoutFile: string): Promise<void> {
  const child = spawn(process.execPath, SEED_ARGS, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`tongchou seed failed: ${Buffer.concat(stderr)}`));
      writeFileSync(stdoutFile, Buffer.concat(stdout));
      done();
    });
  });
}

/** The environment variable naming the seeded directory tests/setup/db-pglite.ts built. */
export const SEEDED_DEMO_VARIABLE = 'TONGCHOU_TEST_SEEDED_DEMO_DIR';

/**
 * The environment variable naming what tests/setup/db-pg.ts seeded: `<database>:<directory>`, a
 * server database the real `tongchou seed` filled (copied per test as a template) and the directory
 * holding its blobs and its printed output.
 */
export const SEEDED_DEMO_PG_VARIABLE = 'TONGCHOU_TEST_SEEDED_DEMO_PG';

/**
 * Gives a CLI test the demo province as `tongchou seed` leaves it, without seeding again: each DB
 * project's set-up runs the real `tongchou seed` once per run (PGlite: into a directory; the
 * server: into a database), and this copies it for the test: the directory to the test's
 * `TONGCHOU_DATA_DIR`, or the database (CREATE DATABASE … TEMPLATE) to the one the test's
 * `DATABASE_URL` names (see `cliDatabase`); the blobs to `TONGCHOU_BLOB_DIR` (default ./data/blobs,
 * as the seed would write them). Seeding took 10–20 s of each of nine CLI test files. Without the
 * set-up (a file run under another configuration) it runs the real seed, as the tests did before.
 */
export async function seedDemoCopy(
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const url = env['DATABASE_URL'];
  if (url) return seedServerCopy(env, url);
  const dataDir = env['TONGCHOU_DATA_DIR'];
  if (dataDir === undefined) throw new Error('seedDemoCopy: the test names no TONGCHOU_DATA_DIR');
  const seeded = process.env[SEEDED_DEMO_VARIABLE];
  if (seeded === undefined) return runSeed(env);
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(join(seeded, 'data'), dataDir, { recursive: true });
  return copySeedOutput(env, seeded);
}

function copySeedOutput(env: SeedEnv, seeded: string): string {
  cpSync(join(seeded, 'blobs'), resolve(env['TONGCHOU_BLOB_DIR'] ?? './data/blobs'), {
    recursive: true,
  });
  return readFileSync(join(seeded, SEED_STDOUT_FILE), 'utf8');
}

async function seedServerCopy(env: SeedEnv, url: string): Promise<string> {
  const seeded = process.env[SEEDED_DEMO_PG_VARIABLE];
  const name = new URL(url).pathname.slice(1);
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  if (seeded === undefined) {
    await createDatabase(name);
    return runSeed(env);
  }
  const [template = '', dir = ''] = seeded.split(':');
  // Files copying the one seeded template at once: createDatabase retries the template's refusal.
  await createDatabase(name, template);
  return copySeedOutput(env, dir);
}

/**
 * Where a CLI test's commands keep their database, on the backend of the test's project: on the
 * server (db-pg) an empty database of its own, named in `DATABASE_URL` with `TONGCHOU_MODE=demo`
 * (a server database means production otherwise, whose refusals the demo commands would meet); on
 * PGlite (db-pglite) a data directory. Either way the blobs go to a directory of the test's, not
 * ./data/blobs. `cleanup` drops the database or removes the directory.
 */
export type CliDatabase = {
  env: Record<string, string | undefined>;
  dir: string;
  open: () => Promise<Database>;
  cleanup: () => Promise<void>;
};

export async function cliDatabase(prefix: string): Promise<CliDatabase> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const base = { ...process.env, TONGCHOU_BLOB_DIR: join(dir, 'blobs') };
  if (testBackend === 'pglite') {
    const dataDir = join(dir, 'data');
    return {
      env: { ...base, TONGCHOU_DATA_DIR: dataDir, DATABASE_URL: '' },
      dir,
      open: () => openDatabase({ backend: 'pglite', dataDir }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `tc_cli_${randomBytes(6).toString('hex')}`;
  await createDatabase(name);
  const url = testDatabaseUrl(name);
  return {
    env: { ...base, DATABASE_URL: url, TONGCHOU_MODE: 'demo' },
    dir,
    open: () => openDatabase({ backend: 'pg', url, poolMax: 2 }),
    cleanup: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The project the CLI tests run in: the PostgreSQL server's (db-pg), once per suite. Their commands'
 * own work cost ~330 s of the suite's file time on PGlite (each in-process command opens its PGlite
 * directory, ~280 ms, then runs in WebAssembly), and the commands hold no SQL of their own: the use
 * cases they call run on both backends in their own db tests. The CLI on a PGlite directory, the
 * zero-set-up demo's path, keeps its tests there (cli.db.test.ts, init.db.test.ts).
 */
export const cliTestsHere = testBackend === 'pg';

/**
 * `cliDatabase` for a test file's commands, opened before its tests and dropped after them (in the
 * CLI tests' project only); read its fields inside the tests.
 */
export function cliDatabaseForFile(prefix: string): CliDatabase {
  let opened: CliDatabase | undefined;
  const get = (): CliDatabase => {
    if (opened === undefined) throw new Error('cliDatabaseForFile: read outside the file’s tests');
    return opened;
  };
  beforeAll(async () => {
    if (cliTestsHere) opened = await cliDatabase(prefix);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });
  return {
    get env() {
      return get().env;
    },
    get dir() {
      return get().dir;
    },
    open: () => get().open(),
    cleanup: () => get().cleanup(),
  };
}
