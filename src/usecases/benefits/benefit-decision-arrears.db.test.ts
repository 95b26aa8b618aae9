import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { addMonths, nextMonth } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { caseTimeline } from '../cases/case-events.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { transactionCount } from '../fund/pooling/testing.ts';
import { proposeCorrection } from './benefit-correction.ts';
import { applyCorrection, decideCorrection } from './benefit-correction-apply.ts';
import { approveBenefitDecision } from './benefit-decision-approve.ts';
import { proposeBenefitDecision } from './benefit-decision-propose.ts';
import { benefitPanel } from './benefit-decision-read.ts';
import { recordDeath } from './death-record.ts';
import { startPayrollRun } from './payroll-run.ts';
import {
  declareWage,
  insertAppraisal,
  insertCardAccount,
  insertCase,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * A decision approved after the payroll ran the months its items start from (docs/benefits.md,
 * "Months run before the decision"). The appraisal concludes on the 20th of the month before m0, so
 * 杭州's items start on m0's first day; the payroll of m0 and m1 runs before the decision is approved
 * in m2. Retry-safe: each case takes the next months of 杭州 without a run (freeMonth).
 */
const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;

const PERIODS = Array.from({ length: 36 }, (_, i) => addMonths('2025-01-01', i).slice(0, 7));

/** The month after the last run of 杭州 (the first run's month when none). */
async function freeMonth(): Promise<string> {
  const r = await t.db.query(
    'SELECT max(month)::text AS m FROM payroll_runs WHERE region_code = $1',
    [HZ],
  );
  const last = r.rows[0]?.['m'];
  return typeof last === 'string' ? nextMonth(last) : '2025-07';
}

async function newCase(concludedOn: string) {
  const w = await insertWorker(t.db);
  // Twelve declared months of 6 000.00 before the accident of 2025-03-10.
  for (let m = 3; m <= 12; m++)
    await declareWage(t.db, {
      employerId: f.employer.id,
      workerId: w,
      month: `2024-${String(m).padStart(2, '0')}`,
      wageFen: 600_000,
    });
  for (const month of ['2025-01', '2025-02'])
    await declareWage(t.db, { employerId: f.employer.id, workerId: w, month, wageFen: 600_000 });
  await insertCardAccount(t.db, {
    workerId: w,
    validFrom: '2020-01-01',
    accountNumber: '6222000011112222',
  });
  const c = await insertCase(t.db, {
    workerId: w,
    employerId: f.employer.id,
    accidentDate: '2025-03-10',
    outcome: 'recognised',
  });
  await insertAppraisal(t.db, {
    caseId: c,
    concludedOn,
    grade: 3,
    nursingLevel: 'partial',
  });
  return { workerId: w, caseId: c };
}

const propose = (caseId: string, on: string) =>
  proposeBenefitDecision(t.db, f.maker, rules, {
    regionCode: HZ,
    caseId,
    enteredWages: [],
    wageEvidence: null,
    employerArrangedWork: false,
    on,
    policy: POLICY,
  });

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2027-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function entitlementsOf(workerId: string) {
  const r = await t.db.query(
    `SELECT id, kind, amount_fen::int AS amount FROM benefit_entitlements
     WHERE worker_id = $1 AND status = 'active' ORDER BY kind`,
    [workerId],
  );
  return r.rows.map((x) => ({
    id: String(x['id']),
    kind: String(x['kind']),
    amount: Number(x['amount']),
  }));
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  // Another worker's pension, so every month's run has a line to send and answer.
  const other = await insertWorker(t.db);
  await insertCardAccount(t.db, {
    workerId: other,
    validFrom: '2020-01-01',
    accountNumber: '6222000033334444',
  });
  await insertEntitlement(t.db, {
    employerId: f.employer.id,
    workerId: other,
    kind: 'disability_allowance',
    amountFen: 300_000,
    startsOn: '2025-01-01',
  });
}, 60_000);
afterAll(() => t.cleanup());

