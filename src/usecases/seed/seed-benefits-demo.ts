import type { Database, Executor } from '../../db/client.ts';
import { boolOf, textOf, withColumns } from '../../db/rows.ts';
import { persons } from '../../db/schema.ts';
import type { DependantEntry } from '../../domain/benefits/death-case.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import type { NursingLevel } from '../../domain/cases/appraisal-procedure.ts';
import type { Actor } from '../../identity/actor.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { approveBenefitDecision } from '../benefits/benefit-decision-approve.ts';
import { proposeBenefitDecision } from '../benefits/benefit-decision-propose.ts';
import { benefitPanel } from '../benefits/benefit-decision-read.ts';
import { confirmBenefitPayment } from '../benefits/benefit-payments.ts';
import { setCardAccount } from '../benefits/card-accounts.ts';
import { recordDeathFacts } from '../benefits/death-facts.ts';
import { approvePayrollRun } from '../benefits/payroll-approve.ts';
import { issuePaymentFile } from '../benefits/payroll-file.ts';
import { importBankReturn } from '../benefits/payroll-return.ts';
import { startPayrollRun } from '../benefits/payroll-run.ts';
import type { DemoProvince } from '../registry/province-definition.ts';
import { demoIdNumber } from './demo-ids.ts';
import {
  asUser,
  type CasePlan,
  concludedAppraisal,
  decide,
  demoActor,
  demoWorkerIdNumber,
  must,
  undeclaredWages,
  walkCase,
} from './seed-cases-demo.ts';

/** 杭州: the city of the demo handler, its supervisor and the demo worker. */
const CITY = '330100' as const;

/** The payroll year: the twelve months of 2025, all before the demo's "now" (December 2026). */
export const BENEFITS_DEMO_MONTHS: readonly string[] = Array.from(
  { length: 12 },
  (_, i) => `2025-${String(i + 1).padStart(2, '0')}`,
);

/** The one line the bank returns failed: June's 伤残津贴 of the `grade3` worker, reissued in July. */
export const BENEFITS_DEMO_FAILURE = {
  month: '2025-06',
  label: 'benefit_grade3',
  kind: 'disability_allowance',
  reason: '账户状态异常，银行退回（演示）',
} as const;

/** A disability case of the demo: who, the wage entered from the payslips, the grade, the dates. */
type DisabilityPlan = {
  label: string;
  /** The demo worker's own case (he sees its payments in the portal); else a register worker. */
  demoWorker?: boolean;
  wageFen: number;
  accidentDate: IsoDate;
  grade: 1 | 2 | 3 | 4;
  /** GB/T 16180-2014 clause the grade rests on (form only: the standard's text is not held). */
  clause: string;
  nursing: NursingLevel | null;
  /** The appraisal's application and conclusion; the monthly items start the month after it. */
  appraisalAppliedOn: IsoDate;
  concludedOn: IsoDate;
};

/**
 * Grades 1–4, so 伤残津贴 is the fund's (《工伤保险条例》第三十五条第一款第（二）项 "一级伤残为本人工资的90%，
 * 二级伤残为本人工资的85%，三级伤残为本人工资的80%，四级伤残为本人工资的75%"), three with 生活护理费
 * (第三十四条第二款 "…分别为统筹地区上年度职工月平均工资的50%、40%或者30%"). Four concluded in December
 * 2024 (paid all twelve months of 2025), one in March 2025 (paid from April).
 */
export const DISABILITY_PLANS: readonly DisabilityPlan[] = [
  {
    label: 'benefit_demo_worker',
    demoWorker: true,
    wageFen: 720_000,
    accidentDate: '2024-03-11',
    grade: 4,
    clause: '5.4.2(10)',
    nursing: null,
    appraisalAppliedOn: '2024-11-04',
    concludedOn: '2024-12-02',
  },
  {
    label: 'benefit_grade1',
    wageFen: 860_000,
    accidentDate: '2024-02-19',
    grade: 1,
    clause: '5.1.2(1)',
    nursing: 'full',
    appraisalAppliedOn: '2024-10-28',
    concludedOn: '2024-12-03',
  },
  {
    label: 'benefit_grade2_nursing',
    wageFen: 650_000,
    accidentDate: '2024-04-08',
    grade: 2,
    clause: '5.2.2(5)',
    nursing: 'major',
    appraisalAppliedOn: '2024-11-05',
    concludedOn: '2024-12-04',
  },
  {
    label: 'benefit_grade3',
    wageFen: 950_000,
    accidentDate: '2024-05-06',
    grade: 3,
    clause: '5.3.2(3)',
    nursing: null,
    appraisalAppliedOn: '2024-11-11',
    concludedOn: '2024-12-06',
  },
  {
    label: 'benefit_grade3_from_april',
    wageFen: 780_000,
    accidentDate: '2024-07-15',
    grade: 3,
    clause: '5.3.2(8)',
    nursing: 'partial',
    appraisalAppliedOn: '2025-02-10',
    concludedOn: '2025-03-05',
  },
];

