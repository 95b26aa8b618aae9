import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { loginAs, problemOf, startTestApp, type TestApp, withSession } from '../../testing.ts';

const body = {
  region: '410100',
  period: '2024-06',
  industry: { standard: 'GB/T 4754-2011', division: '06' },
  floatingGrade: 'down1',
  payrollFen: 100_000_000,
};

async function auditCount(h: TestApp): Promise<number> {
  const r = await h.t.db.query('SELECT count(*)::int AS n FROM audit_events');
  return Number((r.rows[0] as { n: number }).n);
}

/** The route, its request and its answer fields are in the OpenAPI document; no security. */
async function expectDocumented(h: TestApp): Promise<void> {
  const doc = (await h.app.inject('/api/v1/openapi.json')).json() as {
    paths: Record<
      string,
      { post?: { requestBody?: unknown; responses?: unknown; security?: unknown } }
    >;
  };
  const op = doc.paths['/api/v1/contributions/rate']?.post;
  expect(op).toBeDefined();
  const request = JSON.stringify(op?.requestBody);
  for (const field of [
    'region',
    'period',
    'industry',
    'standard',
    'division',
    'floatingGrade',
    'payrollFen',
  ])
    expect(request).toContain(`"${field}"`);
  const response = JSON.stringify(op?.responses);
  for (const field of ['riskClass', 'baseRate', 'multiplier', 'rate', 'amountFen', 'citations'])
    expect(response).toContain(`"${field}"`);
  expect(op?.security).toBeUndefined();
}

describe(`POST /api/v1/contributions/rate on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp();
  });
  afterAll(async () => h.close());

  it('computes without log-in and writes no audit event, as the benefit calculator does', async () => {
    const before = await auditCount(h);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contributions/rate',
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    // Class 8, down1: 0.019 × 0.8 = 0.0152; 100,000,000 × 0.0152 = 1,520,000 fen.
    expect(res.json()).toMatchObject({
      riskClass: 8,
      multiplier: '0.8',
      rate: '0.0152',
      amountFen: 1_520_000,
    });
    expect(await auditCount(h)).toBe(before);
  });

  it('answers a logged-in caller the same (the route is public)', async () => {
    const session = await loginAs(h.app, 'hz.handler');
    const anonymous = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contributions/rate',
      payload: body,
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contributions/rate',
      headers: withSession(session),
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(anonymous.body);
  });

  it('answers refusals 422 and bad input 400 as problem documents with a code and the request id', async () => {
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contributions/rate',
      payload: { ...body, industry: { standard: 'GB/T 4754-2011', division: '66' } },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problemOf(refused).code).toBe('contribution.grade_not_allowed');
    expect(refused.json()).toHaveProperty('requestId');
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contributions/rate',
      payload: { ...body, period: '2024-13', payrollFen: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      problemOf(bad)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(['payrollFen', 'period']);
    const broken = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contributions/rate',
      headers: { 'content-type': 'application/json' },
      payload: '{"region":',
    });
    expect(broken.statusCode).toBe(400);
    expect(problemOf(broken).code).toBe('input.invalid');
  });

  it('is in the OpenAPI document with the contract’s fields', async () => expectDocumented(h));
});