type Figures = {
  m: string[];
  workerId: string;
  caseId: string;
  allowance: number;
  nursing: number;
  lump: number;
  decisionId: string;
};

/** July and August paid, then the proposal: two months of each kind owed, the checker approves. */
async function firstProposal(): Promise<Figures> {
  const m0 = await freeMonth();
  const m = [
    m0,
    nextMonth(m0),
    addMonths(`${m0}-01`, 2).slice(0, 7),
    addMonths(`${m0}-01`, 3).slice(0, 7),
  ];
  const { workerId, caseId } = await newCase(`${addMonths(`${m0}-01`, -1).slice(0, 7)}-20`);
  await payMonth(t.db, f, rules, { month: m[0] ?? '' });
  await payMonth(t.db, f, rules, { month: m[1] ?? '' });

  const p1 = await propose(caseId, `${m[2]}-01`);
  if (!p1.ok) throw new Error(p1.message);
  const allowance =
    p1.value.payload.items.find((i) => i.code === 'disability_allowance')?.amountFen ?? 0;
  const nursing =
    p1.value.payload.items.find((i) => i.code === 'nursing_allowance')?.amountFen ?? 0;
  const lump = p1.value.payload.fundLumpSumTotalFen;
  // Grade 3: 80 % of the 本人工资 6 000.00 (《工伤保险条例》第三十五条第一款第（二）项).
  expect(allowance).toBe(480_000);
  expect(nursing).toBeGreaterThan(0);
  // July and August, each kind owed in full: nothing paid them.
  expect(p1.value.payload.arrears).toEqual({
    months: [
      { month: m[0], kind: 'disability_allowance', dueFen: allowance },
      { month: m[0], kind: 'nursing_allowance', dueFen: nursing },
      { month: m[1], kind: 'disability_allowance', dueFen: allowance },
      { month: m[1], kind: 'nursing_allowance', dueFen: nursing },
    ],
    byKind: [
      { kind: 'disability_allowance', account: '5108', amountFen: 2 * allowance },
      { kind: 'nursing_allowance', account: '5106', amountFen: 2 * nursing },
    ],
    totalFen: 2 * (allowance + nursing),
  });
  await approve(t.db, f.checker, HZ, p1.value.approvalId);

  return { m, workerId, caseId, allowance, nursing, lump, decisionId: p1.value.decisionId };
}

/** A run not approved refuses; once approved, the proposal's months are no longer those owed. */
async function refusals(x: Figures) {
  const { workerId, caseId } = x;
  // m2 computed, not approved: it was computed without the items.
  const sept = await startPayrollRun(
    t.db,
    f.maker,
    rules,
    { regionCode: HZ, month: x.m[2] ?? '' },
    { policy: POLICY },
  );
  if (!sept.ok) throw new Error(sept.message);
  const before = await transactionCount(t.db);
  const pending = await approveBenefitDecision(t.db, f.maker, {
    regionCode: HZ,
    decisionId: x.decisionId,
    on: `${x.m[2]}-10`,
  });
  expect(pending.ok || pending.code).toBe('benefit.decision_run_pending');
  expect(pending.ok || pending.details).toMatchObject({
    runId: payrollRunId(HZ, x.m[2] ?? ''),
    month: x.m[2],
  });
  expect(await entitlementsOf(workerId)).toEqual([]);
  expect(await transactionCount(t.db)).toBe(before);
  // A new proposal is refused too, and the open one stays as it was (not superseded).
  const meanwhile = await propose(caseId, `${x.m[2]}-11`);
  expect(meanwhile.ok || meanwhile.code).toBe('benefit.decision_run_pending');
  const open = await t.db.query('SELECT status FROM benefit_decisions WHERE id = $1', [
    x.decisionId,
  ]);
  expect(open.rows[0]?.['status']).toBe('proposed');

  // m2 approved and paid: the proposal's months are no longer those owed.
  await payMonth(t.db, f, rules, { month: x.m[2] ?? '' });
  const moved = await approveBenefitDecision(t.db, f.maker, {
    regionCode: HZ,
    decisionId: x.decisionId,
    on: `${x.m[2]}-25`,
  });
  expect(moved.ok || moved.code).toBe('benefit.decision_arrears_changed');
  expect(await entitlementsOf(workerId)).toEqual([]);
}

