import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { addMonths, nextMonth } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { proposeAgeingOut } from './benefit-survivor-ageing.ts';
import { proposeSurvivorChange, type SurvivorChangeInput } from './benefit-survivor-change.ts';
import { applySurvivorChange, decideSurvivorChange } from './benefit-survivor-change-apply.ts';
import { approveReissue, proposeReissue } from './payroll-reissue-batch.ts';
import { importReissueReturn, issueReissueFile } from './payroll-reissue-batch-bank.ts';
import { insertSurvivorFamily, payMonth, setUpBenefits } from './testing.ts';

/**
 * Survivors' pensions end (docs/benefits.md, "Survivors' pensions end") on both backends, by hand:
 * 本人工资 6 000.00 元, wage before death 5 500.00 元; spouse 40 % + two children 30 % = 6 000.00 >
 * 5 500.00, so the cap is split 4:3:3 → 220 000 + 165 000 + 165 000 fen a month. A child turns 18 in
 * the second month; recorded after the third was paid: the third month's 165 000 is overpaid, the
 * spouse (240 000) and the other child (180 000) are owed 20 000 + 15 000 = 35 000 for it. Retry-safe:
 * each test makes its own family and takes the next months of 杭州 without a run.
 */
const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
const PERIODS = Array.from({ length: 30 }, (_, i) => addMonths('2025-08-01', i).slice(0, 7));

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
}, 60_000);
afterAll(() => t.cleanup());

async function freeMonth(): Promise<string> {
  const r = await t.db.query(
    `SELECT max(month)::text AS m FROM payroll_runs WHERE region_code = $1`,
    [HZ],
  );
  const last = r.rows[0]?.['m'];
  return typeof last === 'string' ? nextMonth(last) : '2025-08';
}

async function entitlementsOf(decisionId: string) {
  const r = await t.db.query(
    `SELECT dependant_id, amount_fen::int AS amount, starts_on::text AS starts, ends_on::text AS ends,
       status FROM benefit_entitlements WHERE region_code = $1 AND decision_id = $2
     ORDER BY starts_on, amount_fen DESC`,
    [HZ, decisionId],
  );
  return r.rows;
}

async function monthLines(month: string, workerId: string) {
  const r = await t.db.query(
    `SELECT amount_fen::int AS amount FROM payroll_lines
     WHERE region_code = $1 AND run_id = $2 AND worker_id = $3 AND reissue_of IS NULL
     ORDER BY amount_fen DESC`,
    [HZ, payrollRunId(HZ, month), workerId],
  );
  return r.rows.map((row) => row['amount']);
}

async function countChanges(): Promise<number> {
  const r = await t.db.query(`SELECT count(*)::int AS n FROM benefit_survivor_changes`);
  return Number(r.rows[0]?.['n']);
}

/** The job of month `m1` proposes the child's end on the birthday; a second run proposes nothing. */
async function ageOutByJob(dependantId: string, m1: string, m3: string, birthday: string) {
  const job = await proposeAgeingOut(t.db, f.maker, rules, {
    regionCode: HZ,
    month: m1,
    policy: POLICY,
    on: `${m3}-05`,
  });
  if (!job.ok) throw new Error(job.message);
  const mine = job.value.proposed.find((p) => p.dependantId === dependantId);
  expect(mine?.eventOn).toBe(birthday);
  const again = await proposeAgeingOut(t.db, f.maker, rules, {
    regionCode: HZ,
    month: m1,
    policy: POLICY,
    on: `${m3}-05`,
  });
  expect(again.ok && again.value.proposed.map((p) => p.dependantId)).not.toContain(dependantId);
  return mine?.changeId ?? '';
}

/** The overpayment row, the arrears' payment and its payable transaction, as written. */
async function moneyOf(change: {
  id: string;
  overpaymentId: string | null;
  paymentId: string | null;
}) {
  const money = await t.db.query(
    `SELECT (SELECT amount_fen::int FROM benefit_overpayments WHERE region_code = $1 AND id = $2) AS over,
       (SELECT reason FROM benefit_overpayments WHERE region_code = $1 AND id = $2) AS reason,
       (SELECT amount_fen::int FROM benefit_payments WHERE region_code = $1 AND id = $3) AS arrears,
       (SELECT count(*)::int FROM ledger_transactions WHERE id = $4) AS posted`,
    [HZ, change.overpaymentId, change.paymentId, `benefit-survivor-change:${change.id}:approved`],
  );
  return money.rows[0];
}

