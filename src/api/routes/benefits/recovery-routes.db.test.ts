import { randomBytes } from 'node:crypto';
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
 * Recovering an overpayment over HTTP on the demo database (periods of 2025 open): 杭州's handler
 * asks an order for a 1 360 000 fen overpayment, the supervisor may not ask but approves, the
 * handler applies it once (the receivable recognised), then records a repayment of the whole on
 * the same maker-checker round: balance 0, settled. 宁波 sees nothing; a malformed body is refused
 * with every problem.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let overpaymentId = '';

const post = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'POST', url: u, headers: withSession(s), payload });
const get = (s: Session, u: string) => h.app.inject({ url: u, headers: withSession(s) });
const decideUrl = (region: string) =>
  `/api/v1/regions/${region}/benefit-overpayments/${overpaymentId}/recovery`;
const order = { method: 'order', reason: '本人一次性退回', on: '2025-10-06' };

/** The maker asks, the supervisor approves, the maker sends the same body with the approval. */
async function approvedRound(u: string, body: object) {
  const asked = await post(hz, u, body);
  expect(asked.statusCode).toBe(200);
  const approvalId: string = asked.json().approval.id;
  const decided = await post(hzChecker, `/api/v1/regions/330100/approvals/${approvalId}/decision`, {
    decision: 'approved',
  });
  expect(decided.statusCode).toBe(200);
  return { approvalId, done: await post(hz, u, { ...body, approvalId }) };
}

/** A fixture of the overpayment a stop records (benefit-stop.ts): two months paid after it. */
async function newOverpayment(reason: 'suspension' | 'correction' = 'suspension'): Promise<string> {
  const workerId = await insertWorker(h.t.db, '1976-04-04');
  const entitlementId = await insertEntitlement(h.t.db, {
    employerId: registryExamples.employerId('330100'),
    workerId,
    kind: 'disability_allowance',
    amountFen: 680_000,
    startsOn: '2025-01-01',
    endsOn: '2025-07-31',
  });
  const id = `ovp_${randomBytes(10).toString('hex')}`;
  await h.t.db.query(
    `INSERT INTO benefit_overpayments (region_code, id, worker_id, entitlement_id, reason, months,
       line_ids, amount_fen, created_by)
     VALUES ('330100', $1, $2, $3, $4, '["2025-08","2025-09"]', '[]', 1360000, 'test')`,
    [id, workerId, entitlementId, reason],
  );
  return id;
}

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
});
afterAll(async () => h.close());

describe(`recovery routes on ${testBackend}`, () => {
  it('refuses the supervisor, another city and a malformed body', async () => {
    overpaymentId = await newOverpayment();
    expect((await post(hzChecker, decideUrl('330100'), order)).statusCode).toBe(403);
    expect((await post(nb, decideUrl('330100'), order)).statusCode).toBe(404);
    const bad = await post(hz, decideUrl('330100'), { method: 'offset', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).code).toBe('input.invalid');
    expect(JSON.stringify(problemOf(bad))).toContain('monthlyFen');
    expect(JSON.stringify(problemOf(bad))).toContain('reason');
    // The worker has no later payment: an offset is refused with the typed code, nothing asked.
    const offset = await post(hz, decideUrl('330100'), {
      ...order,
      method: 'offset',
      monthlyFen: 1,
    });
    expect([offset.statusCode, problemOf(offset).code]).toEqual([
      409,
      'benefit.recovery_no_later_payment',
    ]);
  });

  it('decides an order once, records its repayment once, and shows the balance', async () => {
    // Its own overpayment: a retried attempt starts from nothing the first one left.
    overpaymentId = await newOverpayment();
    const { approvalId, done } = await approvedRound(decideUrl('330100'), order);
    expect(done.statusCode).toBe(200);
    const recovery = done.json().overpayment.recovery;
    expect([recovery.method, recovery.amountFen, recovery.balanceFen]).toEqual([
      'order',
      1_360_000,
      1_360_000,
    ]);
    const again = await post(hz, decideUrl('330100'), { ...order, approvalId });
    expect([again.statusCode, again.json().replayed]).toEqual([200, true]);
    const repayUrl = `/api/v1/regions/330100/benefit-recoveries/${recovery.id}/repayments`;
    const repaid = await approvedRound(repayUrl, {
      amountFen: 1_360_000,
      paidOn: '2025-10-20',
      reference: 'BK-RET-0001',
    });
    expect(repaid.done.statusCode).toBe(200);
    expect([repaid.done.json().recovery.balanceFen, repaid.done.json().recovery.status]).toEqual([
      0,
      'settled',
    ]);
    const shown = await get(
      hzChecker,
      `/api/v1/regions/330100/benefit-overpayments/${overpaymentId}`,
    );
    expect([shown.statusCode, shown.json().status, shown.json().recovery.repaidFen]).toEqual([
      200,
      'recovered',
      1_360_000,
    ]);
    const byId = await get(hz, `/api/v1/regions/330100/benefit-recoveries/${recovery.id}`);
    expect(byId.json().repayments.map((p: { reference: string }) => p.reference)).toEqual([
      'BK-RET-0001',
    ]);
    expect(
      (await get(nb, `/api/v1/regions/330200/benefit-recoveries/${recovery.id}`)).statusCode,
    ).toBe(404);
  });
});

// After the round above: its overpayment is recovered.
describe(`the overpayment list on ${testBackend}`, () => {
  it('lists the city’s overpayments with their recovery state, by status', async () => {
    // The previous test's overpayment is recovered; a fresh one of this attempt is open.
    const recovered = overpaymentId;
    const open = await newOverpayment();
    const list = (s: Session, region: string, query: string) =>
      get(s, `/api/v1/regions/${region}/benefit-overpayments${query}`);
    const opened = await list(hz, '330100', '?status=open');
    expect(opened.statusCode).toBe(200);
    type Item = { overpaymentId: string; status: string; amountFen: number; recovery: unknown };
    const items: Item[] = opened.json().items;
    expect(items.find((i) => i.overpaymentId === open)).toMatchObject({
      status: 'open',
      amountFen: 1_360_000,
      months: ['2025-08', '2025-09'],
      recovery: null,
    });
    expect(items.every((i) => i.status === 'open')).toBe(true);
    const done: Item[] = (await list(hzChecker, '330100', '?status=recovered')).json().items;
    expect(done.find((i) => i.overpaymentId === recovered)?.recovery).toMatchObject({
      method: 'order',
      status: 'settled',
      balanceFen: 0,
    });
    // A correction's overpayment (migration 0050) lists with its reason, as the others do.
    const corrected = await newOverpayment('correction');
    const allAnswer = await list(hz, '330100', '');
    expect(allAnswer.statusCode).toBe(200);
    const all: Item[] = allAnswer.json().items;
    expect(all.map((i) => i.overpaymentId)).toEqual(
      expect.arrayContaining([open, recovered, corrected]),
    );
    expect(all.find((i) => i.overpaymentId === corrected)).toMatchObject({ reason: 'correction' });
    expect((await list(nb, '330100', '')).statusCode).toBe(404);
    const nbItems: Item[] = (await list(nb, '330200', '')).json().items;
    expect(nbItems.map((i) => i.overpaymentId)).not.toContain(open);
    const bad = await list(hz, '330100', '?status=closed');
    expect([bad.statusCode, problemOf(bad).code]).toEqual([400, 'input.invalid']);
  });
});
