import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { trialBalance } from '../fund/ledger/ledger-read.ts';
import { recordRetirement } from './benefit-retirement.ts';
import { linePage } from './payroll-store.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * 退休 (《工伤保险条例》第三十五条第一款第（三）项) by hand, amounts in fen. 杭州 pays from 2025-04, on
 * approved decisions: W1 grade 1, 伤残津贴 456 789 and 生活护理费 270 000; W2 grade 5, an employer's
 * 伤残津贴 350 000; W3 grade 4, 伤残津贴 300 000; W4 grade 2, 伤残津贴 400 000; W5 生活护理费 200 000
 * only. June is paid. On 2025-07-25:
 * - W1 retired 2025-07-15, basic pension 398 765: 伤残津贴 ends 2025-07-31; the fund's difference
 *   456 789 − 398 765 = 58 024 a month from 2025-08-01; 生活护理费 kept;
 * - W2 retired 2025-07-10: recorded, the employer's allowance kept, nothing started;
 * - W3 retired 2025-07-01, pension 320 000 ≥ 300 000: 伤残津贴 ends 2025-07-31, no difference;
 * - W4's retirement is approved, then W4's 伤残津贴 changes to 410 000: the apply does not fit.
 * July pays W1 456 789 + 270 000, W3 300 000, W4 410 000, W5 200 000 = 1 636 789; August pays W1's
 * difference 58 024 (account 5108, as 伤残津贴) + 270 000, W4 410 000 and W5 200 000 = 938 024, of
 * which 5108 = 58 024 + 410 000 = 468 024 (W2's employer allowance is never paid by the run). W4's
 * retirement in July asked after August is paid is back-dated: 410 000 paid, 110 000 owed, 300 000
 * to recover (the variants' test applies one).
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-06', '2025-07', '2025-08'];
const TODAY = '2025-07-25';
const EVIDENCE = '杭社保养〔2025〕123号 基本养老金核定通知';

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
const w: string[] = [];
let allowance1 = '';
let nursing1 = '';
let allowance4 = '';

async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.query(sql, params);
  return intOf(r.rows[0] ?? {}, 'n');
}

const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  for (let i = 0; i < 5; i += 1) w.push(await insertWorker(t.db, '1965-03-02'));
  const [w1 = '', w2 = '', w3 = '', w4 = '', w5 = ''] = w;
  const ent = (
    workerId: string,
    kind: string,
    amountFen: number,
    grade: number,
    payer: 'fund' | 'employer' = 'fund',
  ) =>
    insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      kind,
      amountFen,
      startsOn: '2025-04-01',
      grade,
      payer,
    });
  allowance1 = await ent(w1, 'disability_allowance', 456_789, 1);
  nursing1 = await ent(w1, 'nursing_allowance', 270_000, 1);
  await ent(w2, 'disability_allowance', 350_000, 5, 'employer');
  await ent(w3, 'disability_allowance', 300_000, 4);
  allowance4 = await ent(w4, 'disability_allowance', 400_000, 2);
  await ent(w5, 'nursing_allowance', 200_000, 1);
  for (const [i, workerId] of w.entries())
    await insertCardAccount(t.db, {
      workerId,
      validFrom: '2024-01-01',
      accountNumber: `622200000002000${i}`,
    });
  await payMonth(t.db, f, rules, { month: '2025-06' });
}, 180_000);
afterAll(async () => {
  await t.cleanup();
});

const retire = (
  workerId: string,
  retiredOn: string,
  pensionFen: number,
  approvalId?: string,
  today = TODAY,
) =>
  recordRetirement(t.db, f.maker, {
    regionCode: HZ,
    workerId,
    retiredOn,
    pensionFen,
    evidence: EVIDENCE,
    approvalId,
    policy: POLICY,
    today,
    rules,
  });

/** The maker asks, the checker approves, the maker applies: the outcome of the apply. */
async function retireApproved(workerId: string, retiredOn: string, pensionFen: number) {
  const asked = await retire(workerId, retiredOn, pensionFen);
  if (!asked.ok || asked.value.approval === null) throw new Error('no approval asked');
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  return retire(workerId, retiredOn, pensionFen, asked.value.approval.id);
}

/** Every entitlement of the city, as text: what a refusal must leave as it was. */
async function entitlementState(db: Database): Promise<string> {
  const r = await db.query(
    `SELECT id, kind, amount_fen::text AS a, status, coalesce(ends_on::text, '') AS e
     FROM benefit_entitlements WHERE region_code = $1 ORDER BY id`,
    [HZ],
  );
  return r.rows.map((row) => ['id', 'kind', 'a', 'status', 'e'].map((k) => textOf(row, k))).join();
}