describe('a child ages out: the job proposes, the checker approves, the apply ends and recomputes', () => {
  it('ends the child after the birthday month, raises the others, overpayment and arrears by hand', async () => {
    const m0 = await freeMonth();
    const [m1, m2, m3] = [
      nextMonth(m0),
      nextMonth(nextMonth(m0)),
      nextMonth(nextMonth(nextMonth(m0))),
    ];
    const birthday = `${m1}-15`;
    const fam = await insertSurvivorFamily(
      t.db,
      rules,
      f.employer.id,
      m0,
      addMonths(birthday, -18 * 12),
    );
    for (const month of [m0, m1, m2]) await payMonth(t.db, f, rules, { month });
    expect(await monthLines(m2, fam.workerId)).toEqual([220000, 165000, 165000]);

    const changeId = await ageOutByJob(fam.ids[2] ?? '', m1, m3, birthday);
    const self = await decideSurvivorChange(t.db, f.maker, {
      regionCode: HZ,
      changeId,
      decision: 'approved',
    });
    expect(self.ok).toBe(false);
    const approved = await decideSurvivorChange(t.db, f.checker, {
      regionCode: HZ,
      changeId,
      decision: 'approved',
    });
    expect(approved.ok).toBe(true);
    const applied = await applySurvivorChange(t.db, f.maker, rules, {
      regionCode: HZ,
      changeId,
      on: `${m3}-05`,
    });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.value.replayed).toBe(false);
    const { plan } = applied.value.change;
    expect(plan.overpayment?.amountFen).toBe(165000);
    expect(plan.overpayment?.months).toEqual([m2]);
    expect(plan.arrears).toEqual({ account: '5111', amountFen: 35000 });
    const replay = await applySurvivorChange(t.db, f.maker, rules, {
      regionCode: HZ,
      changeId,
      on: `${m3}-05`,
    });
    expect(replay.ok && replay.value.replayed).toBe(true);
    // The 供养亲属抚恤金变更通知书 to the 近亲属, once (the replay issues none).
    const letters = await t.db.query(
      `SELECT l.title, l.recipient FROM benefit_change_letters c
         JOIN letters l ON l.region_code = c.region_code AND l.id = c.letter_id
        WHERE c.event_kind = 'survivor' AND c.event_id = $1`,
      [changeId],
    );
    expect(letters.rows).toEqual([
      { title: '供养亲属抚恤金变更通知书', recipient: expect.stringMatching(/的近亲属$/) },
    ]);

    const rows = await entitlementsOf(fam.decisionId);
    expect(rows.map((r) => [r['amount'], r['starts'], r['status']])).toEqual([
      [220000, `${m0}-01`, 'ended'],
      [165000, `${m0}-01`, 'ended'],
      [165000, `${m0}-01`, 'ended'],
      [240000, `${m2}-01`, 'active'],
      [180000, `${m2}-01`, 'active'],
    ]);
    expect(new Set(rows.slice(0, 3).map((r) => r['ends']))).toEqual(new Set([rows[0]?.['ends']]));
    expect(String(rows[0]?.['ends']).slice(0, 7)).toBe(m1);

    expect(await moneyOf(applied.value.change)).toEqual({
      over: 165000,
      reason: 'survivor_end',
      arrears: 35000,
      posted: 1,
    });

    await payMonth(t.db, f, rules, { month: m3 });
    expect(await monthLines(m3, fam.workerId)).toEqual([240000, 180000]);
  }, 120_000);
});

