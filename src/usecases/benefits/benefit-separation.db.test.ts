import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { calculateFromUnknown } from '../../rules/calculator/index.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { applyForAppraisal } from '../cases/appraisal-application.ts';
import { committeeActor } from '../cases/appraisal-testing.ts';
import { caseTimeline } from '../cases/case-events.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { transactionCount } from '../fund/pooling/testing.ts';
import { letterPdf, listLetters } from '../letters/issue-letter.ts';
import { loadBenefitCase } from './benefit-case-facts.ts';
import { approveBenefitDecision } from './benefit-decision-approve.ts';
import { proposeBenefitDecision } from './benefit-decision-propose.ts';
import { confirmBenefitPayment } from './benefit-payments.ts';
import { proposeSeparation, type SeparationRequest } from './benefit-separation.ts';
import { approveSeparation, caseSeparations } from './benefit-separation-approve.ts';
import { lockOtherInjuries, otherInjuriesAtEmployer } from './separation-other-injuries.ts';
import {
  declareWage,
  insertAppraisal,
  insertCase,
  insertWorker,
  setUpBenefits,
} from './testing.ts';

const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;

const WAGE_MONTHS = Array.from({ length: 12 }, (_, i) => {
  const d = new Date(Date.UTC(2024, 2 + i, 1));
  return d.toISOString().slice(0, 7);
});

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

/**
 * 《浙江省工伤保险条例》第二十二条（二）: "五级至十级工伤职工，依法与用人单位解除或者终止劳动关系，且按照规定已经享受工伤保险待遇的"
 * — once the separation is approved, a review (复查鉴定) a year after the conclusion is no longer received.
 */
async function expectReviewRefused(caseId: string, approvedOn: string): Promise<void> {
  const [appraisal] = (
    await t.db.query('SELECT id FROM appraisals WHERE region_code = $1 AND case_id = $2', [
      HZ,
      caseId,
    ])
  ).rows;
  const r = await applyForAppraisal(t.db, committeeActor('city', HZ), rules, {
    regionCode: HZ,
    caseId,
    kind: 'review',
    applicantKind: 'worker',
    previousAppraisalId: String(appraisal?.['id']),
    appliedOn: '2026-06-22',
  });
  expect(r.ok ? null : [r.code, r.details?.['item'], r.details?.['separationApprovedOn']]).toEqual([
    'appraisal.review_relation_ended',
    '二',
    approvedOn,
  ]);
}

async function allowances(workerId: string) {
  const r = await t.db.query(
    `SELECT status, ends_on::text AS ends_on, payer FROM benefit_entitlements
      WHERE worker_id = $1 AND kind = 'disability_allowance'`,
    [workerId],
  );
  return r.rows;
}

async function count(table: 'benefit_separations' | 'approvals' | 'benefit_payments') {
  const r = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return Number(r.rows[0]?.['n']);
}

/** A 杭州 case injured 2025-03-10, graded on 2025-06-20, its benefit decision approved if asked. */
async function gradedCase(
  grade: number,
  birthDate: string,
  options: { approved: boolean; workerId?: string; accidentDate?: string } = { approved: true },
) {
  const workerId = options.workerId ?? (await insertWorker(t.db, birthDate));
  if (options.workerId === undefined)
    for (const month of WAGE_MONTHS)
      await declareWage(t.db, { employerId: f.employer.id, workerId, month, wageFen: 600_000 });
  const caseId = await insertCase(t.db, {
    workerId,
    employerId: f.employer.id,
    accidentDate: options.accidentDate ?? '2025-03-10',
    outcome: 'recognised',
  });
  await insertAppraisal(t.db, { caseId, concludedOn: '2025-06-20', grade });
  if (!options.approved) return { workerId, caseId };
  const p = await proposeBenefitDecision(t.db, f.maker, rules, {
    regionCode: HZ,
    caseId,
    enteredWages: [],
    wageEvidence: null,
    employerArrangedWork: false,
    on: '2025-07-01',
    policy: POLICY,
  });
  if (!p.ok) throw new Error(p.message);
  await approve(t.db, f.checker, HZ, p.value.approvalId);
  const a = await approveBenefitDecision(t.db, f.maker, {
    regionCode: HZ,
    decisionId: p.value.decisionId,
    on: '2025-07-10',
  });
  if (!a.ok) throw new Error(a.message);
  return { workerId, caseId };
}

