import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  appraisals,
  benefitDecisions,
  benefitEntitlements,
  benefitParameterSnapshots,
  benefitSeparationCases,
  benefitSeparations,
} from '../../db/schema.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import {
  BENEFIT_SEPARATION_ACTION,
  type CombinedSeparation,
  checkSeparation,
  type EntitlementEnd,
  entitlementEnds,
  highestGradeCase,
  type SeparationPayload,
  type SeparationReason,
  type SeparationRefusalCode,
  separationDecisionIds,
  separationInputOf,
  separationPayload,
} from '../../domain/benefits/separation-decision.ts';
import { storedResult } from '../../domain/benefits/stored-decision.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RetirementAge } from '../../rules/benefits/near-retirement.ts';
import { type SeparationEnds, separationEndsOf } from '../../rules/benefits/separation.ts';
import {
  type CalculationRefusalCode,
  type CalculationResult,
  calculateFromUnknown,
  type RuleSet,
} from '../../rules/calculator/index.ts';
import { makeContext } from '../../rules/context.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { payloadHash, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { type BenefitCase, loadBenefitCase } from './benefit-case-facts.ts';
import { lockOtherInjuries, otherInjuriesAtEmployer } from './separation-other-injuries.ts';

/**
 * The handler records a grade 5–10 worker's separation (解除或者终止劳动关系) on a case with an
 * approved benefit decision and proposes its grants: the approved decision's calculator input plus
 * the separation runs through the public calculator (`calculateFromUnknown`), only the separation
 * items are decided, the parameter snapshot is pinned and an approval of the exact payload is asked
 * for (maker-checker). A new proposal supersedes the open one; an approved separation refuses any
 * other. One transaction.
 */
export type SeparationProposeRefusalCode =
  | 'benefit.case_not_found'
  | 'benefit.separation_no_decision'
  | 'benefit.separation_already_decided'
  | 'benefit.separation_multiple_injuries'
  | 'benefit.separation_covered_case_open'
  | 'benefit.separation_cases_changed'
  | SeparationRefusalCode
  | CalculationRefusalCode;

export type SeparationRequest = {
  regionCode: string;
  caseId: string;
  date: IsoDate;
  reason: SeparationReason;
  /** The worker's statutory retirement age (the registry holds the birth date, not the age). */
  retirementAge: RetirementAge;
  /** The legal date of the proposal (the case event's date). */
  on: IsoDate;
  policy: ApprovalPolicy;
};

export type SeparationProposal = {
  separationId: string;
  approvalId: string;
  payload: SeparationPayload;
};

type ApprovedDecision = {
  id: string;
  grade: number;
  calculationInput: Record<string, unknown>;
};

async function approvedDecision(
  tx: Executor,
  regionCode: string,
  caseId: string,
): Promise<ApprovedDecision | null> {
  const [row] = await tx.orm
    .select({
      id: benefitDecisions.id,
      calculationInput: benefitDecisions.calculationInput,
      grade: appraisals.disabilityGrade,
    })
    .from(benefitDecisions)
    .innerJoin(
      appraisals,
      and(
        eq(appraisals.regionCode, benefitDecisions.regionCode),
        eq(appraisals.id, benefitDecisions.appraisalId),
      ),
    )
    .where(
      and(
        eq(benefitDecisions.regionCode, regionCode),
        eq(benefitDecisions.caseId, caseId),
        eq(benefitDecisions.status, 'approved'),
        // A death decision (the worker died) has no labour relationship left to end.
        eq(benefitDecisions.kind, 'disability'),
      ),
    );
  if (row === undefined) return null;
  const input = row.calculationInput;
  invariant(
    input !== null && typeof input === 'object' && !Array.isArray(input),
    `decision ${row.id} stored no calculator input object`,
  );
  invariant(row.grade !== null, `approved decision ${row.id} rests on an ungraded appraisal`);
  return { id: row.id, grade: row.grade, calculationInput: { ...input } };
}

/** The active entitlements of the decision the separation ends (《工伤保险条例》第三十六条第一款第（二）项). */
export async function endsOf(
  ex: Executor,
  regionCode: string,
  decisionId: string,
  date: IsoDate,
  ends: SeparationEnds,
): Promise<EntitlementEnd[]> {
  const active = await ex.orm
    .select({
      id: benefitEntitlements.id,
      kind: benefitEntitlements.kind,
      startsOn: benefitEntitlements.startsOn,
    })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.decisionId, decisionId),
        eq(benefitEntitlements.status, 'active'),
      ),
    );
  return entitlementEnds(active, date, ends);
}

/**
 * A combined separation (《浙江省工伤保险条例》第二十八条): every case it covers, the requested one
 * among them, the grade the grants follow and the article's words for the letter.
 */
