import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  benefitDecisions,
  benefitEntitlements,
  benefitMissing,
  caseDeathFacts,
} from '../../db/schema.ts';
import { caseDetermination } from '../../db/schema-case-determination.ts';
import {
  type DependantEntry,
  deathCalculationInputOf,
  dependantProblems,
} from '../../domain/benefits/death-case.ts';
import {
  employerWageMonths,
  endedByMissing,
  type MissingGround,
  type MissingRefusalCode,
  missingCaseRefusal,
  pensionsStartOn,
} from '../../domain/benefits/missing.ts';
import type { StoppedEntitlement } from '../../domain/benefits/stop.ts';
import {
  type EnteredWage,
  mergeWageMonths,
  type WageMonth,
  type WageRefusalCode,
  wageWindow,
} from '../../domain/benefits/wage-months.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { missingWorker } from '../../rules/benefits/death.ts';
import {
  type CalculationInputBody,
  type CalculationRefusalCode,
  type CalculationResult,
  calculateFromUnknown,
  type RuleSet,
} from '../../rules/calculator/index.ts';
import { makeContext } from '../../rules/context.ts';
import { type BenefitCase, declaredWages, loadBenefitCase } from './benefit-case-facts.ts';

/**
 * What recording a missing worker (下落不明, 《工伤保险条例》第四十一条) computes from the database and
 * the rules, before and again under the approval: the checks, the survivors' pensions by the death
 * computation (the calculator's `kind: 'death'` on the accident date, so a death decision and this
 * agree on every fen), the months of the rule `missingWorker`, and the worker's own items it ends.
 * The payload the checker approves is built from it.
 */
export type MissingInput = {
  regionCode: string;
  caseId: string;
  /** What is known of the disappearance and the evidence (公安机关的证明, 事故报告 …). */
  reason: string;
  /** 照发工资: the wage the employer keeps paying; also the survivors' cap (生前的工资). */
  monthlyWageFen: number;
  enteredWages: readonly EnteredWage[];
  wageEvidence: string | null;
  dependants: readonly DependantEntry[];
};

export type MissingPlanCode =
  | 'benefit.case_not_found'
  | 'benefit.missing_case_has_death'
  | 'benefit.missing_case_decided'
  | 'benefit.missing_already_recorded'
  | 'rules.parameter_missing'
  | MissingRefusalCode
  | WageRefusalCode
  | CalculationRefusalCode;

export type MissingPension = {
  ordinal: number;
  amountFen: number;
  payer: 'fund' | 'employer';
  citation: string;
};

export type MissingPlan = {
  benefitCase: BenefitCase;
  ground: MissingGround;
  wageMonths: WageMonth[];
  input: CalculationInputBody;
  result: CalculationResult;
  pensions: MissingPension[];
  employerWageMonths: string[];
  pensionsStartOn: IsoDate;
  deathLumpSumFen: number;
  funeralGrantFen: number;
  advanceMaxFen: number;
  ended: StoppedEntitlement[];
};

/** The case's state: recognised on a ground of 第四十一条, no death facts, no decision, no event. */
async function checkCase(
  tx: Executor,
  input: MissingInput,
): Promise<Result<{ benefitCase: BenefitCase; ground: MissingGround }, MissingPlanCode>> {
  const { regionCode, caseId } = input;
  const benefitCase = await loadBenefitCase(tx, regionCode, caseId, { lock: true });
  if (benefitCase === null)
    return refuse('benefit.case_not_found', `case ${caseId} not found in ${regionCode}`);
  const [grounds] = await tx.orm
    .select({ grounds: caseDetermination.determinationGrounds })
    .from(caseDetermination)
    .where(and(eq(caseDetermination.regionCode, regionCode), eq(caseDetermination.id, caseId)));
  const ground = missingCaseRefusal(benefitCase, grounds?.grounds ?? []);
  if (!ground.ok) return ground;
  const refused = await otherProcedure(tx, regionCode, caseId);
  if (refused !== null) return refused;
  return ok({ benefitCase, ground: ground.value });
}

/** A missing event, a death case or a benefit decision already on the case (null: none). */
async function otherProcedure(
  tx: Executor,
  regionCode: string,
  caseId: string,
): Promise<Refusal<MissingPlanCode> | null> {
  const [held] = await tx.orm
    .select({ id: benefitMissing.id })
    .from(benefitMissing)
    .where(and(eq(benefitMissing.regionCode, regionCode), eq(benefitMissing.caseId, caseId)));
  if (held !== undefined)
    return refuse(
      'benefit.missing_already_recorded',
      `case ${caseId} has a missing event already`,
      {
        missingId: held.id,
      },
    );
  const [death] = await tx.orm
    .select({ diedOn: caseDeathFacts.diedOn })
    .from(caseDeathFacts)
    .where(and(eq(caseDeathFacts.regionCode, regionCode), eq(caseDeathFacts.caseId, caseId)));
  if (death !== undefined)
    return refuse(
      'benefit.missing_case_has_death',
      `case ${caseId} is a death case (died ${death.diedOn}): 第三十九条 applies, not 第四十一条`,
    );
  const [decided] = await tx.orm
    .select({ id: benefitDecisions.id, status: benefitDecisions.status })
    .from(benefitDecisions)
    .where(
      and(
        eq(benefitDecisions.regionCode, regionCode),
        eq(benefitDecisions.caseId, caseId),
        inArray(benefitDecisions.status, ['proposed', 'approved']),
      ),
    );
  if (decided !== undefined)
    return refuse(
      'benefit.missing_case_decided',
      `case ${caseId} has a ${decided.status} benefit decision (${decided.id}): a missing worker’s benefits are decided on a case without one`,
      { decisionId: decided.id },
    );
  return null;
}