describe('refusals', () => {
  it('write nothing: not a spouse, not the birthday, in the future, unknown', async () => {
    const m0 = await freeMonth();
    const fam = await insertSurvivorFamily(t.db, rules, f.employer.id, m0, '2010-03-03');
    const before = await countChanges();
    const ask = (over: Partial<SurvivorChangeInput>) =>
      proposeSurvivorChange(t.db, f.maker, rules, {
        regionCode: HZ,
        dependantId: fam.ids[1] ?? '',
        kind: 'died',
        eventOn: `${m0}-10`,
        reason: '死亡医学证明',
        evidence: '居民死亡医学证明（推断）书',
        on: `${m0}-20`,
        policy: POLICY,
        ...over,
      });
    const codes = [
      await ask({ kind: 'remarried' }),
      await ask({ kind: 'aged_out', dependantId: fam.ids[2] ?? '', eventOn: `${m0}-02` }),
      await ask({ eventOn: `${m0}-21` }),
      await ask({ dependantId: `dep_${HZ}_${'0'.repeat(16)}` }),
    ].map((r) => (r.ok ? 'ok' : r.code));
    expect(codes).toEqual([
      'benefit.survivor_event_not_allowed',
      'benefit.survivor_age_mismatch',
      'benefit.survivor_event_in_future',
      'benefit.dependant_not_found',
    ]);
    expect(await countChanges()).toBe(before);
  });

  it('a month paid after the approval: the apply is refused and nothing changes', async () => {
    const m0 = await freeMonth();
    const fam = await insertSurvivorFamily(t.db, rules, f.employer.id, m0, '2010-03-03');
    await payMonth(t.db, f, rules, { month: m0 });
    const proposed = await proposeSurvivorChange(t.db, f.maker, rules, {
      regionCode: HZ,
      dependantId: fam.ids[0] ?? '',
      kind: 'remarried',
      eventOn: `${m0}-10`,
      reason: '再婚',
      evidence: '结婚证',
      on: `${m0}-25`,
      policy: POLICY,
    });
    if (!proposed.ok) throw new Error(proposed.message);
    expect(proposed.value.plan.started.map((s) => s.amountFen)).toEqual([180000, 180000]);
    await decideSurvivorChange(t.db, f.checker, {
      regionCode: HZ,
      changeId: proposed.value.id,
      decision: 'approved',
    });
    await payMonth(t.db, f, rules, { month: nextMonth(m0) });
    const applied = await applySurvivorChange(t.db, f.maker, rules, {
      regionCode: HZ,
      changeId: proposed.value.id,
      on: `${nextMonth(m0)}-25`,
    });
    expect(!applied.ok && applied.code).toBe('benefit.survivor_change_changed');
    const rows = await entitlementsOf(fam.decisionId);
    expect(rows.map((r) => r['status'])).toEqual(['active', 'active', 'active']);
  }, 60_000);
});

/** Proposes, approves (checker) and applies one change; its applied view. */
async function changeThrough(input: Omit<SurvivorChangeInput, 'policy'>, on: string) {
  const proposed = await proposeSurvivorChange(t.db, f.maker, rules, { ...input, policy: POLICY });
  if (!proposed.ok) throw new Error(proposed.message);
  const changeId = proposed.value.id;
  await decideSurvivorChange(t.db, f.checker, { regionCode: HZ, changeId, decision: 'approved' });
  const applied = await applySurvivorChange(t.db, f.maker, rules, { regionCode: HZ, changeId, on });
  if (!applied.ok) throw new Error(applied.message);
  return applied.value.change;
}

/**
 * 《工伤保险条例》第三十九条第一款第（二）项: "孤寡老人或者孤儿每人每月在上述标准的基础上增加10%". By hand: the
 * spouse dies in month 0 (paid 220 000 / 165 000 / 165 000); from month 1 the two children get 30 %
 * of 6 000.00 = 180 000 each (360 000, under the 5 500.00 cap). The first child is then an orphan
 * (its other parent died the same day): 30 % + 10 % = 240 000 from month 1, the second child stays
 * at 180 000; month 1's run pays 240 000 + 180 000. The raise is once per dependant.
 */
describe('a child becomes an orphan after the decision', () => {
  it('gets the 10 % from the month after, under the cap, with its letter; a second raise is refused', async () => {
    const m0 = await freeMonth();
    const m1 = nextMonth(m0);
    const fam = await insertSurvivorFamily(t.db, rules, f.employer.id, m0, '2012-04-04');
    await payMonth(t.db, f, rules, { month: m0 });
    const base = { regionCode: HZ, eventOn: `${m0}-10`, on: `${m0}-25` };
    await changeThrough(
      {
        ...base,
        dependantId: fam.ids[0] ?? '',
        kind: 'died',
        reason: '配偶死亡',
        evidence: '死亡证明',
      },
      `${m0}-25`,
    );
    const raise = {
      ...base,
      dependantId: fam.ids[1] ?? '',
      kind: 'orphan_or_sole_elder' as const,
      reason: '父母均已死亡',
      evidence: '民政部门出具的孤儿证明',
    };
    const orphan = await changeThrough(raise, `${m0}-26`);
    expect(orphan.plan.started.map((s) => [s.beforeFen, s.amountFen, s.startsOn])).toEqual([
      [180000, 240000, `${m1}-01`],
    ]);
    expect([orphan.endedEntitlementId, orphan.plan.arrears, orphan.overpaymentId]).toEqual([
      null,
      null,
      null,
    ]);
    // Its letter's text (the 10 % sentence) is change-letter.test.ts's; here, that it is issued once.
    const letter = await t.db.query(
      `SELECT l.title FROM benefit_change_letters c
         JOIN letters l ON l.region_code = c.region_code AND l.id = c.letter_id
        WHERE c.event_kind = 'survivor' AND c.event_id = $1`,
      [orphan.id],
    );
    expect(letter.rows).toEqual([{ title: '供养亲属抚恤金变更通知书' }]);
    await payMonth(t.db, f, rules, { month: m1 });
    expect(await monthLines(m1, fam.workerId)).toEqual([240000, 180000]);
    const again = await proposeSurvivorChange(t.db, f.maker, rules, { ...raise, policy: POLICY });
    expect(!again.ok && again.code).toBe('benefit.survivor_event_not_allowed');
  }, 120_000);
});

