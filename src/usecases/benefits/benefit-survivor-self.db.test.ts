import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { DependantEntry } from '../../domain/benefits/death-case.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import { calculateFromUnknown } from '../../rules/calculator/index.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { approveBenefitDecision } from './benefit-decision-approve.ts';
import { proposeBenefitDecision } from './benefit-decision-propose.ts';
import { myBenefitDecision } from './benefit-self.ts';
import { mySurvivorBenefits, mySurvivorLetter } from './benefit-survivor-self.ts';
import { recordDeathFacts } from './death-facts.ts';
import {
  declareWage,
  insertCardAccount,
  insertCase,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * The survivor's own view on both backends: two death cases of 杭州 go through the real flow (facts,
 * proposal, approval, apply: entitlements and the 核定通知书), then August's payroll pays their
 * pensions. Case A: the widow 王丽 (40 % of 6 000.00 = 2 400.00) and her son (30 % = 1 800.00); case
 * B: another widow. 王丽 is also an injured worker herself (a 伤残津贴 of 4 000.00 on her own case):
 * both views. Each log-in is a person row tied by ID number, as the portal's.
 */
const rules = testRuleBook().benefits;
let t: TestDatabase;
const WAGE_MONTHS = Array.from({ length: 12 }, (_, i) =>
  i < 10 ? `2024-${String(i + 3).padStart(2, '0')}` : `2025-0${i - 9}`,
);
const SPOUSE_FEN = 240_000;
const CHILD_FEN = 180_000;

let idSeq = 800;
function entry(name: string, relation: 'spouse' | 'child', birthDate: string): DependantEntry {
  idSeq += 1;
  const idNumber = demoIdNumber('330102', birthDate, idSeq);
  return { name, relation, idNumber, birthDate, orphanOrSoleElder: false };
}

const widow = entry('王丽', 'spouse', '1982-05-06');
const son = entry('李明', 'child', '2012-09-01');
const otherWidow = entry('赵敏', 'spouse', '1983-01-02');

type Fixture = Awaited<ReturnType<typeof setUpBenefits>>;
const ids = { caseA: '', caseB: '', ownCase: '', deceasedA: '' };

async function personActor(idNumber: string, name: string): Promise<Actor> {
  const id = `per_${HZ}_${randomBytes(4).toString('hex')}`;
  await t.db.query(
    'INSERT INTO persons (region_code, id, id_number, name) VALUES ($1, $2, $3, $4)',
    [HZ, id, idNumber, name],
  );
  return {
    userId: `usr-${id}`,
    username: name,
    role: 'worker',
    scopeKind: 'self',
    scopeCode: id,
    permissions: rolePermissions.worker,
    requestId: 'test',
  };
}

/** A death case through the use cases, applied on 2025-07-20; its dependants' card accounts. */
async function deathCase(f: Fixture, dependants: DependantEntry[]) {
  const workerId = await insertWorker(t.db, '1978-02-03');
  for (const month of WAGE_MONTHS)
    await declareWage(t.db, { employerId: f.employer.id, workerId, month, wageFen: 600_000 });
  const caseId = await insertCase(t.db, {
    workerId,
    employerId: f.employer.id,
    accidentDate: '2025-03-10',
    outcome: 'recognised',
  });
  const facts = await recordDeathFacts(t.db, f.maker, {
    regionCode: HZ,
    caseId,
    diedOn: '2025-07-10',
    circumstance: 'injury',
    preDeathMonthlyWageFen: null,
    dependants,
    today: '2025-07-15',
  });
  if (!facts.ok) throw new Error(facts.message);
  const p = await proposeBenefitDecision(t.db, f.maker, rules, {
    regionCode: HZ,
    caseId,
    enteredWages: [],
    wageEvidence: null,
    employerArrangedWork: false,
    on: '2025-07-16',
    policy: POLICY,
  });
  if (!p.ok) throw new Error(p.message);
  await approve(t.db, f.checker, HZ, p.value.approvalId);
  const applied = await approveBenefitDecision(t.db, f.maker, {
    regionCode: HZ,
    decisionId: p.value.decisionId,
    on: '2025-07-20',
  });
  if (!applied.ok) throw new Error(applied.message);
  for (const [i, d] of facts.value.dependants.entries())
    await t.db.query(
      `INSERT INTO dependant_card_accounts (region_code, dependant_id, valid_from, bank_name,
         account_number, account_name, recorded_by)
       VALUES ($1, $2, '2025-07-01', '中国工商银行杭州分行', $3, $4, 'test')`,
      [HZ, d.id, `62220299${randomBytes(4).readUInt32BE(0)}${i}`, d.name],
    );
  return { caseId, workerId };
}

