import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import type { Actor } from '../../identity/actor.ts';
import { addDays } from '../../kernel/dates.ts';
import { citizenIdCheckCharacter, citizenIdFacts } from '../../kernel/ids.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import {
  cityActor,
  HZ,
  newEmployer,
  POLICY,
  setUpContributions,
} from '../contributions/testing.ts';
import { provisionAccounts } from '../fund/ledger/accounts.ts';
import { openPeriod } from '../fund/ledger/periods.ts';
import { issueLetter } from '../letters/issue-letter.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { issuePaymentFile } from './payroll-file.ts';
import { importBankReturn } from './payroll-return.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';

/**
 * Test fixture of the benefit decision: 杭州's ledger with its periods open (setUpContributions: a
 * city handler maker, a city supervisor checker), one employer, and helpers that insert a worker,
 * declared wages, a case and an appraisal directly (the determination and appraisal flows are
 * helpers C's and D's, built in parallel).
 */
export async function setUpBenefits(db: Database, rules: RuleSet, periods: readonly string[]) {
  const f = await setUpContributions(db, periods);
  const employer = await newEmployer(db, f.system, rules, { sequence: 71 });
  return { ...f, employer };
}

let seq = 500;

export const ZZ = '410100';

/**
 * 郑州 (410100, 河南) beside the demo's 浙江 for the tests of a 河南 rule: the province and the city,
 * their ledger accounts, the given periods, a city handler (maker) and a supervisor (checker), and
 * one employer (its register sequence must differ from the file's other employers).
 */
export async function setUpZhengzhou(
  db: Database,
  system: Actor,
  rules: RuleSet,
  periods: readonly string[],
  employerSequence: number,
): Promise<{ maker: Actor; checker: Actor; employerId: string }> {
  await db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('410000', '河南省', 'Henan', 'province') ON CONFLICT DO NOTHING`,
  );
  await db.query(
    `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, '郑州市', 'Zhengzhou', 'city', '410000') ON CONFLICT DO NOTHING`,
    [ZZ],
  );
  for (const code of ['410000', ZZ]) {
    const p = await provisionAccounts(db, system, { regionCode: code });
    if (!p.ok) throw new Error(p.message);
  }
  for (const period of periods) await openPeriod(db, system, { segment: 'all', period });
  for (const [u, role] of [
    ['zz-maker', 'city_handler'],
    ['zz-checker', 'supervisor'],
  ] as const)
    await db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, $2, 'city', $3::text, $3::text, 'x') ON CONFLICT DO NOTHING`,
      [u, role, ZZ],
    );
  const employer = await newEmployer(db, system, rules, {
    sequence: employerSequence,
    regionCode: ZZ,
  });
  return {
    maker: cityActor('zz-maker', 'city_handler', ZZ),
    checker: cityActor('zz-checker', 'supervisor', ZZ),
    employerId: employer.id,
  };
}

