import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { assessCityMonth } from './assessment.ts';
import { postCollections } from './collection-posting.ts';
import { importCollections } from './collections.ts';
import { excessOf, refundOverpayment } from './overpayment-refund.ts';
import { issueRefundFile } from './refund-file.ts';
import { listRefundFiles } from './refund-file-status.ts';
import { importRefundReturn } from './refund-return.ts';
import { approvedRound, declare, HZ, newEmployer, POLICY, setUpContributions } from './testing.ts';

/**
 * The bank's return file of a refund file, figures by hand: a class 1 employer (division 65, 0.002)
 * is assessed June 2 000 fen and pays 3 500 → 2103 holds 1 500. Two refunds of 2024-07-20 — A 400,
 * B 600 — leave 2103 500 and 1001 3 500 − 1 000 = 2 500. The day's file carries both. The bank pays A and returns B: B's reversal (Dr 1001 / Cr 2103 600) brings
 * 2103 to 1 100 and 1001 to 3 100; the employer's excess is 1 100 again.
 */
const { benefits: rules } = testRuleBook();
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
let employerId = '';
let fileId = '';
const ids = { a: '', b: '' };
const run = Date.now().toString(36);

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2024-07-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function refund(key: string, amountFen: number): Promise<string> {
  const done = await approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    refundOverpayment(t.db, f.maker, {
      city: HZ,
      employerId,
      clientKey: `${key}-${run}`,
      amountFen,
      reason: '多缴退还',
      bankName: '中国工商银行杭州分行',
      accountNumber: '6222021202000000001',
      accountName: '测试单位21',
      refundOn: '2024-07-20',
      approvalId,
      policy: POLICY,
    }),
  );
  return done.refundId;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, ['2024-06', '2024-07']);
  const e = await newEmployer(t.db, f.system, rules, {
    sequence: 21,
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
  const imported = await importCollections(t.db, f.maker, {
    city: HZ,
    fileName: 'rr.csv',
    bytes: new TextEncoder().encode(
      `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\nRR-${run},${e.creditCode},2024-06,35.00,2024-07-10\n`,
    ),
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
  ids.a = await refund('ret-a', 400);
  ids.b = await refund('ret-b', 600);
  const file = await issueRefundFile(t.db, f.maker, { city: HZ, day: '2024-07-20' });
  if (!file.ok) throw new Error(file.message);
  fileId = file.value.fileId;
}, 120_000);
afterAll(async () => t?.cleanup());

const HEADER = 'refund_id,status,bank_reference,paid_on,reason';
const returnOf = (...rows: string[]) => [HEADER, ...rows].join('\r\n');
const importReturn = (text: string) =>
  importRefundReturn(t.db, f.maker, { city: HZ, fileId, text });

describe(`the bank's return file of a refund file on ${testBackend}`, () => {
  it('refuses a file with bad rows whole, with the row report, and records nothing', async () => {
    const bad = await importReturn(
      returnOf(
        `${ids.a},paid,,2024-07-21,`,
        `${ids.b},failed,,2024-07-19,账户已销户`,
        'crf_330100_0000000000000000,paid,B-9,2024-07-21,',
        `${ids.a},lost,,,`,
      ),
    );
    expect(bad.ok || bad.code).toBe('refund_return.invalid');
    expect(bad.ok || bad.details).toEqual({
      problems: [
        { row: 2, field: 'bank_reference', code: 'required', message: expect.any(String) },
        { row: 5, field: 'status', code: 'status', message: 'paid or failed' },
      ],
    });
    const late = await importReturn(
      returnOf(
        `${ids.b},failed,,2024-07-19,账户已销户`,
        'crf_330100_0000000000000000,paid,B-9,2024-07-21,',
      ),
    );
    expect(late.ok || late.details).toEqual({
      problems: [
        {
          row: 2,
          field: 'paid_on',
          code: 'before_refund',
          message: 'before the refund day 2024-07-20',
        },
        { row: 3, field: 'refund_id', code: 'not_in_file', message: expect.any(String) },
      ],
    });
    const files = await listRefundFiles(t.db, { city: HZ });
    expect(files.ok && files.value.files.find((x) => x.fileId === fileId)?.status).toBe('sent');
  });

  it('confirms the paid refund and reverses the failed one through the failure code', async () => {
    expect([await balance('2103'), await balance('1001')]).toEqual([500, 2_500]);
    const first = await importReturn(returnOf(`${ids.a},paid,BANK-0001,2024-07-21,`));
    expect(first.ok && first.value).toMatchObject({
      status: 'imported',
      confirmed: 1,
      failed: 0,
      file: { status: 'outstanding', paidFen: 400, outstandingFen: 600 },
    });
    const full = await importReturn(
      returnOf(`${ids.a},paid,BANK-0001,2024-07-21,`, `${ids.b},failed,,2024-07-22,账户已销户`),
    );
    expect(full.ok && full.value).toMatchObject({
      status: 'imported',
      confirmed: 0,
      failed: 1,
      replayed: 1,
      file: { status: 'failed', paidFen: 400, failedFen: 600, outstandingCount: 0 },
    });
    expect([await balance('2103'), await balance('1001')]).toEqual([1_100, 3_100]);
    expect(await t.db.withConnection((ex) => excessOf(ex, HZ, employerId))).toBe(1_100);
  });

  it('the same file twice writes nothing new; a contradicting answer is refused', async () => {
    const again = await importReturn(
      returnOf(`${ids.a},paid,BANK-0001,2024-07-21,`, `${ids.b},failed,,2024-07-22,账户已销户`),
    );
    expect(again.ok && again.value).toMatchObject({
      status: 'exists',
      confirmed: 0,
      failed: 0,
      replayed: 2,
    });
    const contra = await importReturn(returnOf(`${ids.a},failed,,2024-07-23,户名不符`));
    expect(contra.ok || contra.details).toEqual({
      problems: [{ row: 2, field: 'status', code: 'conflict', message: expect.any(String) }],
    });
    expect([await balance('2103'), await balance('1001')]).toEqual([1_100, 3_100]);
    expect((await checkLedger(t.db)).differences).toEqual([]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
