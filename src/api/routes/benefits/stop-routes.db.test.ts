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
 * The stop of benefits (第四十二条) over HTTP on the demo database: 杭州's handler asks, the
 * supervisor may not stop but approves, the handler applies (the 伤残津贴 ends with the month of the
 * event), 宁波's handler sees nothing; a malformed body is refused with every problem.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let workerId = '';

const url = (region: string, worker: string) =>
  `/api/v1/regions/${region}/workers/${worker}/benefit-stops`;
const post = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'POST', url: u, headers: withSession(s), payload });
const body = { ground: 'refused_treatment', effectiveOn: '2025-07-10', reason: '拒绝治疗' };

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  workerId = await insertWorker(h.t.db, '1975-03-03');
  await insertEntitlement(h.t.db, {
    employerId: registryExamples.employerId('330100'),
    workerId,
    kind: 'disability_allowance',
    amountFen: 680_000,
    startsOn: '2025-01-01',
  });
});
afterAll(async () => h.close());

describe(`stop routes on ${testBackend}`, () => {
  it('refuses the supervisor, another city and a malformed body', async () => {
    expect((await post(hzChecker, url('330100', workerId), body)).statusCode).toBe(403);
    expect((await post(nb, url('330100', workerId), body)).statusCode).toBe(404);
    const bad = await post(hz, url('330100', workerId), { ground: 'bored', effectiveOn: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).code).toBe('input.invalid');
  });

  it('asks, is approved by the supervisor, applies once, and shows the stop', async () => {
    const asked = await post(hz, url('330100', workerId), body);
    expect(asked.statusCode).toBe(200);
    const approvalId: string = asked.json().approval.id;
    const decided = await post(
      hzChecker,
      `/api/v1/regions/330100/approvals/${approvalId}/decision`,
      {
        decision: 'approved',
      },
    );
    expect(decided.statusCode).toBe(200);
    const done = await post(hz, url('330100', workerId), { ...body, approvalId });
    expect(done.statusCode).toBe(200);
    const stop = done.json().stop;
    expect(stop.ended.map((e: { endsOn: string }) => e.endsOn)).toEqual(['2025-07-31']);
    const shown = await h.app.inject({
      url: `/api/v1/regions/330100/benefit-stops/${stop.id}`,
      headers: withSession(hzChecker),
    });
    expect([shown.statusCode, shown.json().ground]).toEqual([200, 'refused_treatment']);
    const listed = await h.app.inject({
      url: url('330100', workerId),
      headers: withSession(hzChecker),
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().stops.map((s: { id: string }) => s.id)).toEqual([stop.id]);
    const foreign = await h.app.inject({
      url: `/api/v1/regions/330200/benefit-stops/${stop.id}`,
      headers: withSession(nb),
    });
    expect(foreign.statusCode).toBe(404);
  });
});
