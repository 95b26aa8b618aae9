import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import type { DependantEntry } from '../../domain/benefits/death-case.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { transactionCount } from '../fund/pooling/testing.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { type RecordMissingRequest, recordMissing } from './benefit-missing.ts';
import { advanceMissingLumpSum } from './benefit-missing-advance.ts';
import { declareMissingDead } from './benefit-missing-declared.ts';
import { type MissingView, missingOf } from './benefit-missing-read.ts';
import { recordReappearance } from './benefit-missing-reappeared.ts';
import { confirmBenefitPayment } from './benefit-payments.ts';
import { decideRecovery } from './benefit-recovery.ts';
import { declareWage, insertCase, insertWorker, payMonth, setUpBenefits } from './testing.ts';

/**
 * 下落不明 职工重新出现 by hand, in fen. 杭州 (浙江: the rule is the `demo` value borrowed from
 * 《河南省工伤保险条例》第三十二条; 河南's own value is unit-tested in missing-reappearance.test.ts). W missing
 * after an accident on a business trip on 2025-03-10, wages declared at 7,000 元 for the 12 months
 * before, so 本人工资 700 000:
 * - 供养亲属抚恤金 from 2025-06-01: spouse 40 % = 280 000, child 30 % = 210 000 (together 490 000,
 *   under the cap of 700 000; the calculator's rates cannot give 1 500 元 beside 2 800 元 from one wage);
 * - the advance: 50 % of 一次性工亡补助金 20 × 54 188 元 = 108 376 000, i.e. 54 188 000, paid 2025-06-05;
 * - the payroll pays 2025-06, 07, 08, 09; on 2025-09-20 W is recorded as reappeared on 2025-07-15:
 *   the pensions end 2025-07-31 ("自出现的次月起停发"), 2025-08 and 09 were paid and are overpaid:
 *   2 × 280 000 = 560 000 and 2 × 210 000 = 420 000; the advance 54 188 000 is owed back by the
 *   近亲属 (a receivable with no entitlement). A recovery order on it: Dr 1132 / Cr 5112 54 188 000.
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-06', '2025-07', '2025-08', '2025-09'];
const WAGE_MONTHS = Array.from({ length: 12 }, (_, i) => {
  const m = 3 + i; // 2024-03 … 2025-02
  return m <= 12 ? `2024-${String(m).padStart(2, '0')}` : `2025-${String(m - 12).padStart(2, '0')}`;
});
const SPOUSE_FEN = 280_000;
const CHILD_FEN = 210_000;
const ADVANCE_FEN = 54_188_000;
const TODAY = '2025-09-20';

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let idSeq = 700;

function dependant(over: Partial<DependantEntry> & { birthDate: string }): DependantEntry {
  idSeq += 1;
  return {
    name: '王丽',
    relation: 'spouse',
    idNumber: demoIdNumber('330102', over.birthDate, idSeq),
    orphanOrSoleElder: false,
    ...over,
  };
}

async function missingCase(): Promise<string> {
  const workerId = await insertWorker(t.db);
  for (const month of WAGE_MONTHS)
    await declareWage(t.db, { employerId: f.employer.id, workerId, month, wageFen: 700_000 });
  const caseId = await insertCase(t.db, {
    workerId,
    employerId: f.employer.id,
    accidentDate: '2025-03-10',
    outcome: 'recognised',
  });
  await t.db.query(
    `UPDATE cases SET determination_grounds = '{art14_5}'::text[] WHERE region_code = $1 AND id = $2`,
    [HZ, caseId],
  );
  return caseId;
}

/** The event recorded through its maker-checker round (its own tests are benefit-missing.db.test.ts). */
async function recorded(caseId: string): Promise<MissingView> {
  const body: RecordMissingRequest = {
    regionCode: HZ,
    caseId,
    reason: '出差途中渡船事故，公安机关证明下落不明',
    monthlyWageFen: 700_000,
    enteredWages: [],
    wageEvidence: null,
    dependants: [
      dependant({ birthDate: '1982-05-06' }),
      dependant({ name: '李明', relation: 'child', birthDate: '2012-09-01' }),
    ],
    policy: POLICY,
    today: '2025-05-20',
  };
  const asked = await recordMissing(t.db, f.maker, rules, body);
  if (!asked.ok || asked.value.approval === null) throw new Error(JSON.stringify(asked));
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  const applied = await recordMissing(t.db, f.maker, rules, {
    ...body,
    approvalId: asked.value.approval.id,
  });
  if (!applied.ok || applied.value.missing === null) throw new Error(JSON.stringify(applied));
  return applied.value.missing;
}

async function advanced(caseId: string): Promise<string> {
  const advance = (approvalId?: string) =>
    advanceMissingLumpSum(t.db, f.maker, {
      regionCode: HZ,
      caseId,
      reason: '配偶无业，生活困难（街道证明）',
      approvalId,
      on: '2025-06-05',
      policy: POLICY,
    });
  const asked = await advance();
  if (!asked.ok || asked.value.approval === null) throw new Error(JSON.stringify(asked));
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  const paid = await advance(asked.value.approval.id);
  if (!paid.ok || paid.value.missing.advance === null) throw new Error(JSON.stringify(paid));
  return paid.value.missing.advance.paymentId;
}

