import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { sweepCityMonth } from '../fund/pooling/unified-flows.ts';
import { approvedFundRequest } from '../fund/testing.ts';
import { demoCreditCode } from '../seed/demo-ids.ts';
import { listArrears } from './arrears.ts';
import { assessCityMonth } from './assessment.ts';
import { postCollections } from './collection-posting.ts';
import { resolveCollectionRecord } from './collection-queue.ts';
import { importCollections, listCollectionRecords } from './collections.ts';
import { reconcile } from './reconciliation.ts';
import {
  approvedRound,
  declare,
  HZ,
  NB,
  newEmployer,
  POLICY,
  setUpContributions,
} from './testing.ts';

const { benefits: rules, pooling } = testRuleBook();
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
type Emp = { id: string; creditCode: string };
let soft: Emp;
let mach: Emp;
let mine: Emp;
let ningbo: Emp;
const UNKNOWN = demoCreditCode(HZ, 990);

const csv = (rows: readonly string[]) =>
  new TextEncoder().encode(
    ['税票号,统一社会信用代码,费款所属期,实缴金额,入库日期', ...rows].join('\n'),
  );

const assess = (month: string) =>
  approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    assessCityMonth(t.db, f.maker, rules, { city: HZ, month, approvalId, policy: POLICY }),
  );
const post = (importId: string) =>
  approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    postCollections(t.db, f.maker, { city: HZ, importId, approvalId, policy: POLICY }),
  );

async function balances() {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2024-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return (account: string) => tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

let firstImport = '';

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, ['2024-05', '2024-06', '2024-07', '2024-08']);
  soft = await newEmployer(t.db, f.system, rules, {
    sequence: 1,
    industry: { standard: 'GB/T 4754-2017', division: '65' },
  });
  mach = await newEmployer(t.db, f.system, rules, { sequence: 2 });
  mine = await newEmployer(t.db, f.system, rules, {
    sequence: 3,
    industry: { standard: 'GB/T 4754-2011', division: '06' },
  });
  ningbo = await newEmployer(t.db, f.system, rules, { sequence: 1, regionCode: NB });
  // June: class 1 base 0.002 × 1 000 000 = 2 000; class 4 0.009 × 1 000 000 = 9 000;
  // class 8 0.019 × 1 500 000 = 28 500. Σ 39 500.
  await declare(t.db, { employerId: soft.id, month: '2024-06', basesFen: [1_000_000] });
  await declare(t.db, { employerId: mach.id, month: '2024-06', basesFen: [1_000_000] });
  await declare(t.db, { employerId: mine.id, month: '2024-06', basesFen: [1_500_000] });
  await assess('2024-06');
});
afterAll(async () => t.cleanup());