export type CombinedPlan = CombinedSeparation & { quote: string; latestInjury: IsoDate };

type Planned = {
  benefitCase: BenefitCase;
  /** The approved decision whose input the grants run on: the case's own, or, combined, the highest grade's. */
  decision: ApprovedDecision;
  retirementDate: IsoDate;
  input: Record<string, unknown>;
  result: CalculationResult;
  /** Which periodic items the separation ends in this province on its date. */
  ends: SeparationEnds;
  combined: CombinedPlan | null;
};

/**
 * The cases one separation covers: the requested case alone, or with the worker's other graded
 * cases at the employer where the province grants the separation once (第二十八条); the other
 * cases are locked after the requested one, so two proposals covering them cannot both pass, and
 * read again under their locks (a change in between is refused: propose again).
 */
async function coverage(
  tx: Executor,
  rules: RuleSet,
  request: SeparationRequest,
  benefitCase: BenefitCase,
  own: ApprovedDecision,
): Promise<Result<CombinedPlan | null, SeparationProposeRefusalCode>> {
  const found = await otherInjuriesAtEmployer(
    tx,
    rules,
    request.regionCode,
    benefitCase,
    request.date,
  );
  if (!found.ok) return found;
  if (found.value === null) return ok(null);
  const { citation, quote } = found.value;
  const locked = await lockOtherInjuries(tx, request.regionCode, benefitCase, found.value.others);
  if (!locked.ok) return locked;
  const others = locked.value;
  const cases = [
    { caseId: benefitCase.id, decisionId: own.id, grade: own.grade },
    ...others.map((o) => ({ caseId: o.caseId, decisionId: o.decisionId, grade: o.grade })),
  ];
  // ISO dates order as strings: the last injury the separation covers.
  let latestInjury = benefitCase.accidentDate;
  for (const o of others) if (o.accidentDate > latestInjury) latestInjury = o.accidentDate;
  const lead = highestGradeCase(request.caseId, cases);
  return ok({ grade: lead.grade, citation, quote, cases, latestInjury });
}

/** The decision the grants run on: combined, the highest grade's (one of the covered cases). */
async function grantDecision(
  tx: Executor,
  request: SeparationRequest,
  own: ApprovedDecision,
  combined: CombinedPlan | null,
): Promise<ApprovedDecision> {
  if (combined === null) return own;
  const lead = highestGradeCase(request.caseId, combined.cases);
  if (lead.decisionId === own.id) return own;
  const decision = await approvedDecision(tx, request.regionCode, lead.caseId);
  invariant(decision?.id === lead.decisionId, `case ${lead.caseId}: its approved decision moved`);
  return decision;
}

async function plan(
  tx: Executor,
  rules: RuleSet,
  request: SeparationRequest,
): Promise<Result<Planned, SeparationProposeRefusalCode>> {
  const benefitCase = await loadBenefitCase(tx, request.regionCode, request.caseId, { lock: true });
  if (benefitCase === null)
    return refuse(
      'benefit.case_not_found',
      `case ${request.caseId} not found in ${request.regionCode}`,
    );
  const own = await approvedDecision(tx, request.regionCode, request.caseId);
  if (own === null)
    return refuse(
      'benefit.separation_no_decision',
      'the case has no approved benefit decision: the separation grants follow the grade it decided; approve the decision first',
    );
  const combined = await coverage(tx, rules, request, benefitCase, own);
  if (!combined.ok) return combined;
  const decision = await grantDecision(tx, request, own, combined.value);
  const checked = checkSeparation({
    grade: decision.grade,
    reason: request.reason,
    date: request.date,
    // Combined, the separation follows every injury it covers.
    injuryDate: combined.value?.latestInjury ?? benefitCase.accidentDate,
    birthDate: benefitCase.worker.birthDate,
    retirementAge: request.retirementAge,
    on: request.on,
  });
  if (!checked.ok) return checked;
  const calculated = calculate(rules, request, benefitCase, decision);
  if (!calculated.ok) return calculated;
  const ends = separationEndsOf(makeContext(rules, request.regionCode, {}, false), request.date);
  if (!ends.ok) return ends;
  return ok({
    benefitCase,
    decision,
    retirementDate: checked.value.retirementDate,
    ...calculated.value,
    ends: ends.value,
    combined: combined.value,
  });
}

/** The approved decision's input plus the separation, through the public calculator's own entry point. */
function calculate(
  rules: RuleSet,
  request: SeparationRequest,
  benefitCase: BenefitCase,
  decision: ApprovedDecision,
): Result<{ input: Record<string, unknown>; result: CalculationResult }, CalculationRefusalCode> {
  const input = separationInputOf(decision.calculationInput, {
    date: request.date,
    birthDate: benefitCase.worker.birthDate,
    retirementAge: request.retirementAge,
  });
  // The public calculator's own entry point, so the case and POST /api/v1/calculations agree.
  const calculated = calculateFromUnknown(input, rules);
  if (!calculated.ok && calculated.status === 422)
    return refuse(calculated.body.code, calculated.body.detail, calculated.body.details);
  invariant(
    calculated.ok,
    `the separation built an invalid calculator input: ${JSON.stringify(calculated.body)}`,
  );
  return ok({ input, result: calculated.body });
}

