import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { format } from 'node:util';
import { vi } from 'vitest';
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
 * Gives a CLI test the demo province as `tongchou seed` leaves it, without seeding again: the
 * db-pglite project's set-up runs the real `tongchou seed` once per run into a directory (its
 * `data` and `blobs`), and this copies them to the test's `TONGCHOU_DATA_DIR` (which must not hold
 * a database yet) and blob directory (`TONGCHOU_BLOB_DIR`, default ./data/blobs, as the seed would
 * write them). Seeding took 10–20 s of each of nine CLI test files. Without the set-up (a file run
 * under another configuration) it runs the real seed, as the tests did before.
 */
export function seedDemoCopy(env: Readonly<Record<string, string | undefined>>): string {
  const dataDir = env['TONGCHOU_DATA_DIR'];
  if (dataDir === undefined) throw new Error('seedDemoCopy: the test names no TONGCHOU_DATA_DIR');
  const seeded = process.env[SEEDED_DEMO_VARIABLE];
  if (seeded === undefined) return runSeed(env);
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(join(seeded, 'data'), dataDir, { recursive: true });
  cpSync(join(seeded, 'blobs'), resolve(env['TONGCHOU_BLOB_DIR'] ?? './data/blobs'), {
    recursive: true,
  });
  return readFileSync(join(seeded, SEED_STDOUT_FILE), 'utf8');
}