function request(caseId: string, over: Partial<SeparationRequest> = {}): SeparationRequest {
  return {
    regionCode: HZ,
    caseId,
    date: '2025-09-15',
    reason: 'worker_request',
    retirementAge: { years: 60, months: 0 },
    on: '2025-09-20',
    policy: POLICY,
    ...over,
  };
}

/** The separation's 核定通知书 as the staff read shows it, with its stored PDF. */
async function separationLetter(caseId: string) {
  const shown = await caseSeparations(t.db, { regionCode: HZ, caseId });
  if (!shown.ok) throw new Error(shown.message);
  const letter = shown.value.find((s) => s.status === 'approved')?.letter ?? null;
  if (letter === null) return null;
  const stored = await t.db.withConnection((ex) =>
    letterPdf(ex, { regionCode: HZ, letterId: letter.id }),
  );
  if (stored === null) throw new Error(`letter ${letter.id} is shown but not stored`);
  expect(stored.documentNumber).toBe(letter.documentNumber);
  return stored;
}

/** The numbered 核定通知书, issued once (a retry issues none), shown on the staff read. */
async function expectOneSeparationLetter(caseId: string, on: string) {
  const letter = await separationLetter(caseId);
  expect(letter).toMatchObject({
    letterType: 'benefit_separation',
    year: 2025,
    issuedOn: on,
    title: '一次性工伤医疗补助金和一次性伤残就业补助金核定通知书',
    issuer: '杭州市人力资源和社会保障局',
  });
  expect(letter?.documentNumber).toBe(`杭人社工补〔2025〕${letter?.number}号`);
  expect(letter?.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const ofCase = await t.db.withConnection((ex) => listLetters(ex, { regionCode: HZ, caseId }));
  expect(ofCase.filter((l) => l.letterType === 'benefit_separation')).toHaveLength(1);
  // The timeline's approval names the letter; the letter has its own event.
  const timeline = await t.db.withConnection((ex) => caseTimeline(ex, HZ, caseId));
  expect(timeline.find((e) => e.kind === 'benefit.separation_approved')?.data).toMatchObject({
    letterId: letter?.id,
  });
  expect(timeline.filter((e) => e.kind === 'letter.issued').map((e) => e.data)).toContainEqual(
    expect.objectContaining({ letterId: letter?.id, letterType: 'benefit_separation' }),
  );
}

/** Every letter of every city and series: a refused apply must leave both unchanged. */
async function letterCounts() {
  const r = await t.db.query(
    `SELECT (SELECT count(*)::int FROM letters) AS letters,
            (SELECT coalesce(sum(last_number), 0)::int FROM letter_series) AS numbers`,
  );
  return r.rows[0];
}

/** The issued payment of the separation's grant, on its decision, confirmed by the bank. */
async function payTheGrant(separationId: string, transactionId: string | null) {
  const payments = await t.db.query(
    `SELECT p.id, p.item_code, p.amount_fen::int AS amount FROM benefit_payments p
         JOIN benefit_separations s ON s.region_code = p.region_code AND s.decision_id = p.decision_id
        WHERE s.id = $1 AND p.payable_transaction_id = $2`,
    [separationId, transactionId],
  );
  expect(payments.rows.map((r) => [r['item_code'], r['amount']])).toEqual([
    ['medical_separation_grant', 21_600_000],
  ]);
  const paid = await confirmBenefitPayment(t.db, f.maker, {
    regionCode: HZ,
    paymentId: String(payments.rows[0]?.['id']),
    bankReference: 'BK-SEP-1',
    paidOn: '2025-09-25',
  });
  if (!paid.ok) throw new Error(paid.message);
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, ['2025-06', '2025-07', '2025-08', '2025-09']);
}, 60_000);
afterAll(() => t.cleanup());