/**
 * The death case (因工死亡, 《工伤保险条例》第三十九条第一款): the worker died of the accident on
 * 2025-01-06; his wife and child draw 供养亲属抚恤金 from February (the month after the death, the
 * demo convention of payment.periodic_start) — 第（二）项 "配偶每月40%，其他亲属每人每月30%". Who
 * counts as a dependant "由国务院社会保险行政部门规定" (the same item): that rule's text is not held
 * and nothing checks it; the demo's wife is 55 and the child 15 on the day of the death.
 */
export const DEATH_PLAN = {
  label: 'benefit_death',
  wageFen: 700_000,
  accidentDate: '2025-01-06',
  spouse: { name: '陈丽华', birthDate: '1969-03-14' },
  child: { given: '小雨', birthDate: '2009-08-20' },
} as const;

/**
 * The demo survivor (provinces/zhejiang-demo.yaml, demo.survivor): the death case's widow. Her
 * log-in names this person row, whose ID number is the one the case records for her, so the
 * portal's survivor view (benefit-survivor-self.ts) finds her pension by it.
 */
export const DEMO_SURVIVOR_PERSON_ID = 'per_330100_0901';
const SPOUSE_SEQUENCE = 901;

export function demoSurvivorIdNumber(): string {
  return demoIdNumber('330102', DEATH_PLAN.spouse.birthDate, SPOUSE_SEQUENCE);
}

/**
 * The demo survivor's person row (in the demo's first transaction, beside the other persons), when
 * the province file has her log-in: she is a person, not an insured worker. Idempotent.
 */
export async function seedDemoSurvivorPerson(tx: Executor, demo: DemoProvince): Promise<number> {
  const user = demo.demoUsers.find(
    (u) => u.scopeKind === 'self' && u.scopeCode === DEMO_SURVIVOR_PERSON_ID,
  );
  if (user === undefined) return 0;
  const r = await tx.orm
    .insert(persons)
    .values({
      regionCode: user.regionCode,
      id: DEMO_SURVIVOR_PERSON_ID,
      idNumber: demoSurvivorIdNumber(),
      name: DEATH_PLAN.spouse.name,
    })
    .onConflictDoNothing()
    .returning({ id: persons.id });
  return r.length;
}

const handler = demoActor('hz.handler', 'city_handler', 'city', CITY);
const supervisor = demoActor('hz.supervisor', 'supervisor', 'city', CITY);
const BANK = '中国工商银行杭州分行（演示）';

export type BenefitsDemoReport = { decisions: number; entitlements: number; runs: number };

type Injured = { workerId: string; employerId: string; name: string };

/** The maker and checker as the demo users they are (approvals name them by user id). */
type Team = { maker: Actor; checker: Actor };

/**
 * The demo's periodic benefits and a year of their payroll (issue 12), in 杭州 — the city of the
 * demo handler (hz.handler), its supervisor (hz.supervisor) and the demo worker (张三): six
 * injured workers whose cases go through the determination and appraisal use cases, whose benefit
 * decisions are proposed by the handler and approved by the supervisor (maker-checker), with card
 * accounts in the register's names; then the twelve monthly runs of 2025 (the demo ledger's last
 * year, FUND_DEMO_YEARS), each computed by the handler, approved by the supervisor, its payment
 * file issued and the bank's return imported: everything paid except one line of June, which
 * July's run reissues. Every step is the use case the API calls, so the ledger carries the
 * postings (Dr 51xx / Cr 2102 on approval, Dr 2102 / Cr 1003 on the bank's confirmation).
 * Deterministic in what it pays: fixed dates, wages and bank references, the register's workers
 * chosen by a fixed rule (the generated ids and the experts a draw picks vary, as in the cases seed).
 * Runs after the cases seed (the appraisals draw their panels from its expert pools). Skipped when
 * 杭州 holds any entitlement or payroll run: a second seed creates nothing, and a demo someone has
 * worked in is left alone.
 */
