import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openTestDatabase, type TestDatabase } from '../../src/db/testing.ts';
import { generateSigningKey } from '../../src/domain/audit/checkpoint.ts';
import { systemActor } from '../../src/identity/actor.ts';
import { selfSignedCertificate, testDemoProvince } from '../../src/runtime/testing.ts';
import { seedDemo } from '../../src/usecases/seed/seed-demo.ts';

/**
 * Production mode as an operator meets it: `tongchou serve` and `tongchou init` run as processes
 * (the real CLI, the real settings from the environment) against fresh databases on the PostgreSQL
 * server (TEST_DATABASE_URL). Each unsafe start is refused with a message naming its fix and exit
 * status 2; a province created by `init` is then served over HTTPS and its administrator logs in
 * and reads, with no demo user anywhere.
 */
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tc-production-'));
const tls = selfSignedCertificate(dir);
/** The checkpoint signing key production requires (`tongchou audit keygen`). */
const signingKeyFile = join(dir, 'audit-signing.pem');
writeFileSync(signingKeyFile, generateSigningKey().privatePem, { mode: 0o600 });
const databases: TestDatabase[] = [];
const servers: ChildProcess[] = [];

afterAll(async () => {
  for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
  for (const d of databases) await d.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** The environment of an operator's shell: none of the settings under test leak in from ours. */
function env(settings: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0' };
  for (const k of [
    'DATABASE_URL',
    'TONGCHOU_MODE',
    'TRUST_PROXY',
    'TLS_CERT_FILE',
    'TLS_KEY_FILE',
    'AUDIT_SIGNING_KEY_FILE',
    'AUDIT_SIGNING_KEY',
  ])
    delete e[k];
  delete e['NODE_ENV'];
  return { ...e, TONGCHOU_DATA_DIR: join(dir, 'pglite'), ...settings };
}

function tongchou(args: string[], settings: Record<string, string>, input = '') {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', ...args], {
    cwd: root,
    env: env(settings),
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

async function freshDatabase(): Promise<string> {
  const d = await openTestDatabase({ backend: 'pg', migrate: false });
  databases.push(d);
  if (d.url === null) throw new Error('a server database has a URL');
  return d.url;
}

const proxy = { TRUST_PROXY: '10.0.0.5', AUDIT_SIGNING_KEY_FILE: signingKeyFile };

describe('production refuses each unsafe start, naming the fix (exit 2)', () => {
  it('the embedded PGlite: refused before any data directory is made', () => {
    const r = tongchou(['serve'], { TONGCHOU_MODE: 'production', ...proxy });
    expect(r.status, r.err).toBe(2);
    expect(r.err).toMatch(/^tongchou refuses to start in production mode/);
    expect(r.err).toMatch(/DATABASE_URL: not set.*\n {4}Fix: set DATABASE_URL=postgres:\/\//);
    expect(existsSync(join(dir, 'pglite'))).toBe(false);
  });

  it('no TLS and no trusted proxy (production inferred from DATABASE_URL)', async () => {
    const r = tongchou(['serve'], { DATABASE_URL: await freshDatabase() });
    expect(r.status, r.err).toBe(2);
    expect(r.err).toMatch(/TLS_CERT_FILE \+ TLS_KEY_FILE, or TRUST_PROXY: no TLS/);
    expect(r.err).toMatch(/Fix: set TLS_CERT_FILE and TLS_KEY_FILE .* or TRUST_PROXY=/);
  });

  it('no audit signing key: the checkpoints would be off', async () => {
    const r = tongchou(['serve'], { DATABASE_URL: await freshDatabase(), TRUST_PROXY: '10.0.0.5' });
    expect(r.status, r.err).toBe(2);
    expect(r.err).toMatch(/AUDIT_SIGNING_KEY_FILE: not set: the audit chain would get no signed/);
    expect(r.err).toMatch(/Fix: run `tongchou audit keygen --out FILE`/);
  });

  it('a published default secret: the database password', async () => {
    const url = new URL(await freshDatabase());
    url.password = 'postgres';
    const r = tongchou(['serve'], { DATABASE_URL: url.toString(), ...proxy });
    expect(r.status, r.err).toBe(2);
    expect(r.err).toMatch(/DATABASE_URL \(its password\): is a published default/);
  });

  it('a database with no province: create it with init first', async () => {
    const r = tongchou(['serve'], { DATABASE_URL: await freshDatabase(), ...proxy });
    expect(r.status, r.err).toBe(2);
    expect(r.err).toMatch(
      /database: holds no province.*\n {4}Fix: .*tongchou init --province FILE/,
    );
    expect(r.out).not.toMatch(/ready at/);
  });

  it('the demo: seeded, its users on the published password; and production never seeds', async () => {
    const url = await freshDatabase();
    // The demo, as `npm start` would have seeded it, on the database production is pointed at.
    const db = await openDatabase({ backend: 'pg', url, poolMax: 2 });
    await migrate(db);
    await seedDemo(db, systemActor('seed'), { seed: 2019164, province: testDemoProvince() });
    await db.close();
    const r = tongchou(['serve', '--seed-if-empty'], { DATABASE_URL: url, ...proxy });
    expect(r.status, r.err).toBe(2);
    expect(r.err).toMatch(/database: was seeded with the demo province/);
    expect(r.err).toMatch(/database: holds demo users .*: demo\.employer, .*province\.fund/);
    const seed = tongchou(['seed'], { DATABASE_URL: url, ...proxy });
    expect(seed.status).toBe(2);
    expect(seed.err).toMatch(/production never seeds/);
  }, 180_000);
});

/** One HTTPS request to the served process, trusting the test certificate. */
function https(
  port: number,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; csrf?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers: Record<string, string> = {};
  if (body !== '') headers['content-type'] = 'application/json';
  if (options.cookie) headers['cookie'] = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  return new Promise((done, fail) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, method, path, headers, ca: readFileSync(tls.certFile) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** Starts `tongchou serve` and resolves with its port once it says it is ready. */
function serve(settings: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['bin/tongchou.mjs', 'serve'], {
    cwd: root,
    env: env(settings),
    stdio: 'pipe',
  });
  servers.push(child);
  let output = '';
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const ready = /tongchou ready at https:\/\/localhost:(\d+) — production mode/.exec(output);
      if (ready) done({ child, port: Number(ready[1]) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`serve exited ${code}: ${output}`)));
  });
}

describe('a province created by init works end to end with no demo user', () => {
  it('init, serve in production over TLS, log in as its administrator, read', async () => {
    const url = await freshDatabase();
    const password = 'a pass phrase of the anhui administrator';
    const init = tongchou(
      ['init', '--province', 'provinces/example-anhui.yaml'],
      { DATABASE_URL: url, TONGCHOU_MODE: 'production' },
      `${password}\n`,
    );
    expect(init.status, init.err).toBe(0);
    expect(init.out).toMatch(/Province 340000 安徽省 created: 16 cities; administrator ah\.admin/);
    const settings = {
      DATABASE_URL: url,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      AUDIT_SIGNING_KEY_FILE: signingKeyFile,
    };
    const { child, port } = await serve(settings);
    const login = await https(port, 'POST', '/api/v1/auth/login', {
      body: { username: 'ah.admin', password },
    });
    expect(login.status, login.body).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    expect(login.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const regions = await https(port, 'GET', '/api/v1/regions', { cookie });
    expect(regions.status, regions.body).toBe(200);
    const view = JSON.parse(regions.body) as { province: { name: string }; cities: unknown[] };
    expect(view.province.name).toBe('安徽省');
    expect(view.cities).toHaveLength(16);
    // No demo user exists here to log in with the README's password.
    const demo = await https(port, 'POST', '/api/v1/auth/login', {
      body: { username: 'province.fund', password: 'Tongchou-Demo-2026' },
    });
    expect(demo.status).toBe(401);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);
});
