import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { textArrayOf, textOf, withColumns } from '../../db/rows.ts';
import { employmentSpells, persons, workers } from '../../db/schema.ts';
import { cases } from '../../db/schema-cases.ts';
import { wageWindow } from '../../domain/benefits/wage-months.ts';
import type { NursingLevel } from '../../domain/cases/appraisal-procedure.ts';
import type { Specialty } from '../../domain/cases/appraisal-specialties.ts';
import type { Actor } from '../../identity/actor.ts';
import { type Role, rolePermissions, type ScopeKind } from '../../identity/roles.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import type { Result } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { approveBenefitDecision } from '../benefits/benefit-decision-approve.ts';
import { proposeBenefitDecision } from '../benefits/benefit-decision-propose.ts';
import { benefitPanel } from '../benefits/benefit-decision-read.ts';
import { confirmBenefitPayment } from '../benefits/benefit-payments.ts';
import { applyForAppraisal } from '../cases/appraisal-application.ts';
import { concludeAppraisal, serveConclusion } from '../cases/appraisal-conclusion.ts';
import { drawAppraisalPanel } from '../cases/appraisal-draw.ts';
import { addExpert } from '../cases/appraisal-experts.ts';
import type { BlobStore } from '../cases/blob-store.ts';
import { reportCase } from '../cases/case-report.ts';
import { actOnCase, type OfficerCommand } from '../cases/determination-actions.ts';
import { addMaterial } from '../cases/materials.ts';
import { openPeriod } from '../fund/ledger/periods.ts';
import type { LetterRenderer } from '../letters/issue-letter.ts';
import type { DemoProvince } from '../registry/province-definition.ts';

/**
 * The demo worker's log-in names a row of `persons` (its scope code, e.g. per_330100_0001), while
 * cases reference the register's `workers`; the portal matches the two by ID number
 * (docs/adr/0012-injury-cases.md). So that the demo worker can report and follow a case, the seed
 * registers that person as a worker on the demo employer's roster (the first employer of its city).
 * Idempotent: a second run adds nothing.
 */
export async function seedDemoWorkerAsWorker(tx: Executor, demo: DemoProvince): Promise<number> {
  // The demo worker is the first worker-role user (as demoWorkerIdNumber reads it); a later one,
  // the demo survivor (供养亲属), is a person but no insured worker: she is on no roster.
  const user = demo.demoUsers.find((u) => u.role === 'worker' && u.scopeCode !== null);
  if (user === undefined || user.scopeCode === null) return 0;
  const [person] = await tx.orm
    .select({ idNumber: persons.idNumber, name: persons.name, regionCode: persons.regionCode })
    .from(persons)
    .where(and(eq(persons.regionCode, user.regionCode), eq(persons.id, user.scopeCode)));
  if (!person) return 0;
  const serial = Number(user.scopeCode.slice(-4));
  const workerId = `wkr_${(Number(person.regionCode) * 100 + 90 + serial).toString(16).padStart(16, '0')}`;
  const inserted = await tx.orm
    .insert(workers)
    .values({
      id: workerId,
      idNumber: person.idNumber,
      name: user.displayName.replace(/\(.*\)$/, ''),
      ...citizenIdFacts(person.idNumber),
      registeredBy: 'system',
    })
    .onConflictDoNothing()
    .returning({ id: workers.id });
  if (inserted.length === 0) return 0;
  const employerId = `emp_${person.regionCode}_${'1'.padStart(16, '0')}`;
  await tx.orm
    .insert(employmentSpells)
    .values({
      regionCode: person.regionCode,
      id: `spl_${person.regionCode}_${(90 + serial).toString(16).padStart(16, '0')}`,
      employerId,
      workerId,
      workerName: user.displayName.replace(/\(.*\)$/, ''),
      startDate: '2024-01-01',
      hiredBy: 'system',
    })
    .onConflictDoNothing();
  return 1;
}

/** Who does what in the demo: the demo users where the province file has one, else a named seed actor. */
export function demoActor(
  username: string,
  role: Role,
  scopeKind: ScopeKind,
  scopeCode: string,
): Actor {
  return {
    userId: username,
    username,
    role,
    scopeKind,
    scopeCode,
    permissions: rolePermissions[role],
    requestId: 'seed-cases-demo',
  };
}