describe('retirement (第三十五条第一款第（三）项): refusals', () => {
  it('refuses a stranger, a future date, a bad pension, no allowance, a date before it', async () => {
    const [w1 = '', , , , w5 = ''] = w;
    const before = await entitlementState(t.db);
    const approvals = await count(t.db, 'SELECT count(*)::int AS n FROM approvals');
    expect(codeOf(await retire(await insertWorker(t.db), '2025-07-15', 398_765))).toBe(
      'benefit.worker_not_found',
    );
    expect(codeOf(await retire(w1, '2025-07-26', 398_765))).toBe('benefit.retirement_in_future');
    expect(codeOf(await retire(w1, '2025-07-15', -1))).toBe('benefit.retirement_pension_invalid');
    expect(codeOf(await retire(w1, '2025-07-15', 10_000_001))).toBe(
      'benefit.retirement_pension_invalid',
    );
    expect(codeOf(await retire(w5, '2025-07-15', 398_765))).toBe('benefit.retirement_no_allowance');
    expect(codeOf(await retire(w1, '2025-03-31', 398_765))).toBe(
      'benefit.retirement_before_entitlement',
    );
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM approvals')).toBe(approvals);
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM benefit_retirements')).toBe(0);
    expect(await entitlementState(t.db)).toBe(before);
  });
});

const RETIREMENT_LETTER = {
  title: '工伤职工退休后工伤保险待遇变更通知书',
  document_number: expect.stringMatching(/^杭人社工待变〔2025〕\d+号$/),
};

/** The change letters a retirement issued (change-letters.ts): title and 发文字号. */
async function retirementLetters(retirementId: string) {
  const r = await t.db.query(
    `SELECT l.title, l.document_number FROM benefit_change_letters c
       JOIN letters l ON l.region_code = c.region_code AND l.id = c.letter_id
      WHERE c.event_kind = 'retirement' AND c.event_id = $1`,
    [retirementId],
  );
  return r.rows;
}

describe('retirement (第三十五条第一款第（三）项): the fund pays the difference', () => {
  it('asks the approval of the plan, applies it once, and refuses a second retirement', async () => {
    const w1 = w[0] ?? '';
    const asked = await retire(w1, '2025-07-15', 398_765);
    if (!asked.ok || asked.value.approval === null) throw new Error('no approval asked');
    expect(asked.value.status).toBe('approval_requested');
    // By hand: 456 789 − 398 765 = 58 024 fen a month from 2025-08-01.
    expect(asked.value.plan.topUp).toMatchObject({ amountFen: 58_024, startsOn: '2025-08-01' });
    expect(asked.value.plan.kept).toEqual([
      { id: nursing1, kind: 'nursing_allowance', payer: 'fund' },
    ]);
    const approvalId = asked.value.approval.id;
    const self = await decideApproval(t.db, f.maker, {
      regionCode: HZ,
      id: approvalId,
      decision: 'approved',
    });
    expect(codeOf(self)).toBe('approval.self_approval');
    await approve(t.db, f.checker, HZ, approvalId);
    // The approval is of this plan: another pension or date does not fit it, and writes nothing.
    expect(codeOf(await retire(w1, '2025-07-15', 398_764, approvalId))).toBe(
      'approval.payload_mismatch',
    );
    expect(codeOf(await retire(w1, '2025-07-16', 398_765, approvalId))).toBe(
      'approval.payload_mismatch',
    );
    const done = await retire(w1, '2025-07-15', 398_765, approvalId);
    if (!done.ok || done.value.retirement === null)
      throw new Error(done.ok ? 'none' : done.message);
    expect(done.value).toMatchObject({ status: 'retired', replayed: false });
    expect(done.value.retirement).toMatchObject({
      retiredOn: '2025-07-15',
      pensionFen: 398_765,
      topUpFen: 58_024,
    });
    const rows = await t.db.query(
      `SELECT id, kind, amount_fen::text AS a, status, starts_on::text AS s,
         coalesce(ends_on::text, '') AS e, citation
       FROM benefit_entitlements WHERE worker_id = $1 ORDER BY kind`,
      [w1],
    );
    expect(
      rows.rows.map((r) => ['id', 'kind', 'a', 'status', 's', 'e'].map((k) => textOf(r, k))),
    ).toEqual([
      [allowance1, 'disability_allowance', '456789', 'ended', '2025-04-01', '2025-07-31'],
      [
        done.value.plan.topUp?.id,
        'disability_allowance_top_up',
        '58024',
        'active',
        '2025-08-01',
        '',
      ],
      [nursing1, 'nursing_allowance', '270000', 'active', '2025-04-01', ''],
    ]);
    expect(textOf(rows.rows[1] ?? {}, 'citation')).toBe(
      '《工伤保险条例》第三十五条第一款第（三）项',
    );
    const again = await retire(w1, '2025-07-15', 398_765, approvalId);
    expect(again.ok && again.value).toMatchObject({ status: 'retired', replayed: true });
    // The 工伤职工退休后工伤保险待遇变更通知书, once (the replay issues none), on the allowance's case.
    expect(await retirementLetters(done.value.retirement.id)).toEqual([RETIREMENT_LETTER]);
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM benefit_entitlements WHERE worker_id = $1`,
        [w1],
      ),
    ).toBe(3);
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'benefits.retirement.apply'`,
      ),
    ).toBe(1);
    expect(codeOf(await retire(w1, '2025-07-15', 398_765))).toBe(
      'benefit.retirement_already_recorded',
    );
  });
});

