import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Database } from '../db/client.ts';
import { openTestDatabase, type TestDatabase } from '../db/testing.ts';
import { holdsIdNumber, maskIdNumbersIn } from '../identity/masking.ts';
import { loadConfig } from '../runtime/config.ts';
import { createLocalBlobStore } from '../runtime/local-blob-store.ts';
import { seedTestDemo, testRuleBook } from '../runtime/testing.ts';
import type { BlobStore } from '../usecases/cases/blob-store.ts';
import { DEMO_PASSWORD } from '../usecases/seed/seed-demo.ts';
import { buildApp } from './app.ts';

/** A seeded app on a fresh test database (PGlite or the server, per the vitest project). */
export type TestApp = { app: FastifyInstance; t: TestDatabase; close: () => Promise<void> };

/** Log lines of any test app that held a full ID number (see `scanningLogStream`). */
const leakedLogLines: string[] = [];

/**
 * The log destination of every test app: each line is scanned for a full ID number before it goes
 * on to `sink` (or nowhere). A line that holds one is kept, and the app's `close()` then fails the
 * test file — so every request of the whole database and browser suites is checked, not only the
 * requests of a test written for it.
 */
export function scanningLogStream(sink?: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      if (holdsIdNumber(line)) leakedLogLines.push(line);
      sink?.write(line);
    },
  };
}

/** Answers of any test app that held a full ID number without being a reveal. */
const leakedResponses: string[] = [];

/** Throws naming the leaking lines (their ID numbers masked, so the report does not leak too). */
export function expectNoLeakedIdNumbers(): void {
  const shown = (l: string) => `  ${maskIdNumbersIn(l).slice(0, 400)}`;
  const lines = leakedLogLines.splice(0).map(shown);
  const answers = leakedResponses.splice(0).map(shown);
  if (lines.length > 0)
    throw new Error(`a full ID number was logged in ${lines.length} line(s):\n${lines.join('\n')}`);
  if (answers.length > 0)
    throw new Error(
      `a full ID number was answered without a reveal in ${answers.length} response(s):\n${answers.join('\n')}`,
    );
}

/** Every text answer of a test app is scanned too; only the reveal route may carry a full number. */
export function scanResponses(app: FastifyInstance): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    if (typeof payload === 'string' && request.spec?.action !== 'pii.reveal')
      if (holdsIdNumber(payload)) leakedResponses.push(`${request.url}: ${payload}`);
    return payload;
  });
}

export type TestAppOptions = {
  logStream?: DestinationStream;
  poolMax?: number;
  loginRatePerMinute?: number;
  /** Other settings, as environment strings (e.g. PERSON_REGISTRATIONS_PER_HOUR). */
  settings?: Record<string, string>;
  /** More settings, as the environment would give them (e.g. TRUST_PROXY). */
  env?: Record<string, string>;
  /** A database opened by the caller (e.g. as the application role); closed by the caller. */
  db?: Database;
  /** The store of uploaded files; by default a fresh local one in a temporary folder, removed at close. */
  blobs?: BlobStore;
};

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const t = options.db
    ? { db: options.db, url: null, cleanup: async () => undefined, fromTemplate: true }
    : await openTestDatabase({
        template: 'demo',
        ...(options.poolMax ? { poolMax: options.poolMax } : {}),
      });
  if (!t.fromTemplate) await seedTestDemo(t.db);
  const config = loadConfig({
    // Logged at the production level, into the scanning destination: nothing is silenced.
    LOG_LEVEL: 'info',
    LOGIN_RATE_PER_MINUTE: String(options.loginRatePerMinute ?? 10_000),
    PERSON_REGISTRATIONS_PER_HOUR: '10000',
    ...options.settings,
    ...options.env,
  });
  const blobDir = options.blobs ? null : mkdtempSync(join(tmpdir(), 'tc-test-blobs-'));
  const blobs = options.blobs ?? createLocalBlobStore(blobDir ?? '');
  // Every JSON answer is checked against what its handler returned (response-check.ts).
  const app = await buildApp(
    { db: t.db, config, rules: testRuleBook(), blobs },
    { checkResponses: true, logStream: scanningLogStream(options.logStream) },
  );
  scanResponses(app);
  await app.ready();
  return {
    app,
    t,
    close: async () => {
      await app.close();
      await t.cleanup();
      if (blobDir !== null) rmSync(blobDir, { recursive: true, force: true });
      expectNoLeakedIdNumbers();
    },
  };
}

export type Session = { cookie: string; csrf: string };

export async function loginAs(
  app: FastifyInstance,
  username: string,
  password = DEMO_PASSWORD,
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200)
    throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  const cookie = (raw ?? '').split(';')[0] ?? '';
  return { cookie, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

export function withSession(s: Session): Record<string, string> {
  return { cookie: s.cookie, 'x-csrf-token': s.csrf };
}

export function problemOf(res: LightMyRequestResponse): {
  code: string;
  status: number;
  errors?: { path: string }[];
} {
  return res.json();
}
