import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { retirementId } from '../../domain/benefits/retirement.ts';
import { wageWindow } from '../../domain/benefits/wage-months.ts';
import type { Actor } from '../../identity/actor.ts';
import { addMonths, monthOf } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { casePage } from '../cases/case-page.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger } from '../fund/ledger/ledger-read.ts';
import { transactionCount } from '../fund/pooling/testing.ts';
import { letterPdf } from '../letters/issue-letter.ts';
import { approveBenefitDecision } from './benefit-decision-approve.ts';
import { proposeBenefitDecision } from './benefit-decision-propose.ts';
import { benefitPanel } from './benefit-decision-read.ts';
import { applyRegrade } from './benefit-regrade-apply.ts';
import { proposeRegrade } from './benefit-regrade-propose.ts';
import {
  insertCardAccount,
  insertWorker,
  payMonth,
  setUpBenefits,
  setUpZhengzhou as setUpZhengzhouFixture,
  ZZ,
} from './testing.ts';

/**
 * The regrade decision on both backends: 河南 (郑州 410100) by 《河南省工伤保险条例》第三十条第二款 — a
 * re-appraisal from the month after the original conclusion with the lump-sum difference paid
 * once, a review from the month after the review with the lump sum unchanged — and 浙江 (杭州) by
 * the demo convention, with arrears for a payroll month already paid at the old amount.
 */
const rules = testRuleBook().benefits;
const WAGE_FEN = 600_000;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let zz: { maker: Actor; checker: Actor; employerId: string };

function setUpZhengzhou() {
  return setUpZhengzhouFixture(t.db, f.system, rules, PERIODS, 72);
}

const PERIODS = ['2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'];
const ACCIDENT = '2025-03-10';

