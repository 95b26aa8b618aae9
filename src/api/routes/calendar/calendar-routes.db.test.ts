import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBundledCalendar } from '../../../usecases/calendar/calendar-import.ts';
import { loginAs, problemOf, startTestApp, type TestApp, withSession } from '../../testing.ts';

let h: TestApp;

beforeAll(async () => {
  h = await startTestApp();
  await syncBundledCalendar(
    h.t.db,
    JSON.parse(
      readFileSync(
        new URL('../../../rules/values/calendar/holidays-cn.json', import.meta.url),
        'utf8',
      ),
    ),
  );
});
afterAll(async () => {
  await h.close();
});

describe('GET /api/v1/calendar/{year}', () => {
  it('shows a year to staff, with its days off and make-up working days', async () => {
    const s = await loginAs(h.app, 'hz.determination');
    const res = await h.app.inject({ url: '/api/v1/calendar/2025', headers: withSession(s) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { status: string; notice: string; days: { date: string }[] };
    expect(body.status).toBe('official');
    expect(body.notice).toBe('国办发明电〔2024〕12号');
    expect(body.days.map((d) => d.date)).toEqual(
      expect.arrayContaining(['2025-10-08', '2025-09-28', '2025-10-11']),
    );
  });

  it('answers 404 calendar.year_not_found for a year it does not hold, 400 for a bad year', async () => {
    const s = await loginAs(h.app, 'hz.handler');
    const missing = await h.app.inject({ url: '/api/v1/calendar/2040', headers: withSession(s) });
    expect(missing.statusCode).toBe(404);
    expect(problemOf(missing).code).toBe('calendar.year_not_found');
    const bad = await h.app.inject({ url: '/api/v1/calendar/20x5', headers: withSession(s) });
    expect(bad.statusCode).toBe(400);
  });

  it('is for staff only: an employer is refused, an anonymous caller must log in', async () => {
    const s = await loginAs(h.app, 'demo.employer');
    const res = await h.app.inject({ url: '/api/v1/calendar/2025', headers: withSession(s) });
    expect(res.statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/v1/calendar/2025' })).statusCode).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await h.app.inject('/api/v1/openapi.json')).json() as {
      paths: Record<string, { get?: unknown }>;
    };
    expect(JSON.stringify(doc.paths['/api/v1/calendar/{year}']?.get)).toContain('"days"');
  });
});
