import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { holdsIdNumber } from '../../../identity/masking.ts';
import { insertCase, insertWorker } from '../../../usecases/benefits/testing.ts';
import { demoIdNumber } from '../../../usecases/seed/demo-ids.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';
import { registryExamples } from '../registry/registry-route-kit.ts';

/**
 * The death facts of a case end to end on the demo database: 杭州's handler records them and sees
 * the dependants' ID numbers masked, as does every reader; the
 * supervisor may read but not record, 宁波's handler neither; bad input is refused with every
 * problem, nothing recorded.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let caseId = '';

const url = (region: string, id: string) => `/api/v1/regions/${region}/cases/${id}/death-facts`;
const get = (s: Session, u: string) => h.app.inject({ url: u, headers: withSession(s) });
const put = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'PUT', url: u, headers: withSession(s), payload });
const spouseId = demoIdNumber('330102', '1981-02-03', 811);
const body = {
  diedOn: '2025-07-10',
  circumstance: 'injury',
  dependants: [{ name: '王丽', relation: 'spouse', idNumber: spouseId, birthDate: '1981-02-03' }],
};

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  const workerId = await insertWorker(h.t.db, '1978-03-03');
  caseId = await insertCase(h.t.db, {
    workerId,
    employerId: registryExamples.employerId('330100'),
    accidentDate: '2025-03-10',
    outcome: 'recognised',
  });
});
afterAll(async () => h.close());

describe(`death facts routes on ${testBackend}`, () => {
  it('refuses the supervisor, another city and bad input with every problem; nothing is recorded', async () => {
    expect((await put(hzChecker, url('330100', caseId), body)).statusCode).toBe(403);
    expect((await put(nb, url('330100', caseId), body)).statusCode).toBe(404);
    const shape = await put(hz, url('330100', caseId), {
      diedOn: '2025-02-30',
      circumstance: 'accident',
      dependants: [{ name: '', relation: 'spouse', idNumber: '123', birthDate: '1981-02-03' }],
    });
    expect([shape.statusCode, problemOf(shape).code]).toEqual([400, 'input.invalid']);
    expect(
      problemOf(shape)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(['circumstance', 'dependants.0.idNumber', 'dependants.0.name', 'diedOn']);
    const early = await put(hz, url('330100', caseId), { ...body, diedOn: '2025-03-01' });
    expect([early.statusCode, problemOf(early).code]).toEqual([
      422,
      'benefit.death_before_accident',
    ]);
    expect((await get(hz, url('330100', caseId))).statusCode).toBe(404);
  });

  it('records the facts; the ID number is masked in every answer', async () => {
    const r = await put(hz, url('330100', caseId), body);
    expect(r.statusCode, r.body).toBe(200);
    expect(holdsIdNumber(r.body)).toBe(false);
    expect(r.json()).toMatchObject({
      caseId,
      diedOn: '2025-07-10',
      circumstance: 'injury',
      preDeathMonthlyWageFen: null,
      dependants: [
        {
          ordinal: 0,
          relation: 'spouse',
          idNumberMasked: `${spouseId.slice(0, 6)}********${spouseId.slice(14)}`,
        },
      ],
    });
    const shown = await get(hzChecker, url('330100', caseId));
    expect([shown.statusCode, holdsIdNumber(shown.body)]).toEqual([200, false]);
  });
});
