import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../db/testing.ts';
import { DEMO_PASSWORD } from '../usecases/seed/seed-demo.ts';
import { startTestApp, type TestApp } from './testing.ts';

/**
 * An unknown user name, a wrong password and a throttled address (even with the right password)
 * must not be told apart, neither by the answer nor by its time (issue 9 point 3).
 */

/** Headers that change per request whatever the outcome (the request id, the rate-limit budget). */
const PER_REQUEST = new Set(['x-request-id', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'date']);

function comparable(res: LightMyRequestResponse) {
  const { requestId: _, ...body } = res.json();
  const headers = Object.fromEntries(
    Object.entries(res.headers).filter(([name]) => !PER_REQUEST.has(name)),
  );
  return { status: res.statusCode, body, headers };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

describe(`log-in answers for unknown and existing users on ${testBackend}`, () => {
  let h: TestApp;
  // The throttled address and the one that only guesses wrong differ; neither reaches the ceiling.
  const THROTTLED = '192.0.2.66';
  beforeAll(async () => {
    h = await startTestApp({
      env: { LOGIN_THROTTLE_FAILURES: '100', LOGIN_ACCOUNT_CEILING: '100' },
    });
    await h.t.db.query(
      `INSERT INTO login_throttles (username, address, failures, last_failure_at, throttled_until)
       VALUES ('hz.supervisor', $1, 100, now(), now() + interval '1 hour')`,
      [THROTTLED],
    );
  });
  afterAll(async () => h.close());

  const kinds = {
    unknown: (i: number) => ({
      username: `ghost.${i}`,
      password: 'a-wrong-password',
      from: '192.0.2.1',
    }),
    wrongPassword: (_: number) => ({
      username: 'hz.handler',
      password: 'a-wrong-password',
      from: '192.0.2.1',
    }),
    throttledRightPassword: (_: number) => ({
      username: 'hz.supervisor',
      password: DEMO_PASSWORD,
      from: THROTTLED,
    }),
  };
  type Kind = keyof typeof kinds;
  const order: Kind[] = ['unknown', 'wrongPassword', 'throttledRightPassword'];

  async function attempt(kind: Kind, i: number) {
    const a = kinds[kind](i);
    const started = process.hrtime.bigint();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: a.from,
      payload: { username: a.username, password: a.password },
    });
    return { res, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  }

  it('answers the same status, body and headers', async () => {
    const answers = await Promise.all(
      order.map(async (k) => comparable((await attempt(k, 0)).res)),
    );
    expect(answers[0]?.status).toBe(401);
    expect(answers[0]?.body['code']).toBe('auth.invalid_credentials');
    expect(answers[0]?.headers['set-cookie']).toBeUndefined();
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('takes the same time: medians within 25 % over interleaved samples', async () => {
    const samples: Record<Kind, number[]> = {
      unknown: [],
      wrongPassword: [],
      throttledRightPassword: [],
    };
    for (let round = 0; round < 33; round++) {
      // Rotate the order so no kind always runs first (warm caches, a busy neighbour).
      for (let j = 0; j < order.length; j++) {
        const kind = order[(round + j) % order.length]!;
        const { res, ms } = await attempt(kind, round + 1);
        expect(res.statusCode).toBe(401);
        if (round >= 3) samples[kind].push(ms);
      }
    }
    const medians = order.map((k) => median(samples[k]));
    const spread = (Math.max(...medians) - Math.min(...medians)) / Math.max(...medians);
    expect(spread, `medians ${medians.map((m) => m.toFixed(1)).join(' / ')} ms`).toBeLessThan(0.25);
  });
});
