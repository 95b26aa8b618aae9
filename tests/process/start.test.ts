import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../e2e/support/build-web.ts';

/**
 * The real chain a user runs: `npm start` (npm → `sh -c` → node). A SIGTERM to the npm process must
 * leave nothing behind: no process, nothing listening on the port, and npm's status is 0.
 */
const root = resolve(import.meta.dirname, '../..');
const dataRoot = mkdtempSync(join(tmpdir(), 'tongchou-start-'));
// Both tests share one data directory: the full start also proves that a start-up stopped during
// migrate left a database the next start can use.
const dataDir = join(dataRoot, 'pglite');

interface Started {
  npm: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function npmStart(): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, TONGCHOU_DATA_DIR: dataDir, PORT: String(port) };
  env['HOST'] = '127.0.0.1';
  env['LOG_LEVEL'] = 'warn';
  env['DATABASE_URL'] = '';
  delete env['NODE_ENV'];
  // Its own process group, so the clean-up below can reach anything a failing test leaves.
  const npm = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: 'pipe' });
  const chunks: Buffer[] = [];
  npm.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  npm.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
  return { npm, port, output: () => Buffer.concat(chunks).toString('utf8'), exited };
}

/** Every live descendant of pid, read from /proc (no ps needed). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parentOf.set(Number(name), Number(fields[1]));
    } catch {
      // The process ended while we read.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function listens(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function until(what: string, test: () => boolean | Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok;
  } catch {
    return false;
  }
}

const started: Started[] = [];

beforeAll(() => ensureWebBuild(), 300_000);
afterAll(() => {
  for (const s of started) {
    try {
      process.kill(-(s.npm.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
  rmSync(dataRoot, { recursive: true, force: true });
});

/** SIGTERM to the npm process; then nothing may be left: no descendant, no listener, status 0. */
async function terminateAndCheck(s: Started, processes: number[]): Promise<void> {
  const sentAt = Date.now();
  process.kill(s.npm.pid ?? 0, 'SIGTERM');
  await until(
    'no process and no listener',
    async () => {
      return !processes.some(isAlive) && !(await listens(s.port));
    },
    2_000,
  );
  expect(Date.now() - sentAt).toBeLessThan(2_000);
  expect(await s.exited, s.output()).toBe(0);
  expect(s.output()).toMatch(/SIGTERM: stopping/);
  expect(s.output()).toMatch(/\bstopped\b/);
}

describe('npm start, then SIGTERM to the npm process', () => {
  it('a SIGTERM during start-up (migrate) stops cleanly', async () => {
    const s = await npmStart();
    started.push(s);
    const pid = s.npm.pid ?? 0;
    // The data directory appears once the lifecycle is installed and the database is opening.
    await until('the database to open', () => readdirSync(dataRoot).includes('pglite'), 120_000);
    const processes = [pid, ...descendants(pid)];
    process.kill(pid, 'SIGTERM');
    expect(await s.exited, s.output()).toBe(0);
    expect(processes.filter(isAlive)).toEqual([]);
    expect(await listens(s.port)).toBe(false);
    expect(s.output()).toMatch(/SIGTERM: start-up stops at its next step/);
    expect(s.output()).not.toMatch(/tongchou ready at/);
  }, 180_000);

  it('a served npm start leaves no process and a free port within 2 s', async () => {
    const s = await npmStart();
    started.push(s);
    const pid = s.npm.pid ?? 0;
    await until('the server to answer', () => answers(s.port), 150_000);
    const processes = [pid, ...descendants(pid)];
    // npm, and the server in its own process (sh is replaced by exec): nothing else to leave.
    expect(processes.length).toBeGreaterThanOrEqual(2);
    // The demo start opens this month's ledger period (Beijing time) for every segment.
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    expect(s.output()).toMatch(new RegExp(`Demo ledger period ${month} opened for \\d+ segment`));
    await terminateAndCheck(s, processes);
  }, 180_000);
});