describe('retirement: an employer’s allowance, a pension not lower, a plan gone stale', () => {
  it('keeps an employer’s allowance; ends the fund’s without a difference; refuses a changed plan', async () => {
    const [, w2 = '', w3 = '', w4 = ''] = w;
    const two = await retireApproved(w2, '2025-07-10', 200_000);
    expect(two.ok && two.value.plan).toMatchObject({ ended: [], topUp: null });
    expect(two.ok && two.value.plan.kept.map((k) => k.payer)).toEqual(['employer']);
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM benefit_entitlements WHERE worker_id = $1 AND status = 'active'`,
        [w2],
      ),
    ).toBe(1);
    const three = await retireApproved(w3, '2025-07-01', 320_000);
    expect(three.ok && three.value.plan.topUp).toBeNull();
    expect(three.ok && three.value.plan.ended.map((e) => e.endsOn)).toEqual(['2025-07-31']);
    expect(three.ok && three.value.retirement?.topUpFen).toBe(0);
    const asked = await retire(w4, '2025-07-20', 300_000);
    if (!asked.ok || asked.value.approval === null) throw new Error('no approval asked');
    await approve(t.db, f.checker, HZ, asked.value.approval.id);
    // After the approval W4's allowance changes (a correction): the approved plan no longer fits.
    await t.db.query(
      `UPDATE benefit_entitlements SET amount_fen = 410000 WHERE region_code = $1 AND id = $2`,
      [HZ, allowance4],
    );
    const before = await entitlementState(t.db);
    expect(codeOf(await retire(w4, '2025-07-20', 300_000, asked.value.approval.id))).toBe(
      'approval.payload_mismatch',
    );
    expect(await entitlementState(t.db)).toBe(before);
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM benefit_retirements')).toBe(3);
  });
});

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function linesOf(month: string) {
  const runId = payrollRunId(HZ, month);
  return t.db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId, afterId: '', limit: 100 }),
  );
}

describe('retirement: the payroll pays the difference, not the allowance', () => {
  it('July pays the allowance whole, August the difference on 5108, and then a late retirement is back-dated', async () => {
    const [w1 = '', , w3 = '', w4 = ''] = w;
    const july = await payMonth(t.db, f, rules, { month: '2025-07' });
    expect(july.paidFen).toBe(456_789 + 270_000 + 300_000 + 410_000 + 200_000);
    const before5108 = await balance('5108');
    const august = await payMonth(t.db, f, rules, { month: '2025-08' });
    expect(august.paidFen).toBe(58_024 + 270_000 + 410_000 + 200_000);
    const lines = await linesOf('2025-08');
    const own = lines
      .filter((l) => l.workerId === w1)
      .map((l) => [l.kind, l.expenseAccount, l.amountFen])
      .sort();
    expect(own).toEqual([
      ['disability_allowance_top_up', '5108', 58_024],
      ['nursing_allowance', '5106', 270_000],
    ]);
    expect(lines.filter((l) => l.workerId === w3)).toEqual([]);
    expect((await balance('5108')) - before5108).toBe(58_024 + 410_000);
    // August is paid: W4 retiring in July now was paid 伤残津贴 for August (410 000) and is owed
    // the difference 410 000 − 300 000 = 110 000 for it: back-dated, 300 000 to recover.
    const late = await retire(w4, '2025-07-20', 300_000, undefined, '2025-08-25');
    expect(late.ok && late.value.plan.backDated).toMatchObject({
      months: ['2025-08'],
      overpaidFen: 410_000,
      arrearsFen: 110_000,
      netFen: -300_000,
    });
  });
});
