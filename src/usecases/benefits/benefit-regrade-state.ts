import { and, asc, desc, eq, gte, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  appraisals,
  benefitDecisions,
  benefitEntitlements,
  payrollLines,
  payrollRuns,
} from '../../db/schema.ts';
import { type AppraisalFacts, decisionFacts } from '../../domain/benefits/decision-input.ts';
import { entitlementsOf } from '../../domain/benefits/decision-payload.ts';
import {
  arrearsOf,
  endingsOf,
  lumpSumAdjustment,
  moneyOf,
  type RegradePlan,
} from '../../domain/benefits/regrade.ts';
import { type DecisionItem, storedResult } from '../../domain/benefits/stored-decision.ts';
import { invariant } from '../../kernel/assert.ts';
import { type IsoDate, monthOf } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { regradeRule, regradeStartsOn } from '../../rules/benefits/regrade-rule.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { BenefitCase } from './benefit-case-facts.ts';
import { arrearsPaidOf } from './benefit-decision-arrears.ts';
import { POSTED_RUN_STATUSES } from './payroll-store.ts';

/**
 * What a regrade decision reads (the caller holds the transaction and the case row's lock): the
 * case's approved decision, the re-appraisal or review concluded after it, the old decision's
 * entitlements and what the city's posted payroll runs paid them. Shared by the proposal and the
 * apply, which computes the plan again and refuses when it no longer matches the approved one.
 */
export type RegradeBasisRefusalCode =
  | 'benefit.regrade_no_decision'
  | 'benefit.regrade_decision_pending'
  | 'benefit.regrade_not_revisited'
  | 'benefit.regrade_same_conclusion'
  | 'benefit.case_not_recognised'
  | 'benefit.appraisal_not_concluded'
  | 'benefit.not_graded';

type Revisit = AppraisalFacts & {
  kind: 're_appraisal' | 'review';
  concludedOn: IsoDate;
  grade: number;
  originalConcludedOn: IsoDate;
  previousAppraisalId: string;
};

export type RegradeBasis = {
  approved: {
    id: string;
    appraisalId: string;
    snapshotId: string;
    calculationInput: unknown;
    wageMonths: unknown;
    items: DecisionItem[];
  };
  revisit: Revisit;
};

const appraisalColumns = {
  id: appraisals.id,
  kind: appraisals.kind,
  previousAppraisalId: appraisals.previousAppraisalId,
  concludedOn: appraisals.concludedOn,
  conclusion: appraisals.conclusion,
  disabilityGrade: appraisals.disabilityGrade,
  nursingLevel: appraisals.nursingLevel,
};

async function appraisalById(ex: Executor, regionCode: string, id: string) {
  const [row] = await ex.orm
    .select(appraisalColumns)
    .from(appraisals)
    .where(and(eq(appraisals.regionCode, regionCode), eq(appraisals.id, id)));
  return row ?? null;
}

