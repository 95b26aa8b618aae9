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
 * A retirement (第三十五条第一款第（三）项) over HTTP on the demo database: 杭州's handler asks, the
 * supervisor may not record it but approves, the handler applies (伤残津贴 680 000 ends 2025-07-31,
 * the fund's difference 680 000 − 512 345 = 167 655 from 2025-08-01), 宁波's handler sees nothing;
 * a malformed body is refused with every problem, an absurd pension with its code.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let workerId = '';

const url = (region: string, worker: string) =>
  `/api/v1/regions/${region}/workers/${worker}/retirement`;
const post = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'POST', url: u, headers: withSession(s), payload });
const body = { retiredOn: '2025-07-15', pensionFen: 512_345, evidence: '杭社保养〔2025〕7号' };

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  workerId = await insertWorker(h.t.db, '1965-03-03');
  await insertEntitlement(h.t.db, {
    employerId: registryExamples.employerId('330100'),
    workerId,
    kind: 'disability_allowance',
    amountFen: 680_000,
    startsOn: '2025-01-01',
    grade: 2,
  });
});
afterAll(async () => h.close());

describe(`retirement routes on ${testBackend}`, () => {
  it('refuses the supervisor, another city, a malformed body and an absurd pension', async () => {
    expect((await post(hzChecker, url('330100', workerId), body)).statusCode).toBe(403);
    expect((await post(nb, url('330100', workerId), body)).statusCode).toBe(404);
    const bad = await post(hz, url('330100', workerId), { retiredOn: 'x', pensionFen: 1.5 });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).code).toBe('input.invalid');
    expect(problemOf(bad).errors?.length).toBeGreaterThanOrEqual(3);
    // A pension and a personal account together (or neither): exactly one is sent.
    const both = await post(hz, url('330100', workerId), {
      ...body,
      personalAccount: { balanceFen: 1_000_000, monthlyOffsetFen: 150_000 },
    });
    expect([both.statusCode, problemOf(both).code]).toEqual([400, 'input.invalid']);
    // No monthly pension (浙江 第二十六条第二款): an offset above the 6 800.00 allowance is refused.
    const { pensionFen: _pension, ...noPension } = body;
    const over = await post(hz, url('330100', workerId), {
      ...noPension,
      personalAccount: { balanceFen: 1_000_000, monthlyOffsetFen: 680_001 },
    });
    expect([over.statusCode, problemOf(over).code]).toEqual([
      422,
      'benefit.retirement_account_invalid',
    ]);
    const absurd = await post(hz, url('330100', workerId), { ...body, pensionFen: 51_234_500 });
    expect([absurd.statusCode, problemOf(absurd).code]).toEqual([
      422,
      'benefit.retirement_pension_invalid',
    ]);
  });

  it('asks, is approved by the supervisor, applies once, and shows the retirement', async () => {
    const asked = await post(hz, url('330100', workerId), body);
    expect(asked.statusCode).toBe(200);
    expect(asked.json().plan.topUp.amountFen).toBe(167_655);
    const approvalId: string = asked.json().approval.id;
    const decided = await post(
      hzChecker,
      `/api/v1/regions/330100/approvals/${approvalId}/decision`,
      { decision: 'approved' },
    );
    expect(decided.statusCode).toBe(200);
    const done = await post(hz, url('330100', workerId), { ...body, approvalId });
    expect([done.statusCode, done.json().status]).toEqual([200, 'retired']);
    expect(done.json().plan.ended.map((e: { endsOn: string }) => e.endsOn)).toEqual(['2025-07-31']);
    const shown = await h.app.inject({
      url: url('330100', workerId),
      headers: withSession(hzChecker),
    });
    expect([shown.statusCode, shown.json().topUpFen]).toEqual([200, 167_655]);
    const foreign = await h.app.inject({ url: url('330200', workerId), headers: withSession(nb) });
    expect(foreign.statusCode).toBe(404);
    const again = await post(hz, url('330100', workerId), body);
    expect([again.statusCode, problemOf(again).code]).toEqual([
      409,
      'benefit.retirement_already_recorded',
    ]);
  });
});