type OpenSeparation = { id: string; caseId: string; status: 'proposed' | 'approved' };

/**
 * The open (proposed or approved) separations of the cases: each one's own, and those that cover
 * them (benefit_separation_cases, 0048), each with the case it was found by (a separation
 * covering several of the cases is listed once for each).
 */
export async function openSeparationsOf(
  ex: Executor,
  regionCode: string,
  caseIds: readonly string[],
): Promise<(OpenSeparation & { foundBy: string })[]> {
  const open = inArray(benefitSeparations.status, ['proposed', 'approved']);
  const own = await ex.orm
    .select({
      id: benefitSeparations.id,
      caseId: benefitSeparations.caseId,
      foundBy: benefitSeparations.caseId,
      status: benefitSeparations.status,
    })
    .from(benefitSeparations)
    .where(
      and(
        eq(benefitSeparations.regionCode, regionCode),
        inArray(benefitSeparations.caseId, [...caseIds]),
        open,
      ),
    );
  const covering = await ex.orm
    .select({
      id: benefitSeparations.id,
      caseId: benefitSeparations.caseId,
      foundBy: benefitSeparationCases.caseId,
      status: benefitSeparations.status,
    })
    .from(benefitSeparationCases)
    .innerJoin(
      benefitSeparations,
      and(
        eq(benefitSeparations.regionCode, benefitSeparationCases.regionCode),
        eq(benefitSeparations.id, benefitSeparationCases.separationId),
      ),
    )
    .where(
      and(
        eq(benefitSeparationCases.regionCode, regionCode),
        inArray(benefitSeparationCases.caseId, [...caseIds]),
        open,
      ),
    );
  const rows = [...own, ...covering].map((r) => {
    invariant(r.status !== 'superseded', 'an open separation');
    return { ...r, status: r.status };
  });
  return rows;
}

/**
 * Supersedes the case's own open proposal; refuses when the case is separated already (its own
 * separation or one covering it is approved: once only), or when another case the separation would
 * cover has an open separation of its own (decide or re-propose that one first).
 */
async function supersedeOpen(
  tx: Executor,
  request: SeparationRequest,
  combined: CombinedPlan | null,
): Promise<Refusal<SeparationProposeRefusalCode> | null> {
  const coveredIds = combined?.cases.map((c) => c.caseId) ?? [request.caseId];
  const open = await openSeparationsOf(tx, request.regionCode, coveredIds);
  const separated = open.find((s) => s.status === 'approved' && s.foundBy === request.caseId);
  if (separated !== undefined)
    return refuse(
      'benefit.separation_already_decided',
      `the case's separation ${separated.id} is approved: the labour relationship ends once and its grants are paid once`,
      { separationId: separated.id },
    );
  const other = open.find((s) => s.caseId !== request.caseId);
  if (other !== undefined)
    return refuse(
      'benefit.separation_covered_case_open',
      `case ${other.foundBy}, which this separation would cover (${combined?.citation ?? 'one separation per case'}: the grants once, at the highest grade), has the ${other.status} separation ${other.id} (of case ${other.caseId}): ${other.status === 'approved' ? 'the worker is separated already' : 'apply it, or propose again on that case'}`,
      {
        caseId: other.foundBy,
        separationId: other.id,
        separationCaseId: other.caseId,
        status: other.status,
      },
    );
  // Only the case's own proposals are left (a separation is found once per case it covers).
  for (const s of open.filter((r, i) => open.findIndex((q) => q.id === r.id) === i)) {
    await tx.orm
      .update(benefitSeparations)
      .set({ status: 'superseded' })
      .where(
        and(eq(benefitSeparations.regionCode, request.regionCode), eq(benefitSeparations.id, s.id)),
      );
    await appendCaseEvent(tx, {
      regionCode: request.regionCode,
      caseId: request.caseId,
      kind: 'benefit.separation_superseded',
      occurredOn: request.on,
      data: { separationId: s.id },
      recordedBy: 'system',
    });
  }
  return null;
}

