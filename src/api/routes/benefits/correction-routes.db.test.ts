import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { insertCase, insertEntitlement, insertWorker } from '../../../usecases/benefits/testing.ts';
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
 * Correcting an entitlement over HTTP on the demo database: 杭州's handler proposes a corrected
 * amount for a fresh entitlement (drawn per attempt; it starts after every demo run, so the plan
 * has no month and nothing moves), the supervisor may not propose but approves, the maker may not
 * approve; the handler applies once; 宁波 sees nothing; a body naming no term is refused. The
 * case's list shows the correction pending, approved, then applied (the case page's 执行 button).
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;

const post = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'POST', url: u, headers: withSession(s), payload });
const get = (s: Session, u: string) => h.app.inject({ url: u, headers: withSession(s) });

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
});
afterAll(async () => h.close());

describe(`correction routes on ${testBackend}`, () => {
  it('propose, refusals, approval by another person, apply once, read', async () => {
    const workerId = await insertWorker(h.t.db, '1975-05-05');
    const employerId = registryExamples.employerId('330100');
    const caseId = await insertCase(h.t.db, {
      workerId,
      employerId,
      accidentDate: '2024-11-05',
      outcome: 'recognised',
    });
    const entitlementId = await insertEntitlement(h.t.db, {
      employerId,
      caseId,
      workerId,
      kind: 'nursing_allowance',
      amountFen: 270_000,
      startsOn: '2030-01-01',
    });
    const url = (region: string) =>
      `/api/v1/regions/${region}/benefit-entitlements/${entitlementId}/corrections`;
    const body = { amountFen: 280_000, reason: '护理等级录入错误', evidence: '鉴定结论书第2页' };
    expect((await post(hzChecker, url('330100'), body)).statusCode).toBe(403);
    expect((await post(nb, url('330100'), body)).statusCode).toBe(404);
    const bad = await post(hz, url('330100'), { reason: 'x', evidence: 'y' });
    expect(bad.statusCode).toBe(400);
    const proposed = await post(hz, url('330100'), body);
    expect(proposed.statusCode).toBe(200);
    const correction = proposed.json();
    expect(correction.plan.after.amountFen).toBe(280_000);
    expect(correction.plan.months).toEqual([]);
    const one = `${url('330100')}/${correction.id}`;
    const list = `/api/v1/regions/330100/cases/${caseId}/benefit-corrections`;
    const listed = async () =>
      (await get(hz, list))
        .json()
        .corrections.map((c: { id: string; status: string; approvalStatus: string }) => [
          c.id,
          c.status,
          c.approvalStatus,
        ]);
    expect(await listed()).toEqual([[correction.id, 'proposed', 'pending']]);
    expect((await get(nb, list.replace('330100', '330200'))).json()).toEqual({ corrections: [] });
    const self = await post(hz, `${one}/approval`, { decision: 'approved' });
    expect(self.statusCode).toBe(403);
    expect((await post(hzChecker, `${one}/approval`, { decision: 'approved' })).statusCode).toBe(
      200,
    );
    expect(await listed()).toEqual([[correction.id, 'proposed', 'approved']]);
    const applied = await post(hz, `${one}/apply`, {});
    expect(applied.statusCode).toBe(200);
    expect(applied.json().replayed).toBe(false);
    expect((await post(hz, `${one}/apply`, {})).json().replayed).toBe(true);
    const shown = await get(hz, one);
    expect(shown.json().status).toBe('applied');
    expect(await listed()).toEqual([[correction.id, 'applied', 'consumed']]);
    expect(
      (
        await get(
          nb,
          `/api/v1/regions/330100/benefit-entitlements/${entitlementId}/corrections/${correction.id}`,
        )
      ).statusCode,
    ).toBe(404);
    expect(problemOf(await get(hz, `${url('330100')}/bcr_00000000000000000000`)).status).toBe(404);
  });
});
