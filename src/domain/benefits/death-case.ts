import { invariant } from '../../kernel/assert.ts';
import { type IsoDate, isIsoDate } from '../../kernel/dates.ts';
import { checkCitizenId, citizenIdFacts } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { CalculationInputBody } from '../../rules/calculator/index.ts';
import type { AppraisalFacts, CaseFacts } from './decision-input.ts';
import type { WageMonth } from './wage-months.ts';

/**
 * The facts of a death case (因工死亡) and the calculator's input built from them (pure).
 * 《工伤保险条例》第三十九条第一款: "职工因工死亡，其近亲属按照下列规定从工伤保险基金领取丧葬补助金、供养亲属抚恤金和一次性工亡补助金"
 * — the three items are the calculator's (`kind: 'death'`, src/rules/benefits/death.ts); this
 * file only gathers the facts a handler records and checks them against the case.
 * The circumstance is the calculator's enum, one per paragraph of 第三十九条:
 * - `injury`: 第一款, the worker died of the work injury;
 * - `within_suspension`: 第二款, "伤残职工在停工留薪期内因工伤导致死亡的，其近亲属享受本条第一款规定的待遇。";
 * - `grade1to4_after_suspension`: 第三款, "一级至四级伤残职工在停工留薪期满后死亡的，其近亲属可以享受本条第一款第(一)项、第(二)项规定的待遇。"
 *   — this one needs the worker's grade, so the case's concluded appraisal.
 */
export type DeathCircumstance = 'injury' | 'within_suspension' | 'grade1to4_after_suspension';
export type DependantRelation =
  | 'spouse'
  | 'child'
  | 'parent'
  | 'grandparent'
  | 'grandchild'
  | 'sibling';

/** One 供养亲属 as the handler records it. */
export type DependantEntry = {
  name: string;
  relation: DependantRelation;
  idNumber: string;
  birthDate: IsoDate;
  /**
   * 孤寡老人或者孤儿 (《工伤保险条例》第三十九条第一款第（二）项: "孤寡老人或者孤儿每人每月在上述标准的基础上增加10%").
   */
  orphanOrSoleElder: boolean;
  /**
   * 养子女 or 养父母 (《河南省工伤保险条例》第三十四条第二款 asks them for "养子女（养父母）的公证书"); only a
   * child or a parent. Absent = false.
   */
  adoptive?: boolean | undefined;
};

export type DeathFactsEntry = {
  diedOn: IsoDate;
  circumstance: DeathCircumstance;
  /** 因工死亡职工生前的工资 (the survivors' cap); null: the calculator averages the wage months. */
  preDeathMonthlyWageFen: number | null;
  dependants: readonly DependantEntry[];
};

export type DeathFactsRefusalCode =
  | 'benefit.case_not_recognised'
  | 'benefit.death_before_accident'
  | 'benefit.death_in_future'
  | 'benefit.dependants_invalid';

export type DependantProblem = { path: string; message: string };

/** Every problem of the dependants list at once (the handler fixes them in one go). */
export function dependantProblems(
  dependants: readonly DependantEntry[],
  diedOn: IsoDate,
): DependantProblem[] {
  const out: DependantProblem[] = [];
  const seen = new Map<string, number>();
  dependants.forEach((d, i) => {
    const at = (field: string, message: string) =>
      out.push({ path: `dependants.${i}.${field}`, message });
    const id = checkCitizenId(d.idNumber, diedOn);
    if (!id.valid)
      at('idNumber', `not a valid 公民身份号码 (${id.reason}): check the number on the 户口簿`);
    else if (citizenIdFacts(id.normalised).birthDate !== d.birthDate)
      at('birthDate', 'differs from the birth date in the ID number: check both');
    else {
      const first = seen.get(id.normalised);
      if (first !== undefined) at('idNumber', `the same person as dependants.${first}: list once`);
      seen.set(id.normalised, i);
    }
    if (d.birthDate > diedOn)
      at('birthDate', 'born after the death: a dependant is a relative living at the death');
    if (d.relation === 'spouse' && d.orphanOrSoleElder)
      at('orphanOrSoleElder', 'a spouse is neither an orphan nor a 孤寡老人');
    if (d.adoptive === true && d.relation !== 'child' && d.relation !== 'parent')
      at('adoptive', 'only a child or a parent is adoptive (养子女、养父母)');
  });
  if (dependants.filter((d) => d.relation === 'spouse').length > 1)
    out.push({ path: 'dependants', message: 'more than one spouse listed' });
  return out;
}