async function latestConcluded(ex: Executor, regionCode: string, caseId: string) {
  const [row] = await ex.orm
    .select(appraisalColumns)
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

async function decisionsOf(ex: Executor, regionCode: string, caseId: string) {
  return ex.orm
    .select({
      id: benefitDecisions.id,
      status: benefitDecisions.status,
      kind: benefitDecisions.kind,
      appraisalId: benefitDecisions.appraisalId,
      snapshotId: benefitDecisions.snapshotId,
      calculationInput: benefitDecisions.calculationInput,
      calculationResult: benefitDecisions.calculationResult,
      wageMonths: benefitDecisions.wageMonths,
      replacesDecisionId: benefitDecisions.replacesDecisionId,
    })
    .from(benefitDecisions)
    .where(
      and(
        eq(benefitDecisions.regionCode, regionCode),
        eq(benefitDecisions.caseId, caseId),
        inArray(benefitDecisions.status, ['proposed', 'approved']),
      ),
    );
}

function sameConclusion(a: AppraisalFacts, b: AppraisalFacts): boolean {
  return a.disabilityGrade === b.disabilityGrade && a.nursingLevel === b.nursingLevel;
}

/** The approved decision and the changed conclusion after it, or the refusal saying what is missing. */
export async function regradeBasis(
  ex: Executor,
  benefitCase: BenefitCase,
): Promise<Result<RegradeBasis, RegradeBasisRefusalCode>> {
  const { regionCode, id: caseId } = benefitCase;
  const open = await decisionsOf(ex, regionCode, caseId);
  const approved = open.find((d) => d.status === 'approved');
  if (approved === undefined) {
    const pending = open.find((d) => d.replacesDecisionId === null);
    if (pending !== undefined)
      return refuse(
        'benefit.regrade_decision_pending',
        `the case's first benefit decision ${pending.id} awaits approval: propose it again (it takes the latest conclusion) instead of a regrade`,
        { decisionId: pending.id },
      );
    return refuse(
      'benefit.regrade_no_decision',
      'the case has no approved benefit decision to regrade: propose the benefit decision first',
    );
  }
  // A death decision's amounts follow the death, not a grade: a later appraisal changes nothing.
  if (approved.kind === 'death')
    return refuse(
      'benefit.regrade_no_decision',
      `the case's approved decision ${approved.id} is a death decision (因工死亡): there is no grade to regrade`,
      { decisionId: approved.id },
    );
  invariant(approved.appraisalId !== null, `disability decision ${approved.id} has no appraisal`);
  const appraisalId = approved.appraisalId;
  const latest = await latestConcluded(ex, regionCode, caseId);
  const decided = await appraisalById(ex, regionCode, appraisalId);
  if (latest === null || decided === null || latest.id === decided.id || latest.kind === 'initial')
    return refuse(
      'benefit.regrade_not_revisited',
      `no re-appraisal or review has concluded after appraisal ${appraisalId}, the one decision ${approved.id} rests on`,
      { decisionId: approved.id, appraisalId },
    );
  if (sameConclusion(latest, decided))
    return refuse(
      'benefit.regrade_same_conclusion',
      `the ${latest.kind} ${latest.id} concluded the same grade and nursing level as appraisal ${decided.id}: the benefits do not change`,
      { appraisalId: latest.id, grade: latest.disabilityGrade, nursingLevel: latest.nursingLevel },
    );
  const facts = decisionFacts(benefitCase, latest);
  if (!facts.ok) return facts;
  const previous =
    latest.previousAppraisalId === null
      ? null
      : await appraisalById(ex, regionCode, latest.previousAppraisalId);
  // The appraisal use cases only open a re-appraisal or review of a concluded appraisal.
  invariant(
    previous !== null && previous.concludedOn !== null && latest.previousAppraisalId !== null,
    `appraisal ${latest.id} revisits no concluded appraisal`,
  );
  return ok({
    approved: {
      id: approved.id,
      appraisalId,
      snapshotId: approved.snapshotId,
      calculationInput: approved.calculationInput,
      wageMonths: approved.wageMonths,
      items: storedResult(approved.calculationResult).items,
    },
    revisit: {
      ...latest,
      kind: latest.kind,
      concludedOn: facts.value.concludedOn,
      grade: facts.value.grade,
      originalConcludedOn: previous.concludedOn,
      previousAppraisalId: latest.previousAppraisalId,
    },
  });
}

/** The posted run months of the city from `startsOn` and the old entitlements' month lines in them. */
async function paidSince(ex: Executor, regionCode: string, entitlementIds: string[], from: string) {
  const runs = await ex.orm
    .select({ id: payrollRuns.id, month: payrollRuns.month })
    .from(payrollRuns)
    .where(
      and(
        eq(payrollRuns.regionCode, regionCode),
        gte(payrollRuns.month, from),
        inArray(payrollRuns.status, [...POSTED_RUN_STATUSES]),
      ),
    )
    .orderBy(asc(payrollRuns.month));
  if (runs.length === 0 || entitlementIds.length === 0)
    return { runMonths: runs.map((r) => r.month), paid: [] };
  const monthOfRun = new Map(runs.map((r) => [r.id, r.month]));
  const lines = await ex.orm
    .select({
      runId: payrollLines.runId,
      kind: payrollLines.kind,
      amountFen: payrollLines.amountFen,
    })
    .from(payrollLines)
    .where(
      and(
        eq(payrollLines.regionCode, regionCode),
        inArray(payrollLines.runId, [...monthOfRun.keys()]),
        inArray(payrollLines.entitlementId, entitlementIds),
        isNull(payrollLines.reissueOf),
      ),
    );
  // Months the old decision paid with its arrears (approved after the payroll ran them) paid too.
  const arrears = await arrearsPaidOf(ex, { regionCode, entitlementIds, fromMonth: from });
  const paid = [
    ...lines.map((l) => ({
      month: monthOfRun.get(l.runId ?? '') ?? '',
      kind: l.kind,
      amountFen: l.amountFen,
    })),
    ...arrears.map((a) => ({ month: a.month, kind: a.kind, amountFen: a.amountFen })),
  ];
  return { runMonths: runs.map((r) => r.month), paid };
}

/**
 * The plan from the basis and the new items, under `rules` (the proposal's rule set, pinned at the
 * apply). Reads the old decision's entitlements and the payroll; writes nothing.
 */
export async function regradePlanOf(
  ex: Executor,
  rules: RuleSet,
  input: { regionCode: string; basis: RegradeBasis; items: readonly DecisionItem[] },
): Promise<Result<RegradePlan, 'rules.parameter_missing'>> {
  const { basis, regionCode } = input;
  const { revisit } = basis;
  const rule = regradeRule(rules, regionCode, revisit.kind, revisit.concludedOn);
  if (!rule.ok) return rule;
  const startsOn = regradeStartsOn(rule.value.start, {
    originalOn: revisit.originalConcludedOn,
    newOn: revisit.concludedOn,
  });
  const old = await ex.orm
    .select({
      id: benefitEntitlements.id,
      kind: benefitEntitlements.kind,
      startsOn: benefitEntitlements.startsOn,
      endsOn: benefitEntitlements.endsOn,
      status: benefitEntitlements.status,
    })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.decisionId, basis.approved.id),
      ),
    )
    .orderBy(asc(benefitEntitlements.id));
  const entitlements = entitlementsOf(input.items, startsOn);
  const { runMonths, paid } = await paidSince(
    ex,
    regionCode,
    old.map((e) => e.id),
    monthOf(startsOn),
  );
  const lumpSum = lumpSumAdjustment(rule.value.lumpSum, basis.approved.items, input.items);
  const arrears = arrearsOf({ startsOn, runMonths, paid, entitlements });
  return ok({
    kind: revisit.kind,
    replacesDecisionId: basis.approved.id,
    previousAppraisalId: revisit.previousAppraisalId,
    originalConcludedOn: revisit.originalConcludedOn,
    newConcludedOn: revisit.concludedOn,
    startsOn,
    rule: rule.value,
    endings: endingsOf(
      old.filter((e) => e.status === 'active'),
      startsOn,
    ),
    entitlements,
    lumpSum,
    arrears,
    ...moneyOf(lumpSum, arrears),
  });
}
