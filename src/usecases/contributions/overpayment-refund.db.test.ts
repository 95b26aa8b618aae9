import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { assessCityMonth } from './assessment.ts';
import { postCollections } from './collection-posting.ts';
import { importCollections } from './collections.ts';
import { refundOverpayment } from './overpayment-refund.ts';
import {
  approve,
  approvedRound,
  declare,
  HZ,
  newEmployer,
  POLICY,
  setUpContributions,
} from './testing.ts';

/**
 * Refund of an overpayment held in 2103, figures by hand: a class 1 employer (division 65, base rate
 * 0.002) declares 1 000 000 fen for 2024-06 → assessed 2 000; it pays 3 500 (入库 2024-07-10) →
 * 2 000 applied (Cr 1131), 1 500 overpaid (Cr 2103). Refunding half, 750: 2103 = 1 500 − 750 = 750,
 * 1001 = 3 500 − 750 = 2 750. Another 751 is more than the 750 left: refused, nothing written.
 */
const { benefits: rules } = testRuleBook();
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
let employerId = '';

const refund = (over: { amountFen?: number; clientKey?: string; approvalId?: string } = {}) =>
  refundOverpayment(t.db, f.maker, {
    city: HZ,
    employerId,
    clientKey: over.clientKey ?? 'refund-2024-0001',
    amountFen: over.amountFen ?? 750,
    reason: '2024年6月多缴，退还一半',
    bankName: '中国工商银行杭州分行',
    accountNumber: '6222021202000000001',
    accountName: '测试单位11',
    refundOn: '2024-07-20',
    approvalId: over.approvalId,
    policy: POLICY,
  });

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2024-07-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function refundRows(): Promise<number> {
  const r = await t.db.query('SELECT count(*)::int AS n FROM contribution_refunds');
  return withColumns(r, { n: intOf }).rows[0]?.n ?? -1;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, ['2024-06', '2024-07']);
  const e = await newEmployer(t.db, f.system, rules, {
    sequence: 11,
    industry: { standard: 'GB/T 4754-2017', division: '65' },
  });
  employerId = e.id;
  await declare(t.db, { employerId, month: '2024-06', basesFen: [1_000_000] });
  await approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    assessCityMonth(t.db, f.maker, rules, {
      city: HZ,
      month: '2024-06',
      approvalId,
      policy: POLICY,
    }),
  );
  const file = new TextEncoder().encode(
    `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\nRF001,${e.creditCode},2024-06,35.00,2024-07-10\n`,
  );
  const imported = await importCollections(t.db, f.maker, {
    city: HZ,
    fileName: 'r.csv',
    bytes: file,
  });
  if (!imported.ok) throw new Error(imported.message);
  await approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    postCollections(t.db, f.maker, {
      city: HZ,
      importId: imported.value.importId,
      approvalId,
      policy: POLICY,
    }),
  );
}, 120_000);
afterAll(async () => t?.cleanup());

async function refundsHalfUnderMakerChecker(): Promise<void> {
  expect([await balance('2103'), await balance('1001')]).toEqual([1_500, 3_500]);
  const asked = await refund();
  if (!asked.ok) throw new Error(asked.message);
  expect(asked.value).toMatchObject({
    status: 'approval_requested',
    excessBeforeFen: 1_500,
    excessAfterFen: 750,
  });
  const approvalId = asked.value.approval?.id ?? '';
  const self = await decideApproval(t.db, f.maker, {
    regionCode: HZ,
    id: approvalId,
    decision: 'approved',
  });
  expect(self).toMatchObject({ ok: false, code: 'approval.self_approval' });
  const early = await refund({ approvalId });
  expect(early).toMatchObject({ ok: false, code: 'approval.not_approved' });
  await approve(t.db, f.checker, HZ, approvalId);
  const other = await refund({ approvalId, amountFen: 700, clientKey: 'refund-2024-0009' });
  expect(other).toMatchObject({ ok: false, code: 'approval.payload_mismatch' });
  const done = await refund({ approvalId });
  if (!done.ok) throw new Error(done.message);
  expect(done.value).toMatchObject({ status: 'refunded', excessAfterFen: 750 });
  expect([await balance('2103'), await balance('1001')]).toEqual([750, 2_750]);
  const again = await refund({ approvalId });
  expect(again.ok && again.value.status).toBe('replayed');
  expect([await balance('2103'), await balance('1001'), await refundRows()]).toEqual([
    750, 2_750, 1,
  ]);
}

async function refusesOverRefundAndConflict(): Promise<void> {
  const over = await refund({ amountFen: 751, clientKey: 'refund-2024-0002' });
  expect(over).toMatchObject({
    ok: false,
    code: 'refund.exceeds_excess',
    details: { amountFen: 751, excessFen: 750 },
  });
  const conflict = await refund({ amountFen: 100 });
  expect(conflict).toMatchObject({ ok: false, code: 'refund.key_conflict' });
  const bad = await refund({ amountFen: 0, clientKey: 'refund-2024-0003' });
  expect(bad).toMatchObject({
    ok: false,
    code: 'refund.invalid_request',
    details: { field: 'amountFen' },
  });
  expect([await balance('2103'), await balance('1001'), await refundRows()]).toEqual([
    750, 2_750, 1,
  ]);
  const ledger = await checkLedger(t.db);
  expect(ledger.differences).toEqual([]);
  const chain = await verifyAuditChain(t.db);
  expect(chain.ok).toBe(true);
}

describe(`refund of an overpayment (2103) on ${testBackend}`, () => {
  it('refunds half under maker-checker: Dr 2103 / Cr 1001, once', refundsHalfUnderMakerChecker);
  it(
    'refuses more than the excess, a reused key and a bad amount, writing nothing',
    refusesOverRefundAndConflict,
  );
});