const TABLES = [
  'benefit_missing',
  'benefit_entitlements',
  'benefit_overpayments',
  'letters',
  'case_events',
  'approvals',
] as const;
async function counts(): Promise<number[]> {
  const out: number[] = [];
  for (const table of TABLES) {
    const r = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
    out.push(intOf(r.rows[0] ?? {}, 'n'));
  }
  return out;
}

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

const reappear = (
  caseId: string,
  over: { approvalId?: string; on?: string; evidence?: string; reappearedOn?: string } = {},
) =>
  recordReappearance(t.db, f.maker, rules, {
    regionCode: HZ,
    caseId,
    reappearedOn: over.reappearedOn ?? '2025-07-15',
    evidence: over.evidence ?? '本人到派出所报到，公安机关出具证明',
    approvalId: over.approvalId,
    on: over.on ?? TODAY,
    policy: POLICY,
  });

/** W's case: recorded, the advance paid and confirmed, the survivors paid 2025-06 … 09. */
let w = { caseId: '', advancePaymentId: '' };

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  const caseId = await missingCase();
  const missing = await recorded(caseId);
  const advancePaymentId = await advanced(caseId);
  const settled = await confirmBenefitPayment(t.db, f.maker, {
    regionCode: HZ,
    paymentId: advancePaymentId,
    bankReference: 'BK-ADV-R1',
    paidOn: '2025-06-06',
  });
  if (!settled.ok) throw new Error(settled.message);
  for (const [i, p] of missing.pensions.entries())
    await t.db.query(
      `INSERT INTO dependant_card_accounts (region_code, dependant_id, valid_from, bank_name,
         account_number, account_name, recorded_by) VALUES ($1, $2, '2025-01-01', '中国工商银行', $3, $4, 'test')`,
      [HZ, p.dependantId, `622202000000191${i}`, p.name],
    );
  for (const month of PERIODS) await payMonth(t.db, f, rules, { month });
  w = { caseId, advancePaymentId };
}, 120_000);
afterAll(() => t.cleanup());

/** 2025-08 and 09 paid after July: 2 × 280 000 and 2 × 210 000; the advance 54 188 000 on its payment. */
function expectReturns(m: MissingView): void {
  const r = m.reappeared;
  if (r === null) throw new Error('not recorded');
  expect([r.on, r.recordedOn]).toEqual(['2025-07-15', TODAY]);
  const byEnt = new Map(m.pensions.map((p) => [p.entitlementId, p.amountFen]));
  const returns = r.returns
    .map((o) => [
      o.reason,
      o.entitlementId === null ? null : byEnt.get(o.entitlementId),
      o.paymentId,
      o.months,
      o.amountFen,
    ])
    .sort((a, b) => Number(b[4]) - Number(a[4]));
  expect(returns).toEqual([
    ['missing_advance', null, w.advancePaymentId, [], ADVANCE_FEN],
    ['missing_reappeared', SPOUSE_FEN, null, ['2025-08', '2025-09'], 2 * SPOUSE_FEN],
    ['missing_reappeared', CHILD_FEN, null, ['2025-08', '2025-09'], 2 * CHILD_FEN],
  ]);
  expect(r.returnFen).toBe(ADVANCE_FEN + 560_000 + 420_000);
}

/** The 停发…通知书 to the 近亲属, once. */
async function expectLetter(missingId: string): Promise<void> {
  const letters = await t.db.query(
    `SELECT l.title, l.recipient FROM benefit_change_letters c
         JOIN letters l ON l.region_code = c.region_code AND l.id = c.letter_id
        WHERE c.event_kind = 'reappeared' AND c.event_id = $1`,
    [missingId],
  );
  expect(letters.rows).toEqual([
    {
      title: '停发供养亲属抚恤金及退回预支一次性工亡补助金通知书',
      recipient: expect.stringMatching(/的近亲属$/),
    },
  ]);
}