describe('separation: the grants, as the public calculator gives them', () => {
  it('浙江 grade 5, 10 years or more to retirement: 30 months × 7,200 元 each, the fund’s and the employer’s', async () => {
    const { caseId } = await gradedCase(5, '1980-04-02');
    const p = await proposeSeparation(t.db, f.maker, rules, request(caseId));
    if (!p.ok) throw new Error(p.message);
    // 《浙江省工伤保险条例》第二十七条第二款: 五级伤残为三十个月, base 上年度全省职工月平均工资 (2025: 7,200 元, demo).
    expect(p.value.payload.items).toEqual([
      { code: 'medical_separation_grant', amountFen: 21_600_000, payer: 'fund' },
      { code: 'employment_separation_grant', amountFen: 21_600_000, payer: 'employer' },
    ]);
    expect(p.value.payload.fundLumpSumTotalFen).toBe(21_600_000);
    expect(p.value.payload.retirementDate).toBe('2040-04-02');
    expect(p.value.payload.entitlementEnds.map((e) => [e.kind, e.endsOn])).toEqual([
      ['disability_allowance', '2025-09-15'],
    ]);
    const stored = await t.db.query(
      'SELECT calculation_input FROM benefit_separations WHERE region_code = $1 AND id = $2',
      [HZ, p.value.separationId],
    );
    const publicAnswer = calculateFromUnknown(stored.rows[0]?.['calculation_input'], rules);
    if (!publicAnswer.ok) throw new Error(JSON.stringify(publicAnswer.body));
    const grants = publicAnswer.body.items.filter((i) => i.code.endsWith('separation_grant'));
    expect(grants.map((i) => [i.code, i.amountFen])).toEqual(
      p.value.payload.items.map((i) => [i.code, i.amountFen]),
    );
  });

  it('浙江 grade 7 at 57 周岁 with retirement at 60: the employment grant is 60 % (第二十七条第二款 "每增加一周岁递减百分之二十")', async () => {
    const { caseId } = await gradedCase(7, '1968-01-10');
    const p = await proposeSeparation(
      t.db,
      f.maker,
      rules,
      request(caseId, { reason: 'contract_expiry' }),
    );
    if (!p.ok) throw new Error(p.message);
    // 10 months × 7,200 元 = 72,000 元; × 60 % = 43,200 元 (56 → 80 %, 57 → 60 %).
    expect(p.value.payload.items.map((i) => i.amountFen)).toEqual([7_200_000, 4_320_000]);
    expect(p.value.payload.entitlementEnds).toEqual([]);
  });
});

/**
 * A periodic item on the case's approved decision, inserted (浙江 ends every periodic item with the
 * separation; one active item of a kind per worker, so each case gets another kind).
 */
async function periodicOn(caseId: string, workerId: string, kind: string): Promise<string> {
  const d = await t.db.query(
    `SELECT id, snapshot_id FROM benefit_decisions
      WHERE region_code = $1 AND case_id = $2 AND status = 'approved'`,
    [HZ, caseId],
  );
  const id = `ent_${HZ}_${randomBytes(8).toString('hex')}`;
  await t.db.query(
    `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen,
       payer, starts_on, status, decision_id, snapshot_id, citation, created_by)
     VALUES ($1, $2, $3, $6, 'monthly', 180000, 'fund', '2025-07-01', 'active',
       $4, $5, '《工伤保险条例》第三十四条', 'test')`,
    [HZ, id, workerId, d.rows[0]?.['id'], d.rows[0]?.['snapshot_id'], kind],
  );
  return String(d.rows[0]?.['id']);
}

/** Approves and applies the combined proposal: one posting of grade 7's grant, both items ended. */
async function applyCombined(p: { separationId: string; approvalId: string }, workerId: string) {
  await approve(t.db, f.checker, HZ, p.approvalId);
  const [before5109, beforeCount] = [await balance('5109'), await transactionCount(t.db)];
  const applied = await approveSeparation(t.db, f.maker, {
    regionCode: HZ,
    separationId: p.separationId,
    on: '2025-09-22',
  });
  if (!applied.ok) throw new Error(applied.message);
  expect(await transactionCount(t.db)).toBe(beforeCount + 1);
  expect(await balance('5109')).toBe(before5109 + 7_200_000);
  const ents = await t.db.query(
    `SELECT status, ends_on::text AS ends_on FROM benefit_entitlements WHERE worker_id = $1`,
    [workerId],
  );
  expect(ents.rows).toEqual([
    { status: 'ended', ends_on: '2025-09-15' },
    { status: 'ended', ends_on: '2025-09-15' },
  ]);
}