describe(`collections import on ${testBackend}`, () => {
  it('refuses a file with a bad row whole, naming row, column and code, and stores nothing', async () => {
    const r = await importCollections(t.db, f.maker, {
      city: HZ,
      fileName: 'bad.csv',
      bytes: csv([
        `V001,${soft.creditCode},2024-06,20.00,2024-07-10`,
        `V002,${soft.creditCode},2024-13,1.005,2024-07-10`,
      ]),
    });
    expect(r.ok || r.code).toBe('collection.file_invalid');
    expect(r.ok || r.details?.['problems']).toEqual([
      expect.objectContaining({ row: 2, column: 'month', code: 'month_invalid' }),
      expect.objectContaining({ row: 2, column: 'amount', code: 'amount_invalid' }),
    ]);
    expect(await listCollectionRecords(t.db, { regionCode: HZ, limit: 100 })).toEqual([]);
  });

  it('matches what it can and queues the rest with the reason', async () => {
    const r = await importCollections(t.db, f.maker, {
      city: HZ,
      fileName: '2024-07.csv',
      bytes: csv([
        `V001,${soft.creditCode},2024-06,20.00,2024-07-10`,
        `V002,${mach.creditCode},2024-06,50.00,2024-07-12`,
        `V003,${mine.creditCode},2024-06,300.00,2024-07-14`,
        `V004,${ningbo.creditCode},2024-06,10.00,2024-07-10`,
        `V005,${UNKNOWN},2024-06,11.00,2024-07-10`,
        `V006,${mach.creditCode},202405,40.00,2024-07-11`,
      ]),
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    firstImport = r.value.importId;
    expect(r.value).toMatchObject({
      status: 'created',
      recordCount: 6,
      newCount: 6,
      matchedCount: 3,
      unmatchedCount: 3,
    });
    const queue = await listCollectionRecords(t.db, { regionCode: HZ, queue: true, limit: 100 });
    expect(queue.map((q) => [q.voucher, q.unmatchedReason])).toEqual([
      ['V004', 'other_city'],
      ['V005', 'unknown_credit_code'],
      ['V006', 'no_assessment'],
    ]);
  });

  it('the same file twice is the same import; a voucher seen before is reported, not stored again', async () => {
    const again = await importCollections(t.db, f.maker, {
      city: HZ,
      fileName: 'again.csv',
      bytes: csv([
        `V001,${soft.creditCode},2024-06,20.00,2024-07-10`,
        `V002,${mach.creditCode},2024-06,50.00,2024-07-12`,
        `V003,${mine.creditCode},2024-06,300.00,2024-07-14`,
        `V004,${ningbo.creditCode},2024-06,10.00,2024-07-10`,
        `V005,${UNKNOWN},2024-06,11.00,2024-07-10`,
        `V006,${mach.creditCode},202405,40.00,2024-07-11`,
      ]),
    });
    expect(again.ok && again.value).toMatchObject({ status: 'exists', importId: firstImport });
    const dup = await importCollections(t.db, f.maker, {
      city: HZ,
      fileName: 'dup.csv',
      bytes: csv([
        `V002,${mach.creditCode},2024-06,50.00,2024-07-12`,
        `V007,${mach.creditCode},2024-06,20.00,2024-07-20`,
      ]),
    });
    expect(dup.ok && dup.value).toMatchObject({
      status: 'created',
      newCount: 1,
      matchedCount: 1,
      duplicates: ['V002'],
    });
  });
});

describe(`collections posting on ${testBackend}`, () => {
  it('posts the matched records once: Dr 1001 / Cr 1131, the overpayment Cr 2103', async () => {
    // V001 2 000 of 2 000; V002 5 000 of 9 000; V003 30 000 of 28 500 → 28 500 + 1 500 overpaid.
    const posted = await post(firstImport);
    expect(posted.payload).toMatchObject({
      recordCount: 3,
      totalFen: 37_000,
      appliedFen: 35_500,
      overpaidFen: 1_500,
    });
    const b = await balances();
    expect([b('1131'), b('4101'), b('1001'), b('2103')]).toEqual([
      39_500 - 35_500,
      39_500,
      37_000,
      1_500,
    ]);
    const again = await postCollections(t.db, f.maker, {
      city: HZ,
      importId: firstImport,
      policy: POLICY,
    });
    expect(again.ok && again.value.status).toBe('nothing');
  });

  it('resolves the queue: assign (then posted with the next posting), reject with a reason', async () => {
    await declare(t.db, { employerId: mach.id, month: '2024-05', basesFen: [500_000] }); // 4 500
    const noAssessment = await resolveCollectionRecord(t.db, f.maker, {
      city: HZ,
      voucher: 'V006',
      resolution: { action: 'assign', employerId: mach.id, month: '2024-05' },
    });
    expect(noAssessment.ok || noAssessment.code).toBe('contributions.no_assessment');
    await assess('2024-05');
    const assigned = await resolveCollectionRecord(t.db, f.maker, {
      city: HZ,
      voucher: 'V006',
      resolution: { action: 'assign', employerId: mach.id, month: '2024-05' },
    });
    expect(assigned.ok && assigned.value).toMatchObject({
      status: 'matched',
      employerId: mach.id,
      matchMonth: '2024-05',
    });
    const rejected = await resolveCollectionRecord(t.db, f.maker, {
      city: HZ,
      voucher: 'V005',
      resolution: { action: 'reject', reason: '信用代码不存在，退回税务' },
    });
    expect(rejected.ok && rejected.value.status).toBe('rejected');
    const twice = await resolveCollectionRecord(t.db, f.maker, {
      city: HZ,
      voucher: 'V005',
      resolution: { action: 'reject', reason: 'again' },
    });
    expect(twice.ok || twice.code).toBe('contributions.not_unmatched');
    const posted = await post(firstImport);
    expect(posted.payload).toMatchObject({
      postingSeq: 2,
      recordCount: 1,
      totalFen: 4_000,
      appliedFen: 4_000,
    });
  });
});

describe(`arrears and reconciliation on ${testBackend}`, () => {
  it('lists arrears with the late fee, hand-computed', async () => {
    const r = await listArrears(t.db, rules, { regionCode: HZ, on: '2024-08-01' });
    if (!r.ok) throw new Error(r.message);
    // 2024-05: 4 500 − 4 000 = 500, due 2024-06-15, 47 days late: 500 × 0.0005 × 47 = 11.75 → 12.
    // 2024-06: 9 000 − 5 000 = 4 000 (V007 not posted yet), due 2024-07-15, 17 days: 34.
    expect(
      r.value.map((a) => [a.month, a.outstandingFen, a.dueDate, a.daysLate, a.lateFeeFen]),
    ).toEqual([
      ['2024-05', 500, '2024-06-15', 47, 12],
      ['2024-06', 4_000, '2024-07-15', 17, 34],
    ]);
    expect(r.value.every((a) => a.employerId === mach.id)).toBe(true);
  });

  it('reconciles the city-month with the ledger, which stays balanced', async () => {
    const r = await reconcile(t.db, { city: HZ, month: '2024-06' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({
      employerCount: 3,
      assessedFen: 39_500,
      collectedFen: 35_500,
      outstandingFen: 4_000,
      overpaidFen: 1_500,
      unmatchedCount: 1, // V004, another city's employer
      unmatchedFen: 1_000,
      balanced: true,
    });
    expect(r.value.ledger).toMatchObject({
      assessedFen: 39_500,
      receivableFen: 4_500,
      bookReceivableFen: 4_500,
    });
    expect((await checkLedger(t.db)).differences).toEqual([]);
    const all = await trialBalance(t.db, { segment: 'all', asOf: '2024-12-31' });
    expect(all.ok && all.value.totals.balanced).toBe(true);
    const chain = await verifyAuditChain(t.db);
    expect(chain.ok).toBe(true);
  });
});

describe(`unified mode (统收统支) on ${testBackend}`, () => {
  const sweep = async (period: string) => {
    const approvalId = await approvedFundRequest(t.db, f.fundMaker, [f.fundChecker], {
      action: 'pooling.sweep',
      city: HZ,
      period,
    });
    return sweepCityMonth(t.db, f.system, { city: HZ, period, params: pooling, approvalId });
  };

  it('the sweep moves contribution cash when it is collected, never the receivable', async () => {
    const hz = await balances();
    const cashBefore = hz('1001');
    // June: 39 500 assessed (Dr 1131 / Cr 4101), nothing collected in June → nothing to sweep.
    const june = await sweep('2024-06');
    expect(june.ok && june.value).toMatchObject({ status: 'nothing', amountFen: 0 });
    // July: the collections posted in July settle 35 500 of June (first posting, 入库 2024-07-14)
    // and 4 000 of May (V006, 2024-07-11): 39 500 of contribution cash. The 1 500 overpaid is
    // not contribution income (2103 暂收款) and stays in the city.
    const july = await sweep('2024-07');
    expect(july.ok && july.value).toMatchObject({ status: 'posted', amountFen: 39_500 });
    const later = await balances();
    expect(later('1001')).toBe(cashBefore - 39_500);
    expect(later('1001')).toBe(later('2103'));
    expect(later('5302')).toBe(39_500);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});