export async function seedBenefitsDemo(
  db: Database,
  rules: RuleSet,
  demo: DemoProvince,
): Promise<BenefitsDemoReport> {
  const none = { decisions: 0, entitlements: 0, runs: 0 };
  const existing = await db.query(
    `SELECT 1 FROM benefit_entitlements WHERE region_code = $1
      UNION ALL SELECT 1 FROM payroll_runs WHERE region_code = $1 LIMIT 1`,
    [CITY],
  );
  if (existing.rows.length > 0) return none;
  const team = { maker: await asUser(db, handler), checker: await asUser(db, supervisor) };
  const injured = await injuredWorkers(db, demo);
  for (const [n, plan] of DISABILITY_PLANS.entries())
    await seedDisability(db, rules, team, plan, injured[n], n);
  await seedDeath(db, rules, team, injured[DISABILITY_PLANS.length]);
  for (const month of BENEFITS_DEMO_MONTHS) await payMonth(db, rules, team, month);
  const entitlements = await db.query('SELECT 1 FROM benefit_entitlements WHERE region_code = $1', [
    CITY,
  ]);
  return {
    decisions: DISABILITY_PLANS.length + 1,
    entitlements: entitlements.rows.length,
    runs: BENEFITS_DEMO_MONTHS.length,
  };
}

/**
 * The injured: the demo worker (on the demo employer's roster, seedDemoWorkerAsWorker) where a plan
 * names him, else workers of the generated register employed in 杭州 since 2024-01-01 or earlier,
 * born 1970 or later (no retirement during the year), in worker id order; the death case's worker
 * is the oldest man left (his widow and child below fit his age). Never a worker of the cases seed
 * (those are on the three hand-made employers' rosters), so the choice does not depend on it.
 * Answers one worker per DISABILITY_PLANS entry, then the death case's.
 */
async function injuredWorkers(db: Database, demo: DemoProvince): Promise<Injured[]> {
  const idNumber = await demoWorkerIdNumber(db, demo);
  const r = withColumns(
    await db.query(
      `SELECT DISTINCT ON (w.id) w.id, w.name, s.employer_id, w.id_number = $3 AS demo,
              w.sex = 'male' AS male, w.birth_date::text AS birth_date
         FROM employment_spells s JOIN workers w ON w.id = s.worker_id
        WHERE s.region_code = $1 AND s.end_date IS NULL
          AND (w.id_number = $3 OR (s.start_date <= '2024-01-01' AND w.birth_date >= '1970-01-01'
               AND NOT s.employer_id = ANY($2::text[])))
        ORDER BY w.id, s.start_date`,
      [CITY, [1, 2, 3].map((n) => `emp_${CITY}_${String(n).padStart(16, '0')}`), idNumber ?? ''],
    ),
    {
      id: textOf,
      name: textOf,
      employer_id: textOf,
      demo: boolOf,
      male: boolOf,
      birth_date: textOf,
    },
  ).rows;
  const injured = (x: (typeof r)[number]): Injured => ({
    workerId: x.id,
    employerId: x.employer_id,
    name: x.name,
  });
  const demoWorker = r.find((x) => x.demo);
  const others = r.filter((x) => !x.demo);
  const list: Injured[] = [];
  for (const plan of DISABILITY_PLANS) {
    const who = plan.demoWorker ? demoWorker : others.shift();
    if (who === undefined) throw new Error(`seed benefits: no worker in 杭州 for ${plan.label}`);
    list.push(injured(who));
  }
  // The oldest man left; ties by id (the list is in id order and the sort is stable).
  const [died] = others
    .filter((x) => x.male)
    .sort((a, b) => (a.birth_date < b.birth_date ? -1 : a.birth_date > b.birth_date ? 1 : 0));
  if (died === undefined) throw new Error('seed benefits: no worker in 杭州 for the death case');
  list.push(injured(died));
  return list;
}

/** Reports, applies and walks the case to a served recognition (认定工伤决定书 served). */
async function recognisedCase(
  db: Database,
  rules: RuleSet,
  who: Injured,
  plan: { label: string; accidentDate: IsoDate },
  days: { applied: number; accepted: number; decided: number; served: number },
): Promise<string> {
  const at = (n: number) => addDays(plan.accidentDate, n);
  const casePlan: CasePlan = {
    label: plan.label,
    city: CITY,
    accidentDate: plan.accidentDate,
    appliedOn: at(days.applied),
    steps: [
      { kind: 'accept', on: at(days.accepted), clear: false },
      decide(at(days.decided)),
      { kind: 'serve', on: at(days.served) },
    ],
  };
  return walkCase(db, rules, casePlan, who.workerId, who.employerId, undefined);
}