/**
 * 《浙江省工伤保险条例》第二十八条: "职工在同一用人单位连续工作期间多次发生工伤…一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发。"
 * One separation covers the worker's graded cases at the employer in one continuous employment:
 * the grants once, at the highest grade; every covered case's periodic items end; once only. The
 * register's two spells make two employments, each case separated alone.
 */
describe('separation: a worker injured twice at one employer (浙江 第二十八条)', () => {
  it('grades 7 and 9: one separation at grade 7 covering both, posted once, both cases ended, a second refused', async () => {
    const first = await gradedCase(7, '1980-01-15');
    const second = await gradedCase(9, '1980-01-15', {
      approved: true,
      workerId: first.workerId,
      accidentDate: '2025-04-02',
    });
    const firstDecision = await periodicOn(first.caseId, first.workerId, 'nursing_allowance');
    const secondDecision = await periodicOn(second.caseId, first.workerId, 'other_allowance');
    const p = await proposeSeparation(t.db, f.maker, rules, request(second.caseId));
    if (!p.ok) throw new Error(p.message);
    // Grade 7: 10 months each (第二十七条第二款 "七级伤残为十个月") × 7,200 元 = 72,000 元; grade 9 would be 4.
    expect(p.value.payload.items.map((i) => [i.code, i.amountFen])).toEqual([
      ['medical_separation_grant', 7_200_000],
      ['employment_separation_grant', 7_200_000],
    ]);
    expect(p.value.payload.decisionId).toBe(firstDecision);
    const covered = [
      { caseId: first.caseId, decisionId: firstDecision, grade: 7 },
      { caseId: second.caseId, decisionId: secondDecision, grade: 9 },
    ].sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
    expect(p.value.payload.combined).toEqual({
      grade: 7,
      citation: '《浙江省工伤保险条例》第二十八条',
      cases: covered,
    });
    expect(p.value.payload.entitlementEnds.map((e) => e.endsOn)).toEqual([
      '2025-09-15',
      '2025-09-15',
    ]);
    // The other case cannot be separated alone while the combined proposal is open.
    const other = await proposeSeparation(t.db, f.maker, rules, request(first.caseId));
    expect(other.ok ? null : [other.code, other.details?.['separationId']]).toEqual([
      'benefit.separation_covered_case_open',
      p.value.separationId,
    ]);

    await applyCombined(p.value, first.workerId);
    // Either case reads the one separation, with its letter and the cases it covers.
    for (const caseId of [first.caseId, second.caseId]) {
      const shown = await caseSeparations(t.db, { regionCode: HZ, caseId });
      if (!shown.ok) throw new Error(shown.message);
      expect(
        shown.value.map((v) => [v.separationId, v.status, v.coveredCases, v.letter !== null]),
      ).toEqual([[p.value.separationId, 'approved', covered, true]]);
      const again = await proposeSeparation(t.db, f.maker, rules, request(caseId));
      expect(again.ok ? 'ok' : again.code).toBe('benefit.separation_already_decided');
    }
    await expectReviewRefused(first.caseId, '2025-09-22');
  });

  it('two spells make two employments: the 2025-04-02 injury is separated alone, as today', async () => {
    const first = await gradedCase(7, '1980-01-15');
    const second = await gradedCase(9, '1980-01-15', {
      approved: true,
      workerId: first.workerId,
      accidentDate: '2025-04-02',
    });
    const spell = (start: string, end: string | null) =>
      t.db.query(
        `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name, start_date,
           end_date, hired_by, left_by)
         VALUES ($1, $2, $3, $4, '测试职工', $5, $6, 'test', CASE WHEN $6::date IS NULL THEN NULL ELSE 'test' END)`,
        [
          HZ,
          `spl_${HZ}_${randomBytes(8).toString('hex')}`,
          f.employer.id,
          first.workerId,
          start,
          end,
        ],
      );
    await spell('2020-01-01', '2025-03-31');
    await spell('2025-04-01', null);
    const alone = await proposeSeparation(t.db, f.maker, rules, request(second.caseId));
    if (!alone.ok) throw new Error(alone.message);
    // Grade 9: 4 months × 7,200 元 = 28,800 元 each; no combined part in the payload.
    expect(alone.value.payload.items.map((i) => i.amountFen)).toEqual([2_880_000, 2_880_000]);
    expect([alone.value.payload.caseId, alone.value.payload.combined]).toEqual([
      second.caseId,
      undefined,
    ]);
  });
});