export async function insertWorker(db: Database, birthDate = '1980-04-02'): Promise<string> {
  seq += 1;
  const idNumber = demoIdNumber('330102', birthDate, seq);
  const id = `wkr_${randomBytes(8).toString('hex')}`;
  const facts = citizenIdFacts(idNumber);
  await db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2, '工伤职工', $3, $4::date, 'test')`,
    [id, idNumber, facts.sex, facts.birthDate],
  );
  return id;
}

/** One declaration version of the employer-month holding one line: the worker's wage. */
export async function declareWage(
  db: Database,
  input: { employerId: string; workerId: string; month: string; wageFen: number },
): Promise<string> {
  const id = `dcl_${HZ}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO declarations (region_code, id, employer_id, month, version, file_sha256, file_name,
       worker_count, wage_total_fen, base_total_fen, diff, declared_by)
     VALUES ($1, $2, $3, $4::date,
       (SELECT coalesce(max(version), 0) + 1 FROM declarations WHERE region_code = $1 AND employer_id = $3 AND month = $4::date),
       $5, 'test.csv', 1, $6, $6, '{}'::jsonb, 'test')`,
    [HZ, id, input.employerId, `${input.month}-01`, '0'.repeat(64), input.wageFen],
  );
  await db.query(
    `INSERT INTO declaration_lines (region_code, declaration_id, worker_id, row_number, wage_fen, base_fen)
     VALUES ($1, $2, $3, 1, $4, $4)`,
    [HZ, id, input.workerId, input.wageFen],
  );
  return id;
}

export async function insertCase(
  db: Database,
  input: {
    workerId: string;
    employerId: string;
    accidentDate: string;
    outcome: 'recognised' | 'deemed' | 'not_recognised' | null;
  },
): Promise<string> {
  const id = `cas_${HZ}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
       accident_date, status, determination_outcome, determination_decided_on, created_by)
     VALUES ($1, $2, $3, $1, $4, 'accident', $5::date, 'decided', $6::text,
       CASE WHEN $6::text IS NULL THEN NULL ELSE $5::date + 40 END, 'test')`,
    [HZ, id, input.workerId, input.employerId, input.accidentDate, input.outcome],
  );
  return id;
}

export async function insertAppraisal(
  db: Database,
  input: {
    caseId: string;
    concludedOn: string;
    grade: number | null;
    nursingLevel?: 'full' | 'major' | 'partial' | null;
  },
): Promise<string> {
  const id = `apr_${HZ}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO appraisals (region_code, id, case_id, kind, committee_level, status, applied_on,
       due_on, concluded_on, conclusion, disability_grade, nursing_level, created_by)
     VALUES ($1, $2, $3, 'initial', 'city', 'concluded', $4::date - 50, $4::date + 10, $4::date, $5, $6,
       $7, 'test')`,
    [
      HZ,
      id,
      input.caseId,
      input.concludedOn,
      input.grade === null ? 'not_graded' : 'graded',
      input.grade,
      input.nursingLevel ?? null,
    ],
  );
  return id;
}

/**
 * A fund-paid monthly entitlement of a worker on a minimal approved decision (the payroll's tests
 * insert them directly, as the generator will): a recognised case, a graded appraisal, an
 * approved decision on a placeholder parameter snapshot.
 */
export async function insertEntitlement(
  db: Database,
  input: {
    employerId: string;
    workerId: string;
    entitlementId?: string;
    kind: string;
    amountFen: number;
    startsOn: string;
    endsOn?: string | null;
    payer?: 'fund' | 'employer';
    /** The appraisal's grade and nursing level behind the decision (default grade 3, no nursing). */
    grade?: number;
    nursingLevel?: 'full' | 'major' | 'partial';
    /**
     * The calculator's input and result the decision stores (a page that shows the decision parses
     * them); empty objects when only the payroll reads the entitlement.
     */
    calculation?: { input: unknown; result: unknown };
    /** A survivor's pension: the dependant it is paid to (migration 0034). */
    dependantId?: string;
    /** The case the decision is on (a death case of insertDependants); else a new case. */
    caseId?: string;
  },
): Promise<string> {
  const snapshot = 'a'.repeat(64);
  await db.query(
    `INSERT INTO benefit_parameter_snapshots (snapshot_id, content) VALUES ($1, '{}')
     ON CONFLICT DO NOTHING`,
    [snapshot],
  );
  const caseId =
    input.caseId ??
    (await insertCase(db, {
      workerId: input.workerId,
      employerId: input.employerId,
      accidentDate: '2024-11-05',
      outcome: 'recognised',
    }));
  const appraisalId = await insertAppraisal(db, {
    caseId,
    concludedOn: '2025-03-20',
    grade: input.grade ?? 3,
    nursingLevel: input.nursingLevel ?? null,
  });
  const decisionId = `bdc_${HZ}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO benefit_decisions (region_code, id, case_id, appraisal_id, worker_id, status,
       calculation_input, calculation_result, wage_months, snapshot_id, payload_sha256,
       approval_id, proposed_by, approved_by, approved_on)
     VALUES ($1, $2, $3, $4, $5, 'approved', $7::jsonb, $8::jsonb, '[]', $6, $6, 'apr_test', 'test',
       'test', '2025-03-25')`,
    [
      HZ,
      decisionId,
      caseId,
      appraisalId,
      input.workerId,
      snapshot,
      JSON.stringify(input.calculation?.input ?? {}),
      JSON.stringify(input.calculation?.result ?? {}),
    ],
  );
  const id = input.entitlementId ?? `ent_${HZ}_${randomBytes(8).toString('hex')}`;
  const endsOn = input.endsOn ?? null;
  await db.query(
    `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen, payer,
       starts_on, ends_on, status, decision_id, snapshot_id, citation, created_by, dependant_id)
     VALUES ($1, $2, $3, $4, 'monthly', $5, $6, $7::date, $8::date, $9, $10, $11,
       '《工伤保险条例》第三十五条', 'test', $12)`,
    [
      HZ,
      id,
      input.workerId,
      input.kind,
      input.amountFen,
      input.payer ?? 'fund',
      input.startsOn,
      endsOn,
      endsOn === null ? 'active' : 'ended',
      decisionId,
      snapshot,
      input.dependantId ?? null,
    ],
  );
  return id;
}

/** A valid 公民身份号码 per worker number (GB 11643 check character), birth dates spread. */
function bulkIdNumber(n: number): string {
  const birth = addDays('1960-01-01', n % 14_000).replaceAll('-', '');
  const first17 = `330104${birth}${String(Math.floor(n / 14_000)).padStart(3, '0')}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}

