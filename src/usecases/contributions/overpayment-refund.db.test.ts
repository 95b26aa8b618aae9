import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { listArrears } from './arrears.ts';
import { assessCityMonth } from './assessment.ts';
import { postCollections } from './collection-posting.ts';
import { importCollections } from './collections.ts';
import { deriveExperience } from './experience-derive.ts';
import { offsetOverpayment } from './overpayment-offset.ts';
import { listRefunds, refundOverpayment } from './overpayment-refund.ts';
import { reconcile } from './reconciliation.ts';
import { recordRefundFailure } from './refund-failure.ts';
import { issueRefundFile, readRefundFile } from './refund-file.ts';
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
let creditCode = '';

const offset = (over: {
  amountFen?: number;
  month?: string;
  clientKey?: string;
  approvalId?: string | undefined;
}) =>
  offsetOverpayment(t.db, f.maker, {
    city: HZ,
    employerId,
    clientKey: over.clientKey ?? 'offset-2024-0001',
    month: over.month ?? '2024-07',
    amountFen: over.amountFen ?? 500,
    reason: '6月多缴抵缴7月',
    offsetOn: '2024-07-31',
    approvalId: over.approvalId,
    policy: POLICY,
  });

async function collect(voucher: string, month: string, yuan: string, paidOn: string) {
  const file = new TextEncoder().encode(
    `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\n${voucher},${creditCode},${month},${yuan},${paidOn}\n`,
  );
  const imported = await importCollections(t.db, f.maker, {
    city: HZ,
    fileName: `${voucher}.csv`,
    bytes: file,
  });
  if (!imported.ok) throw new Error(imported.message);
  return approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    postCollections(t.db, f.maker, {
      city: HZ,
      importId: imported.value.importId,
      approvalId,
      policy: POLICY,
    }),
  );
}

const refund = (
  over: {
    amountFen?: number;
    clientKey?: string;
    approvalId?: string | undefined;
    refundOn?: string;
  } = {},
) =>
  refundOverpayment(t.db, f.maker, {
    city: HZ,
    employerId,
    clientKey: over.clientKey ?? 'refund-2024-0001',
    amountFen: over.amountFen ?? 750,
    reason: '2024年6月多缴，退还一半',
    bankName: '中国工商银行杭州分行',
    accountNumber: '6222021202000000001',
    accountName: '测试单位11',
    refundOn: over.refundOn ?? '2024-07-20',
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
  creditCode = e.creditCode;
  await declare(t.db, { employerId, month: '2024-06', basesFen: [1_000_000] });
  await approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    assessCityMonth(t.db, f.maker, rules, {
      city: HZ,
      month: '2024-06',
      approvalId,
      policy: POLICY,
    }),
  );
  await collect('RF001', '2024-06', '35.00', '2024-07-10');
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

/**
 * After the refund 750 is held. July is assessed 2 000; 500 of the excess is offset against it
 * (Dr 2103 / Cr 1131): 2103 = 250, July owes 1 500, 1131 = 0 (June) + 1 500. A July payment of 2 000
 * then applies 1 500 and holds 500 more (2103 = 750). 2024's contributions paid = 2 000 (June,
 * paid 07-10) + 500 (the offset, 07-31) + 1 500 (July, paid 07-25) = 4 000.
 */
async function offsetsAgainstJuly(): Promise<void> {
  await declare(t.db, { employerId, month: '2024-07', basesFen: [1_000_000] });
  await approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    assessCityMonth(t.db, f.maker, rules, {
      city: HZ,
      month: '2024-07',
      approvalId,
      policy: POLICY,
    }),
  );
  const june = await offset({ month: '2024-06', amountFen: 300, clientKey: 'offset-2024-0002' });
  expect(june).toMatchObject({
    ok: false,
    code: 'offset.exceeds_outstanding',
    details: { outstandingFen: 0 },
  });
  const tooMuch = await offset({ amountFen: 751, clientKey: 'offset-2024-0003' });
  expect(tooMuch).toMatchObject({
    ok: false,
    code: 'refund.exceeds_excess',
    details: { excessFen: 750 },
  });
  const done = await approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    offset({ approvalId }),
  );
  expect(done.status).toBe('offset');
  const again = await offset({});
  expect(again.ok && again.value.status).toBe('replayed');
  expect([await balance('2103'), await balance('1131'), await balance('1001')]).toEqual([
    250, 1_500, 2_750,
  ]);
  const arrears = await listArrears(t.db, rules, { regionCode: HZ, on: '2024-07-31' });
  if (!arrears.ok) throw new Error(arrears.message);
  expect(arrears.value.map((a) => [a.month, a.collectedFen, a.outstandingFen])).toEqual([
    ['2024-07', 500, 1_500],
  ]);
  const rec = await reconcile(t.db, { city: HZ, month: '2024-07' });
  expect(rec.ok && rec.value).toMatchObject({
    collectedFen: 500,
    outstandingFen: 1_500,
    balanced: true,
  });
  const july = await collect('RF002', '2024-07', '20.00', '2024-07-25');
  expect(july.payload).toMatchObject({ totalFen: 2_000, appliedFen: 1_500, overpaidFen: 500 });
  expect([await balance('2103'), await balance('1131')]).toEqual([750, 0]);
  const shown = await listRefunds(t.db, { regionCode: HZ, employerId });
  expect(shown).toMatchObject({
    excessFen: 750,
    overpaidFen: 2_000,
    refundedFen: 750,
    offsetFen: 500,
  });
  const exp = await deriveExperience(t.db, f.maker, {
    regionCode: HZ,
    year: 2024,
    today: '2025-03-01',
    write: false,
  });
  expect(exp.ok && exp.value.rows.find((r) => r.employerId === employerId)?.contributionsFen).toBe(
    4_000,
  );
  expect((await checkLedger(t.db)).differences).toEqual([]);
}

