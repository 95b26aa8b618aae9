import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Database } from '../db/client.ts';
import { systemActor } from '../identity/actor.ts';
import type { RuleBook } from '../rules/rule-book.ts';
import type { DemoProvince } from '../usecases/registry/province-definition.ts';
import { seedDemo } from '../usecases/seed/seed-demo.ts';
import { loadDemoProvince } from './province-files.ts';
import { loadRuleBook } from './rule-files.ts';

let book: RuleBook | undefined;

/**
 * The committed rule book for tests, read once per test process (worker): the shared helper every
 * test uses instead of loading YAML itself, as the adapters load it once at start.
 */
export function testRuleBook(): RuleBook {
  book ??= loadRuleBook();
  return book;
}

/** The committed demo province file, as the seed reads it (tests on any floor may import this helper). */
export function testDemoProvince(): DemoProvince {
  return loadDemoProvince();
}

/**
 * The demo every API test starts from: the committed province, seed 2019164, no cases (no rules,
 * no blob store). The `demo` test template (src/db/testing.ts) is this seed, built once per run.
 */
export async function seedTestDemo(db: Database): Promise<void> {
  await seedDemo(db, systemActor('test-seed'), { seed: 2019164, province: testDemoProvince() });
}

/**
 * A self-signed certificate (2 days) and its key for localhost / 127.0.0.1, written to `dir` by
 * Debian's openssl, for the TLS tests. OpenSSL 3.0 cannot back-date a certificate: expiry is tested
 * by passing a later `now`.
 */
export function selfSignedCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}