describe('separation: approval, ledger, once only', () => {
  it('posts the fund’s grant payable once, pays it on confirmation, ends the 伤残津贴 and refuses a second separation', async () => {
    const { caseId, workerId } = await gradedCase(5, '1981-05-06');
    const p = await proposeSeparation(t.db, f.maker, rules, request(caseId));
    if (!p.ok) throw new Error(p.message);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    const [before5109, before2102, beforeCount] = [
      await balance('5109'),
      await balance('2102'),
      await transactionCount(t.db),
    ];
    const on = '2025-09-22';
    const applied = await approveSeparation(t.db, f.maker, {
      regionCode: HZ,
      separationId: p.value.separationId,
      on,
    });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.value.ledgerTransactionId).toBe(
      `benefit-separation:${p.value.separationId}:approved`,
    );
    const retry = await approveSeparation(t.db, f.maker, {
      regionCode: HZ,
      separationId: p.value.separationId,
      on,
    });
    expect(retry.ok && retry.value.replayed).toBe(true);
    expect(await transactionCount(t.db)).toBe(beforeCount + 1);
    await expectOneSeparationLetter(caseId, on);
    expect(await balance('5109')).toBe(before5109 + 21_600_000);
    expect(await balance('2102')).toBe(before2102 + 21_600_000);

    await payTheGrant(p.value.separationId, applied.value.ledgerTransactionId);
    expect(await balance('2102')).toBe(before2102);
    expect((await checkLedger(t.db)).differences).toEqual([]);

    expect(await allowances(workerId)).toEqual([
      { status: 'ended', ends_on: '2025-09-15', payer: 'employer' },
    ]);
    const second = await proposeSeparation(t.db, f.maker, rules, request(caseId));
    expect(second.ok ? 'ok' : second.code).toBe('benefit.separation_already_decided');
    await expectReviewRefused(caseId, on);
    const timeline = await t.db.withConnection((ex) => caseTimeline(ex, HZ, caseId));
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['benefit.separation_proposed', 'benefit.separation_approved']),
    );
  });

  it('an approval of a superseded proposal no longer fits, and nothing is posted', async () => {
    const { caseId } = await gradedCase(8, '1985-02-03');
    const first = await proposeSeparation(t.db, f.maker, rules, request(caseId));
    if (!first.ok) throw new Error(first.message);
    await approve(t.db, f.checker, HZ, first.value.approvalId);
    const second = await proposeSeparation(
      t.db,
      f.maker,
      rules,
      request(caseId, { date: '2025-09-16' }),
    );
    if (!second.ok) throw new Error(second.message);
    const before = await transactionCount(t.db);
    const lettersBefore = await letterCounts();
    const wrong = await approveSeparation(t.db, f.maker, {
      regionCode: HZ,
      separationId: second.value.separationId,
      approvalId: first.value.approvalId,
      on: '2025-09-22',
    });
    expect(wrong.ok ? 'ok' : wrong.code).toBe('approval.payload_mismatch');
    const stale = await approveSeparation(t.db, f.maker, {
      regionCode: HZ,
      separationId: first.value.separationId,
      on: '2025-09-22',
    });
    expect(stale.ok ? 'ok' : stale.code).toBe('benefit.separation_superseded');
    expect(await transactionCount(t.db)).toBe(before);
    // A refused apply issues no letter and takes no number.
    expect(await letterCounts()).toEqual(lettersBefore);
    expect(await separationLetter(caseId)).toBeNull();
  });
});