/** The beneficiary's card account from the first day of the month it is recorded in. */
async function cardAccount(
  db: Database,
  team: Team,
  input: {
    beneficiary: { kind: 'worker'; workerId: string } | { kind: 'dependant'; dependantId: string };
    name: string;
    accountNumber: string;
    on: IsoDate;
  },
): Promise<void> {
  must(
    await setCardAccount(db, team.maker, {
      regionCode: CITY,
      beneficiary: input.beneficiary,
      validFrom: `${input.on.slice(0, 7)}-01`,
      bankName: BANK,
      accountNumber: input.accountNumber,
      accountName: input.name,
      today: input.on,
    }),
    `card account of ${input.name}`,
  );
}

/** A demo card account number: 19 digits, unique per beneficiary. */
function accountNumber(n: number): string {
  return `6222021202500${String(n).padStart(6, '0')}`;
}

/**
 * The decision of the case: proposed by the handler (the undeclared wage months entered from the
 * payslips), approved by the supervisor, applied by the handler; its lump sums confirmed paid by
 * the bank three days later (the ledger then shows them paid, not owed).
 */
async function decideBenefits(
  db: Database,
  rules: RuleSet,
  team: Team,
  input: { caseId: string; wageFen: number; proposedOn: IsoDate; approvedOn: IsoDate },
): Promise<void> {
  const proposal = must(
    await proposeBenefitDecision(db, team.maker, rules, {
      regionCode: CITY,
      caseId: input.caseId,
      enteredWages: await undeclaredWages(db, input.caseId, input.wageFen),
      wageEvidence: '工资条与银行流水（演示材料）',
      employerArrangedWork: false,
      on: input.proposedOn,
      policy: DEFAULT_APPROVAL_POLICY,
    }),
    'benefit proposal',
  );
  must(
    await decideApproval(db, team.checker, {
      regionCode: CITY,
      id: proposal.approvalId,
      decision: 'approved',
    }),
    'benefit approval',
  );
  must(
    await approveBenefitDecision(db, team.maker, {
      regionCode: CITY,
      decisionId: proposal.decisionId,
      on: input.approvedOn,
    }),
    'benefit decision',
  );
  const panel = must(await benefitPanel(db, { regionCode: CITY, caseId: input.caseId }), 'panel');
  for (const payment of panel.payments)
    must(
      await confirmBenefitPayment(db, team.maker, {
        regionCode: CITY,
        paymentId: payment.id,
        // The day and the item, not the payment's generated id: two seeds agree.
        bankReference: `DEMO-${input.approvedOn.replaceAll('-', '')}-${payment.itemCode}`,
        paidOn: addDays(input.approvedOn, 3),
      }),
      'lump sum payment',
    );
}

/**
 * One disability case: recognised (accident + 7 applied, + 10 accepted, + 40 recognised, + 45
 * served), appraised as planned, the card account recorded and the decision made a week after.
 */
async function seedDisability(
  db: Database,
  rules: RuleSet,
  team: Team,
  plan: DisabilityPlan,
  who: Injured | undefined,
  n: number,
): Promise<void> {
  if (!who) throw new Error(`seed benefits: no worker for ${plan.label}`);
  const caseId = await recognisedCase(db, rules, who, plan, {
    applied: 7,
    accepted: 10,
    decided: 40,
    served: 45,
  });
  const applied = plan.appraisalAppliedOn;
  await concludedAppraisal(
    db,
    rules,
    caseId,
    {
      appliedOn: applied,
      stabilisedOn: addDays(applied, -10),
      drawnOn: addDays(applied, 3),
      concludedOn: plan.concludedOn,
      servedOn: addDays(plan.concludedOn, 4),
    },
    { disabilityGrade: plan.grade, clause: plan.clause, nursingLevel: plan.nursing },
    undefined,
  );
  const proposedOn = addDays(plan.concludedOn, 7);
  await cardAccount(db, team, {
    beneficiary: { kind: 'worker', workerId: who.workerId },
    name: who.name,
    accountNumber: accountNumber(n + 1),
    on: proposedOn,
  });
  await decideBenefits(db, rules, team, {
    caseId,
    wageFen: plan.wageFen,
    proposedOn,
    approvedOn: addDays(plan.concludedOn, 10),
  });
}

