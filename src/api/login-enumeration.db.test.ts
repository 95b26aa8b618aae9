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

  // Each kind repeats one name from one address, so each has its throttle row after the first
  // try: the comparison is between kinds of answer, not between a new row and an updated one.
  const kinds = {
    unknown: { username: 'ghost.user', password: 'a-wrong-password', from: '192.0.2.1' },
    wrongPassword: { username: 'hz.handler', password: 'a-wrong-password', from: '192.0.2.2' },
    throttledRightPassword: { username: 'hz.supervisor', password: DEMO_PASSWORD, from: THROTTLED },
  };
  type Kind = keyof typeof kinds;
  const order: Kind[] = ['unknown', 'wrongPassword', 'throttledRightPassword'];

  async function attempt(kind: Kind) {
    const a = kinds[kind];
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
    const answers = await Promise.all(order.map(async (k) => comparable((await attempt(k)).res)));
    expect(answers[0]?.status).toBe(401);
    expect(answers[0]?.body['code']).toBe('auth.invalid_credentials');
    expect(answers[0]?.headers['set-cookie']).toBeUndefined();
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  /**
   * Paired rounds: each round times one try of every kind back to back (rotating who goes first)
   * and divides each by the round's mean, so the machine's load, which drifts between rounds (other
   * test files run beside this one), cancels; the medians of those ratios must lie within 25 %.
   */
  it('takes the same time: medians within 25 % over interleaved samples', async () => {
    const ratios: Record<Kind, number[]> = {
      unknown: [],
      wrongPassword: [],
      throttledRightPassword: [],
    };
    for (let round = 0; round < 43; round++) {
      const times: Partial<Record<Kind, number>> = {};
      for (let j = 0; j < order.length; j++) {
        const kind = order[(round + j) % order.length]!;
        const { res, ms } = await attempt(kind);
        expect(res.statusCode).toBe(401);
        times[kind] = ms;
      }
      const mean = order.reduce((sum, k) => sum + (times[k] ?? 0), 0) / order.length;
      if (round >= 3) for (const k of order) ratios[k].push((times[k] ?? 0) / mean);
    }
    const medians = order.map((k) => median(ratios[k]));
    const spread = (Math.max(...medians) - Math.min(...medians)) / Math.max(...medians);
    expect(
      spread,
      `median ratios to the round mean ${medians.map((m) => m.toFixed(2)).join(' / ')}`,
    ).toBeLessThan(0.25);
  });
});