async function insertCase(region: string, workerId: string, employerId: string) {
  const id = `cas_${region}_${randomBytes(8).toString('hex')}`;
  await t.db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
       accident_date, status, determination_outcome, determination_decided_on, created_by)
     VALUES ($1, $2, $3, $1, $4, 'accident', $5::date, 'decided', 'recognised', $5::date + 40, 'test')`,
    [region, id, workerId, employerId, ACCIDENT],
  );
  return id;
}

/** A concluded appraisal: the first one, or a re-appraisal / review of `previousId`. */
async function insertAppraisal(
  region: string,
  caseId: string,
  input: {
    kind: 'initial' | 're_appraisal' | 'review';
    on: string;
    grade: number;
    previousId?: string;
  },
) {
  const id = `apr_${region}_${randomBytes(8).toString('hex')}`;
  await t.db.query(
    `INSERT INTO appraisals (region_code, id, case_id, kind, committee_level, status, applied_on,
       concluded_on, conclusion, disability_grade, previous_appraisal_id, created_by)
     VALUES ($1, $2, $3, $4, $5, 'concluded', $6::date - 30, $6::date, 'graded', $7, $8, 'test')`,
    [
      region,
      id,
      caseId,
      input.kind,
      input.kind === 're_appraisal' ? 'province' : 'city',
      input.on,
      input.grade,
      input.previousId ?? null,
    ],
  );
  return id;
}

/** A case with an approved first decision on an initial appraisal of `grade`. */
async function decidedCase(
  region: string,
  who: { maker: Actor; checker: Actor; employerId: string },
  grade: number,
  shiftMonths = 0,
) {
  const on = (date: string) => addMonths(date, shiftMonths);
  const workerId = await insertWorker(t.db);
  const caseId = await insertCase(region, workerId, who.employerId);
  const initialId = await insertAppraisal(region, caseId, {
    kind: 'initial',
    on: on('2025-06-20'),
    grade,
  });
  const p = await proposeBenefitDecision(t.db, who.maker, rules, {
    regionCode: region,
    caseId,
    enteredWages: wageWindow(ACCIDENT).map((month) => ({ month, wageFen: WAGE_FEN })),
    wageEvidence: '工资条 (test)',
    employerArrangedWork: false,
    on: on('2025-06-25'),
    policy: POLICY,
  });
  if (!p.ok) throw new Error(p.message);
  await approve(t.db, who.checker, region, p.value.approvalId);
  const a = await approveBenefitDecision(t.db, who.maker, {
    regionCode: region,
    decisionId: p.value.decisionId,
    on: on('2025-06-26'),
  });
  if (!a.ok) throw new Error(a.message);
  return { workerId, caseId, initialId, firstDecisionId: p.value.decisionId };
}

async function entitlementsOf(workerId: string) {
  const r = await t.db.query(
    `SELECT kind, amount_fen::int8 AS amount, payer, starts_on::text AS starts, ends_on::text AS ends, status
       FROM benefit_entitlements WHERE worker_id = $1 ORDER BY starts_on, kind, status`,
    [workerId],
  );
  return r.rows;
}

async function paymentsOf(decisionId: string) {
  const r = await t.db.query(
    `SELECT item_code, account, amount_fen::int8 AS amount FROM benefit_payments
      WHERE decision_id = $1 ORDER BY item_code`,
    [decisionId],
  );
  return r.rows;
}

/** The current decision's letter as the staff panel shows it, with its stored PDF. */
async function currentLetter(region: string, caseId: string) {
  const panel = await benefitPanel(t.db, { regionCode: region, caseId });
  if (!panel.ok) throw new Error(panel.message);
  const letter = panel.value.current?.letter ?? null;
  if (letter === null) return null;
  const stored = await t.db.withConnection((ex) =>
    letterPdf(ex, { regionCode: region, letterId: letter.id }),
  );
  if (stored === null) throw new Error(`letter ${letter.id} is shown but not stored`);
  expect(stored.documentNumber).toBe(letter.documentNumber);
  return stored;
}

/** The 工伤保险待遇重新核定通知书: 郑州's benefit_regrade series, issued once (a retry issues none). */
async function expectOneRegradeLetter(caseId: string) {
  const letter = await currentLetter(ZZ, caseId);
  expect(letter).toMatchObject({
    letterType: 'benefit_regrade',
    year: 2025,
    title: '工伤保险待遇重新核定通知书',
    issuer: '郑州市人力资源和社会保障局',
  });
  expect(letter?.documentNumber).toBe(`郑人社工待重〔2025〕${letter?.number}号`);
  expect(letter?.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const issued = await t.db.query(
    `SELECT count(*)::int AS n FROM letters WHERE case_id = $1 AND letter_type = 'benefit_regrade'`,
    [caseId],
  );
  expect(issued.rows[0]?.['n']).toBe(1);
  // The case page lists it: the same page the worker's portal serves to its owner (myCase), so the
  // worker sees the letter of the change and downloads it from there.
  const page = await t.db.withConnection((ex) => casePage(ex, ZZ, caseId));
  const listed = (page?.letters ?? []).filter((e) => e.data['letterType'] === 'benefit_regrade');
  expect(listed.map((e) => e.data['documentNumber'])).toEqual([letter?.documentNumber]);
}

async function letterCount(): Promise<number> {
  const r = await t.db.query('SELECT count(*)::int AS n FROM letters');
  return Number(r.rows[0]?.['n']);
}

async function statusOf(region: string, decisionId: string) {
  const r = await t.db.query(
    'SELECT status FROM benefit_decisions WHERE region_code = $1 AND id = $2',
    [region, decisionId],
  );
  return r.rows[0]?.['status'];
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  zz = await setUpZhengzhou();
}, 90_000);
afterAll(() => t.cleanup());

describe('regrade: 河南 re-appraisal 7 → 5 (《河南省工伤保险条例》第三十条第二款)', () => {
  it('refuses while nothing changed, then pays the lump-sum difference once from the month after the original conclusion', async () => {
    const c = await decidedCase(ZZ, zz, 7);
    const regrade = () =>
      proposeRegrade(t.db, zz.maker, rules, {
        regionCode: ZZ,
        caseId: c.caseId,
        on: '2025-08-20',
        policy: POLICY,
      });
    const before = await transactionCount(t.db);
    expect(await regrade()).toMatchObject({ ok: false, code: 'benefit.regrade_not_revisited' });
    // A re-appraisal with the same grade changes nothing either.
    const same = await insertAppraisal(ZZ, c.caseId, {
      kind: 're_appraisal',
      on: '2025-07-30',
      grade: 7,
      previousId: c.initialId,
    });
    expect(await regrade()).toMatchObject({ ok: false, code: 'benefit.regrade_same_conclusion' });
    await t.db.query('DELETE FROM appraisals WHERE region_code = $1 AND id = $2', [ZZ, same]);
    expect(await statusOf(ZZ, c.firstDecisionId)).toBe('approved');

    await insertAppraisal(ZZ, c.caseId, {
      kind: 're_appraisal',
      on: '2025-08-15',
      grade: 5,
      previousId: c.initialId,
    });
    const p = await regrade();
    if (!p.ok) throw new Error(p.message);
    const { plan } = p.value.payload;
    // "享受待遇的起始时间为原鉴定时间的次月": the original conclusion 2025-06-20 → July.
    expect(plan).toMatchObject({
      kind: 're_appraisal',
      startsOn: '2025-07-01',
      rule: {
        start: 'month_after_original_conclusion',
        lumpSum: 'difference',
        status: 'legislated',
      },
    });
    // 一次性伤残补助金: 18 months at grade 5 against 13 at grade 7 (《工伤保险条例》第三十六条、第三十七条).
    expect(plan.lumpSum).toMatchObject({
      previousFen: 13 * WAGE_FEN,
      newFen: 18 * WAGE_FEN,
      differenceFen: 5 * WAGE_FEN,
      outcome: 'pay',
    });
    expect(plan.postings).toEqual([
      { code: 'disability_lump_sum', account: '5107', amountFen: 5 * WAGE_FEN },
    ]);
    expect(plan.held).toEqual([]);
    expect(await transactionCount(t.db)).toBe(before);

    // The handler cannot check their own proposal; the checker approves; a retry pays once.
    const early = await applyRegrade(t.db, zz.maker, {
      regionCode: ZZ,
      decisionId: p.value.decisionId,
      on: '2025-08-25',
    });
    expect(early.ok).toBe(false);
    await approve(t.db, zz.checker, ZZ, p.value.approvalId);
    const apply = () =>
      applyRegrade(t.db, zz.maker, {
        regionCode: ZZ,
        decisionId: p.value.decisionId,
        on: '2025-08-25',
      });
    const [first, second] = [await apply(), await apply()];
    expect(first).toMatchObject({ ok: true, value: { replayed: false } });
    expect(second).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await transactionCount(t.db)).toBe(before + 1);
    expect(await paymentsOf(p.value.decisionId)).toEqual([
      { item_code: 'disability_lump_sum', account: '5107', amount: 5 * WAGE_FEN },
    ]);
    expect(await statusOf(ZZ, c.firstDecisionId)).toBe('replaced');
    expect(await statusOf(ZZ, p.value.decisionId)).toBe('approved');
    await expectOneRegradeLetter(c.caseId);
    // Grade 5's 伤残津贴 (paid by the employer, 《工伤保险条例》第三十六条第一款第（二）项) from July.
    const ents = await entitlementsOf(c.workerId);
    expect(ents).toContainEqual(
      expect.objectContaining({
        kind: 'disability_allowance',
        starts: '2025-07-01',
        status: 'active',
      }),
    );
    expect((await checkLedger(t.db)).ok).toBe(true);
  });
});

describe('regrade: 河南 review 5 → 4', () => {
  it('changes the monthly amounts from the month after the review, the lump sum unchanged', async () => {
    const c = await decidedCase(ZZ, zz, 5);
    const before = await entitlementsOf(c.workerId);
    expect(before).toEqual([
      expect.objectContaining({
        kind: 'disability_allowance',
        payer: 'employer',
        starts: '2025-07-01',
      }),
    ]);
    await insertAppraisal(ZZ, c.caseId, {
      kind: 'review',
      on: '2026-07-10',
      grade: 4,
      previousId: c.initialId,
    });
    const p = await proposeRegrade(t.db, zz.maker, rules, {
      regionCode: ZZ,
      caseId: c.caseId,
      on: '2025-09-01',
      policy: POLICY,
    });
    if (!p.ok) throw new Error(p.message);
    const { plan } = p.value.payload;
    expect(plan).toMatchObject({
      kind: 'review',
      startsOn: '2026-08-01',
      lumpSum: { differenceFen: 0, outcome: 'unchanged' },
      postings: [],
      held: [],
      endings: [{ kind: 'disability_allowance', endsOn: '2026-07-31' }],
    });
    await approve(t.db, zz.checker, ZZ, p.value.approvalId);
    const txBefore = await transactionCount(t.db);
    const a = await applyRegrade(t.db, zz.maker, {
      regionCode: ZZ,
      decisionId: p.value.decisionId,
      on: '2025-09-02',
    });
    expect(a).toMatchObject({ ok: true, value: { ledgerTransactionId: null } });
    expect(await transactionCount(t.db)).toBe(txBefore);
    const ents = await entitlementsOf(c.workerId);
    expect(ents).toEqual([
      expect.objectContaining({ payer: 'employer', ends: '2026-07-31', status: 'ended' }),
      // Grade 4: 75 % of the 本人工资 from the fund (《工伤保险条例》第三十五条第一款第（二）项).
      expect.objectContaining({
        kind: 'disability_allowance',
        payer: 'fund',
        amount: 450_000,
        starts: '2026-08-01',
        status: 'active',
      }),
    ]);
  });
});

describe('regrade: 浙江 re-appraisal 4 → 3 (demo: from the month after the re-appraisal)', () => {
  it('pays the lump-sum difference and the arrears of a month already paid at the old amount', async () => {
    // 杭州's payroll months are run once per database: a retry of this test runs three months later.
    const done = await t.db.query(
      `SELECT count(*)::int AS n FROM payroll_runs WHERE region_code = $1`,
      [HZ],
    );
    const shift = done.rows[0]?.['n'] === 0 ? 0 : 3;
    const on = (date: string) => addMonths(date, shift);
    const c = await decidedCase(HZ, { ...f, employerId: f.employer.id }, 4, shift);
    await insertCardAccount(t.db, {
      workerId: c.workerId,
      validFrom: '2025-01-01',
      accountNumber: `6222${String(Date.now()).slice(-12)}`,
    });
    await payMonth(t.db, f, rules, { month: monthOf(on('2025-07-01')) });
    await payMonth(t.db, f, rules, { month: monthOf(on('2025-08-01')) });
    await insertAppraisal(HZ, c.caseId, {
      kind: 're_appraisal',
      on: on('2025-07-15'),
      grade: 3,
      previousId: c.initialId,
    });
    const p = await proposeRegrade(t.db, f.maker, rules, {
      regionCode: HZ,
      caseId: c.caseId,
      on: on('2025-09-05'),
      policy: POLICY,
    });
    if (!p.ok) throw new Error(p.message);
    const { plan } = p.value.payload;
    expect(plan.rule).toMatchObject({ start: 'month_after_new_conclusion', status: 'demo' });
    expect(plan.startsOn).toBe(on('2025-08-01'));
    // August was paid at 75 %; grade 3 owes 80 % (《工伤保险条例》第三十五条第一款第（二）项).
    expect(plan.arrears).toEqual([
      {
        month: monthOf(on('2025-08-01')),
        kind: 'disability_allowance',
        dueFen: 480_000,
        paidFen: 450_000,
        differenceFen: 30_000,
      },
    ]);
    expect(plan.postings).toEqual([
      { code: 'disability_lump_sum', account: '5107', amountFen: 2 * WAGE_FEN },
      { code: 'disability_allowance', account: '5108', amountFen: 30_000 },
    ]);
    expect(plan.endings).toEqual([
      expect.objectContaining({ kind: 'disability_allowance', endsOn: on('2025-07-31') }),
    ]);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    const a = await applyRegrade(t.db, f.maker, {
      regionCode: HZ,
      decisionId: p.value.decisionId,
      on: on('2025-09-06'),
    });
    expect(a).toMatchObject({ ok: true, value: { replayed: false } });
    expect(await paymentsOf(p.value.decisionId)).toEqual([
      { item_code: 'disability_allowance', account: '5108', amount: 30_000 },
      { item_code: 'disability_lump_sum', account: '5107', amount: 2 * WAGE_FEN },
    ]);
  });
});

const proposeZz = (caseId: string) =>
  proposeRegrade(t.db, zz.maker, rules, {
    regionCode: ZZ,
    caseId,
    on: '2025-08-20',
    policy: POLICY,
  });

describe('regrade refusals before a decision', () => {
  it('refuses a case with no decision, and one whose first decision awaits approval', async () => {
    const workerId = await insertWorker(t.db);
    const caseId = await insertCase(ZZ, workerId, zz.employerId);
    const initialId = await insertAppraisal(ZZ, caseId, {
      kind: 'initial',
      on: '2025-06-20',
      grade: 7,
    });
    await insertAppraisal(ZZ, caseId, {
      kind: 're_appraisal',
      on: '2025-07-30',
      grade: 5,
      previousId: initialId,
    });
    expect(await proposeZz(caseId)).toMatchObject({
      ok: false,
      code: 'benefit.regrade_no_decision',
    });
    const first = await proposeBenefitDecision(t.db, zz.maker, rules, {
      regionCode: ZZ,
      caseId,
      enteredWages: wageWindow(ACCIDENT).map((month) => ({ month, wageFen: WAGE_FEN })),
      wageEvidence: '工资条 (test)',
      employerArrangedWork: false,
      on: '2025-08-01',
      policy: POLICY,
    });
    if (!first.ok) throw new Error(first.message);
    expect(await proposeZz(caseId)).toMatchObject({
      ok: false,
      code: 'benefit.regrade_decision_pending',
    });
    expect(await statusOf(ZZ, first.value.decisionId)).toBe('proposed');
  });
});

describe('regrade after an indexation (待遇调整)', () => {
  it('refuses: the regrade would compute the amounts afresh and drop the adjustment', async () => {
    const c = await decidedCase(ZZ, zz, 5);
    await insertAppraisal(ZZ, c.caseId, {
      kind: 're_appraisal',
      on: '2025-09-10',
      grade: 6,
      previousId: c.initialId,
    });
    // An applied indexation batch whose successor entitlement stands on the decision, written as
    // indexation-apply.ts leaves it (its own flow is tested in indexation.db.test.ts). A year of
    // its own per run: one batch per city and year.
    const r = await t.db.query(
      `SELECT id, worker_id, kind, payer, amount_fen::int8 AS amount, snapshot_id
         FROM benefit_entitlements WHERE region_code = $1 AND decision_id = $2 LIMIT 1`,
      [ZZ, c.firstDecisionId],
    );
    const ent = r.rows[0];
    if (ent === undefined) throw new Error('the grade-5 decision made no entitlement');
    const year = 2030 + Math.floor(Math.random() * 70);
    const batchId = `idx_${ZZ}_${year}`;
    const successor = `ent_${ZZ}_${randomBytes(8).toString('hex')}`;
    await t.db.query(
      `INSERT INTO benefit_indexation_batches (region_code, id, year, status, snapshot_id, payload,
         payload_sha256, approval_id, proposed_by, applied_by, approved_by, applied_at)
       VALUES ($1, $2, $3, 'applied', $4, '{}', repeat('0', 64), 'apr_test', 'test', 'test',
         'test', now())`,
      [ZZ, batchId, year, ent['snapshot_id']],
    );
    await t.db.query(
      `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen,
         payer, starts_on, ends_on, status, decision_id, snapshot_id, citation, created_by)
       VALUES ($1, $2, $3, $4, 'monthly', $5, $6, '2025-10-01', '2025-10-31', 'ended', $7, $8,
         'test', 'test')`,
      [
        ZZ,
        successor,
        c.workerId,
        ent['kind'],
        Number(ent['amount']) + 3000,
        ent['payer'],
        c.firstDecisionId,
        ent['snapshot_id'],
      ],
    );
    await t.db.query(
      `INSERT INTO benefit_indexation_lines (region_code, batch_id, entitlement_id,
         new_entitlement_id, worker_id, decision_id, kind, payer, rule_key, effective_on,
         before_fen, after_fen, citation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '5', '2025-10-01', $9, $10, 'test')`,
      [
        ZZ,
        batchId,
        ent['id'],
        successor,
        c.workerId,
        c.firstDecisionId,
        ent['kind'],
        ent['payer'],
        Number(ent['amount']),
        Number(ent['amount']) + 3000,
      ],
    );
    const before = await transactionCount(t.db);
    expect(await proposeZz(c.caseId)).toMatchObject({
      ok: false,
      code: 'benefit.regrade_after_indexation',
      details: { batchId },
    });
    expect(await statusOf(ZZ, c.firstDecisionId)).toBe('approved');
    expect(await transactionCount(t.db)).toBe(before);
  });
});

describe('regrade after a retirement (退休)', () => {
  it('refuses: the regrade would restart the 伤残津贴 the retirement ended', async () => {
    const c = await decidedCase(ZZ, zz, 5);
    await insertAppraisal(ZZ, c.caseId, {
      kind: 're_appraisal',
      on: '2025-09-10',
      grade: 4,
      previousId: c.initialId,
    });
    // The retirement row as recordRetirement leaves it (its own flow: benefit-retirement.db.test.ts).
    const id = retirementId(c.workerId);
    await t.db.query(
      `INSERT INTO benefit_retirements (region_code, id, worker_id, retired_on, pension_fen,
         evidence, approval_id, plan, top_up_fen, recorded_by)
       VALUES ($1, $2, $3, '2025-08-15', 300000, '养老金核定表', 'apr_test', '{}', 0, 'test')`,
      [ZZ, id, c.workerId],
    );
    const before = await transactionCount(t.db);
    expect(await proposeZz(c.caseId)).toMatchObject({
      ok: false,
      code: 'benefit.regrade_after_retirement',
      details: { retirementId: id },
    });
    expect(await statusOf(ZZ, c.firstDecisionId)).toBe('approved');
    expect(await transactionCount(t.db)).toBe(before);
  });
});

describe('regrade to a lower grade (held, not recovered)', () => {
  it('5 → 7 on re-appraisal: the excess lump sum is held for a person; a changed entitlement refuses the apply', async () => {
    const c = await decidedCase(ZZ, zz, 5);
    await insertAppraisal(ZZ, c.caseId, {
      kind: 're_appraisal',
      on: '2025-07-30',
      grade: 7,
      previousId: c.initialId,
    });
    const p = await proposeZz(c.caseId);
    if (!p.ok) throw new Error(p.message);
    const { plan } = p.value.payload;
    expect(plan).toMatchObject({
      startsOn: '2025-07-01',
      lumpSum: { differenceFen: -5 * WAGE_FEN, outcome: 'hold' },
      postings: [],
      held: [
        {
          code: 'disability_lump_sum',
          amountFen: 5 * WAGE_FEN,
          reason: 'lump_sum_above_new_grade',
        },
      ],
      fundTotalFen: 0,
      // The employer's 伤残津贴 started in July too: replaced from its start (no end date).
      endings: [{ kind: 'disability_allowance', endsOn: null }],
      entitlements: [],
    });
    await approve(t.db, zz.checker, ZZ, p.value.approvalId);
    // Someone ends the old entitlement by hand after the approval: the plan no longer holds.
    const [ending] = plan.endings;
    await t.db.query(
      `UPDATE benefit_entitlements SET status = 'ended', ends_on = '2025-12-31' WHERE id = $1`,
      [ending?.id],
    );
    const txBefore = await transactionCount(t.db);
    const lettersBefore = await letterCount();
    const refused = await applyRegrade(t.db, zz.maker, {
      regionCode: ZZ,
      decisionId: p.value.decisionId,
      on: '2025-08-25',
    });
    expect(refused).toMatchObject({ ok: false, code: 'benefit.regrade_changed' });
    expect(await transactionCount(t.db)).toBe(txBefore);
    expect(await statusOf(ZZ, c.firstDecisionId)).toBe('approved');
    expect(await statusOf(ZZ, p.value.decisionId)).toBe('proposed');
    // A refused apply issues no letter and takes no number.
    expect(await letterCount()).toBe(lettersBefore);
    expect(await currentLetter(ZZ, c.caseId)).toBeNull();
    // Put back as proposed: the apply goes through, records the held amount, posts nothing.
    await t.db.query(
      `UPDATE benefit_entitlements SET status = 'active', ends_on = NULL WHERE id = $1`,
      [ending?.id],
    );
    const applied = await applyRegrade(t.db, zz.maker, {
      regionCode: ZZ,
      decisionId: p.value.decisionId,
      on: '2025-08-25',
    });
    expect(applied).toMatchObject({ ok: true, value: { ledgerTransactionId: null } });
    expect(await transactionCount(t.db)).toBe(txBefore);
    // The next number of 郑州's benefit_regrade series of 2025 (the 7 → 5 test may have taken one).
    const letter = await currentLetter(ZZ, c.caseId);
    const series = await t.db.query(
      `SELECT count(*)::int AS n FROM letters WHERE region_code = $1 AND letter_type = 'benefit_regrade' AND year = 2025`,
      [ZZ],
    );
    expect(letter?.letterType).toBe('benefit_regrade');
    expect(letter?.number).toBe(series.rows[0]?.['n']);
    const events = await t.db.query(
      `SELECT data FROM case_events WHERE region_code = $1 AND case_id = $2 AND kind = 'benefit.regrade_approved'`,
      [ZZ, c.caseId],
    );
    expect(events.rows[0]?.['data']).toMatchObject({
      heldForReview: [{ code: 'disability_lump_sum', amountFen: 5 * WAGE_FEN }],
    });
    expect(await entitlementsOf(c.workerId)).toEqual([
      expect.objectContaining({ kind: 'disability_allowance', ends: null, status: 'ended' }),
    ]);
  });
});