/** The death case: recognised, its facts and 供养亲属 recorded, their accounts, the decision. */
async function seedDeath(
  db: Database,
  rules: RuleSet,
  team: Team,
  who: Injured | undefined,
): Promise<void> {
  if (!who) throw new Error('seed benefits: no worker for the death case');
  const plan = DEATH_PLAN;
  const caseId = await recognisedCase(db, rules, who, plan, {
    applied: 2,
    accepted: 4,
    decided: 11,
    served: 14,
  });
  const surname = who.name.slice(0, 1);
  const dependant = (
    name: string,
    relation: 'spouse' | 'child',
    birthDate: IsoDate,
    sequence: number,
  ): DependantEntry => ({
    name,
    relation,
    idNumber: demoIdNumber('330102', birthDate, sequence),
    birthDate,
    orphanOrSoleElder: false,
  });
  const recordedOn = addDays(plan.accidentDate, 15);
  const facts = must(
    await recordDeathFacts(db, team.maker, {
      regionCode: CITY,
      caseId,
      diedOn: plan.accidentDate,
      circumstance: 'injury',
      preDeathMonthlyWageFen: null,
      dependants: [
        // The wife keeps her own surname; the child carries the worker's.
        dependant(plan.spouse.name, 'spouse', plan.spouse.birthDate, SPOUSE_SEQUENCE),
        dependant(`${surname}${plan.child.given}`, 'child', plan.child.birthDate, 902),
      ],
      today: recordedOn,
    }),
    'death facts',
  );
  for (const [i, d] of facts.dependants.entries())
    await cardAccount(db, team, {
      beneficiary: { kind: 'dependant', dependantId: d.id },
      name: d.name,
      accountNumber: accountNumber(DISABILITY_PLANS.length + 1 + i),
      on: recordedOn,
    });
  await decideBenefits(db, rules, team, {
    caseId,
    wageFen: plan.wageFen,
    proposedOn: addDays(recordedOn, 1),
    approvedOn: addDays(recordedOn, 6),
  });
}

/** The worker whose line fails in BENEFITS_DEMO_FAILURE.month (by the plan's place in the list). */
async function failingWorker(db: Database): Promise<string> {
  const r = withColumns(
    await db.query(
      `SELECT c.worker_id FROM cases c WHERE c.region_code = $1 AND c.accident_summary = $2`,
      [CITY, `演示案件：${BENEFITS_DEMO_FAILURE.label}`],
    ),
    { worker_id: textOf },
  ).rows[0];
  if (!r) throw new Error('seed benefits: no case of the failing line');
  return r.worker_id;
}

/**
 * The bank's answer to a payment file: every line paid on the 20th, or failed where `fails`. The
 * reference names the month, the account's last six digits and the kind (a second line of the
 * same account and kind, a reissue, gets "-2"), so it does not depend on the lines' generated ids.
 */
function bankReturn(file: string, month: string, fails: (cells: string[]) => boolean): string {
  const rows = file.trimEnd().split('\n').slice(1);
  const seen = new Map<string, number>();
  const answers = rows.map((row) => {
    const cells = row.split(',');
    const [lineId, , , , kind, , , account] = cells;
    if (fails(cells)) return `${lineId},failed,,,${BENEFITS_DEMO_FAILURE.reason}`;
    const key = `${(account ?? '').slice(-6)}-${kind}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const reference = `DEMO-${month.replace('-', '')}-${key}${n > 1 ? `-${n}` : ''}`;
    return `${lineId},paid,${reference},${month}-20,`;
  });
  return ['line_id,status,bank_reference,paid_on,reason', ...answers, ''].join('\n');
}

/**
 * One month of 杭州's payroll through the use cases: computed by the handler (no anomaly
 * expected), approved by the supervisor on the 15th, the file issued, the bank's return imported.
 */
async function payMonth(db: Database, rules: RuleSet, team: Team, month: string): Promise<void> {
  const started = must(
    await startPayrollRun(
      db,
      team.maker,
      rules,
      { regionCode: CITY, month },
      { policy: DEFAULT_APPROVAL_POLICY },
    ),
    `payroll ${month}`,
  );
  if (started.anomalies.length > 0)
    throw new Error(`seed benefits: ${month}: ${JSON.stringify(started.anomalies)}`);
  const runId = payrollRunId(CITY, month);
  must(
    await approvePayrollRun(db, team.checker, rules, {
      regionCode: CITY,
      runId,
      on: `${month}-15`,
    }),
    `payroll approval ${month}`,
  );
  let file = '';
  must(
    await issuePaymentFile(db, team.maker, { regionCode: CITY, runId }, (chunk) => {
      file += chunk;
    }),
    `payment file ${month}`,
  );
  const failing = month === BENEFITS_DEMO_FAILURE.month ? await failingWorker(db) : null;
  const text = bankReturn(
    file,
    month,
    (cells) => cells[3] === failing && cells[4] === BENEFITS_DEMO_FAILURE.kind,
  );
  must(await importBankReturn(db, team.maker, { regionCode: CITY, runId, text }), 'bank return');
}