/** Proposed again and applied: the lump sum and three months of each kind in one transaction. */
async function applied(x: Figures) {
  const { workerId, caseId, allowance, nursing, lump } = x;
  const p2 = await propose(caseId, `${x.m[2]}-26`);
  if (!p2.ok) throw new Error(p2.message);
  expect(p2.value.payload.arrears?.totalFen).toBe(3 * (allowance + nursing));
  await approve(t.db, f.checker, HZ, p2.value.approvalId);
  const c5107 = await balance('5107');
  const c5108 = await balance('5108');
  const c5106 = await balance('5106');
  const c2102 = await balance('2102');
  const applied = await approveBenefitDecision(t.db, f.maker, {
    regionCode: HZ,
    decisionId: p2.value.decisionId,
    on: `${x.m[2]}-26`,
  });
  if (!applied.ok) throw new Error(applied.message);
  const replay = await approveBenefitDecision(t.db, f.maker, {
    regionCode: HZ,
    decisionId: p2.value.decisionId,
    on: `${x.m[2]}-26`,
  });
  expect(replay.ok && replay.value.replayed).toBe(true);
  // One transaction: the lump sum and three months of each kind, Dr 51xx / Cr 2102.
  expect(await balance('5107')).toBe(c5107 + lump);
  expect(await balance('5108')).toBe(c5108 + 3 * allowance);
  expect(await balance('5106')).toBe(c5106 + 3 * nursing);
  expect(await balance('2102')).toBe(c2102 + lump + 3 * (allowance + nursing));
  const payments = await t.db.query(
    `SELECT item_code, account, amount_fen::int AS amount FROM benefit_payments
       WHERE decision_id = $1 ORDER BY item_code`,
    [p2.value.decisionId],
  );
  expect(payments.rows.map((r) => [r['item_code'], r['account'], r['amount']])).toEqual([
    ['disability_allowance', '5108', 3 * allowance],
    ['disability_lump_sum', '5107', lump],
    ['nursing_allowance', '5106', 3 * nursing],
  ]);
  const ents = await entitlementsOf(workerId);
  const months = await t.db.query(
    `SELECT entitlement_id, month::text AS month, amount_fen::int AS amount
       FROM benefit_entitlement_arrears WHERE entitlement_id = ANY($1::text[]) ORDER BY month, amount_fen`,
    [ents.map((e) => e.id)],
  );
  expect(months.rows).toHaveLength(6);
  // The case page's panel shows them per month and kind (ADR 0023).
  const panel = await benefitPanel(t.db, { regionCode: HZ, caseId });
  if (!panel.ok) throw new Error(panel.message);
  expect(panel.value.monthsRunBefore.map((r) => [r.month, r.kind, r.amountFen])).toEqual(
    x.m.slice(0, 3).flatMap((month) => [
      [month, 'disability_allowance', allowance],
      [month, 'nursing_allowance', nursing],
    ]),
  );
  const timeline = await t.db.withConnection((ex) => caseTimeline(ex, HZ, caseId));
  const event = timeline.find((e) => e.kind === 'benefit.decision_approved');
  expect(event?.data).toMatchObject({ arrears: { totalFen: 3 * (allowance + nursing) } });

  return ents;
}