describe('separation: the insurance relationship ends with it', () => {
  it('ends a fund-paid 生活护理费 with the 伤残津贴: the insurance relationship ends (《浙江省工伤保险条例》第二十二条第一款第（二）项)', async () => {
    const { caseId, workerId } = await gradedCase(6, '1982-03-04');
    // A nursing allowance of the fund on the same decision, as an appraisal with a nursing level
    // gives it (inserted here: the calculator's nursing items are tested on their own).
    const d = await t.db.query(
      `SELECT id, snapshot_id FROM benefit_decisions
        WHERE region_code = $1 AND case_id = $2 AND status = 'approved'`,
      [HZ, caseId],
    );
    const nursing = `ent_${HZ}_${randomBytes(8).toString('hex')}`;
    await t.db.query(
      `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen,
         payer, starts_on, status, decision_id, snapshot_id, citation, created_by)
       VALUES ($1, $2, $3, 'nursing_allowance', 'monthly', 180000, 'fund', '2025-07-01', 'active',
         $4, $5, '《工伤保险条例》第三十四条', 'test')`,
      [HZ, nursing, workerId, d.rows[0]?.['id'], d.rows[0]?.['snapshot_id']],
    );
    const p = await proposeSeparation(t.db, f.maker, rules, request(caseId));
    if (!p.ok) throw new Error(p.message);
    expect(p.value.payload.entitlementEnds.map((e) => [e.kind, e.endsOn])).toEqual(
      expect.arrayContaining([
        ['disability_allowance', '2025-09-15'],
        ['nursing_allowance', '2025-09-15'],
      ]),
    );
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    const applied = await approveSeparation(t.db, f.maker, {
      regionCode: HZ,
      separationId: p.value.separationId,
      on: '2025-09-22',
    });
    if (!applied.ok) throw new Error(applied.message);
    const ents = await t.db.query(
      `SELECT kind, status, ends_on::text AS ends_on FROM benefit_entitlements
        WHERE worker_id = $1 ORDER BY kind`,
      [workerId],
    );
    expect(ents.rows).toEqual([
      { kind: 'disability_allowance', status: 'ended', ends_on: '2025-09-15' },
      { kind: 'nursing_allowance', status: 'ended', ends_on: '2025-09-15' },
    ]);
  });
});

describe('separation: concurrent applies and a changed entitlement', () => {
  it('two applies at once post the grant once: one applies, the other is a replay', async () => {
    const { caseId } = await gradedCase(9, '1990-01-01');
    const p = await proposeSeparation(t.db, f.maker, rules, request(caseId));
    if (!p.ok) throw new Error(p.message);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    const before = await transactionCount(t.db);
    const apply = () =>
      approveSeparation(t.db, f.maker, {
        regionCode: HZ,
        separationId: p.value.separationId,
        on: '2025-09-22',
      });
    const lettersBefore = await t.db.query(
      `SELECT coalesce(max(number), 0)::int AS n FROM letters WHERE letter_type = 'benefit_separation'`,
    );
    const both = await Promise.all([apply(), apply()]);
    expect(both.map((r) => (r.ok ? r.value.replayed : r.code)).sort()).toEqual([false, true]);
    expect(await transactionCount(t.db)).toBe(before + 1);
    // One letter, the series' next number: the losing apply took none.
    const letter = await separationLetter(caseId);
    expect(letter?.number).toBe(Number(lettersBefore.rows[0]?.['n']) + 1);
    const paid = await t.db.query(
      'SELECT count(*)::int AS n FROM benefit_payments WHERE payable_transaction_id = $1',
      [`benefit-separation:${p.value.separationId}:approved`],
    );
    expect(paid.rows[0]?.['n']).toBe(1);
  });

  it('an entitlement ended after the proposal makes the approval no longer fit', async () => {
    const { caseId, workerId } = await gradedCase(6, '1982-02-02');
    const p = await proposeSeparation(t.db, f.maker, rules, request(caseId));
    if (!p.ok) throw new Error(p.message);
    expect(p.value.payload.entitlementEnds).toHaveLength(1);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    await t.db.query(
      `UPDATE benefit_entitlements SET status = 'ended', ends_on = '2025-08-31'
        WHERE worker_id = $1 AND kind = 'disability_allowance'`,
      [workerId],
    );
    const before = await transactionCount(t.db);
    const applied = await approveSeparation(t.db, f.maker, {
      regionCode: HZ,
      separationId: p.value.separationId,
      on: '2025-09-22',
    });
    expect(applied.ok ? 'ok' : applied.code).toBe('approval.payload_mismatch');
    expect(await transactionCount(t.db)).toBe(before);
  });
});

