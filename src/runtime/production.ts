import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD } from '../usecases/seed/demo-password.ts';
import { loadSigningKey } from './audit-keys.ts';
import { type Config, ConfigError, secretSettings } from './config.ts';

/** One reason not to start, with the fix an operator can apply. */
export type StartProblem = { setting: string; problem: string; fix: string };

/**
 * Values anyone can read: the demo password printed in the README, the README's example URL
 * password, and the defaults that images and tutorials ship. A secret setting holding one of them
 * is as good as none.
 */
const publishedSecrets = new Set([
  DEMO_PASSWORD,
  'password',
  'postgres',
  'tongchou',
  'changeme',
  'change-me',
  'secret',
  'admin',
  'root',
  'example',
  '123456',
  '12345678',
]);

export type TlsMaterial = { key: Buffer; cert: Buffer; notAfter: Date };

/**
 * The certificate and key named by TLS_CERT_FILE / TLS_KEY_FILE, checked before the server is built:
 * readable, PEM, the key belongs to the certificate, the certificate not expired. Null without TLS.
 */
export function readTls(
  config: Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>,
  now: Date = new Date(),
): { ok: true; value: TlsMaterial | null } | { ok: false; problems: StartProblem[] } {
  const certFile = config.TLS_CERT_FILE;
  const keyFile = config.TLS_KEY_FILE;
  if (certFile === undefined || keyFile === undefined) return { ok: true, value: null };
  const fix = 'point TLS_CERT_FILE and TLS_KEY_FILE at the PEM certificate (chain) and its key';
  const problems: StartProblem[] = [];
  const read = (setting: string, file: string): Buffer | null => {
    try {
      return readFileSync(file);
    } catch (err) {
      problems.push({ setting, problem: `cannot read ${file} (${messageOf(err)})`, fix });
      return null;
    }
  };
  const cert = read('TLS_CERT_FILE', certFile);
  const key = read('TLS_KEY_FILE', keyFile);
  if (cert === null || key === null) return { ok: false, problems };
  try {
    const x509 = new X509Certificate(cert);
    const notAfter = new Date(x509.validTo);
    if (!x509.checkPrivateKey(createPrivateKey(key)))
      problems.push({ setting: 'TLS_KEY_FILE', problem: `is not the key of ${certFile}`, fix });
    if (notAfter.getTime() <= now.getTime())
      problems.push({
        setting: 'TLS_CERT_FILE',
        problem: `the certificate expired on ${notAfter.toISOString()}`,
        fix: 'renew the certificate and point TLS_CERT_FILE at the new one',
      });
    return problems.length > 0
      ? { ok: false, problems }
      : { ok: true, value: { key, cert, notAfter } };
  } catch (err) {
    problems.push({ setting: 'TLS_CERT_FILE / TLS_KEY_FILE', problem: messageOf(err), fix });
    return { ok: false, problems };
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Why this configuration must not serve in production mode (empty: it may). The database's own
 * state (demo users, a province) is checked after it opens: usecases/system/production-readiness.ts.
 */
export function productionConfigProblems(config: Config, now: Date = new Date()): StartProblem[] {
  const problems: StartProblem[] = [];
  if (config.DATABASE_URL === undefined)
    problems.push({
      setting: 'DATABASE_URL',
      problem:
        'not set: production would run on the embedded PGlite, whose fsync is a no-op (ADR 0001): a crash can lose acknowledged writes',
      fix: 'set DATABASE_URL=postgres://user:password@host:5432/dbname (a PostgreSQL 15+ server)',
    });
  if (config.TLS_CERT_FILE === undefined && config.TRUST_PROXY === undefined)
    problems.push({
      setting: 'TLS_CERT_FILE + TLS_KEY_FILE, or TRUST_PROXY',
      problem: 'no TLS: passwords and session cookies would cross the network in clear text',
      fix: 'set TLS_CERT_FILE and TLS_KEY_FILE (PEM) so the server speaks HTTPS, or TRUST_PROXY=<address of the reverse proxy that terminates TLS>',
    });
  const tls = readTls(config, now);
  if (!tls.ok) problems.push(...tls.problems);
  if (config.COOKIE_SECURE === 'false')
    problems.push({
      setting: 'COOKIE_SECURE',
      problem: 'false: the session cookie would also be sent over plain HTTP',
      fix: 'remove COOKIE_SECURE (production always marks cookies Secure)',
    });
  problems.push(...signingKeyProblems(config));
  for (const s of secretSettings(config))
    if (publishedSecrets.has(s.value))
      problems.push({
        setting: s.setting,
        problem: 'is a published default anyone can read (README, images, tutorials)',
        fix: `give ${s.setting.split(' ')[0]} a secret of its own`,
      });
  return problems;
}

/**
 * Production signs the audit chain's head (hourly and on demand): without a key the checkpoints
 * are silently off, and a rewrite of the chain by the database owner could not be shown offline.
 */
function signingKeyProblems(config: Config): StartProblem[] {
  const fix =
    'run `tongchou audit keygen --out FILE` and set AUDIT_SIGNING_KEY_FILE=FILE (keep FILE.pub apart, for `tongchou audit verify --checkpoints`)';
  try {
    if (loadSigningKey(config) !== null) return [];
    return [
      {
        setting: 'AUDIT_SIGNING_KEY_FILE',
        problem:
          'not set: the audit chain would get no signed checkpoints, so a rewrite by the database owner could not be detected offline',
        fix,
      },
    ];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [{ setting: 'AUDIT_SIGNING_KEY_FILE / AUDIT_SIGNING_KEY', problem: err.message, fix }];
  }
}

/**
 * What keeps this configuration from serving at all: in production every problem above, in demo
 * mode only a broken TLS set-up (a demo may run on PGlite over plain HTTP).
 */
export function startProblems(config: Config, now: Date = new Date()): StartProblem[] {
  if (config.TONGCHOU_MODE === 'production') return productionConfigProblems(config, now);
  const tls = readTls(config, now);
  return tls.ok ? [] : tls.problems;
}

/** The message a refused start prints: every problem with its fix, then the way to a demo. */
export function refusalMessage(mode: Config['TONGCHOU_MODE'], problems: readonly StartProblem[]) {
  const lines = problems.map((p) => `  - ${p.setting}: ${p.problem}.\n    Fix: ${p.fix}.`);
  if (mode === 'demo') return ['tongchou cannot start:', ...lines].join('\n');
  return [
    'tongchou refuses to start in production mode (TONGCHOU_MODE=production, or unset with DATABASE_URL):',
    ...lines,
    'A demo or training installation runs with TONGCHOU_MODE=demo instead.',
  ].join('\n');
}