/** October pays its own month; a later correction owes the difference only. */
async function afterwards(x: Figures, ents: { id: string; kind: string }[]) {
  const { workerId, allowance, nursing } = x;
  // October pays its own month only.
  const oct = await payMonth(t.db, f, rules, { month: x.m[3] ?? '' });
  const octLines = await t.db.query(
    `SELECT kind, amount_fen::int AS amount FROM payroll_lines WHERE run_id = $1 AND worker_id = $2 ORDER BY kind`,
    [oct.runId, workerId],
  );
  expect(octLines.rows.map((r) => [r['kind'], r['amount']])).toEqual([
    ['disability_allowance', allowance],
    ['nursing_allowance', nursing],
  ]);

  // A correction of the allowance from its start, 100.00 more a month: four months owe 10 000
  // each (July–September paid by the decision, October by the run), not the whole amount again.
  const a = ents.find((e) => e.kind === 'disability_allowance');
  if (a === undefined) throw new Error('no allowance');
  const c = await proposeCorrection(t.db, f.maker, rules, {
    regionCode: HZ,
    entitlementId: a.id,
    amountFen: allowance + 10_000,
    reason: '本人工资核定有误',
    evidence: '工资台账',
    policy: POLICY,
  });
  if (!c.ok) throw new Error(c.message);
  expect(c.value.plan.arrears?.amountFen).toBe(4 * 10_000);
  const decided = await decideCorrection(t.db, f.checker, {
    regionCode: HZ,
    correctionId: c.value.id,
    decision: 'approved',
  });
  if (!decided.ok) throw new Error(decided.message);
  // The correction's payment is the decision's second payment of the allowance (migration 0067).
  const corrected = await applyCorrection(t.db, f.maker, rules, {
    regionCode: HZ,
    correctionId: c.value.id,
    on: `${x.m[3]}-25`,
  });
  if (!corrected.ok) throw new Error(corrected.message);
  expect((await checkLedger(t.db)).differences).toEqual([]);
}

describe('a decision approved after its months ran', () => {
  it('pays the months already run with the decision, bound in the approval; a run not approved refuses; a later correction does not pay them again', async () => {
    const x = await firstProposal();
    await refusals(x);
    const ents = await applied(x);
    await afterwards(x, ents);
  });
});

describe('a death back-dated into the months a decision paid with its arrears', () => {
  it('counts them as overpaid: one month of each item after the month of death', async () => {
    const m0 = await freeMonth();
    const m1 = nextMonth(m0);
    const m2 = nextMonth(m1);
    const { workerId, caseId } = await newCase(`${addMonths(`${m0}-01`, -1).slice(0, 7)}-20`);
    await payMonth(t.db, f, rules, { month: m0 });
    await payMonth(t.db, f, rules, { month: m1 });
    const p = await propose(caseId, `${m2}-02`);
    if (!p.ok) throw new Error(p.message);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    const applied = await approveBenefitDecision(t.db, f.maker, {
      regionCode: HZ,
      decisionId: p.value.decisionId,
      on: `${m2}-03`,
    });
    if (!applied.ok) throw new Error(applied.message);
    const item = (code: string) =>
      p.value.payload.items.find((i) => i.code === code)?.amountFen ?? 0;
    // Died in m0: m1 was paid (by the decision, no line) for a month after the death.
    const died = await recordDeath(t.db, f.maker, {
      regionCode: HZ,
      workerId,
      diedOn: `${m0}-15`,
      source: '居民死亡医学证明书 No. 330100-2025-000888',
      today: `${m2}-04`,
    });
    if (!died.ok) throw new Error(died.message);
    const over = await t.db.query(
      `SELECT e.kind, o.amount_fen::int AS amount, o.months FROM benefit_overpayments o
       JOIN benefit_entitlements e ON e.region_code = o.region_code AND e.id = o.entitlement_id
       WHERE o.worker_id = $1 ORDER BY e.kind`,
      [workerId],
    );
    expect(over.rows.map((r) => [r['kind'], r['amount'], r['months']])).toEqual([
      ['disability_allowance', item('disability_allowance'), [m1]],
      ['nursing_allowance', item('nursing_allowance'), [m1]],
    ]);
    expect(item('disability_allowance')).toBe(480_000);
  });
});