/** The survivors' pensions and the lump sum by the death computation, dated on the accident. */
function survivorItems(
  rules: RuleSet,
  benefitCase: BenefitCase,
  input: MissingInput,
  wageMonths: readonly WageMonth[],
): Result<{ input: CalculationInputBody; result: CalculationResult }, MissingPlanCode> {
  const body = deathCalculationInputOf({
    caseFacts: benefitCase,
    // Our reading: the parameters in force at the accident, the last day the worker is known alive.
    death: {
      diedOn: benefitCase.accidentDate,
      circumstance: 'injury',
      preDeathMonthlyWageFen: input.monthlyWageFen,
    },
    dependants: input.dependants,
    grade: null,
    wageMonths,
  });
  const calculated = calculateFromUnknown(body, rules);
  if (!calculated.ok && calculated.status === 422)
    return refuse(calculated.body.code, calculated.body.detail, calculated.body.details);
  invariant(
    calculated.ok,
    `a missing case built an invalid input: ${JSON.stringify(calculated.body)}`,
  );
  return ok({ input: body, result: calculated.body });
}

export async function planMissing(
  tx: Executor,
  rules: RuleSet,
  input: MissingInput,
): Promise<Result<MissingPlan, MissingPlanCode>> {
  const checked = await checkCase(tx, input);
  if (!checked.ok) return checked;
  const { benefitCase, ground } = checked.value;
  const accident = benefitCase.accidentDate;
  const problems = dependantProblems(input.dependants, accident);
  if (problems.length > 0)
    return refuse(
      'benefit.dependants_invalid',
      `${problems.length} problem(s) in the dependants: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { problems },
    );
  const declared = await declaredWages(tx, benefitCase, wageWindow(accident));
  const months = mergeWageMonths({
    injuryDate: accident,
    declared,
    entered: input.enteredWages,
    evidence: input.wageEvidence,
  });
  if (!months.ok) return months;
  const calc = survivorItems(rules, benefitCase, input, months.value);
  if (!calc.ok) return calc;
  const amountOf = (code: string) =>
    calc.value.result.items.find((i) => i.code === code)?.amountFen ?? 0;
  const lump = amountOf('death_lump_sum');
  const rule = missingWorker(makeContext(rules, input.regionCode, {}, false), accident, lump);
  if (!rule.ok) return rule;
  const pensions = calc.value.result.items
    .filter((i) => i.code === 'survivor_pension')
    .map((i) => ({
      ordinal: i.dependantIndex ?? 0,
      amountFen: i.amountFen,
      payer: i.payer,
      citation: `${i.citation}；《工伤保险条例》第四十一条`,
    }));
  return ok({
    benefitCase,
    ground,
    wageMonths: months.value,
    ...calc.value,
    pensions,
    employerWageMonths: employerWageMonths(accident, rule.value.employerWageMonths),
    pensionsStartOn: pensionsStartOn(accident, rule.value.survivorPensionFromMonth),
    deathLumpSumFen: lump,
    funeralGrantFen: amountOf('funeral_grant'),
    advanceMaxFen: rule.value.advanceFen,
    ended: endedByMissing(await ownEntitlements(tx, benefitCase), accident),
  });
}

/** The worker's own entitlements in the city (not a survivor's pension), locked. */
async function ownEntitlements(tx: Executor, c: BenefitCase) {
  const e = benefitEntitlements;
  return tx.orm
    .select({
      id: e.id,
      kind: e.kind,
      amountFen: e.amountFen,
      startsOn: e.startsOn,
      endsOn: e.endsOn,
      status: e.status,
    })
    .from(e)
    .where(and(eq(e.regionCode, c.regionCode), eq(e.workerId, c.workerId), isNull(e.dependantId)))
    .orderBy(e.id)
    .for('update');
}

/** Binds the full ID numbers without showing them to the checker (the payload shows them masked). */
function dependantsDigest(dependants: readonly DependantEntry[]): string {
  const text = dependants.map((d) => d.idNumber.trim().toUpperCase()).join('|');
  return createHash('sha256').update(text).digest('hex');
}

/** What the checker approves: the event, the dependants (numbers masked), every amount and date. */
export function missingPayload(input: MissingInput, plan: MissingPlan) {
  return {
    regionCode: input.regionCode,
    caseId: input.caseId,
    workerId: plan.benefitCase.workerId,
    ground: plan.ground,
    accidentDate: plan.benefitCase.accidentDate,
    reason: input.reason,
    wageMonths: plan.wageMonths,
    wageEvidence: input.wageEvidence,
    dependants: input.dependants.map((d, ordinal) => ({
      ordinal,
      name: d.name,
      relation: d.relation,
      birthDate: d.birthDate,
      orphanOrSoleElder: d.orphanOrSoleElder,
      idNumberMasked: maskIdNumber(d.idNumber.trim().toUpperCase()),
    })),
    dependantsSha256: dependantsDigest(input.dependants),
    employerWages: {
      payer: 'employer',
      months: plan.employerWageMonths,
      monthlyWageFen: input.monthlyWageFen,
    },
    pensionsStartOn: plan.pensionsStartOn,
    pensions: plan.pensions,
    deathLumpSumFen: plan.deathLumpSumFen,
    funeralGrantFen: plan.funeralGrantFen,
    advanceMaxFen: plan.advanceMaxFen,
    ended: plan.ended.map((e) => ({ id: e.id, kind: e.kind, endsOn: e.endsOn })),
    snapshotId: plan.result.snapshotId,
  };
}