/**
 * `count` active fund-paid monthly entitlements in 杭州 from 2025-01-01, set-based in blocks of
 * 20 000, on one approved decision (the payroll reads entitlements and card accounts, not the
 * decision's figures): worker n is `wkr_<n in hex>`, its entitlement `ent_330100_<n in hex>` (a
 * 伤残津贴, a 生活护理费 for every fourth), its amount 200 000 + (n × 7919) mod 600 000 fen, its card
 * account from 2024-06-01; so two databases seeded alike pay alike. Plus the anchor the decision
 * hangs on: an ended entitlement of another worker. `nursingLevel` is the decision's appraisal's
 * (the indexation keys the 生活护理费 by it). Used by the payroll's kill -9 test and the benchmarks.
 */
export async function insertBulkEntitlements(
  db: Database,
  input: { employerId: string; count: number; nursingLevel?: 'full' | 'major' | 'partial' },
): Promise<void> {
  const first = await insertWorker(db);
  const anchor = await insertEntitlement(db, {
    employerId: input.employerId,
    workerId: first,
    entitlementId: `ent_330100_${'f'.repeat(16)}`,
    kind: 'disability_allowance',
    amountFen: 1,
    startsOn: '2025-01-01',
    endsOn: '2025-01-31',
    ...(input.nursingLevel === undefined ? {} : { nursingLevel: input.nursingLevel }),
  });
  for (let from = 0; from < input.count; from += 20_000)
    await insertBulkBlock(db, anchor, from, Math.min(20_000, input.count - from));
}

