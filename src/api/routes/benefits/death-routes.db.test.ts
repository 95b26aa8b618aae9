import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { insertEntitlement, insertWorker } from '../../../usecases/benefits/testing.ts';
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
 * The death event end to end on the demo database: 杭州's handler records the death of a worker
 * with a 杭州 伤残津贴 (《工伤保险条例》第三十九条: it ends on the last day of the month of death);
 * the supervisor may read it but not record it, 宁波's handler neither; a second recording and a
 * malformed body are refused.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let workerId = '';
let entitlementId = '';

const url = (region: string, worker: string) => `/api/v1/regions/${region}/workers/${worker}/death`;
const get = (s: Session, u: string) => h.app.inject({ url: u, headers: withSession(s) });
const post = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'POST', url: u, headers: withSession(s), payload });
const body = { diedOn: '2025-07-10', source: '居民死亡医学证明书 No. 330100-2025-000789' };

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  workerId = await insertWorker(h.t.db, '1975-03-03');
  entitlementId = await insertEntitlement(h.t.db, {
    employerId: registryExamples.employerId('330100'),
    workerId,
    kind: 'disability_allowance',
    amountFen: 680_000,
    startsOn: '2025-01-01',
  });
});
afterAll(async () => h.close());

describe(`death routes on ${testBackend}`, () => {
  it('refuses the supervisor, another city and a malformed body; nothing is recorded', async () => {
    expect((await post(hzChecker, url('330100', workerId), body)).statusCode).toBe(403);
    const foreign = await post(nb, url('330200', workerId), body);
    expect([foreign.statusCode, problemOf(foreign).code]).toEqual([
      404,
      'benefit.worker_not_found',
    ]);
    expect((await post(nb, url('330100', workerId), body)).statusCode).toBe(404);
    const bad = await post(hz, url('330100', workerId), { diedOn: '2025-13-01', source: '' });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).code).toBe('input.invalid');
    expect(problemOf(bad).errors).toHaveLength(2);
    expect((await get(hz, url('330100', workerId))).statusCode).toBe(404);
  });

  it('records once: the entitlement ends 2025-07-31, the record reads back, a second is 409', async () => {
    const r = await post(hz, url('330100', workerId), body);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      workerId,
      diedOn: '2025-07-10',
      recordedBy: 'hz.handler',
      endedEntitlements: [{ id: entitlementId, endsOnBefore: null, endsOn: '2025-07-31' }],
      overpayments: [],
      overpaidFen: 0,
      reversal: { lineIds: [], amountFen: 0, transactionIds: [] },
    });
    const shown = await get(hzChecker, url('330100', workerId));
    expect([shown.statusCode, shown.json().diedOn]).toEqual([200, '2025-07-10']);
    const again = await post(hz, url('330100', workerId), { ...body, diedOn: '2025-06-01' });
    expect([again.statusCode, problemOf(again).code]).toEqual([
      409,
      'benefit.death_already_recorded',
    ]);
  });
});