/**
 * The decision the widow's own 伤残津贴 rests on: grade 3 on 5 000.00 a month, so 4 000.00
 * (《工伤保险条例》第三十五条第一款第（二）项 "三级伤残为本人工资的80%").
 */
function ownCalculation(): { input: unknown; result: unknown } {
  const input = {
    region: HZ,
    kind: 'disability',
    injuryDate: '2024-11-05',
    decisionDate: '2025-03-20',
    monthlyWagesFen: Array.from({ length: 12 }, () => 500_000),
    disabilityGrade: 3,
    nursingLevel: null,
    employerArrangedWork: false,
    occupationalDisease: false,
  };
  const calculated = calculateFromUnknown(input, rules);
  if (!calculated.ok) throw new Error(JSON.stringify(calculated.body));
  return { input, result: calculated.body };
}

/** The widow is an injured worker too: her own 伤残津贴 on her own case, paid to her card. */
async function widowAsWorker(f: Fixture): Promise<string> {
  const workerId = `wkr_${randomBytes(8).toString('hex')}`;
  const facts = citizenIdFacts(widow.idNumber);
  await t.db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2, $3, $4, $5::date, 'test')`,
    [workerId, widow.idNumber, widow.name, facts.sex, facts.birthDate],
  );
  const entitlementId = await insertEntitlement(t.db, {
    employerId: f.employer.id,
    workerId,
    kind: 'disability_allowance',
    amountFen: 400_000,
    startsOn: '2025-04-01',
    calculation: ownCalculation(),
  });
  await insertCardAccount(t.db, {
    workerId,
    validFrom: '2024-01-01',
    accountNumber: '6222000000880001',
  });
  const r = await t.db.query(
    `SELECT d.case_id FROM benefit_entitlements e
       JOIN benefit_decisions d ON d.region_code = e.region_code AND d.id = e.decision_id
      WHERE e.region_code = $1 AND e.id = $2`,
    [HZ, entitlementId],
  );
  return withColumns(r, { case_id: textOf }).rows[0]?.case_id ?? '';
}

const actors: Record<'widow' | 'son' | 'otherWidow' | 'deceasedA', Actor | null> = {
  widow: null,
  son: null,
  otherWidow: null,
  deceasedA: null,
};
function actor(name: keyof typeof actors): Actor {
  const a = actors[name];
  if (a === null) throw new Error(`no actor ${name}`);
  return a;
}

beforeAll(async () => {
  t = await openTestDatabase();
  const f = await setUpBenefits(t.db, rules, ['2025-07', '2025-08']);
  const a = await deathCase(f, [widow, son]);
  const b = await deathCase(f, [otherWidow]);
  ids.caseA = a.caseId;
  ids.caseB = b.caseId;
  ids.ownCase = await widowAsWorker(f);
  await payMonth(t.db, f, rules, { month: '2025-08' });
  actors.widow = await personActor(widow.idNumber, widow.name);
  actors.son = await personActor(son.idNumber, son.name);
  actors.otherWidow = await personActor(otherWidow.idNumber, otherWidow.name);
  const deceased = await t.db.query('SELECT id_number FROM workers WHERE id = $1', [a.workerId]);
  const deceasedId = withColumns(deceased, { id_number: textOf }).rows[0]?.id_number ?? '';
  actors.deceasedA = await personActor(deceasedId, '李强');
}, 240_000);
afterAll(() => t.cleanup());

const survivorView = (who: Actor) => t.db.withConnection((ex) => mySurvivorBenefits(ex, who));

describe(`a survivor's own view on ${testBackend}`, () => {
  it('shows the widow her pension, her August payment and the death letter — not her son’s', async () => {
    const out = await survivorView(actor('widow'));
    if (!out.ok) throw new Error(out.message);
    expect(out.value.cases.map((c) => [c.caseId, c.relation, c.diedOn])).toEqual([
      [ids.caseA, 'spouse', '2025-07-10'],
    ]);
    const [mine] = out.value.cases;
    expect(mine?.entitlements.map((e) => [e.kind, e.amountFen, e.startsOn, e.status])).toEqual([
      ['survivor_pension', SPOUSE_FEN, '2025-08-01', 'active'],
    ]);
    expect(mine?.monthlyPayments.map((p) => [p.month, p.kind, p.amountFen, p.status])).toEqual([
      ['2025-08', 'survivor_pension', SPOUSE_FEN, 'paid'],
    ]);
    expect(mine?.letters.map((l) => l.title)).toEqual(['工伤保险待遇核定通知书']);
    // Nothing of the co-survivor: no amount of his, no ID number, no account, no ledger id.
    const text = JSON.stringify(out.value);
    expect(text).not.toContain(String(CHILD_FEN));
    for (const secret of [son.idNumber, widow.idNumber, '6222', 'ltx_', 'ent_', 'dep_'])
      expect(text).not.toContain(secret);
  });

  it('shows the son only his own pension on the same case, and the same letter', async () => {
    const out = await survivorView(actor('son'));
    if (!out.ok) throw new Error(out.message);
    const [his] = out.value.cases;
    expect(his?.entitlements.map((e) => e.amountFen)).toEqual([CHILD_FEN]);
    expect(his?.monthlyPayments.map((p) => p.amountFen)).toEqual([CHILD_FEN]);
    expect(JSON.stringify(out.value)).not.toContain(String(SPOUSE_FEN));
  });

  it('never shows another case’s survivor anything of case A, nor case A’s letter', async () => {
    const out = await survivorView(actor('otherWidow'));
    if (!out.ok) throw new Error(out.message);
    expect(out.value.cases.map((c) => c.caseId)).toEqual([ids.caseB]);
    const widowView = await survivorView(actor('widow'));
    const letterA = widowView.ok ? widowView.value.cases[0]?.letters[0]?.id : undefined;
    if (letterA === undefined) throw new Error('no letter of case A');
    const read = (who: Actor, caseId: string) =>
      t.db.withConnection((ex) => mySurvivorLetter(ex, who, caseId, letterA));
    expect((await read(actor('widow'), ids.caseA))?.pdf.byteLength).toBeGreaterThan(0);
    expect(await read(actor('otherWidow'), ids.caseA)).toBeNull();
    expect(await read(actor('otherWidow'), ids.caseB)).toBeNull();
    // The deceased worker's own log-in is no survivor of his case.
    expect(await read(actor('deceasedA'), ids.caseA)).toBeNull();
  });

  it('the worker’s own view of the death case lists no survivor’s pension nor its payments', async () => {
    const seen = await myBenefitDecision(t.db, actor('deceasedA'), ids.caseA);
    expect(seen?.entitlements).toEqual([]);
    expect(seen?.monthlyPayments).toEqual([]);
    const none = await survivorView(actor('deceasedA'));
    expect(none.ok && none.value.cases).toEqual([]);
  });

  it('the widow who is also an injured worker has both views: her own case, and her pension', async () => {
    const own = await myBenefitDecision(t.db, actor('widow'), ids.ownCase);
    expect(own?.entitlements.map((e) => [e.kind, e.amountFen])).toEqual([
      ['disability_allowance', 400_000],
    ]);
    expect(own?.monthlyPayments.map((p) => [p.month, p.amountFen])).toEqual([['2025-08', 400_000]]);
    // Her survivor's case is not hers as a worker: the worker's view answers "not found".
    expect(await myBenefitDecision(t.db, actor('widow'), ids.caseA)).toBeNull();
  });

  it('refuses an employer’s log-in: a survivor is a person', async () => {
    const employer: Actor = { ...actor('widow'), role: 'employer', scopeKind: 'employer' };
    const out = await survivorView(employer);
    expect(out.ok || out.code).toBe('benefit.survivor_view_self_only');
  });
});
