import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DestinationStream } from 'pino';
import { openTestDatabase, type TestDatabase } from '../db/testing.ts';
import { systemActor } from '../identity/actor.ts';
import { loadConfig } from '../runtime/config.ts';
import { testRuleBook } from '../runtime/testing.ts';
import { DEMO_PASSWORD, seedDemo } from '../usecases/seed/seed-demo.ts';
import { buildApp } from './app.ts';

/** A seeded app on a fresh test database (PGlite or the server, per the vitest project). */
export type TestApp = { app: FastifyInstance; t: TestDatabase; close: () => Promise<void> };

export async function startTestApp(
  options: {
    logStream?: DestinationStream;
    poolMax?: number;
    loginRatePerMinute?: number;
    /** More settings, as the environment would give them (e.g. TRUST_PROXY). */
    env?: Record<string, string>;
  } = {},
): Promise<TestApp> {
  const t = await openTestDatabase(options.poolMax ? { poolMax: options.poolMax } : {});
  await seedDemo(t.db, systemActor('test-seed'), { seed: 2019164 });
  const config = loadConfig({
    LOG_LEVEL: options.logStream ? 'info' : 'silent',
    LOGIN_RATE_PER_MINUTE: String(options.loginRatePerMinute ?? 10_000),
    ...options.env,
  });
  // Every JSON answer is checked against what its handler returned (response-check.ts).
  const app = await buildApp(
    { db: t.db, config, rules: testRuleBook() },
    { checkResponses: true, ...(options.logStream ? { logStream: options.logStream } : {}) },
  );
  await app.ready();
  return {
    app,
    t,
    close: async () => {
      await app.close();
      await t.cleanup();
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