const HZ = '330100';
const NB = '330200';
const officer = demoActor('hz.determination', 'determination_officer', 'city', HZ);
const nbOfficer = demoActor('nb.determination', 'determination_officer', 'city', NB);
// The demo has no city committee user: its committee acts under this seed name.
const cityCommittee = demoActor('hz.appraisal', 'appraisal_committee', 'city', HZ);
const provinceCommittee = demoActor(
  'province.appraisal',
  'appraisal_committee',
  'province',
  '330000',
);

/** The smallest valid PDF and PNG (the material check reads the bytes, not the name). */
const TINY_PDF = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const TINY_PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** One demo case: who, when, and the officer's steps after the application (in order). */
export type CasePlan = {
  label: string;
  city: typeof HZ | typeof NB;
  /** The demo worker's own case (demo.worker sees it in the portal); else the next rostered worker. */
  demoWorker?: boolean;
  accidentDate: IsoDate;
  appliedOn: IsoDate | null;
  steps: readonly OfficerCommand[];
  materials?: ReadonlyArray<{ itemCode: string; fileName: string; png?: boolean }>;
};

export const decide = (on: IsoDate): OfficerCommand => ({
  kind: 'decide',
  on,
  outcome: 'recognised',
  // 《工伤保险条例》第十四条第（一）项: "在工作时间和工作场所内，因工作原因受到事故伤害的"
  grounds: ['art14_1'],
});

/**
 * A case in every status of the determination machine (src/domain/cases/determination.ts), dated in
 * 2026 so every due date falls in a year the bundled calendar holds as official. Relative to the
 * demo's December 2026: `applied` is near its acceptance deadline, `accepted` is past its decision
 * deadline. The three recognised cases carry the appraisals (see APPRAISAL_PLANS).
 */
export const CASE_PLANS: readonly CasePlan[] = [
  { label: 'reported', city: HZ, accidentDate: '2026-11-23', appliedOn: null, steps: [] },
  { label: 'applied', city: HZ, accidentDate: '2026-11-16', appliedOn: '2026-11-24', steps: [] },
  {
    label: 'awaiting_materials',
    city: HZ,
    demoWorker: true,
    accidentDate: '2026-10-12',
    appliedOn: '2026-10-20',
    steps: [{ kind: 'request_materials', on: '2026-10-23', missing: ['劳动关系证明'] }],
    materials: [{ itemCode: 'medical_diagnosis', fileName: '诊断证明.pdf' }],
  },
  {
    label: 'not_accepted',
    city: HZ,
    accidentDate: '2026-08-03',
    appliedOn: '2026-08-10',
    steps: [
      { kind: 'refuse_acceptance', on: '2026-08-14', reason: '申请人不具备申请资格（演示）' },
    ],
  },
  {
    label: 'accepted',
    city: HZ,
    accidentDate: '2026-07-06',
    appliedOn: '2026-07-13',
    steps: [{ kind: 'accept', on: '2026-07-20', clear: false }],
    materials: [
      { itemCode: 'application_form', fileName: '工伤认定申请表.pdf' },
      { itemCode: 'medical_diagnosis', fileName: '诊断证明.png', png: true },
    ],
  },
  {
    label: 'suspended',
    city: HZ,
    accidentDate: '2026-06-01',
    appliedOn: '2026-06-08',
    steps: [
      { kind: 'accept', on: '2026-06-15', clear: false },
      { kind: 'suspend', on: '2026-07-01', reason: '等待司法机关结论（演示）' },
    ],
  },
  {
    label: 'decided',
    city: HZ,
    accidentDate: '2026-03-02',
    appliedOn: '2026-03-09',
    steps: [{ kind: 'accept', on: '2026-03-16', clear: false }, decide('2026-04-20')],
  },
  {
    label: 'served',
    city: HZ,
    accidentDate: '2026-02-02',
    appliedOn: '2026-02-09',
    steps: [
      { kind: 'accept', on: '2026-02-13', clear: false },
      decide('2026-03-20'),
      { kind: 'serve', on: '2026-03-25' },
    ],
  },
  {
    label: 'under_review',
    city: HZ,
    accidentDate: '2026-01-05',
    appliedOn: '2026-01-12',
    steps: [
      { kind: 'accept', on: '2026-01-16', clear: false },
      decide('2026-02-27'),
      { kind: 'serve', on: '2026-03-04' },
      { kind: 'file_review', on: '2026-04-10', channel: 'administrative_review' },
    ],
  },
  {
    label: 'benefit_proposed',
    city: HZ,
    accidentDate: '2026-01-19',
    appliedOn: '2026-01-26',
    steps: [
      { kind: 'accept', on: '2026-01-30', clear: false },
      decide('2026-03-06'),
      { kind: 'serve', on: '2026-03-10' },
    ],
  },
  { label: 'nb_applied', city: NB, accidentDate: '2026-11-09', appliedOn: '2026-11-16', steps: [] },
];

