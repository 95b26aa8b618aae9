import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { approve, approvedRound, HZ, POLICY } from '../contributions/testing.ts';
import { trialBalance } from '../fund/ledger/ledger-read.ts';
import { proposeCorrection } from './benefit-correction.ts';
import { applyCorrection, decideCorrection } from './benefit-correction-apply.ts';
import { decideRecovery } from './benefit-recovery.ts';
import { linePage } from './payroll-store.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * Correcting an entitlement recorded wrong, by hand, amounts in fen. 杭州 pays from 2025-03 W1's
 * 伤残津贴 recorded 456 789 (should be 465 000) and W2's recorded 500 000 (should be 480 000); the
 * runs of 2025-03 to 06 are paid.
 * - W1, corrected on 2025-06-25: each month 8 211 paid too little, arrears 4 × 8 211 = 32 844,
 *   posted Dr 5108 / Cr 2102 once with one benefit payment; the 2025-07 run pays 465 000.
 * - W2, proposed and approved, then the 2025-08 run pays 500 000 again: the apply is refused (the
 *   plan changed). Proposed again: 6 × 20 000 = 120 000 overpaid, an open overpayment (reason
 *   `correction`) that a recovery order takes (Dr 1132 120 000 / Cr 5108).
 * 5108: 4 × (456 789 + 500 000) + 32 844 + 2 × (465 000 + 500 000) − 120 000 = 5 670 000.
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08'];

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let w1 = '';
let w2 = '';
let e1 = '';
let e2 = '';

const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

async function balanceOf(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-08-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  w1 = await insertWorker(t.db);
  w2 = await insertWorker(t.db);
  const ids: string[] = [];
  for (const [i, [workerId, amountFen]] of [
    [w1, 456_789],
    [w2, 500_000],
  ].entries()) {
    ids.push(
      await insertEntitlement(t.db, {
        employerId: f.employer.id,
        workerId: String(workerId),
        kind: 'disability_allowance',
        amountFen: Number(amountFen),
        startsOn: '2025-03-01',
      }),
    );
    await insertCardAccount(t.db, {
      workerId: String(workerId),
      validFrom: '2024-01-01',
      accountNumber: `622200000003000${i}`,
    });
  }
  [e1 = '', e2 = ''] = ids;
  for (const month of ['2025-03', '2025-04', '2025-05', '2025-06'])
    await payMonth(t.db, f, rules, { month });
}, 180_000);
afterAll(async () => {
  await t.cleanup();
});

const propose = (entitlementId: string, amountFen: number) =>
  proposeCorrection(t.db, f.maker, rules, {
    regionCode: HZ,
    entitlementId,
    amountFen,
    reason: '本人工资录入错误',
    evidence: '2024年缴费工资核定表第3页',
    policy: POLICY,
  });

describe('correcting an entitlement: arrears', () => {
  it('arrears: shown per month, approved by another person, posted and paid once', async () => {
    const proposed = await propose(e1, 465_000);
    if (!proposed.ok) throw new Error(proposed.message);
    const { plan, id, approvalId } = proposed.value;
    expect(plan.months.map((m) => [m.month, m.paidFen, m.dueFen, m.differenceFen])).toEqual(
      ['2025-03', '2025-04', '2025-05', '2025-06'].map((m) => [m, 456_789, 465_000, 8_211]),
    );
    expect(plan.arrears).toEqual({ account: '5108', amountFen: 32_844 });
    const self = await decideCorrection(t.db, f.maker, {
      regionCode: HZ,
      correctionId: id,
      decision: 'approved',
    });
    expect(codeOf(self)).toBe('approval.self_approval');
    expect(
      codeOf(
        await applyCorrection(t.db, f.maker, rules, {
          regionCode: HZ,
          correctionId: id,
          on: '2025-06-25',
        }),
      ),
    ).toBe('approval.not_approved');
    await approve(t.db, f.checker, HZ, approvalId);
    const applied = await applyCorrection(t.db, f.maker, rules, {
      regionCode: HZ,
      correctionId: id,
      on: '2025-06-25',
    });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.value.replayed).toBe(false);
    const again = await applyCorrection(t.db, f.maker, rules, {
      regionCode: HZ,
      correctionId: id,
      on: '2025-06-25',
    });
    expect(again.ok && again.value.replayed).toBe(true);
    // The 工伤保险待遇更正通知书, issued once (the replay issues none), on the entitlement's case.
    const letters = await t.db.query(
      `SELECT l.document_number, l.title FROM benefit_change_letters c
         JOIN letters l ON l.region_code = c.region_code AND l.id = c.letter_id
        WHERE c.event_kind = 'correction' AND c.event_id = $1`,
      [id],
    );
    expect(letters.rows).toEqual([
      {
        document_number: expect.stringMatching(/^杭人社工待变〔2025〕\d+号$/),
        title: '工伤保险待遇更正通知书',
      },
    ]);
    const payments = await t.db.query(
      `SELECT amount_fen::int AS fen FROM benefit_payments WHERE region_code = $1 AND item_code = 'disability_allowance'`,
      [HZ],
    );
    expect(payments.rows).toEqual([{ fen: 32_844 }]);
    const july = await payMonth(t.db, f, rules, { month: '2025-07' });
    const lines = await t.db.withConnection((ex) =>
      linePage(ex, {
        regionCode: HZ,
        runId: july.runId,
        afterId: '',
        limit: 10,
        withAccount: false,
      }),
    );
    expect(lines.filter((l) => l.workerId === w1).map((l) => l.amountFen)).toEqual([465_000]);
  });
});

describe('correcting an entitlement: overpayment', () => {
  it('overpayment: a changed payroll refuses the apply; the new plan hands 120 000 to the recovery', async () => {
    const first = await propose(e2, 480_000);
    if (!first.ok) throw new Error(first.message);
    await approve(t.db, f.checker, HZ, first.value.approvalId);
    await payMonth(t.db, f, rules, { month: '2025-08' });
    const stale = await applyCorrection(t.db, f.maker, rules, {
      regionCode: HZ,
      correctionId: first.value.id,
      on: '2025-08-25',
    });
    expect(codeOf(stale)).toBe('benefit.correction_changed');
    const second = await propose(e2, 480_000);
    if (!second.ok) throw new Error(second.message);
    // 2025-03 … 2025-08 at 500 000: six months 20 000 too much each.
    expect(second.value.plan.overpayment?.amountFen).toBe(120_000);
    await approve(t.db, f.checker, HZ, second.value.approvalId);
    const applied = await applyCorrection(t.db, f.maker, rules, {
      regionCode: HZ,
      correctionId: second.value.id,
      on: '2025-08-25',
    });
    if (!applied.ok) throw new Error(applied.message);
    const overpaymentId = applied.value.correction.overpaymentId ?? '';
    const decided = await approvedRound(t.db, f.checker, HZ, (approvalId) =>
      decideRecovery(t.db, f.maker, {
        regionCode: HZ,
        overpaymentId,
        method: 'order',
        monthlyFen: null,
        reason: '更正后多发部分责令退回',
        approvalId,
        on: '2025-08-26',
        policy: POLICY,
      }),
    );
    expect(decided.overpayment.reason).toBe('correction');
    expect(decided.overpayment.recovery?.amountFen).toBe(120_000);
    expect(await balanceOf('1132')).toBe(120_000);
    expect(await balanceOf('5108')).toBe(
      4 * (456_789 + 500_000) + 32_844 + 465_000 + 500_000 + 465_000 + 500_000 - 120_000,
    );
  });
});