const fail = (refundId: string, clientKey: string, failedOn: string) =>
  recordRefundFailure(t.db, f.maker, {
    city: HZ,
    refundId,
    clientKey,
    reason: '收款账户已销户',
    failedOn,
  });

let attempt = 0;

/**
 * After the offsets (2103 750). Each attempt refunds 100 on a day of its own (a retry meets none of
 * the first attempt's rows): 2103 and 1001 each 100 lower. The day's file carries that one refund
 * (750 → 7.50 style: 100 fen → 1.00); the bank reports it not paid: Dr 1001 / Cr 2103 100, so both
 * are back where they were and the excess is 100 higher than after the refund.
 */
async function sendsTheFileAndReversesAFailure(): Promise<void> {
  attempt += 1;
  const day = `2024-07-${String(20 + attempt).padStart(2, '0')}`;
  const key = `refund-bank-${attempt}-${Date.now().toString(36)}`;
  const start = [await balance('2103'), await balance('1001')];
  const [held = 0, cash = 0] = start;
  const excessStart = (await listRefunds(t.db, { regionCode: HZ, employerId })).excessFen;
  const done = await approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    refund({ approvalId, amountFen: 100, clientKey: key, refundOn: day }),
  );
  const refundId = done.refundId;
  expect([await balance('2103'), await balance('1001')]).toEqual([held - 100, cash - 100]);
  expect(await fail(refundId, `${key}-f1`, day)).toMatchObject({
    ok: false,
    code: 'refund.not_sent',
  });
  const issued = await issueRefundFile(t.db, f.maker, { city: HZ, day });
  if (!issued.ok) throw new Error(issued.message);
  expect(issued.value.text).toBe(
    'refund_id,city,employer_id,account_name,bank_name,account_number,amount_fen,amount_yuan,refund_on\n' +
      `${refundId},${HZ},${employerId},测试单位11,中国工商银行杭州分行,6222021202000000001,100,1.00,${day}\n`,
  );
  expect(issued.value).toMatchObject({ refundCount: 1, totalFen: 100 });
  const again = await issueRefundFile(t.db, f.maker, { city: HZ, day });
  expect(again).toMatchObject({ ok: false, code: 'refund_file.nothing_to_send' });
  const read = await readRefundFile(t.db, f.maker, { city: HZ, fileId: issued.value.fileId });
  expect(read.ok && [read.value.text, read.value.sha256]).toEqual([
    issued.value.text,
    issued.value.sha256,
  ]);
  const failed = await fail(refundId, `${key}-f1`, day);
  expect(failed).toMatchObject({ ok: true, value: { status: 'failed', excessFen: excessStart } });
  expect([await balance('2103'), await balance('1001')]).toEqual(start);
  const replay = await fail(refundId, `${key}-f1`, day);
  expect(replay.ok && replay.value.status).toBe('replayed');
  const twice = await fail(refundId, `${key}-f2`, day);
  expect(twice).toMatchObject({ ok: false, code: 'refund.already_failed' });
  expect([await balance('2103'), await balance('1001')]).toEqual(start);
  const shown = await listRefunds(t.db, { regionCode: HZ, employerId });
  expect(shown.excessFen).toBe(excessStart);
  expect(shown.refunds.find((r) => r.id === refundId)).toMatchObject({
    fileId: issued.value.fileId,
    failure: { reason: '收款账户已销户', failedOn: day },
  });
  expect(shown.offsets.map((o) => [o.month, o.amountFen])).toEqual([['2024-07', 500]]);
  expect((await checkLedger(t.db)).differences).toEqual([]);
  expect((await verifyAuditChain(t.db)).ok).toBe(true);
}

describe(`refund of an overpayment (2103) on ${testBackend}`, () => {
  it('refunds half under maker-checker: Dr 2103 / Cr 1001, once', refundsHalfUnderMakerChecker);
  it(
    'refuses more than the excess, a reused key and a bad amount, writing nothing',
    refusesOverRefundAndConflict,
  );
  it(
    'offsets the excess against a later month (Dr 2103 / Cr 1131): arrears, postings, reconciliation, experience',
    offsetsAgainstJuly,
  );
  it(
    'sends the day’s refund file (same bytes again) and reverses a failed transfer once (Dr 1001 / Cr 2103)',
    sendsTheFileAndReversesAFailure,
  );
});
