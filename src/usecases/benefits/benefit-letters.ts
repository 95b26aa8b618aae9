import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  appraisals,
  benefitDecisions,
  benefitSeparations,
  cases,
  regions,
  workers,
} from '../../db/schema.ts';
import { letters } from '../../db/schema-letters.ts';
import { type RegradeConclusion, regradeLetterText } from '../../domain/benefits/regrade-letter.ts';
import type {
  EntitlementEnd,
  SeparationReason,
} from '../../domain/benefits/separation-decision.ts';
import {
  type CombinedLetterFacts,
  separationLetterText,
} from '../../domain/benefits/separation-letter.ts';
import type { DecisionItem } from '../../domain/benefits/stored-decision.ts';
import type { WageMonth } from '../../domain/benefits/wage-months.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import type { RegradePlan } from '../../rules/benefits/regrade-rule.ts';
import { type IssuedLetter, issueLetter } from '../letters/issue-letter.ts';

/**
 * The numbered letters of the benefit decisions after the first (docs/letters.md): the separation's
 * 一次性工伤医疗补助金和一次性伤残就业补助金核定通知书 and the regrade's 工伤保险待遇重新核定通知书. Each
 * is issued inside the transaction that applies the approved decision (after the approval is
 * consumed), so a refused or rolled-back apply issues nothing and leaves no gap in the series.
 */
export type CaseLetterFacts = { workerName: string; accidentDate: IsoDate; cityName: string };

/** The addressee, the accident and the issuing city of a case's benefit letters. */
export async function caseLetterFacts(
  tx: Executor,
  regionCode: string,
  caseId: string,
): Promise<CaseLetterFacts> {
  const [facts] = await tx.orm
    .select({ workerName: workers.name, accidentDate: cases.accidentDate, cityName: regions.name })
    .from(cases)
    .innerJoin(workers, eq(workers.id, cases.workerId))
    .innerJoin(regions, eq(regions.code, cases.regionCode))
    .where(and(eq(cases.regionCode, regionCode), eq(cases.id, caseId)));
  invariant(facts !== undefined, `case ${caseId} vanished while its decision was applied`);
  return facts;
}

/** The city's human resources and social security bureau: the 发文机关 of every benefit letter. */
export function issuerOf(facts: CaseLetterFacts): string {
  return `${facts.cityName}人力资源和社会保障局`;
}

/**
 * Issues a benefit letter of a case (numbered in its type's series, PDF stored) from its text: the
 * one call every benefit decision's letter goes through, so recipient, issuer and recorder are
 * filled alike. The caller records the letter's id on its decision.
 */
export function issueBenefitLetter(
  tx: Executor,
  actor: Actor,
  input: {
    regionCode: string;
    caseId: string;
    letterType: 'benefit_decision' | 'benefit_separation' | 'benefit_regrade' | 'benefit_change';
    on: IsoDate;
    facts: CaseLetterFacts;
    recipient?: string | undefined;
    text: { title: string; paragraphs: readonly string[] };
  },
): Promise<IssuedLetter> {
  return issueLetter(tx, {
    regionCode: input.regionCode,
    letterType: input.letterType,
    issuedOn: input.on,
    caseId: input.caseId,
    recipient: input.recipient ?? input.facts.workerName,
    title: input.text.title,
    paragraphs: input.text.paragraphs,
    issuer: issuerOf(input.facts),
    recordedBy: actor.userId,
    actor,
  });
}

export type SeparationLetterInput = {
  regionCode: string;
  separationId: string;
  caseId: string;
  decisionId: string;
  date: IsoDate;
  reason: SeparationReason;
  retirementDate: IsoDate;
  items: readonly DecisionItem[];
  ends: readonly EntitlementEnd[];
  on: IsoDate;
  /** A combined separation (《浙江省工伤保险条例》第二十八条): the letter names every case it covers. */
  combined?: CombinedLetterFacts | undefined;
};

async function gradeOfDecision(tx: Executor, regionCode: string, decisionId: string) {
  const [row] = await tx.orm
    .select({ grade: appraisals.disabilityGrade })
    .from(benefitDecisions)
    .innerJoin(
      appraisals,
      and(
        eq(appraisals.regionCode, benefitDecisions.regionCode),
        eq(appraisals.id, benefitDecisions.appraisalId),
      ),
    )
    .where(and(eq(benefitDecisions.regionCode, regionCode), eq(benefitDecisions.id, decisionId)));
  invariant(
    row !== undefined && row.grade !== null,
    `decision ${decisionId} of a separation rests on no graded appraisal`,
  );
  return row.grade;
}