/** The death facts against the case: recognised or deemed, death after the accident, not later than today. */
export function deathFactsRefusal(
  c: CaseFacts,
  entry: DeathFactsEntry,
  today: IsoDate,
): Result<true, DeathFactsRefusalCode> {
  if (c.determinationOutcome !== 'recognised' && c.determinationOutcome !== 'deemed')
    return refuse(
      'benefit.case_not_recognised',
      'death benefits are decided for a case recognised (认定) or deemed (视同) a work injury',
      { determinationOutcome: c.determinationOutcome },
    );
  if (entry.diedOn < c.accidentDate)
    return refuse(
      'benefit.death_before_accident',
      `the date of death ${entry.diedOn} is before the case's accident (${c.accidentDate}): check the death certificate`,
      { field: 'diedOn', accidentDate: c.accidentDate },
    );
  if (entry.diedOn > today)
    return refuse('benefit.death_in_future', `${entry.diedOn} is after today (${today})`, {
      field: 'diedOn',
    });
  const problems = dependantProblems(entry.dependants, entry.diedOn);
  if (problems.length > 0)
    return refuse(
      'benefit.dependants_invalid',
      `${problems.length} problem(s) in the dependants: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { problems },
    );
  return ok(true);
}

export type DeathGradeRefusalCode = 'benefit.death_grade_required';

/**
 * The grade a death decision passes to the calculator: only 第三款 (grade1to4_after_suspension)
 * rests on one, from the case's concluded appraisal, and it must be 1–4.
 */
export function deathGrade(
  circumstance: DeathCircumstance,
  appraisal: AppraisalFacts | null,
): Result<number | null, DeathGradeRefusalCode> {
  if (circumstance !== 'grade1to4_after_suspension') return ok(null);
  const grade = appraisal?.concludedOn == null ? null : appraisal.disabilityGrade;
  if (grade === null || grade > 4)
    return refuse(
      'benefit.death_grade_required',
      '《工伤保险条例》第三十九条第三款 is for a worker graded 1–4: the case needs a concluded appraisal of grade 1–4, or record another circumstance',
      { appraisalId: appraisal?.id ?? null, disabilityGrade: grade },
    );
  return ok(grade);
}

/**
 * The calculator's input of a death case: the same engine as POST /api/v1/calculations, so this
 * input pasted there gives the same figures. Dependants go in the recorded order: the calculator's
 * `dependantIndex` of each survivor_pension item is the position in this list.
 */
export function deathCalculationInputOf(input: {
  caseFacts: CaseFacts;
  death: Omit<DeathFactsEntry, 'dependants'>;
  dependants: readonly Pick<DependantEntry, 'relation' | 'orphanOrSoleElder'>[];
  grade: number | null;
  wageMonths: readonly WageMonth[];
}): CalculationInputBody {
  const { caseFacts, death } = input;
  return {
    region: caseFacts.regionCode,
    kind: 'death',
    injuryDate: caseFacts.accidentDate,
    deathDate: death.diedOn,
    deathCircumstance: death.circumstance,
    monthlyWagesFen: input.wageMonths.map((m) => m.wageFen),
    dependants: input.dependants.map((d) => ({
      relation: d.relation,
      orphanOrSoleElder: d.orphanOrSoleElder,
    })),
    occupationalDisease: caseFacts.caseType === 'occupational_disease',
    ...(input.grade === null ? {} : { disabilityGrade: input.grade }),
    ...(death.preDeathMonthlyWageFen === null
      ? {}
      : { preDeathMonthlyWageFen: death.preDeathMonthlyWageFen }),
  };
}

/**
 * What a death decision stores and the checker approves besides the items: the death, and the
 * dependants the calculator numbered (`dependantIndex` = `ordinal`), so the approval gives each
 * survivor_pension item to the person it was computed for, whatever is recorded afterwards.
 */
export type DecisionDeath = {
  diedOn: IsoDate;
  circumstance: DeathCircumstance;
  dependants: { id: string; ordinal: number; name: string; relation: DependantRelation }[];
};

const CIRCUMSTANCES: readonly string[] = [
  'injury',
  'within_suspension',
  'grade1to4_after_suspension',
];
const RELATIONS: readonly string[] = [
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
];

function isCircumstance(v: unknown): v is DeathCircumstance {
  return typeof v === 'string' && CIRCUMSTANCES.includes(v);
}

function isRelation(v: unknown): v is DependantRelation {
  return typeof v === 'string' && RELATIONS.includes(v);
}

function storedDependant(value: unknown): DecisionDeath['dependants'][number] {
  invariant(value !== null && typeof value === 'object', 'a stored dependant is not an object');
  const id = 'id' in value ? value.id : undefined;
  const ordinal = 'ordinal' in value ? value.ordinal : undefined;
  const name = 'name' in value ? value.name : undefined;
  const relation = 'relation' in value ? value.relation : undefined;
  invariant(typeof id === 'string' && typeof name === 'string', 'stored dependant id or name');
  invariant(typeof ordinal === 'number' && Number.isSafeInteger(ordinal), 'stored ordinal');
  invariant(isRelation(relation), 'stored dependant relation malformed');
  return { id, ordinal, name, relation };
}

/** Reads back a stored death (null: a disability decision); a malformed row is a broken invariant. */
export function storedDeath(json: unknown): DecisionDeath | null {
  if (json === null) return null;
  invariant(typeof json === 'object', 'a stored death is not an object');
  const diedOn = 'diedOn' in json ? json.diedOn : undefined;
  const circumstance = 'circumstance' in json ? json.circumstance : undefined;
  const dependants = 'dependants' in json ? json.dependants : undefined;
  invariant(typeof diedOn === 'string' && isIsoDate(diedOn), 'stored date of death malformed');
  invariant(isCircumstance(circumstance), 'stored circumstance malformed');
  invariant(Array.isArray(dependants), 'stored dependants are not an array');
  return { diedOn, circumstance, dependants: dependants.map(storedDependant) };
}

/** The dependant a survivor_pension item belongs to (by the calculator's dependantIndex). */
export function dependantOfItem(
  death: DecisionDeath | null,
  item: { code: string; dependantIndex?: number | undefined },
): string | null {
  if (death === null || item.code !== 'survivor_pension') return null;
  const found = death.dependants.find((d) => d.ordinal === item.dependantIndex);
  invariant(found !== undefined, `no dependant ${item.dependantIndex} in the decision's death`);
  return found.id;
}
