import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import { appraisals, caseDeathFacts, caseDependants, cases, workers } from '../../db/schema.ts';
import type { DeathCircumstance, DependantRelation } from '../../domain/benefits/death-case.ts';
import type { AppraisalFacts, CaseFacts } from '../../domain/benefits/decision-input.ts';
import type { DeclaredWage } from '../../domain/benefits/wage-months.ts';

/**
 * What a benefit decision reads from the rest of the case (0016's tables, the register, the payroll
 * declarations of issue 10). Reads only; the caller holds the transaction and, when it writes, the
 * case row's lock.
 */
export type BenefitCase = CaseFacts & {
  id: string;
  workerId: string;
  employerRegionCode: string;
  employerId: string;
  worker: { sex: 'male' | 'female'; birthDate: string };
};

export async function loadBenefitCase(
  ex: Executor,
  regionCode: string,
  caseId: string,
  options: { lock: boolean },
): Promise<BenefitCase | null> {
  const query = ex.orm
    .select({
      id: cases.id,
      regionCode: cases.regionCode,
      workerId: cases.workerId,
      employerRegionCode: cases.employerRegionCode,
      employerId: cases.employerId,
      caseType: cases.caseType,
      accidentDate: cases.accidentDate,
      determinationOutcome: cases.determinationOutcome,
    })
    .from(cases)
    .where(and(eq(cases.regionCode, regionCode), eq(cases.id, caseId)));
  const [row] = options.lock ? await query.for('update') : await query;
  if (row === undefined) return null;
  const [worker] = await ex.orm
    .select({ sex: workers.sex, birthDate: workers.birthDate })
    .from(workers)
    .where(eq(workers.id, row.workerId));
  if (worker === undefined) return null;
  const sex = worker.sex === 'female' ? 'female' : 'male';
  return { ...row, worker: { sex, birthDate: worker.birthDate } };
}

/** The latest concluded appraisal of the case (the one a decision rests on), or null. */
export async function latestConcludedAppraisal(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<AppraisalFacts | null> {
  const [row] = await ex.orm
    .select({
      id: appraisals.id,
      concludedOn: appraisals.concludedOn,
      conclusion: appraisals.conclusion,
      disabilityGrade: appraisals.disabilityGrade,
      nursingLevel: appraisals.nursingLevel,
    })
    .from(appraisals)
    .where(
      and(
        eq(appraisals.regionCode, regionCode),
        eq(appraisals.caseId, caseId),
        isNotNull(appraisals.conclusion),
      ),
    )
    .orderBy(desc(appraisals.concludedOn), desc(appraisals.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * The worker's declared wages at the case's employer for the given months: the latest version of
 * each employer-month (a later file replaces the earlier, ADR 0009) where it holds a line for the
 * worker. Hand SQL: the latest-version rule is a correlated max, read through typed row readers.
 */
export async function declaredWages(
  ex: Executor,
  c: Pick<BenefitCase, 'employerRegionCode' | 'employerId' | 'workerId'>,
  months: readonly string[],
): Promise<DeclaredWage[]> {
  if (months.length === 0) return [];
  const r = await ex.query(
    `SELECT to_char(d.month, 'YYYY-MM') AS month, l.wage_fen::int8 AS wage_fen, d.id AS declaration_id
       FROM declarations d
       JOIN declaration_lines l ON l.region_code = d.region_code AND l.declaration_id = d.id
      WHERE d.region_code = $1 AND d.employer_id = $2 AND l.worker_id = $3
        AND d.month >= $4::date AND d.month <= $5::date
        AND d.version = (SELECT max(d2.version) FROM declarations d2
                          WHERE d2.region_code = d.region_code AND d2.employer_id = d.employer_id
                            AND d2.month = d.month)
      ORDER BY d.month`,
    [
      c.employerRegionCode,
      c.employerId,
      c.workerId,
      `${months[0]}-01`,
      `${months[months.length - 1]}-01`,
    ],
  );
  return r.rows.map((row) => ({
    month: textOf(row, 'month'),
    wageFen: intOf(row, 'wage_fen'),
    declarationId: textOf(row, 'declaration_id'),
  }));
}

/** The death facts a decision reads: the recorded facts and the current dependants in order. */
export type CaseDeath = {
  diedOn: string;
  circumstance: DeathCircumstance;
  preDeathMonthlyWageFen: number | null;
  dependants: {
    id: string;
    ordinal: number;
    name: string;
    relation: DependantRelation;
    orphanOrSoleElder: boolean;
  }[];
};

/** The case's recorded death facts (null: not a death case). No ID number is read. */
export async function caseDeathOf(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<CaseDeath | null> {
  const [facts] = await ex.orm
    .select({
      diedOn: caseDeathFacts.diedOn,
      circumstance: caseDeathFacts.circumstance,
      preDeathMonthlyWageFen: caseDeathFacts.preDeathMonthlyWageFen,
    })
    .from(caseDeathFacts)
    .where(and(eq(caseDeathFacts.regionCode, regionCode), eq(caseDeathFacts.caseId, caseId)));
  if (facts === undefined) return null;
  const dependants = await ex.orm
    .select({
      id: caseDependants.id,
      ordinal: caseDependants.ordinal,
      name: caseDependants.name,
      relation: caseDependants.relation,
      orphanOrSoleElder: caseDependants.orphanOrSoleElder,
    })
    .from(caseDependants)
    .where(
      and(
        eq(caseDependants.regionCode, regionCode),
        eq(caseDependants.caseId, caseId),
        eq(caseDependants.status, 'current'),
      ),
    )
    .orderBy(asc(caseDependants.ordinal));
  return { ...facts, dependants };
}
