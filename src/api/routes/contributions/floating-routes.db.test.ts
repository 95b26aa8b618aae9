import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

/**
 * The floating-rate review over HTTP on the demo province: a 杭州 handler imports experience and
 * runs the review, the 杭州 supervisor approves it through the approvals routes, the handler
 * applies it and downloads the letters; 宁波's handler sees none of it.
 */
type Item = { employerId: string; outcome: string; proposedGrade: string | null };
type Review = { id: string; approvalId: string; status: string; items: Item[] };

let h: TestApp;
let hz: Session;
let nb: Session;
let checker: Session;
beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  nb = await loginAs(h.app, 'nb.handler');
  checker = await loginAs(h.app, 'hz.supervisor');
}, 180_000);
afterAll(async () => h.close());

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });
const base = '/api/v1/regions/330100/contributions';
const HEADER = 'credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount';

async function registerMine(sequence = 301): Promise<{ id: string; code: string }> {
  const code = demoCreditCode('330100', sequence);
  const res = await post(hz, '/api/v1/regions/330100/employers', {
    creditCode: code,
    name: '杭州浮动费率接口测试有限公司',
    address: '杭州市接口路3号',
    industry: { standard: 'GB/T 4754-2017', division: '13' },
    category: 'sme',
    registeredOn: '2020-01-01',
  });
  expect(res.statusCode).toBe(201);
  return { id: (res.json() as { id: string }).id, code };
}

async function reviewEndToEnd(): Promise<void> {
  const mine = await registerMine();
  // Benefits twice the contributions: ratio 2 → up2 (class 3).
  const csv = [2023, 2024, 2025].map((y) => `${mine.code},${y},100000,200000,0,10`);
  const bad = await post(hz, `${base}/experience`, { csv: `${HEADER}\n${mine.code},2024,x,1,0,1` });
  expect([bad.statusCode, problemOf(bad).code]).toEqual([422, 'experience.import_invalid']);
  const imported = await post(hz, `${base}/experience`, { csv: [HEADER, ...csv].join('\n') });
  expect(imported.json()).toEqual({ rows: 3, employers: 1, years: [2023, 2024, 2025] });
  const run = await post(hz, `${base}/floating-reviews`, {
    year: 2026,
    effectiveFrom: '2026-07-01',
  });
  expect(run.statusCode).toBe(201);
  const review = run.json() as Review;
  expect(review.items.find((i) => i.employerId === mine.id)?.proposedGrade).toBe('up2');
  const early = await post(hz, `${base}/floating-reviews/${review.id}/apply`, {
    approvalId: review.approvalId,
  });
  expect([early.statusCode, problemOf(early).code]).toEqual([409, 'approval.not_approved']);
  expect((await get(nb, `${base}/floating-reviews/${review.id}`)).statusCode).toBe(404);
  const decided = await post(
    checker,
    `/api/v1/regions/330100/approvals/${review.approvalId}/decision`,
    {
      decision: 'approved',
    },
  );
  expect(decided.statusCode).toBe(200);
  const applied = await post(hz, `${base}/floating-reviews/${review.id}/apply`, {
    approvalId: review.approvalId,
  });
  expect([applied.statusCode, (applied.json() as Review).status]).toEqual([200, 'applied']);
  const employer = await get(hz, `/api/v1/regions/330100/employers/${mine.id}`);
  expect(employer.json()).toMatchObject({
    employer: { floatingGrade: 'up2', floatingGradeFrom: '2026-07-01' },
  });
  const letter = await get(hz, `${base}/floating-reviews/${review.id}/letters/${mine.id}`);
  expect([letter.statusCode, letter.headers['content-type']]).toEqual([200, 'application/pdf']);
  expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  const all = await get(hz, `${base}/floating-reviews/${review.id}/letters`);
  expect(all.statusCode).toBe(200);
  expect((await get(nb, `${base}/floating-reviews/${review.id}/letters`)).statusCode).toBe(404);
}

/** Derivation of experience and the 2103 refund and offset routes, answered by the same use cases. */
async function deriveAndRefundRoutes(): Promise<void> {
  const mine = await registerMine(302);
  const preview = await post(hz, `${base}/experience/derivations`, { year: 2025, preview: true });
  expect(preview.statusCode).toBe(200);
  const body = preview.json() as { status: string; rows: { employerId: string }[] };
  expect(body.status).toBe('preview');
  expect(body.rows.find((r) => r.employerId === mine.id)).toMatchObject({
    contributionsFen: 0,
    benefitCostsFen: 0,
    injuries: 0,
    averageHeadcount: 0,
    imported: null,
  });
  const open = await post(hz, `${base}/experience/derivations`, { year: 2100 });
  expect([open.statusCode, problemOf(open).code]).toEqual([422, 'experience.year_not_closed']);
  const refund = {
    employerId: mine.id,
    clientKey: 'route-refund-0001',
    amountFen: 100,
    reason: '多缴退还',
    bankName: '中国工商银行',
    accountNumber: '6222020000000001',
    accountName: '杭州浮动费率接口测试有限公司',
    refundOn: '2025-01-15',
  };
  const none = await post(hz, `${base}/refunds`, refund);
  expect([none.statusCode, problemOf(none).code]).toEqual([422, 'refund.exceeds_excess']);
  const offset = await post(hz, `${base}/offsets`, {
    employerId: mine.id,
    clientKey: 'route-offset-0001',
    month: '2025-01',
    amountFen: 100,
    reason: '多缴抵缴',
    offsetOn: '2025-02-15',
  });
  expect([offset.statusCode, problemOf(offset).code]).toEqual([422, 'refund.exceeds_excess']);
  const shown = await get(hz, `/api/v1/regions/330100/employers/${mine.id}/contribution-refunds`);
  expect(shown.json()).toEqual({
    employerId: mine.id,
    excessFen: 0,
    overpaidFen: 0,
    refundedFen: 0,
    failedFen: 0,
    offsetFen: 0,
    refunds: [],
    offsets: [],
  });
  // The bank side's refusals through the routes (the flows themselves: overpayment-refund.db.test.ts).
  const nothing = await post(hz, `${base}/refund-files`, { day: '1999-01-04' });
  expect([nothing.statusCode, problemOf(nothing).code]).toEqual([
    409,
    'refund_file.nothing_to_send',
  ]);
  const noFile = await get(hz, `${base}/refund-files/crfile_330100_0123456789abcdef/file.csv`);
  expect([noFile.statusCode, problemOf(noFile).code]).toEqual([404, 'refund_file.not_found']);
  const noRefund = await post(hz, `${base}/refunds/crf_330100_0123456789abcdef/failure`, {
    clientKey: 'route-failure-0001',
    reason: '账户已销户',
    failedOn: '2025-02-15',
  });
  expect([noRefund.statusCode, problemOf(noRefund).code]).toEqual([404, 'refund.not_found']);
}

describe(`floating-rate review routes on ${testBackend}`, () => {
  it(
    'derives experience (preview) and refuses a refund or offset beyond the excess',
    deriveAndRefundRoutes,
  );
  it(
    'import → run → approve (another role) → apply → letters; another city sees nothing',
    reviewEndToEnd,
    120_000,
  );
});