/** The family's failed lines of `month`, reissued by hand (one batch), the batch's lines paid. */
async function reissueByBatch(workerId: string, month: string, on: string): Promise<void> {
  const failed = await t.db.query(
    `SELECT id FROM payroll_lines WHERE region_code = $1 AND run_id = $2 AND worker_id = $3
       AND status = 'failed' ORDER BY id`,
    [HZ, payrollRunId(HZ, month), workerId],
  );
  const lineIds = failed.rows.map((r) => String(r['id']));
  expect(lineIds).toHaveLength(3);
  const asked = await proposeReissue(
    t.db,
    f.maker,
    { regionCode: HZ, lineIds, on },
    { policy: POLICY },
  );
  if (!asked.ok) throw new Error(asked.message);
  const batchId = asked.value.batch.id;
  const applied = await approveReissue(t.db, f.checker, { regionCode: HZ, batchId });
  if (!applied.ok) throw new Error(applied.message);
  const file = await issueReissueFile(t.db, f.maker, { regionCode: HZ, batchId, format: 'csv' });
  if (!file.ok) throw new Error(file.message);
  const lines = await t.db.query(
    'SELECT id FROM payroll_lines WHERE region_code = $1 AND batch_id = $2 ORDER BY id',
    [HZ, batchId],
  );
  const text = [
    'line_id,status,bank_reference,paid_on,reason',
    ...lines.rows.map(
      (r, i) => `${String(r['id'])},paid,BKSRV${String(i).padStart(7, '0')},${on},`,
    ),
    '',
  ].join('\n');
  const back = await importReissueReturn(t.db, f.maker, { regionCode: HZ, batchId, text });
  if (!back.ok) throw new Error(back.message);
}

/**
 * A month failed and paid again counts in the survivor's overpayment once (docs/benefits.md,
 * "Survivors' pensions end"). By hand: months 0–2 paid 220 000 / 165 000 / 165 000, except month 1,
 * whose three lines the bank fails; they are paid again — by month 2's run (reissue lines) or by a
 * reissue batch. The younger child died in month 0 (recorded after month 2): its months 1 and 2 are
 * overpaid, 2 × 165 000 = 330 000 (before the reissue lines were read: 165 000, month 2 only); the
 * spouse and the other child get 240 000 and 180 000 from month 1, arrears 2 × (20 000 + 15 000) =
 * 70 000 (the failed line counts as paid, its reissue not again).
 */