export type CasesDemoReport = {
  cases: number;
  materials: number;
  experts: number;
  appraisals: number;
  decisions: number;
};

type Employed = { workerId: string; employerId: string };
type Roster = { employed: Employed[]; demoWorker: Employed | null };

/**
 * The workers on the city's three hand-made employers' rosters (the demo employer, the first of
 * 杭州, first): each demo case is a different worker's; the demo worker apart.
 */
async function rosterOf(db: Database, city: string, demoWorkerIdNumber: string | null) {
  const rows = withColumns(
    await db.query(
      `SELECT w.id, w.id_number, s.employer_id FROM employment_spells s
         JOIN workers w ON w.id = s.worker_id
        WHERE s.region_code = $1 AND s.employer_id = ANY($2::text[]) AND s.end_date IS NULL
        ORDER BY s.employer_id, w.id`,
      [city, [1, 2, 3].map((n) => `emp_${city}_${String(n).padStart(16, '0')}`)],
    ),
    { id: textOf, id_number: textOf, employer_id: textOf },
  ).rows.map((r) => ({ workerId: r.id, employerId: r.employer_id, idNumber: r.id_number }));
  const demo = rows.find((r) => r.idNumber === demoWorkerIdNumber) ?? null;
  return { employed: rows.filter((r) => r !== demo), demoWorker: demo } satisfies Roster;
}

export function must<T>(r: Result<T, string>, what: string): T {
  if (!r.ok) throw new Error(`seed cases: ${what}: ${r.code} ${r.message}`);
  return r.value;
}

/** Reports, applies and walks one planned case through the officer's steps; its case id. */
export async function walkCase(
  db: Database,
  rules: RuleSet,
  plan: CasePlan,
  workerId: string,
  employerId: string,
  render: LetterRenderer | undefined,
): Promise<string> {
  const actor = plan.city === HZ ? officer : nbOfficer;
  const reported = must(
    await reportCase(
      db,
      actor,
      rules,
      {
        regionCode: plan.city,
        workerId,
        employerId,
        caseType: 'accident',
        accidentDate: plan.accidentDate,
        reportedOn: plan.appliedOn ?? plan.accidentDate,
        reporterKind: 'employer',
        accidentPlace: '生产车间（演示）',
        accidentSummary: `演示案件：${plan.label}`,
      },
      plan.appliedOn ? { applicantType: 'employer', appliedOn: plan.appliedOn } : undefined,
    ),
    `report ${plan.label}`,
  );
  const target = { regionCode: plan.city, caseId: reported.caseId };
  for (const step of plan.steps)
    must(await actOnCase(db, actor, rules, target, step, { render }), `${plan.label} ${step.kind}`);
  return reported.caseId;
}

async function uploadMaterials(
  db: Database,
  blobs: BlobStore,
  plan: CasePlan,
  caseId: string,
): Promise<number> {
  let n = 0;
  for (const m of plan.materials ?? []) {
    const bytes = m.png ? TINY_PNG : TINY_PDF;
    must(
      await addMaterial(db, blobs, officer, {
        regionCode: plan.city,
        caseId,
        itemCode: m.itemCode,
        fileName: m.fileName,
        bytes,
        byteCount: bytes.length,
        bytesMax: bytes.length,
        today: plan.steps.at(-1)?.on ?? plan.appliedOn ?? plan.accidentDate,
      }),
      `material ${m.fileName}`,
    );
    n += 1;
  }
  return n;
}

