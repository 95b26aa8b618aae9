import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Role, ScopeKind } from '../../identity/roles.ts';
import { rolePermissions } from '../../identity/roles.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { demoCreditCode, demoIdNumber } from '../seed/demo-ids.ts';
import { reportCase } from './case-report.ts';

/** A test actor of a role and scope (the permissions are the role's). */
export function caseActor(
  username: string,
  role: Role,
  scopeKind: ScopeKind,
  scope: string,
): Actor {
  return {
    userId: username,
    username,
    role,
    scopeKind,
    scopeCode: scope,
    permissions: rolePermissions[role],
    requestId: `req-${username}`,
  };
}

export type Employment = {
  regionCode: string;
  workerId: string;
  employerId: string;
  creditCode: string;
  personId: string;
};

export type CaseFixture = {
  officer: Actor;
  otherCityOfficer: Actor;
  /** A worker employed in 330100 (also a `persons` row, for the self scope) and its employer. */
  employment: Employment;
  /** The same in 330200. */
  otherCity: Employment;
};

const hex16 = (n: number) => n.toString(16).padStart(16, '0');

/** One city's employer, a worker on its roster, and the worker's `persons` row (raw rows: fast). */
async function employment(db: Database, city: string, n: number): Promise<Employment> {
  const employerId = `emp_${city}_${hex16(n)}`;
  const workerId = `wkr_${hex16(n)}`;
  const creditCode = demoCreditCode(city, n);
  const idNumber = demoIdNumber(`${city.slice(0, 4)}02`, '1990-05-0' + String(n), 500 + n);
  const facts = citizenIdFacts(idNumber);
  await db.query(
    `INSERT INTO employers (region_code, id, credit_code, name, address, industry_standard,
       industry_division, category, registered_on, status, status_from, floating_grade,
       floating_grade_from, created_by)
     VALUES ($1, $2, $3, $4, '地址', 'GB/T 4754-2017', '13', 'sme', '2020-01-01', 'registered',
       '2020-01-01', 'base', '2020-01-01', 'test')`,
    [city, employerId, creditCode, `单位${n}`],
  );
  await db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2, $3, $4, $5, 'test')`,
    [workerId, idNumber, `职工${n}`, facts.sex, facts.birthDate],
  );
  await db.query(
    `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name, start_date, hired_by)
     VALUES ($1, $2, $3, $4, $5, '2024-01-01', 'test')`,
    [city, `spl_${city}_${hex16(n)}`, employerId, workerId, `职工${n}`],
  );
  const personId = `per_${city}_${String(n).padStart(4, '0')}`;
  await db.query(`INSERT INTO persons (region_code, id, id_number, name) VALUES ($1, $2, $3, $4)`, [
    city,
    personId,
    idNumber,
    `职工${n}`,
  ]);
  return { regionCode: city, workerId, employerId, creditCode, personId };
}

/** Two cities of the demo province, each with an employer and an employed worker. */
export async function setUpCases(db: Database): Promise<CaseFixture> {
  await db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province')`,
  );
  for (const [code, name] of [
    ['330100', '杭州市'],
    ['330200', '宁波市'],
  ])
    await db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $2, 'city', '330000')`,
      [code, name],
    );
  return {
    officer: caseActor('officer-hz', 'determination_officer', 'city', '330100'),
    otherCityOfficer: caseActor('officer-nb', 'determination_officer', 'city', '330200'),
    employment: await employment(db, '330100', 1),
    otherCity: await employment(db, '330200', 2),
  };
}

/**
 * The employer's report of an accident of `e`'s worker (a sprain in the workshop), applied for on
 * `appliedOn` by the employer when given: the case most tests start from. Throws on a refusal.
 */
export async function reportAccident(
  db: Database,
  officer: Actor,
  rules: RuleSet,
  e: Employment,
  accidentDate: IsoDate,
  appliedOn?: IsoDate,
): Promise<{ regionCode: string; caseId: string }> {
  const out = await reportCase(
    db,
    officer,
    rules,
    {
      regionCode: e.regionCode,
      workerId: e.workerId,
      employerId: e.employerId,
      caseType: 'accident',
      accidentDate,
      reportedOn: accidentDate,
      reporterKind: 'employer',
      accidentPlace: '车间',
      accidentSummary: '搬运时扭伤',
    },
    appliedOn ? { applicantType: 'employer', appliedOn } : undefined,
  );
  if (!out.ok) throw new Error(out.message);
  return { regionCode: out.value.regionCode, caseId: out.value.caseId };
}