describe('a month failed and paid again, then the survivor’s end back-dated before it', () => {
  for (const via of ['run', 'batch'] as const) {
    it(`counts the month once when a ${via} paid it again: 330 000 overpaid, 70 000 arrears`, async () => {
      const m0 = await freeMonth();
      const [m1, m2] = [nextMonth(m0), nextMonth(nextMonth(m0))];
      const fam = await insertSurvivorFamily(t.db, rules, f.employer.id, m0, '2013-02-02');
      await payMonth(t.db, f, rules, { month: m0 });
      await payMonth(t.db, f, rules, { month: m1, failing: [fam.workerId] });
      if (via === 'batch') await reissueByBatch(fam.workerId, m1, `${m2}-03`);
      await payMonth(t.db, f, rules, { month: m2 });
      const change = await changeThrough(
        {
          regionCode: HZ,
          dependantId: fam.ids[2] ?? '',
          kind: 'died',
          eventOn: `${m0}-10`,
          reason: '子女死亡',
          evidence: '死亡证明',
          on: `${m2}-25`,
        },
        `${m2}-25`,
      );
      expect([change.plan.overpayment?.amountFen, change.plan.overpayment?.months]).toEqual([
        330000,
        [m1, m2],
      ]);
      expect(change.plan.arrears).toEqual({ account: '5111', amountFen: 70000 });
      expect(await moneyOf(change)).toEqual({
        over: 330000,
        reason: 'survivor_end',
        arrears: 70000,
        posted: 1,
      });
      // The lines it names: month 1's paid reissue (not the failed line) and month 2's line.
      const named = await t.db.query(
        `SELECT l.status, l.reissue_of IS NOT NULL AS reissue, l.batch_id IS NOT NULL AS batch
         FROM benefit_overpayments o
         JOIN payroll_lines l ON l.region_code = o.region_code AND o.line_ids ? l.id
         WHERE o.region_code = $1 AND o.id = $2
         ORDER BY coalesce(l.reissue_month, (SELECT month FROM payroll_runs r
                                            WHERE r.region_code = l.region_code AND r.id = l.run_id))`,
        [HZ, change.overpaymentId],
      );
      expect(named.rows).toEqual([
        { status: 'paid', reissue: true, batch: via === 'batch' },
        { status: 'paid', reissue: false, batch: false },
      ]);
    }, 120_000);
  }
});

/**
 * The months a death decision paid with its arrears (approved after the payroll ran them: docs/
 * benefits.md, "Months run before the decision") are paid months here too. The family's pensions
 * start at m0 but are written after the runs of m0 and m1 (as a late decision's are), and the
 * decision's arrears payment of both months is recorded as the approval records it.
 */
async function paidByDecision(fam: { decisionId: string; pensions: string[] }, months: string[]) {
  const paymentId = `bpy_${HZ}_${randomBytes(8).toString('hex')}`;
  const amounts = [220_000, 165_000, 165_000];
  const total = amounts.reduce((s, a) => s + a, 0) * months.length;
  await t.db.query(
    `INSERT INTO benefit_payments (region_code, id, decision_id, item_code, account, amount_fen,
       attempt, status, payable_transaction_id, issued_by)
     VALUES ($1, $2, $3, 'survivor_pension', '5111', $4, 1, 'issued', $5, 'test')`,
    [HZ, paymentId, fam.decisionId, total, `benefit-decision:${fam.decisionId}:approved`],
  );
  for (const month of months)
    for (const [i, id] of fam.pensions.entries())
      await t.db.query(
        `INSERT INTO benefit_entitlement_arrears (region_code, entitlement_id, month, amount_fen,
           payment_id) VALUES ($1, $2, $3, $4, $5)`,
        [HZ, id, month, amounts[i], paymentId],
      );
}

describe('a month the death decision paid with its arrears, then the survivor’s end back-dated before it', () => {
  it('counts the month as paid: 330 000 overpaid, 70 000 arrears (not 165 000 and 455 000)', async () => {
    const m0 = await freeMonth();
    const [m1, m2] = [nextMonth(m0), nextMonth(nextMonth(m0))];
    // Another family already paid, so the runs before this one's pensions have lines to answer.
    await insertSurvivorFamily(t.db, rules, f.employer.id, m0, '2013-03-03');
    await payMonth(t.db, f, rules, { month: m0 });
    await payMonth(t.db, f, rules, { month: m1 });
    const fam = await insertSurvivorFamily(t.db, rules, f.employer.id, m0, '2013-02-02');
    await paidByDecision(fam, [m0, m1]);
    await payMonth(t.db, f, rules, { month: m2 });
    const change = await changeThrough(
      {
        regionCode: HZ,
        dependantId: fam.ids[2] ?? '',
        kind: 'died',
        eventOn: `${m0}-10`,
        reason: '子女死亡',
        evidence: '死亡证明',
        on: `${m2}-25`,
      },
      `${m2}-25`,
    );
    // m1 (paid by the decision) and m2 (by the run): 2 × 165 000 overpaid; the others raised by
    // 20 000 + 15 000 for both months. Read from the lines only, m1 looked unpaid: 165 000
    // overpaid and 420 000 + 35 000 owed again.
    expect([change.plan.overpayment?.amountFen, change.plan.overpayment?.months]).toEqual([
      330000,
      [m1, m2],
    ]);
    expect(change.plan.arrears).toEqual({ account: '5111', amountFen: 70000 });
    expect(await moneyOf(change)).toEqual({
      over: 330000,
      reason: 'survivor_end',
      arrears: 70000,
      posted: 1,
    });
  }, 120_000);
});
