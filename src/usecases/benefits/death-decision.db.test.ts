import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import type { DependantEntry } from '../../domain/benefits/death-case.ts';
import { calculateFromUnknown } from '../../rules/calculator/index.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { transactionCount } from '../fund/pooling/testing.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { approveBenefitDecision } from './benefit-decision-approve.ts';
import { proposeBenefitDecision } from './benefit-decision-propose.ts';
import { benefitPanel } from './benefit-decision-read.ts';
import { deathFactsOf, type RecordDeathFactsRequest, recordDeathFacts } from './death-facts.ts';
import { recordDeath } from './death-record.ts';
import { NO_DEPENDANT_ACCOUNT, startPayrollRun } from './payroll-run.ts';
import {
  declareWage,
  insertAppraisal,
  insertCardAccount,
  insertCase,
  insertWorker,
  setUpBenefits,
} from './testing.ts';

const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;

/** The 12 months before the accident of 2025-03-10, each declared at 6,000 元. */
const WAGE_MONTHS = [
  '2024-03',
  '2024-04',
  '2024-05',
  '2024-06',
  '2024-07',
  '2024-08',
  '2024-09',
  '2024-10',
  '2024-11',
  '2024-12',
  '2025-01',
  '2025-02',
];

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

async function deathCase(outcome: 'recognised' | 'not_recognised' = 'recognised') {
  const workerId = await insertWorker(t.db);
  for (const month of WAGE_MONTHS)
    await declareWage(t.db, { employerId: f.employer.id, workerId, month, wageFen: 600_000 });
  const caseId = await insertCase(t.db, {
    workerId,
    employerId: f.employer.id,
    accidentDate: '2025-03-10',
    outcome,
  });
  return { workerId, caseId };
}

const record = (caseId: string, over: Partial<RecordDeathFactsRequest> = {}) =>
  recordDeathFacts(t.db, f.maker, {
    regionCode: HZ,
    caseId,
    diedOn: '2025-07-10',
    circumstance: 'injury',
    preDeathMonthlyWageFen: null,
    dependants: [
      dependant({ birthDate: '1982-05-06' }),
      dependant({ name: '李明', relation: 'child', birthDate: '2012-09-01' }),
    ],
    today: '2025-07-15',
    ...over,
  });

const propose = (caseId: string) =>
  proposeBenefitDecision(t.db, f.maker, rules, {
    regionCode: HZ,
    caseId,
    enteredWages: [],
    wageEvidence: null,
    employerArrangedWork: false,
    on: '2025-07-16',
    policy: POLICY,
  });

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function countRows(table: 'case_dependants' | 'case_death_facts'): Promise<number> {
  const r = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return Number(r.rows[0]?.['n']);
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, ['2025-06', '2025-07', '2025-08']);
}, 60_000);
afterAll(() => t.cleanup());

/**
 * Hand-computed (杭州, death on 2025-07-10, demo parameters of 2025): 丧葬补助金 = 6 × 7,200 元 =
 * 43,200 元; 一次性工亡补助金 = 20 × 54,188 元 = 1,083,760 元; 本人工资 6,000 元 (12 months at 6,000,
 * inside 60–300 % of 7,200): 供养亲属抚恤金 spouse 40 % = 2,400 元, child 30 % = 1,800 元, their sum
 * 4,200 元 under the worker's pre-death wage of 6,000 元 (《工伤保险条例》第三十九条第一款).
 */
const FUNERAL_FEN = 4_320_000;
const DEATH_LUMP_SUM_FEN = 108_376_000;
const SPOUSE_FEN = 240_000;
const CHILD_FEN = 180_000;