/**
 * The demo province's cases, through the use cases (so timelines, letters, audit events and
 * stored materials are real): one in every determination status, with the appraisals on the
 * recognised ones. Skipped when any case exists: a second seed creates nothing, and a demo
 * database someone has worked in is left alone.
 */
export async function seedCasesDemo(
  db: Database,
  rules: RuleSet,
  blobs: BlobStore,
  demo: DemoProvince,
  render?: LetterRenderer,
): Promise<CasesDemoReport> {
  const none = { cases: 0, materials: 0, experts: 0, appraisals: 0, decisions: 0 };
  if ((await db.withConnection((ex) => ex.orm.$count(cases))) > 0) return none;
  const demoWorker = await demoWorkerIdNumber(db, demo);
  const rosters = {
    [HZ]: await rosterOf(db, HZ, demoWorker),
    [NB]: await rosterOf(db, NB, null),
  };
  const ids = new Map<string, string>();
  let materials = 0;
  for (const plan of CASE_PLANS) {
    const roster = rosters[plan.city];
    const who = plan.demoWorker ? roster.demoWorker : roster.employed.shift();
    if (!who) throw new Error(`seed cases: too few workers on ${plan.city}'s demo rosters`);
    const caseId = await walkCase(db, rules, plan, who.workerId, who.employerId, render);
    ids.set(plan.label, caseId);
    materials += await uploadMaterials(db, blobs, plan, caseId);
  }
  const experts = await seedExperts(db);
  const { appraisals, decisions } = await seedAppraisalsAndBenefits(db, rules, ids, render);
  return { cases: ids.size, materials, experts, appraisals, decisions };
}

export async function demoWorkerIdNumber(db: Database, demo: DemoProvince): Promise<string | null> {
  const user = demo.demoUsers.find((u) => u.role === 'worker' && u.scopeCode !== null);
  if (!user?.scopeCode) return null;
  const r = withColumns(
    await db.query('SELECT id_number FROM persons WHERE region_code = $1 AND id = $2', [
      user.regionCode,
      user.scopeCode,
    ]),
    { id_number: textOf },
  );
  return r.rows[0]?.id_number ?? null;
}

/** The committees' expert pools by specialty (第二十五条第一款 "从其建立的医疗卫生专家库中随机抽取"). */
const POOLS: ReadonlyArray<{ committee: Actor; specialty: Specialty; names: readonly string[] }> = [
  {
    committee: cityCommittee,
    specialty: 'orthopaedics',
    names: ['陈骨一', '李骨二', '王骨三', '赵骨四', '周骨五'],
  },
  { committee: cityCommittee, specialty: 'hand_surgery', names: ['吴手一', '郑手二', '孙手三'] },
  {
    committee: provinceCommittee,
    specialty: 'orthopaedics',
    names: ['钱省骨一', '冯省骨二', '卫省骨三', '蒋省骨四'],
  },
  {
    committee: provinceCommittee,
    specialty: 'neurosurgery',
    names: ['沈省神一', '韩省神二', '杨省神三'],
  },
];

/** The committees' expert pools (POOLS); the benefits seed's appraisals draw from them too. */
export async function seedExperts(db: Database): Promise<number> {
  let n = 0;
  for (const pool of POOLS)
    for (const name of pool.names) {
      must(
        await addExpert(db, pool.committee, {
          committeeCode: pool.committee === cityCommittee ? HZ : '330000',
          name: `${name}（演示）`,
          specialty: pool.specialty,
        }),
        `expert ${name}`,
      );
      n += 1;
    }
  return n;
}

async function drawOrthopaedics(db: Database, appraisalId: string, drawnOn: IsoDate) {
  return must(
    await drawAppraisalPanel(db, cityCommittee, {
      regionCode: HZ,
      appraisalId,
      specialty: 'orthopaedics',
      panelSize: 3,
      recusals: [],
      drawnOn,
    }),
    'draw',
  );
}