async function insertBulkBlock(db: Database, anchor: string, from: number, n: number) {
  const ns = Array.from({ length: n }, (_, i) => from + i);
  const ids = ns.map(bulkIdNumber);
  const facts = ids.map(citizenIdFacts);
  await db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     SELECT 'wkr_' || lpad(to_hex(n), 16, '0'), idn, '职工' || n, sex, birth::date, 'test'
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS u(n, idn, sex, birth)`,
    [ns, ids, facts.map((x) => x.sex), facts.map((x) => x.birthDate)],
  );
  await db.query(
    `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen, payer,
       starts_on, ends_on, status, decision_id, snapshot_id, citation, created_by)
     SELECT '330100', 'ent_330100_' || lpad(to_hex(g), 16, '0'), 'wkr_' || lpad(to_hex(g), 16, '0'),
            CASE WHEN g % 4 = 0 THEN 'nursing_allowance' ELSE 'disability_allowance' END, 'monthly',
            200000 + (g::bigint * 7919) % 600000, 'fund', '2025-01-01', NULL, 'active', e.decision_id,
            e.snapshot_id, e.citation, 'test'
       FROM generate_series($1::int, $2::int) AS g,
            (SELECT decision_id, snapshot_id, citation FROM benefit_entitlements
              WHERE region_code = '330100' AND id = $3) e`,
    [from, from + n - 1, anchor],
  );
  await db.query(
    `INSERT INTO social_security_card_accounts (worker_id, valid_from, bank_name, account_number,
       account_name, recorded_by)
     SELECT 'wkr_' || lpad(to_hex(g), 16, '0'), '2024-06-01', '中国工商银行杭州分行',
            '62220' || lpad(g::text, 11, '0'), '职工' || g, 'test'
       FROM generate_series($1::int, $2::int) AS g`,
    [from, from + n - 1],
  );
}

/**
 * The dependants (供养亲属) of a death case of the worker in 杭州, inserted directly: the case, its
 * death facts and one current row per name, the first a spouse, the others children (the
 * death-facts flow itself is tested in death-decision.db.test.ts). Answers the dependant ids.
 */
export async function insertDependants(
  db: Database,
  input: { workerId: string; employerId: string; names: readonly string[] },
): Promise<{ caseId: string; dependantIds: string[] }> {
  const caseId = await insertCase(db, {
    workerId: input.workerId,
    employerId: input.employerId,
    accidentDate: '2025-03-10',
    outcome: 'recognised',
  });
  await db.query(
    `INSERT INTO case_death_facts (region_code, case_id, died_on, circumstance, recorded_by)
     VALUES ($1, $2, '2025-07-10', 'injury', 'test')`,
    [HZ, caseId],
  );
  const dependantIds: string[] = [];
  for (const [ordinal, name] of input.names.entries()) {
    seq += 1;
    const id = `dep_${HZ}_${randomBytes(8).toString('hex')}`;
    const birthDate = ordinal === 0 ? '1982-05-06' : '2012-09-01';
    await db.query(
      `INSERT INTO case_dependants (region_code, id, case_id, ordinal, name, relation, id_number,
         birth_date, orphan_or_sole_elder, status, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, false, 'current', 'test')`,
      [
        HZ,
        id,
        caseId,
        ordinal,
        name,
        ordinal === 0 ? 'spouse' : 'child',
        demoIdNumber('330102', birthDate, seq),
        birthDate,
      ],
    );
    dependantIds.push(id);
  }
  return { caseId, dependantIds };
}

/**
 * A death case of 杭州 recording a survivor (by the given ID number, the spouse) and a co-survivor
 * (a child), each with a fund-paid 供养亲属抚恤金 from 2025-02-01 on the case's one approved decision,
 * each with a card account, and the decision's 核定通知书 (issued through issueLetter). For the
 * survivor's own view (route tests, the browser journey); the real flow is
 * benefit-survivor-self.db.test.ts's.
 */
export async function insertSurvivorCase(
  db: Database,
  input: {
    employerId: string;
    survivorIdNumber: string;
    survivorFen: number;
    coSurvivorFen: number;
  },
): Promise<{ caseId: string; letterId: string }> {
  const workerId = await insertWorker(db, '1966-04-04');
  const caseId = await insertCase(db, {
    workerId,
    employerId: input.employerId,
    accidentDate: '2025-01-06',
    outcome: 'recognised',
  });
  await db.query(
    `INSERT INTO case_death_facts (region_code, case_id, died_on, circumstance, recorded_by)
     VALUES ($1, $2, '2025-01-06', 'injury', 'test')`,
    [HZ, caseId],
  );
  seq += 1;
  const people = [
    { name: '陈丽华', relation: 'spouse', idNumber: input.survivorIdNumber },
    { name: '王小雨', relation: 'child', idNumber: demoIdNumber('330102', '2009-08-20', seq) },
  ];
  const dependantIds: string[] = [];
  for (const [ordinal, p] of people.entries()) {
    const id = `dep_${HZ}_${randomBytes(8).toString('hex')}`;
    const birth = p.idNumber.slice(6, 14);
    await db.query(
      `INSERT INTO case_dependants (region_code, id, case_id, ordinal, name, relation, id_number,
         birth_date, orphan_or_sole_elder, status, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, false, 'current', 'test')`,
      [HZ, id, caseId, ordinal, p.name, p.relation, p.idNumber, birth],
    );
    await db.query(
      `INSERT INTO dependant_card_accounts (region_code, dependant_id, valid_from, bank_name,
         account_number, account_name, recorded_by)
       VALUES ($1, $2, '2025-01-01', '中国工商银行杭州分行', $3, $4, 'test')`,
      [HZ, id, `62220277${String(seq).padStart(4, '0')}${ordinal}`, p.name],
    );
    dependantIds.push(id);
  }
  const [hers, co] = dependantIds;
  const pension = { employerId: input.employerId, workerId, kind: 'survivor_pension' };
  const hersId = await insertEntitlement(db, {
    ...pension,
    startsOn: '2025-02-01',
    caseId,
    amountFen: input.survivorFen,
    ...(hers ? { dependantId: hers } : {}),
  });
  // The co-survivor's pension on the same decision (a case has one approved decision).
  await db.query(
    `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen, payer,
       starts_on, ends_on, status, decision_id, snapshot_id, citation, created_by, dependant_id)
     SELECT region_code, $2, worker_id, kind, frequency, $3, payer, starts_on, ends_on, status,
            decision_id, snapshot_id, citation, created_by, $4
       FROM benefit_entitlements WHERE region_code = $1 AND id = $5`,
    [HZ, `ent_${HZ}_${randomBytes(8).toString('hex')}`, input.coSurvivorFen, co, hersId],
  );
  const letter = await db.transaction((tx) =>
    issueLetter(tx, {
      regionCode: HZ,
      letterType: 'benefit_decision',
      issuedOn: '2025-01-28',
      caseId,
      recipient: '工伤职工的近亲属',
      title: '工伤保险待遇核定通知书',
      paragraphs: ['（测试通知书）'],
      issuer: '杭州市人力资源和社会保障局',
      recordedBy: 'test',
    }),
  );
  await db.query(
    'UPDATE benefit_decisions SET letter_id = $1 WHERE region_code = $2 AND case_id = $3',
    [letter.id, HZ, caseId],
  );
  return { caseId, letterId: letter.id };
}

/** A social-security card account of the worker from `validFrom`. */
export async function insertCardAccount(
  db: Database,
  input: { workerId: string; validFrom: string; accountNumber: string },
): Promise<void> {
  await db.query(
    `INSERT INTO social_security_card_accounts (worker_id, valid_from, bank_name, account_number,
       account_name, recorded_by) VALUES ($1, $2::date, '中国工商银行杭州分行', $3, '职工', 'test')`,
    [input.workerId, input.validFrom, input.accountNumber],
  );
}

/**
 * One whole month of 杭州's payroll: computed by the maker, approved by the checker on the 18th,
 * the file issued, the bank's return imported on the 20th: every sent line paid except those of
 * the workers in `failing` (reason 账户已销户). Throws on any refusal (a test fixture). Answers the
 * run's id and the amounts the return confirmed and failed.
 */
export async function payMonth(
  db: Database,
  f: { maker: Actor; checker: Actor },
  rules: RuleSet,
  input: { month: string; failing?: readonly string[] },
): Promise<{ runId: string; paidFen: number; failedFen: number }> {
  const runId = payrollRunId(HZ, input.month);
  const started = await startPayrollRun(
    db,
    f.maker,
    rules,
    { regionCode: HZ, month: input.month },
    { policy: POLICY },
  );
  if (!started.ok) throw new Error(started.message);
  const approved = await approvePayrollRun(db, f.checker, rules, {
    regionCode: HZ,
    runId,
    on: `${input.month}-18`,
  });
  if (!approved.ok) throw new Error(approved.message);
  const file = await issuePaymentFile(db, f.maker, { regionCode: HZ, runId }, () => {});
  if (!file.ok) throw new Error(file.message);
  const lines = await db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId, afterId: '', limit: 1000, withAccount: true }),
  );
  const failing = new Set(input.failing ?? []);
  const text = [
    'line_id,status,bank_reference,paid_on,reason',
    ...lines.map((l) =>
      failing.has(l.workerId)
        ? `${l.id},failed,,,账户已销户`
        : `${l.id},paid,BK${l.id.slice(4, 16)},${input.month}-20,`,
    ),
    '',
  ].join('\n');
  const back = await importBankReturn(db, f.maker, { regionCode: HZ, runId, text });
  if (!back.ok) throw new Error(back.message);
  // What this return confirmed and failed, summed from the file the test wrote (not from tables).
  let paidFen = 0;
  let failedFen = 0;
  for (const l of lines)
    if (failing.has(l.workerId)) failedFen += l.amountFen;
    else paidFen += l.amountFen;
  return { runId, paidFen, failedFen };
}

const survivorCalculationInput = {
  region: '330000',
  kind: 'death',
  injuryDate: '2025-06-01',
  deathDate: '2025-06-01',
  deathCircumstance: 'injury',
  monthlyWagesFen: [600000],
  preDeathMonthlyWageFen: 550000,
  dependants: [
    { relation: 'spouse', orphanOrSoleElder: false },
    { relation: 'child', orphanOrSoleElder: false },
    { relation: 'child', orphanOrSoleElder: false },
  ],
  overrides: { averageMonthlyWageFen: 800000, nationalUrbanDisposableIncomeFen: 5418800 },
};

/** A dependant row with a card account in their own name; answers the id. */
async function survivorDependant(
  db: Database,
  caseId: string,
  ordinal: number,
  relation: string,
  birthDate: string,
) {
  seq += 1;
  const id = `dep_${HZ}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO case_dependants (region_code, id, case_id, ordinal, name, relation, id_number,
       birth_date, orphan_or_sole_elder, status, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, false, 'current', 'test')`,
    [
      HZ,
      id,
      caseId,
      ordinal,
      `亲属${ordinal}`,
      relation,
      demoIdNumber('330102', birthDate, seq),
      birthDate,
    ],
  );
  await db.query(
    `INSERT INTO dependant_card_accounts (region_code, dependant_id, valid_from, bank_name,
       account_number, account_name, recorded_by)
     VALUES ($1, $2, '2020-01-01', '中国工商银行杭州分行', $3, $4, 'test')`,
    [HZ, id, `62220200${String(seq).padStart(8, '0')}`, `亲属${ordinal}`],
  );
  return id;
}

/**
 * A death case of 杭州 for the survivors' changes: the decision stores the calculation above (本人工资
 * 6 000.00, wage before death 5 500.00; spouse and two children capped 4:3:3 → 220 000, 165 000,
 * 165 000 fen) on the rule set's real snapshot, and the three pensions run from `m0`; each
 * dependant has a card account in their own name. The younger child is born on `youngerBirth`.
 */
export async function insertSurvivorFamily(
  db: Database,
  rules: RuleSet,
  employerId: string,
  m0: string,
  youngerBirth: string,
) {
  await db.query(
    `INSERT INTO benefit_parameter_snapshots (snapshot_id, content) VALUES ($1, $2::jsonb)
     ON CONFLICT DO NOTHING`,
    [rules.snapshotId, JSON.stringify(snapshotContentOf(rules))],
  );
  const workerId = await insertWorker(db);
  const caseId = await insertCase(db, {
    workerId,
    employerId,
    accidentDate: '2025-06-01',
    outcome: 'recognised',
  });
  await db.query(
    `INSERT INTO case_death_facts (region_code, case_id, died_on, circumstance, recorded_by)
     VALUES ($1, $2, '2025-06-01', 'injury', 'test')`,
    [HZ, caseId],
  );
  const ids = [
    await survivorDependant(db, caseId, 0, 'spouse', '1982-05-06'),
    await survivorDependant(db, caseId, 1, 'child', '2012-09-01'),
    await survivorDependant(db, caseId, 2, 'child', youngerBirth),
  ];
  const decisionId = `bdc_${HZ}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO benefit_decisions (region_code, id, case_id, worker_id, kind, death, status,
       calculation_input, calculation_result, wage_months, snapshot_id, payload_sha256,
       approval_id, proposed_by, approved_by, approved_on)
     VALUES ($1, $2, $3, $4, 'death', $7::jsonb, 'approved', $5::jsonb, '{}', '[]', $6, $6, 'apr_test', 'test',
       'test', '2025-06-20')`,
    [
      HZ,
      decisionId,
      caseId,
      workerId,
      JSON.stringify(survivorCalculationInput),
      rules.snapshotId,
      JSON.stringify({
        diedOn: '2025-06-01',
        circumstance: 'injury',
        dependants: ids.map((id, ordinal) => ({
          id,
          ordinal,
          name: `亲属${ordinal}`,
          relation: ordinal === 0 ? 'spouse' : 'child',
        })),
      }),
    ],
  );
  const amounts = [220000, 165000, 165000];
  const pensions: string[] = [];
  for (const [i, dependantId] of ids.entries()) {
    const id = `ent_${HZ}_${randomBytes(8).toString('hex')}`;
    await db.query(
      `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen,
         payer, starts_on, status, decision_id, snapshot_id, citation, created_by, dependant_id)
       VALUES ($1, $2, $3, 'survivor_pension', 'monthly', $4, 'fund', $5::date, 'active', $6, $7,
         '《工伤保险条例》第三十九条第一款第（二）项', 'test', $8)`,
      [HZ, id, workerId, amounts[i], `${m0}-01`, decisionId, rules.snapshotId, dependantId],
    );
    pensions.push(id);
  }
  return { workerId, caseId, decisionId, ids, pensions };
}
