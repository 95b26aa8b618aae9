import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../domain/audit/checkpoint.ts';
import { DEMO_PASSWORD } from '../usecases/seed/demo-password.ts';
import { loadConfig } from './config.ts';
import { productionConfigProblems, readTls, refusalMessage, startProblems } from './production.ts';
import { selfSignedCertificate } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'tc-tls-'));
const { certFile, keyFile } = selfSignedCertificate(dir);
const other = selfSignedCertificate(mkdtempSync(join(dir, 'other-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A production set-up that may serve: a server database with its own password, behind a proxy. */
const safe = {
  TONGCHOU_MODE: 'production',
  DATABASE_URL: 'postgres://tongchou:Vq8-its-own-secret@db.internal:5432/tongchou',
  TRUST_PROXY: '10.0.0.5',
  AUDIT_SIGNING_KEY: generateSigningKey().privatePem,
};

function problemsOf(env: Record<string, string | undefined>, now?: Date) {
  return productionConfigProblems(loadConfig(env), now).map((p) => `${p.setting}: ${p.problem}`);
}

describe('production mode refuses each unsafe configuration, naming the fix', () => {
  it('accepts a server database behind a trusted proxy, or with its own TLS', () => {
    expect(problemsOf(safe)).toEqual([]);
    expect(
      problemsOf({
        ...safe,
        TRUST_PROXY: undefined,
        TLS_CERT_FILE: certFile,
        TLS_KEY_FILE: keyFile,
      }),
    ).toEqual([]);
  });
  it('refuses the embedded PGlite', () => {
    const problems = productionConfigProblems(loadConfig({ ...safe, DATABASE_URL: undefined }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.setting).toBe('DATABASE_URL');
    expect(problems[0]?.problem).toMatch(/PGlite, whose fsync is a no-op/);
    expect(problems[0]?.fix).toMatch(/set DATABASE_URL=postgres:\/\//);
  });
  it('refuses to run without an audit checkpoint key, or with one that is not a key', () => {
    const none = productionConfigProblems(loadConfig({ ...safe, AUDIT_SIGNING_KEY: undefined }));
    expect(none.map((p) => p.setting)).toEqual(['AUDIT_SIGNING_KEY_FILE']);
    expect(none[0]?.fix).toMatch(/tongchou audit keygen --out FILE/);
    const bad = problemsOf({ ...safe, AUDIT_SIGNING_KEY: 'not a key' });
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(
      /^AUDIT_SIGNING_KEY_FILE \/ AUDIT_SIGNING_KEY: AUDIT_SIGNING_KEY: not an Ed25519 private key/,
    );
    const missingFile = problemsOf({
      ...safe,
      AUDIT_SIGNING_KEY: undefined,
      AUDIT_SIGNING_KEY_FILE: join(dir, 'no-such-key.pem'),
    });
    expect(missingFile[0]).toMatch(/AUDIT_SIGNING_KEY_FILE: cannot read .*no-such-key\.pem/);
  });
  it('refuses plain HTTP: neither TLS files nor a trusted proxy', () => {
    const problems = productionConfigProblems(loadConfig({ ...safe, TRUST_PROXY: undefined }));
    expect(problems.map((p) => p.setting)).toEqual([
      'TLS_CERT_FILE + TLS_KEY_FILE, or TRUST_PROXY',
    ]);
    expect(problems[0]?.fix).toMatch(/set TLS_CERT_FILE and TLS_KEY_FILE .* or TRUST_PROXY=/);
  });
  it('refuses a published default secret: the README demo password, the usual defaults', () => {
    for (const password of [DEMO_PASSWORD, 'postgres', 'password', 'changeme']) {
      const url = `postgres://tongchou:${encodeURIComponent(password)}@db:5432/tongchou`;
      expect(problemsOf({ ...safe, DATABASE_URL: url }), password).toEqual([
        'DATABASE_URL (its password): is a published default anyone can read (README, images, tutorials)',
      ]);
    }
  });
  it('refuses COOKIE_SECURE=false', () => {
    expect(problemsOf({ ...safe, COOKIE_SECURE: 'false' })).toEqual([
      'COOKIE_SECURE: false: the session cookie would also be sent over plain HTTP',
    ]);
  });
  it('refuses TLS files that cannot serve: unreadable, a foreign key, an expired certificate', () => {
    const tls = { ...safe, TRUST_PROXY: undefined, TLS_CERT_FILE: certFile };
    expect(problemsOf({ ...tls, TLS_KEY_FILE: join(dir, 'missing.pem') })[0]).toMatch(
      /^TLS_KEY_FILE: cannot read .*missing\.pem/,
    );
    expect(problemsOf({ ...tls, TLS_KEY_FILE: other.keyFile })).toEqual([
      `TLS_KEY_FILE: is not the key of ${certFile}`,
    ]);
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    expect(problemsOf({ ...tls, TLS_KEY_FILE: keyFile }, inAWeek)[0]).toMatch(
      /^TLS_CERT_FILE: the certificate expired on /,
    );
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    expect(problemsOf({ ...tls, TLS_KEY_FILE: join(dir, 'junk.pem') })).toHaveLength(1);
  });
  it('lists every problem at once, with its fix and the way to a demo', () => {
    const config = loadConfig({ TONGCHOU_MODE: 'production', COOKIE_SECURE: 'false' });
    const message = refusalMessage('production', productionConfigProblems(config));
    expect(message).toMatch(/^tongchou refuses to start in production mode/);
    expect(message).toMatch(/- DATABASE_URL: not set.*\n {4}Fix: set DATABASE_URL=/);
    expect(message).toMatch(/- TLS_CERT_FILE \+ TLS_KEY_FILE, or TRUST_PROXY: no TLS/);
    expect(message).toMatch(/- COOKIE_SECURE: false/);
    expect(message).toMatch(/TONGCHOU_MODE=demo instead\.$/);
  });
});

describe('demo mode', () => {
  it('serves on PGlite over plain HTTP, and still refuses broken TLS files', () => {
    expect(startProblems(loadConfig({}))).toEqual([]);
    const broken = loadConfig({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: other.keyFile });
    expect(startProblems(broken).map((p) => p.setting)).toEqual(['TLS_KEY_FILE']);
    expect(refusalMessage('demo', startProblems(broken))).toMatch(/^tongchou cannot start:/);
  });
  it('reads a good certificate and its key', () => {
    const tls = readTls({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
    expect(tls.ok && tls.value !== null && tls.value.notAfter > new Date()).toBe(true);
    expect(readTls({ TLS_CERT_FILE: undefined, TLS_KEY_FILE: undefined })).toEqual({
      ok: true,
      value: null,
    });
  });
});