async function initialAppraisal(
  db: Database,
  rules: RuleSet,
  caseId: string,
  appliedOn: IsoDate,
  treatmentStabilisedOn: IsoDate,
) {
  return must(
    await applyForAppraisal(db, cityCommittee, rules, {
      regionCode: HZ,
      caseId,
      kind: 'initial',
      appliedOn,
      applicantKind: 'worker',
      treatmentStabilisedOn,
    }),
    'appraisal application',
  );
}

type ConclusionDates = {
  appliedOn: IsoDate;
  stabilisedOn: IsoDate;
  drawnOn: IsoDate;
  concludedOn: IsoDate;
  servedOn: IsoDate;
};

/** An initial appraisal received, drawn, concluded at `grade` (and nursing level) and served; its id. */
export async function concludedAppraisal(
  db: Database,
  rules: RuleSet,
  caseId: string,
  at: ConclusionDates,
  grade: { disabilityGrade: number; clause: string; nursingLevel?: NursingLevel | null },
  render: LetterRenderer | undefined,
): Promise<string> {
  const a = await initialAppraisal(db, rules, caseId, at.appliedOn, at.stabilisedOn);
  await drawOrthopaedics(db, a.id, at.drawnOn);
  const key = { regionCode: HZ, appraisalId: a.id };
  const conclusion = {
    concludedOn: at.concludedOn,
    conclusion: 'graded' as const,
    disabilityGrade: grade.disabilityGrade,
    nursingLevel: grade.nursingLevel ?? null,
    stopWorkExtensionMonths: null,
    gradingClauses: [grade.clause],
  };
  must(
    await concludeAppraisal(db, cityCommittee, rules, { ...key, ...conclusion }, render),
    'conclude',
  );
  must(await serveConclusion(db, cityCommittee, rules, { ...key, servedOn: at.servedOn }), 'serve');
  return a.id;
}

/**
 * Appraisals and benefits of the recognised cases: one appraisal received (its 60 days nearly run),
 * one with its panel drawn; one concluded at grade 7, its benefits approved and paid, then
 * re-appraised by the employer (pending at the province); one concluded at grade 9 whose benefit
 * decision awaits the supervisor.
 */
async function seedAppraisalsAndBenefits(
  db: Database,
  rules: RuleSet,
  ids: ReadonlyMap<string, string>,
  render: LetterRenderer | undefined,
): Promise<{ appraisals: number; decisions: number }> {
  const caseOf = (label: string) => {
    const id = ids.get(label);
    if (!id) throw new Error(`seed cases: no ${label} case`);
    return id;
  };
  await initialAppraisal(db, rules, caseOf('decided'), '2026-10-09', '2026-09-30');
  const drawn = await initialAppraisal(db, rules, caseOf('served'), '2026-10-01', '2026-09-20');
  await drawOrthopaedics(db, drawn.id, '2026-10-09');
  const first = await concludedAppraisal(
    db,
    rules,
    caseOf('under_review'),
    {
      appliedOn: '2026-06-15',
      stabilisedOn: '2026-06-10',
      drawnOn: '2026-06-17',
      concludedOn: '2026-07-31',
      servedOn: '2026-08-04',
    },
    { disabilityGrade: 7, clause: '5.7.2(12)' },
    render,
  );
  await concludedAppraisal(
    db,
    rules,
    caseOf('benefit_proposed'),
    {
      appliedOn: '2026-07-01',
      stabilisedOn: '2026-06-25',
      drawnOn: '2026-07-03',
      concludedOn: '2026-08-20',
      servedOn: '2026-08-24',
    },
    { disabilityGrade: 9, clause: '5.9.2(6)' },
    render,
  );
  const decisions = await seedBenefits(
    db,
    rules,
    caseOf('under_review'),
    caseOf('benefit_proposed'),
  );
  must(
    await applyForAppraisal(db, provinceCommittee, rules, {
      regionCode: HZ,
      caseId: caseOf('under_review'),
      kind: 're_appraisal',
      appliedOn: '2026-08-14',
      applicantKind: 'employer',
      previousAppraisalId: first,
    }),
    're-appraisal',
  );
  return { appraisals: 5, decisions };
}