async function store(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  request: SeparationRequest,
  planned: Planned,
): Promise<SeparationProposal> {
  const separationId = `bsp_${request.regionCode}_${randomBytes(8).toString('hex')}`;
  const { result, benefitCase, decision } = planned;
  invariant(result.snapshotId === rules.snapshotId, 'the calculation ran on another rule set');
  const payload = separationPayload({
    separationId,
    caseId: request.caseId,
    decisionId: decision.id,
    workerId: benefitCase.workerId,
    date: request.date,
    reason: request.reason,
    birthDate: benefitCase.worker.birthDate,
    retirementDate: planned.retirementDate,
    items: storedResult(result).items,
    entitlementEnds: await coveredEnds(
      tx,
      request.regionCode,
      separationDecisionIds(planned.decision.id, planned.combined?.cases ?? []),
      request.date,
      planned.ends,
    ),
    snapshotId: result.snapshotId,
    combined: combinedOf(planned.combined),
  });
  await tx.orm
    .insert(benefitParameterSnapshots)
    .values({ snapshotId: rules.snapshotId, content: snapshotContentOf(rules) })
    .onConflictDoNothing();
  const approval = await requestApproval(tx, actor, {
    regionCode: request.regionCode,
    action: BENEFIT_SEPARATION_ACTION,
    payload,
    amountFen: payload.fundLumpSumTotalFen,
    policy: request.policy,
  });
  await tx.orm.insert(benefitSeparations).values({
    regionCode: request.regionCode,
    id: separationId,
    caseId: request.caseId,
    decisionId: decision.id,
    workerId: benefitCase.workerId,
    status: 'proposed',
    separationDate: request.date,
    reason: request.reason,
    birthDate: benefitCase.worker.birthDate,
    retirementAgeYears: request.retirementAge.years,
    retirementAgeMonths: request.retirementAge.months,
    retirementDate: planned.retirementDate,
    calculationInput: planned.input,
    calculationResult: result,
    snapshotId: result.snapshotId,
    payloadSha256: payloadHash(payload),
    approvalId: approval.id,
    proposedBy: actor.username,
  });
  if (planned.combined !== null)
    await tx.orm
      .insert(benefitSeparationCases)
      .values(
        planned.combined.cases.map((c) => ({ regionCode: request.regionCode, separationId, ...c })),
      );
  return { separationId, approvalId: approval.id, payload };
}

function combinedOf(plan: CombinedPlan | null): CombinedSeparation | null {
  if (plan === null) return null;
  return { grade: plan.grade, citation: plan.citation, cases: plan.cases };
}

/** The ends of every decision, one list in entitlement order (the payload's order). */
export async function coveredEnds(
  ex: Executor,
  regionCode: string,
  decisionIds: readonly string[],
  date: IsoDate,
  ends: SeparationEnds,
): Promise<EntitlementEnd[]> {
  const all: EntitlementEnd[] = [];
  for (const id of decisionIds) all.push(...(await endsOf(ex, regionCode, id, date, ends)));
  return all.sort((a, b) => (a.entitlementId < b.entitlementId ? -1 : 1));
}

export async function proposeSeparation(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: SeparationRequest,
): Promise<Result<SeparationProposal, SeparationProposeRefusalCode>> {
  return db
    .transaction(async (tx) => {
      const planned = await plan(tx, rules, request);
      if (!planned.ok) throw new Refused(planned);
      const blocked = await supersedeOpen(tx, request, planned.value.combined);
      if (blocked !== null) throw new Refused(blocked);
      const proposal = await store(tx, actor, rules, request, planned.value);
      // Every case the separation covers shows it on its timeline.
      for (const caseId of planned.value.combined?.cases.map((c) => c.caseId) ?? [request.caseId])
        await appendCaseEvent(tx, {
          regionCode: request.regionCode,
          caseId,
          kind: 'benefit.separation_proposed',
          occurredOn: request.on,
          data: {
            separationId: proposal.separationId,
            approvalId: proposal.approvalId,
            date: request.date,
            reason: request.reason,
            fundLumpSumTotalFen: proposal.payload.fundLumpSumTotalFen,
            ...(caseId === request.caseId ? {} : { coveredBy: request.caseId }),
          },
          recordedBy: actor.userId,
        });
      await appendAudit(
        tx,
        okEventOf(
          actor,
          'benefits.separation.propose',
          `benefit-separation/${request.regionCode}/${proposal.separationId}`,
          {
            caseId: request.caseId,
            approvalId: proposal.approvalId,
            snapshotId: proposal.payload.snapshotId,
            ...(proposal.payload.combined === undefined
              ? {}
              : { coveredCases: proposal.payload.combined.cases.map((c) => c.caseId) }),
          },
        ),
      );
      return ok(proposal);
    })
    .catch((err: unknown) => {
      if (err instanceof Refused) return err.refusal;
      throw err;
    });
}

/** Carries a refusal out of the transaction so it rolls back. */
class Refused extends Error {
  constructor(readonly refusal: Refusal<SeparationProposeRefusalCode>) {
    super(refusal.message);
  }
}