/** The other graded cases of the worker, as the proposal reads them before their locks. */
async function otherInjuriesRead(caseId: string) {
  return t.db.withConnection(async (ex) => {
    const benefitCase = await loadBenefitCase(ex, HZ, caseId, { lock: false });
    if (benefitCase === null) throw new Error(`case ${caseId} not found`);
    const found = await otherInjuriesAtEmployer(ex, rules, HZ, benefitCase, '2025-09-15');
    if (!found.ok || found.value === null) throw new Error('no other graded case');
    return { benefitCase, others: found.value.others };
  });
}

/**
 * A covered case's decision replaced between the proposal's read and its lock, or between the
 * proposal and its apply (the UPDATE stands in for an applied regrade, which replaces the
 * decision under the case's lock): a typed refusal, not a broken invariant, and nothing written.
 */
describe('separation: a covered case changed in between (浙江 第二十八条)', () => {
  it('refuses the stale list under the locks and the apply on a replaced decision', async () => {
    const first = await gradedCase(7, '1981-03-03');
    const second = await gradedCase(9, '1981-03-03', {
      approved: true,
      workerId: first.workerId,
      accidentDate: '2025-04-02',
    });
    const read = await otherInjuriesRead(second.caseId);
    expect(read.others.map((o) => [o.caseId, o.grade])).toEqual([[first.caseId, 7]]);
    const p = await proposeSeparation(t.db, f.maker, rules, request(second.caseId));
    if (!p.ok) throw new Error(p.message);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    await t.db.query(
      `UPDATE benefit_decisions SET status = 'replaced' WHERE region_code = $1 AND case_id = $2`,
      [HZ, first.caseId],
    );
    const locked = await t.db.transaction((tx) =>
      lockOtherInjuries(tx, HZ, read.benefitCase, read.others),
    );
    expect(locked.ok ? null : [locked.code, locked.details?.['now']]).toEqual([
      'benefit.separation_cases_changed',
      [],
    ]);
    const before = await transactionCount(t.db);
    const applied = await approveSeparation(t.db, f.maker, {
      regionCode: HZ,
      separationId: p.value.separationId,
      on: '2025-09-22',
    });
    expect(applied.ok ? null : [applied.code, applied.details?.['decisionIds']]).toEqual([
      'benefit.separation_cases_changed',
      [p.value.payload.decisionId],
    ]);
    expect(await transactionCount(t.db)).toBe(before);
    const shown = await caseSeparations(t.db, { regionCode: HZ, caseId: second.caseId });
    expect(shown.ok ? shown.value.map((v) => v.status) : null).toEqual(['proposed']);
  });
});

describe('separation: refusals change nothing', () => {
  it('refuses grade 1–4, no approved decision, a grade 5–6 contract expiry, dates before the injury, in the future or after retirement', async () => {
    const grade3 = await gradedCase(3, '1980-04-02');
    const grade6 = await gradedCase(6, '1980-04-02');
    const unapproved = await gradedCase(7, '1980-04-02', { approved: false });
    const retired = await gradedCase(9, '1964-08-01');
    const counts = async () => [
      await count('benefit_separations'),
      await count('approvals'),
      await count('benefit_payments'),
      await transactionCount(t.db),
    ];
    const before = await counts();
    const answers = [
      await proposeSeparation(t.db, f.maker, rules, request(grade3.caseId)),
      await proposeSeparation(t.db, f.maker, rules, request(unapproved.caseId)),
      await proposeSeparation(
        t.db,
        f.maker,
        rules,
        request(grade6.caseId, { reason: 'contract_expiry' }),
      ),
      await proposeSeparation(t.db, f.maker, rules, request(grade6.caseId, { date: '2025-03-09' })),
      await proposeSeparation(t.db, f.maker, rules, request(grade6.caseId, { date: '2025-09-21' })),
      // Born 1964-08-01, retiring at 60 on 2024-08-01: before the separation.
      await proposeSeparation(t.db, f.maker, rules, request(retired.caseId)),
    ];
    expect(answers.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'benefit.separation_grade_keeps_relationship',
      'benefit.separation_no_decision',
      'benefit.separation_reason_not_allowed',
      'benefit.separation_before_injury',
      'benefit.separation_in_future',
      'benefit.separation_after_retirement',
    ]);
    expect(await counts()).toEqual(before);
  });
});