const handler = demoActor('hz.handler', 'city_handler', 'city', HZ);
const supervisor = demoActor('hz.supervisor', 'supervisor', 'city', HZ);
const fundManager = demoActor('province.fund', 'province_fund_manager', 'province', '330000');

/**
 * The wage months the register does not hold for the worker, entered from the payslips: a
 * declared month may not be overwritten (src/domain/benefits/wage-months.ts).
 */
export async function undeclaredWages(db: Database, caseId: string, wageFen = 680_000) {
  const r = withColumns(
    await db.query(
      `SELECT c.accident_date::text AS accident_date,
              coalesce(array_agg(to_char(d.month, 'YYYY-MM')) FILTER (WHERE d.id IS NOT NULL), '{}') AS declared
         FROM cases c
         LEFT JOIN declaration_lines l ON l.worker_id = c.worker_id
         LEFT JOIN declarations d ON d.region_code = l.region_code AND d.id = l.declaration_id
        WHERE c.region_code = $1 AND c.id = $2 GROUP BY c.accident_date`,
      [HZ, caseId],
    ),
    { accident_date: textOf, declared: textArrayOf },
  ).rows[0];
  if (!r) throw new Error(`seed cases: no case ${caseId}`);
  return wageWindow(r.accident_date)
    .filter((month) => !r.declared.includes(month))
    .map((month) => ({ month, wageFen }));
}

/** The actor as the demo user it names: approvals record their maker and checker by user id. */
export async function asUser(db: Database, actor: Actor): Promise<Actor> {
  const r = withColumns(
    await db.query('SELECT id FROM users WHERE username = $1', [actor.username]),
    { id: textOf },
  ).rows[0];
  if (!r) throw new Error(`seed cases: no demo user ${actor.username}`);
  return { ...actor, userId: r.id };
}

async function propose(db: Database, rules: RuleSet, caseId: string, on: IsoDate) {
  return must(
    await proposeBenefitDecision(db, await asUser(db, handler), rules, {
      regionCode: HZ,
      caseId,
      enteredWages: await undeclaredWages(db, caseId),
      wageEvidence: '工资条与银行流水（演示材料）',
      employerArrangedWork: false,
      on,
      policy: DEFAULT_APPROVAL_POLICY,
    }),
    'benefit proposal',
  );
}

/**
 * The benefit decisions: one approved by the supervisor (maker-checker), its payable posted and
 * its payment confirmed (the ledger shows both), and one proposed, awaiting the supervisor.
 */
async function seedBenefits(
  db: Database,
  rules: RuleSet,
  paidCaseId: string,
  proposedCaseId: string,
): Promise<number> {
  const [maker, checker, fund] = [
    await asUser(db, handler),
    await asUser(db, supervisor),
    await asUser(db, fundManager),
  ];
  for (const period of ['2026-08', '2026-09'])
    must(await openPeriod(db, fund, { segment: HZ, period }), `open ${period}`);
  const paid = await propose(db, rules, paidCaseId, '2026-08-06');
  must(
    await decideApproval(db, checker, {
      regionCode: HZ,
      id: paid.approvalId,
      decision: 'approved',
    }),
    'benefit approval',
  );
  must(
    await approveBenefitDecision(db, maker, {
      regionCode: HZ,
      decisionId: paid.decisionId,
      on: '2026-08-10',
    }),
    'benefit decision',
  );
  const panel = must(await benefitPanel(db, { regionCode: HZ, caseId: paidCaseId }), 'panel');
  for (const payment of panel.payments)
    must(
      await confirmBenefitPayment(db, maker, {
        regionCode: HZ,
        paymentId: payment.id,
        bankReference: `DEMO-${payment.id.slice(-8)}`,
        paidOn: '2026-08-12',
      }),
      'payment',
    );
  await propose(db, rules, proposedCaseId, '2026-09-01');
  return 2;
}