/** Issues the separation's letter and records its id on the separation. */
export async function issueSeparationLetter(
  tx: Executor,
  actor: Actor,
  input: SeparationLetterInput,
): Promise<IssuedLetter> {
  const facts = await caseLetterFacts(tx, input.regionCode, input.caseId);
  const text = separationLetterText({
    workerName: facts.workerName,
    accidentDate: facts.accidentDate,
    grade: await gradeOfDecision(tx, input.regionCode, input.decisionId),
    date: input.date,
    reason: input.reason,
    retirementDate: input.retirementDate,
    items: input.items,
    ends: input.ends,
    combined: input.combined,
  });
  const letter = await issueBenefitLetter(tx, actor, {
    regionCode: input.regionCode,
    caseId: input.caseId,
    letterType: 'benefit_separation',
    on: input.on,
    facts,
    text,
  });
  await tx.orm
    .update(benefitSeparations)
    .set({ letterId: letter.id })
    .where(
      and(
        eq(benefitSeparations.regionCode, input.regionCode),
        eq(benefitSeparations.id, input.separationId),
      ),
    );
  return letter;
}

export type RegradeLetterInput = {
  regionCode: string;
  decisionId: string;
  caseId: string;
  appraisalId: string | null;
  wageMonths: readonly WageMonth[];
  baseWageFen: number;
  items: readonly DecisionItem[];
  plan: RegradePlan;
  on: IsoDate;
};

async function conclusionOf(
  tx: Executor,
  regionCode: string,
  appraisalId: string | null,
  concludedOn: IsoDate,
): Promise<RegradeConclusion> {
  invariant(appraisalId !== null, 'a regrade decision rests on an appraisal');
  const [row] = await tx.orm
    .select({ grade: appraisals.disabilityGrade, nursingLevel: appraisals.nursingLevel })
    .from(appraisals)
    .where(and(eq(appraisals.regionCode, regionCode), eq(appraisals.id, appraisalId)));
  invariant(row !== undefined, `appraisal ${appraisalId} vanished while a regrade was applied`);
  return { concludedOn, grade: row.grade, nursingLevel: row.nursingLevel };
}

/** The replaced decision: the appraisal it rested on and the number of its letter. */
async function replacedOf(tx: Executor, regionCode: string, decisionId: string) {
  const [row] = await tx.orm
    .select({ appraisalId: benefitDecisions.appraisalId, documentNumber: letters.documentNumber })
    .from(benefitDecisions)
    .leftJoin(
      letters,
      and(
        eq(letters.regionCode, benefitDecisions.regionCode),
        eq(letters.id, benefitDecisions.letterId),
      ),
    )
    .where(and(eq(benefitDecisions.regionCode, regionCode), eq(benefitDecisions.id, decisionId)));
  invariant(row !== undefined, `the replaced decision ${decisionId} vanished`);
  return row;
}

/** Issues the regrade decision's letter and records its id on the decision. */
export async function issueRegradeLetter(
  tx: Executor,
  actor: Actor,
  input: RegradeLetterInput,
): Promise<IssuedLetter> {
  const { plan } = input;
  const facts = await caseLetterFacts(tx, input.regionCode, input.caseId);
  const replaced = await replacedOf(tx, input.regionCode, plan.replacesDecisionId);
  const text = regradeLetterText({
    workerName: facts.workerName,
    accidentDate: facts.accidentDate,
    previous: await conclusionOf(
      tx,
      input.regionCode,
      replaced.appraisalId,
      plan.originalConcludedOn,
    ),
    next: await conclusionOf(tx, input.regionCode, input.appraisalId, plan.newConcludedOn),
    replacedDocumentNumber: replaced.documentNumber,
    wageMonths: input.wageMonths,
    baseWageFen: input.baseWageFen,
    items: input.items,
    plan,
  });
  const letter = await issueBenefitLetter(tx, actor, {
    regionCode: input.regionCode,
    caseId: input.caseId,
    letterType: 'benefit_regrade',
    on: input.on,
    facts,
    text,
  });
  await tx.orm
    .update(benefitDecisions)
    .set({ letterId: letter.id })
    .where(
      and(
        eq(benefitDecisions.regionCode, input.regionCode),
        eq(benefitDecisions.id, input.decisionId),
      ),
    );
  return letter;
}
