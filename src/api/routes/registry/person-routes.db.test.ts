import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf } from '../../../db/rows.ts';
import { testBackend } from '../../../db/testing.ts';
import { demoIdNumber } from '../../../usecases/seed/seed-demo.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

const PERSONS = '/api/v1/regions/330100/persons';

function register(h: TestApp, s: Session, idNumber: string, name = '乙') {
  return h.app.inject({
    method: 'POST',
    url: PERSONS,
    headers: withSession(s),
    payload: { idNumber, name },
  });
}

async function listedIds(h: TestApp, s: Session): Promise<string[]> {
  const res = await h.app.inject({ url: `${PERSONS}?limit=500`, headers: withSession(s) });
  return (res.json() as { persons: { id: string }[] }).persons.map((p) => p.id);
}

/** What a client can compare between two answers: status, headers that are not per request, body shape. */
function shapeOf(res: LightMyRequestResponse) {
  const { date: _d, 'x-request-id': _r, ...headers } = res.headers;
  const body = res.json() as Record<string, string>;
  return {
    status: res.statusCode,
    headers,
    keys: Object.keys(body).sort(),
    idShape: body['id']?.replace(/[0-9a-f]/g, 'h'),
    name: body['name'],
  };
}

describe(`registering never tells whether an ID number exists, on ${testBackend}`, () => {
  let h: TestApp;
  let handler: Session;
  let revealer: Session;
  let known: string;
  beforeAll(async () => {
    h = await startTestApp();
    handler = await loginAs(h.app, 'hz.handler');
    revealer = await loginAs(h.app, 'hz.determination');
    const r = await h.t.db.query(
      `SELECT id_number FROM persons WHERE region_code = '330100' AND id = 'per_330100_0001'`,
    );
    known = textOf(r.rows[0] ?? {}, 'id_number');
  });
  afterAll(async () => h.close());

  it('a known and a new number get the same answer; each adds one row the registrant sees alike', async () => {
    const before = await listedIds(h, handler);
    const fresh = demoIdNumber('330102', '1988-08-08', 17);
    const a = await register(h, handler, known);
    const b = await register(h, handler, fresh);
    expect(shapeOf(a)).toEqual(shapeOf(b));
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({
      name: '乙',
      idNumberMasked: `${known.slice(0, 6)}********${known.slice(14)}`,
    });
    expect(a.json()).not.toHaveProperty('linkedPersonId');
    const after = await listedIds(h, handler);
    expect(after.length).toBe(before.length + 2);
    for (const res of [a, b]) {
      const id = (res.json() as { id: string }).id;
      expect(before).not.toContain(id);
      const shown = await h.app.inject({ url: `${PERSONS}/${id}`, headers: withSession(handler) });
      expect(shown.json()).toEqual(res.json());
    }
  });

  it('a repeat answers the registrant’s first record again', async () => {
    const first = await register(h, handler, known);
    const again = await register(h, handler, known, '丙');
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
  });

  it('a holder of pii:reveal sees which person an alias stands for, and can reveal through it', async () => {
    const alias = (await register(h, handler, known)).json() as { id: string };
    const shown = await h.app.inject({
      url: `${PERSONS}/${alias.id}`,
      headers: withSession(revealer),
    });
    expect(shown.json()).toMatchObject({ linkedPersonId: 'per_330100_0001' });
    const revealed = await h.app.inject({
      method: 'POST',
      url: `${PERSONS}/${alias.id}/reveal`,
      headers: withSession(revealer),
      payload: { reason: '工伤认定核对身份' },
    });
    expect(revealed.json()).toEqual({ idNumber: known });
  });
});

describe(`registrations are limited per user, on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp({ settings: { PERSON_REGISTRATIONS_PER_HOUR: '3' } });
  });
  afterAll(async () => h.close());

  it('the fourth registration within the hour is refused; another user is not affected', async () => {
    const handler = await loginAs(h.app, 'hz.handler');
    for (let i = 1; i <= 3; i++)
      expect((await register(h, handler, demoIdNumber('330102', '1970-01-01', i))).statusCode).toBe(
        201,
      );
    const fourth = await register(h, handler, demoIdNumber('330102', '1970-01-01', 4));
    expect(fourth.statusCode).toBe(429);
    expect(problemOf(fourth).code).toBe('person.registration_rate_limited');
    expect(fourth.json().details.retryAfterSeconds).toBeGreaterThan(3500);
    const other = await loginAs(h.app, 'hz.determination');
    expect((await register(h, other, demoIdNumber('330102', '1970-01-01', 4))).statusCode).toBe(
      201,
    );
  });
});

// Two users (the per-user lock does not order them) register the same new numbers at once: the
// unique constraint decides, and nobody gets a 500 whose logged detail carries the number.
describe.runIf(testBackend === 'pg')('concurrent registrations of one number on pg', () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp({ poolMax: 20 });
  });
  afterAll(async () => h.close());

  it('all answer 201: one person per number, the other registrant gets an alias', async () => {
    const a = await loginAs(h.app, 'hz.handler');
    const b = await loginAs(h.app, 'hz.determination');
    const numbers = Array.from({ length: 15 }, (_, i) =>
      demoIdNumber('330106', '1991-03-04', i + 1),
    );
    const answers = await Promise.all(
      numbers.flatMap((n) => [register(h, a, n, '丁'), register(h, b, n, '丁')]),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(answers.map(() => 201));
    const persons = await h.t.db.query(
      `SELECT count(*)::int AS n FROM persons WHERE id_number = ANY($1::text[])`,
      [numbers],
    );
    const aliases = await h.t.db.query(
      `SELECT count(*)::int AS n FROM person_aliases pa JOIN persons p
         ON p.region_code = pa.region_code AND p.id = pa.person_id WHERE p.id_number = ANY($1::text[])`,
      [numbers],
    );
    expect(intOf(persons.rows[0] ?? {}, 'n')).toBe(15);
    expect(intOf(aliases.rows[0] ?? {}, 'n')).toBe(15);
  });
});