describe('death case: facts and proposal', () => {
  it('records the facts with masked ID numbers and proposes the calculator’s death figures, no appraisal needed', async () => {
    const { caseId } = await deathCase();
    const facts = await record(caseId);
    if (!facts.ok) throw new Error(facts.message);
    expect(facts.value.dependants.map((d) => [d.ordinal, d.relation])).toEqual([
      [0, 'spouse'],
      [1, 'child'],
    ]);
    expect(facts.value.dependants[0]?.idNumberMasked).toMatch(/^330102\*{8}\d{3}[\dX]$/);
    const p = await propose(caseId);
    if (!p.ok) throw new Error(p.message);
    const items = p.value.payload.items.map((i) => [i.code, i.amountFen, i.dependantIndex]);
    expect(items).toEqual([
      ['funeral_grant', FUNERAL_FEN, null],
      ['survivor_pension', SPOUSE_FEN, 0],
      ['survivor_pension', CHILD_FEN, 1],
      ['death_lump_sum', DEATH_LUMP_SUM_FEN, null],
    ]);
    expect(p.value.payload.appraisalId).toBeNull();
    expect(p.value.payload.fundLumpSumTotalFen).toBe(FUNERAL_FEN + DEATH_LUMP_SUM_FEN);
    expect(p.value.payload.death?.dependants.map((d) => d.relation)).toEqual(['spouse', 'child']);
    // The public calculator, given the same facts by hand, answers the same figures.
    const publicAnswer = calculateFromUnknown(
      {
        region: HZ,
        kind: 'death',
        injuryDate: '2025-03-10',
        deathDate: '2025-07-10',
        deathCircumstance: 'injury',
        monthlyWagesFen: WAGE_MONTHS.map(() => 600_000),
        dependants: [{ relation: 'spouse' }, { relation: 'child' }],
      },
      rules,
    );
    if (!publicAnswer.ok) throw new Error(JSON.stringify(publicAnswer.body));
    const panel = await benefitPanel(t.db, { regionCode: HZ, caseId });
    if (!panel.ok) throw new Error(panel.message);
    expect(panel.value.current?.kind).toBe('death');
    expect(panel.value.current?.result.items).toEqual(publicAnswer.body.items);
  });

  it('refuses circumstance 第三十九条第三款 without a concluded grade 1–4 appraisal', async () => {
    const { caseId } = await deathCase();
    const facts = await record(caseId, { circumstance: 'grade1to4_after_suspension' });
    if (!facts.ok) throw new Error(facts.message);
    const none = await propose(caseId);
    await insertAppraisal(t.db, { caseId, concludedOn: '2025-06-01', grade: 6 });
    const six = await propose(caseId);
    expect([none.ok || none.code, six.ok || six.code]).toEqual([
      'benefit.death_grade_required',
      'benefit.death_grade_required',
    ]);
    await insertAppraisal(t.db, { caseId, concludedOn: '2025-06-20', grade: 3 });
    const three = await propose(caseId);
    if (!three.ok) throw new Error(three.message);
    // 第三款: items (一) and (二) only, no 一次性工亡补助金.
    expect(three.value.payload.items.map((i) => i.code)).not.toContain('death_lump_sum');
    expect(three.value.payload.appraisalId).not.toBeNull();
  });
});

describe('death case: bad facts are refused, nothing changed', () => {
  it('refuses a death before the accident, in the future, on an unrecognised case, and lists every dependant problem', async () => {
    const { caseId } = await deathCase();
    const unrecognised = await deathCase('not_recognised');
    const before = [await countRows('case_death_facts'), await countRows('case_dependants')];
    const early = await record(caseId, { diedOn: '2025-03-01' });
    const future = await record(caseId, { diedOn: '2025-07-20' });
    const notRecognised = await record(unrecognised.caseId);
    const good = dependant({ birthDate: '1982-05-06' });
    const bad = await record(caseId, {
      dependants: [
        good,
        { ...good, name: '王丽二', relation: 'sibling' },
        dependant({ relation: 'child', birthDate: '2012-09-01', idNumber: '330102201209010010' }),
        { ...dependant({ relation: 'parent', birthDate: '1950-01-01' }), birthDate: '1950-01-02' },
      ],
    });
    expect([early, future, notRecognised, bad].map((r) => r.ok || r.code)).toEqual([
      'benefit.death_before_accident',
      'benefit.death_in_future',
      'benefit.case_not_recognised',
      'benefit.dependants_invalid',
    ]);
    const problems = !bad.ok ? bad.details?.['problems'] : undefined;
    expect(problems).toEqual([
      { path: 'dependants.1.idNumber', message: expect.stringContaining('dependants.0') },
      { path: 'dependants.2.idNumber', message: expect.stringContaining('check_character') },
      { path: 'dependants.3.birthDate', message: expect.stringContaining('ID number') },
    ]);
    expect([await countRows('case_death_facts'), await countRows('case_dependants')]).toEqual(
      before,
    );
    expect(await t.db.withConnection((ex) => deathFactsOf(ex, HZ, caseId))).toBe(null);
  });

  it('refuses a date of death other than the worker’s recorded one', async () => {
    const { caseId, workerId } = await deathCase();
    const died = await recordDeath(t.db, f.maker, {
      regionCode: HZ,
      workerId,
      diedOn: '2025-07-09',
      source: '居民死亡医学证明',
      today: '2025-07-15',
    });
    if (!died.ok) throw new Error(died.message);
    const other = await record(caseId);
    expect(other.ok || other.code).toBe('benefit.death_date_mismatch');
    const same = await record(caseId, { diedOn: '2025-07-09' });
    expect(same.ok).toBe(true);
  });
});