describe('a missing worker reappears (demo rule in 浙江, from 《河南省工伤保险条例》第三十二条)', () => {
  it('ends the pensions with the month he reappeared, records 2 months of each as overpaid and the advance as owed', async () => {
    const { caseId } = w;
    const asked = await reappear(caseId);
    if (!asked.ok || asked.value.approval === null) throw new Error(JSON.stringify(asked));
    const approvalId = asked.value.approval.id;
    await approve(t.db, f.checker, HZ, approvalId);
    const before = await counts();
    const ledgerBefore = await transactionCount(t.db);
    const other = await reappear(caseId, { approvalId, evidence: '另一证明' });
    expect(other.ok || other.code).toBe('approval.payload_mismatch');
    expect(await counts()).toEqual(before);

    const applied = await reappear(caseId, { approvalId });
    if (!applied.ok) throw new Error(JSON.stringify(applied));
    const m = applied.value.missing;
    expect(m.pensions.map((p) => [p.amountFen, p.startsOn, p.endsOn, p.status])).toEqual([
      [SPOUSE_FEN, '2025-06-01', '2025-07-31', 'ended'],
      [CHILD_FEN, '2025-06-01', '2025-07-31', 'ended'],
    ]);
    expectReturns(m);
    // No money moves on the record itself: the receivable is recognised when a recovery is decided.
    expect(await transactionCount(t.db)).toBe(ledgerBefore);
    await expectLetter(m.id);

    const written = await counts();
    const replay = await reappear(caseId, { approvalId });
    expect(replay.ok && replay.value.replayed).toBe(true);
    expect(await counts()).toEqual(written);
  });

  it('refuses a second reappearance, an advance and a declared death after it; nothing written', async () => {
    const { caseId } = w;
    const before = await counts();
    const again = await reappear(caseId, { reappearedOn: '2025-08-01' });
    expect(again.ok || again.code).toBe('benefit.missing_reappeared');
    const advance = await advanceMissingLumpSum(t.db, f.maker, {
      regionCode: HZ,
      caseId,
      reason: '生活困难',
      on: TODAY,
      policy: POLICY,
    });
    expect(advance.ok || advance.code).toBe('benefit.missing_reappeared');
    const declared = await declareMissingDead(t.db, f.maker, {
      regionCode: HZ,
      caseId,
      deadOn: '2025-03-10',
      reason: '判决书',
      on: TODAY,
      policy: POLICY,
    });
    expect(declared.ok || declared.code).toBe('benefit.missing_reappeared');
    expect(await counts()).toEqual(before);
  });
});

describe('recovering what the reappearance found owed (《社会保险经办条例》第四十六条)', () => {
  it('recovers the advance from the 近亲属 by order only: Dr 1132 / Cr 5112 54 188 000, the ledger checks clean', async () => {
    const held = await t.db.withConnection((ex) => missingOf(ex, HZ, w.caseId));
    const advance = held?.reappeared?.returns.find((o) => o.reason === 'missing_advance');
    if (advance === undefined) throw new Error('no advance to return');
    const decide = (method: 'order' | 'offset', approvalId?: string) =>
      decideRecovery(t.db, f.maker, {
        regionCode: HZ,
        overpaymentId: advance.id,
        method,
        monthlyFen: method === 'offset' ? 100_000 : null,
        reason: '近亲属一次性退回',
        approvalId,
        on: '2025-09-25',
        policy: POLICY,
      });
    const offset = await decide('offset');
    expect(offset.ok || offset.code).toBe('benefit.recovery_no_later_payment');
    const asked = await decide('order');
    if (!asked.ok || asked.value.approval === null) throw new Error(JSON.stringify(asked));
    await approve(t.db, f.checker, HZ, asked.value.approval.id);
    const balances = [await balance('1132'), await balance('5112')];
    const done = await decide('order', asked.value.approval.id);
    if (!done.ok) throw new Error(JSON.stringify(done));
    expect([done.value.overpayment.entitlementId, done.value.overpayment.entitlementKind]).toEqual([
      null,
      'death_lump_sum_advance',
    ]);
    expect(done.value.overpayment.recovery?.expenseAccount).toBe('5112');
    expect([await balance('1132'), await balance('5112')]).toEqual([
      (balances[0] ?? 0) + ADVANCE_FEN,
      (balances[1] ?? 0) - ADVANCE_FEN,
    ]);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});

describe('refusals write nothing', () => {
  it('refuses a case with no missing event, dates outside the accident and today, and after a declared death', async () => {
    const plain = await missingCase();
    const caseId = await missingCase();
    await recorded(caseId);
    const before = await counts();
    const none = await reappear(plain);
    expect(none.ok || none.code).toBe('benefit.missing_not_recorded');
    const early = await reappear(caseId, { reappearedOn: '2025-03-01' });
    expect(early.ok || early.code).toBe('benefit.reappeared_before_accident');
    const late = await reappear(caseId, { reappearedOn: '2025-09-21' });
    expect(late.ok || late.code).toBe('benefit.reappeared_in_future');
    const declare = (approvalId?: string) =>
      declareMissingDead(t.db, f.maker, {
        regionCode: HZ,
        caseId,
        deadOn: '2025-03-10',
        reason: '杭州市西湖区人民法院（2025）浙0106民特9号判决书',
        approvalId,
        on: '2025-09-10',
        policy: POLICY,
      });
    const asked = await declare();
    if (!asked.ok || asked.value.approval === null) throw new Error(JSON.stringify(asked));
    await approve(t.db, f.checker, HZ, asked.value.approval.id);
    expect(await counts()).toEqual(before.map((n, i) => (i === 5 ? n + 1 : n)));
    expect((await declare(asked.value.approval.id)).ok).toBe(true);
    const mid = await counts();
    const after = await reappear(caseId);
    expect(after.ok || after.code).toBe('benefit.missing_already_declared');
    expect(await counts()).toEqual(mid);
  });
});
