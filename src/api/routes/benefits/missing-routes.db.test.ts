import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
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
 * 下落不明 (第四十一条) over HTTP on the demo database: 杭州's handler asks, the supervisor may not
 * record but approves, the handler applies (the spouse's 供养亲属抚恤金 from the 4th month, ID numbers
 * never answered), reads it back, asks the advance; 宁波's handler sees nothing; a malformed body is
 * refused with every problem.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let caseId = '';

const url = (region: string, c: string) => `/api/v1/regions/${region}/cases/${c}/missing`;
const post = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'POST', url: u, headers: withSession(s), payload });
const spouseId = demoIdNumber('330102', '1982-05-06', 977);
const body = {
  reason: '出差途中渡船事故，下落不明',
  monthlyWageFen: 600_000,
  enteredWages: [
    '2024-03',
    '2024-04',
    '2024-05',
    '2024-06',
    '2024-07',
    '2024-08',
    '2024-09',
    '2024-10',
    '2024-11',
    '2024-12',
    '2025-01',
    '2025-02',
  ].map((month) => ({ month, wageFen: 600_000 })),
  wageEvidence: '工资表（单位盖章）',
  dependants: [{ name: '王丽', relation: 'spouse', idNumber: spouseId, birthDate: '1982-05-06' }],
};

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  const workerId = await insertWorker(h.t.db, '1975-03-03');
  caseId = await insertCase(h.t.db, {
    workerId,
    employerId: registryExamples.employerId('330100'),
    accidentDate: '2025-03-10',
    outcome: 'recognised',
  });
  await h.t.db.query(
    `UPDATE cases SET determination_grounds = '{art14_5}' WHERE region_code = '330100' AND id = $1`,
    [caseId],
  );
});
afterAll(async () => h.close());

describe(`missing routes on ${testBackend}`, () => {
  it('refuses the supervisor, another city and a malformed body (every problem)', async () => {
    expect((await post(hzChecker, url('330100', caseId), body)).statusCode).toBe(403);
    expect((await post(nb, url('330100', caseId), body)).statusCode).toBe(404);
    const bad = await post(hz, url('330100', caseId), { reason: '', monthlyWageFen: -1 });
    expect(bad.statusCode).toBe(400);
    const problem = problemOf(bad);
    expect(problem.code).toBe('input.invalid');
    expect(JSON.stringify(problem)).toContain('monthlyWageFen');
    expect(JSON.stringify(problem)).toContain('dependants');
    const none = await post(hz, `${url('330100', caseId)}/advance`, { reason: '生活困难' });
    expect([none.statusCode, problemOf(none).code]).toEqual([404, 'benefit.missing_not_recorded']);
  });

  it('asks, is approved by the supervisor, applies once, shows it masked, and asks the advance', async () => {
    const asked = await post(hz, url('330100', caseId), body);
    expect(asked.statusCode).toBe(200);
    expect(asked.body).not.toContain(spouseId);
    const approvalId: string = asked.json().approval.id;
    const decided = await post(
      hzChecker,
      `/api/v1/regions/330100/approvals/${approvalId}/decision`,
      {
        decision: 'approved',
      },
    );
    expect(decided.statusCode).toBe(200);
    const done = await post(hz, url('330100', caseId), { ...body, approvalId });
    expect(done.statusCode).toBe(200);
    const again = await post(hz, url('330100', caseId), { ...body, approvalId });
    expect(again.json().replayed).toBe(true);
    const shown = await h.app.inject({
      url: url('330100', caseId),
      headers: withSession(hzChecker),
    });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).not.toContain(spouseId);
    const m = shown.json();
    expect([m.pensionsStartOn, m.pensions.map((p: { amountFen: number }) => p.amountFen)]).toEqual([
      '2025-06-01',
      [240_000],
    ]);
    // The case's benefit panel shows the event's decision (kind missing: the pensions only).
    const panel = await h.app.inject({
      url: `/api/v1/regions/330100/cases/${caseId}/benefit-decision`,
      headers: withSession(hz),
    });
    expect(panel.statusCode).toBe(200);
    expect(panel.json().current.kind).toBe('missing');
    expect(panel.body).not.toContain(spouseId);
    const foreign = await h.app.inject({ url: url('330200', caseId), headers: withSession(nb) });
    expect(foreign.statusCode).toBe(404);
    const advance = await post(hz, `${url('330100', caseId)}/advance`, {
      reason: '配偶无业，生活困难',
    });
    expect([advance.statusCode, advance.json().status]).toEqual([200, 'approval_requested']);
    const declared = await post(hz, `${url('330100', caseId)}/declared-death`, {
      deadOn: '2025-03-10',
      reason: '人民法院宣告死亡判决书',
    });
    expect([declared.statusCode, declared.json().status]).toEqual([200, 'approval_requested']);
    const twice = await post(hz, url('330100', caseId), body);
    expect([twice.statusCode, problemOf(twice).code]).toEqual([
      409,
      'benefit.missing_already_recorded',
    ]);
  });
});

describe(`the reappearance route on ${testBackend}`, () => {
  it('the reappearance: the supervisor refused, a malformed body 400 with every problem, a future date 422, then asked', async () => {
    const u = `${url('330100', caseId)}/reappeared`;
    const ok = { reappearedOn: '2025-07-15', evidence: '本人到派出所报到' };
    expect((await post(hzChecker, u, ok)).statusCode).toBe(403);
    const bad = await post(hz, u, { reappearedOn: '2025-13-01', evidence: '' });
    expect(bad.statusCode).toBe(400);
    const text = JSON.stringify(problemOf(bad));
    expect([text.includes('reappearedOn'), text.includes('evidence')]).toEqual([true, true]);
    const future = await post(hz, u, { ...ok, reappearedOn: '2999-01-01' });
    expect([future.statusCode, problemOf(future).code]).toEqual([
      422,
      'benefit.reappeared_in_future',
    ]);
    const asked = await post(hz, u, ok);
    expect([asked.statusCode, asked.json().status]).toEqual([200, 'approval_requested']);
    expect(asked.body).not.toContain(spouseId);
  });
});