async function approvedDeathCase() {
  const c = await deathCase();
  const facts = await record(c.caseId);
  if (!facts.ok) throw new Error(facts.message);
  const p = await propose(c.caseId);
  if (!p.ok) throw new Error(p.message);
  await approve(t.db, f.checker, HZ, p.value.approvalId);
  return { ...c, facts: facts.value, proposal: p.value };
}

describe('death case: approval', () => {
  it('posts both lump sums once, a retry pays nothing more; one survivor’s pension per dependant from the month after death', async () => {
    const { caseId, facts, proposal } = await approvedDeathCase();
    const balances = [await balance('5110'), await balance('5112'), await balance('2102')];
    const before = await transactionCount(t.db);
    const apply = () =>
      approveBenefitDecision(t.db, f.maker, {
        regionCode: HZ,
        decisionId: proposal.decisionId,
        on: '2025-07-20',
      });
    const applied = await apply();
    if (!applied.ok) throw new Error(applied.message);
    const retry = await apply();
    expect(retry.ok && retry.value.replayed).toBe(true);
    expect(await transactionCount(t.db)).toBe(before + 1);
    expect([await balance('5110'), await balance('5112'), await balance('2102')]).toEqual([
      (balances[0] ?? 0) + FUNERAL_FEN,
      (balances[1] ?? 0) + DEATH_LUMP_SUM_FEN,
      (balances[2] ?? 0) + FUNERAL_FEN + DEATH_LUMP_SUM_FEN,
    ]);
    expect((await checkLedger(t.db)).differences).toEqual([]);
    const panel = await benefitPanel(t.db, { regionCode: HZ, caseId });
    if (!panel.ok) throw new Error(panel.message);
    expect(panel.value.payments.map((p) => [p.itemCode, p.amountFen]).sort()).toEqual([
      ['death_lump_sum', DEATH_LUMP_SUM_FEN],
      ['funeral_grant', FUNERAL_FEN],
    ]);
    // 《河南省工伤保险条例》第三十条第一款's month-after rule, a demo convention in 浙江.
    expect(panel.value.entitlements.map((e) => [e.dependantId, e.amountFen, e.startsOn])).toEqual(
      expect.arrayContaining([
        [facts.dependants[0]?.id, SPOUSE_FEN, '2025-08-01'],
        [facts.dependants[1]?.id, CHILD_FEN, '2025-08-01'],
      ]),
    );
    expect(panel.value.entitlements).toHaveLength(2);
    expect(panel.value.current?.letter).not.toBeNull();
    const again = await record(caseId);
    expect(again.ok || again.code).toBe('benefit.decision_already_approved');
  });
});

describe('death case: payroll', () => {
  it('the payroll never pays a survivor’s pension to the deceased worker’s card: the line is held for want of the dependant’s account', async () => {
    const { workerId, proposal } = await approvedDeathCase();
    const applied = await approveBenefitDecision(t.db, f.maker, {
      regionCode: HZ,
      decisionId: proposal.decisionId,
      on: '2025-07-20',
    });
    if (!applied.ok) throw new Error(applied.message);
    await insertCardAccount(t.db, {
      workerId,
      validFrom: '2020-01-01',
      accountNumber: '6222020000000001',
    });
    const died = await recordDeath(t.db, f.maker, {
      regionCode: HZ,
      workerId,
      diedOn: '2025-07-10',
      source: '居民死亡医学证明',
      today: '2025-07-21',
    });
    if (!died.ok) throw new Error(died.message);
    // The worker's death ends their own items only: the dependants' pensions stay active.
    expect(died.value.endedEntitlements).toEqual([]);
    const run = await startPayrollRun(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, month: '2025-08' },
      { policy: POLICY },
    );
    if (!run.ok) throw new Error(run.message);
    const lines = await t.db.query(
      `SELECT l.status, l.account_number, l.failure_reason, l.amount_fen::int AS amount
       FROM payroll_lines l JOIN benefit_entitlements e
         ON e.region_code = l.region_code AND e.id = l.entitlement_id
       WHERE e.decision_id = $1 ORDER BY l.amount_fen`,
      [proposal.decisionId],
    );
    expect(lines.rows).toEqual([
      {
        status: 'failed',
        account_number: null,
        failure_reason: NO_DEPENDANT_ACCOUNT,
        amount: CHILD_FEN,
      },
      {
        status: 'failed',
        account_number: null,
        failure_reason: NO_DEPENDANT_ACCOUNT,
        amount: SPOUSE_FEN,
      },
    ]);
    const anomalies = await t.db.query(
      `SELECT anomalies FROM payroll_runs WHERE region_code = $1 AND month = '2025-08'`,
      [HZ],
    );
    const found = JSON.stringify(anomalies.rows[0]?.['anomalies'] ?? []);
    expect(found).toContain('account_missing');
    expect(found).not.toContain('payment_after_death');
  });
});
