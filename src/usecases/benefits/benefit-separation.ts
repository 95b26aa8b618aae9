import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  appraisals,
  benefitDecisions,
  benefitEntitlements,
  benefitParameterSnapshots,
  benefitSeparations,
} from '../../db/schema.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import {
  BENEFIT_SEPARATION_ACTION,
  checkSeparation,
  type EntitlementEnd,
  entitlementEnds,
  type SeparationPayload,
  type SeparationReason,
  type SeparationRefusalCode,
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
import { otherInjuriesAtEmployer } from './separation-other-injuries.ts';

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

type Planned = {
  benefitCase: BenefitCase;
  decision: ApprovedDecision;
  retirementDate: IsoDate;
  input: Record<string, unknown>;
  result: CalculationResult;
  /** Which periodic items the separation ends in this province on its date. */
  ends: SeparationEnds;
};

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
  const decision = await approvedDecision(tx, request.regionCode, request.caseId);
  if (decision === null)
    return refuse(
      'benefit.separation_no_decision',
      'the case has no approved benefit decision: the separation grants follow the grade it decided; approve the decision first',
    );
  const others = await otherInjuriesAtEmployer(
    tx,
    rules,
    request.regionCode,
    benefitCase,
    request.date,
  );
  if (others !== null) return others;
  const checked = checkSeparation({
    grade: decision.grade,
    reason: request.reason,
    date: request.date,
    injuryDate: benefitCase.accidentDate,
    birthDate: benefitCase.worker.birthDate,
    retirementAge: request.retirementAge,
    on: request.on,
  });
  if (!checked.ok) return checked;
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
  const retirementDate = checked.value.retirementDate;
  const ends = separationEndsOf(makeContext(rules, request.regionCode, {}, false), request.date);
  if (!ends.ok) return ends;
  return ok({
    benefitCase,
    decision,
    retirementDate,
    input,
    result: calculated.body,
    ends: ends.value,
  });
}

/** Supersedes the case's open separation; refuses when one is approved already (once only). */
async function supersedeOpen(
  tx: Executor,
  request: SeparationRequest,
): Promise<Refusal<'benefit.separation_already_decided'> | null> {
  const open = await tx.orm
    .select({ id: benefitSeparations.id, status: benefitSeparations.status })
    .from(benefitSeparations)
    .where(
      and(
        eq(benefitSeparations.regionCode, request.regionCode),
        eq(benefitSeparations.caseId, request.caseId),
        inArray(benefitSeparations.status, ['proposed', 'approved']),
      ),
    );
  const approved = open.find((s) => s.status === 'approved');
  if (approved !== undefined)
    return refuse(
      'benefit.separation_already_decided',
      `the case's separation ${approved.id} is approved: the labour relationship ends once and its grants are paid once`,
      { separationId: approved.id },
    );
  for (const s of open) {
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
    entitlementEnds: await endsOf(tx, request.regionCode, decision.id, request.date, planned.ends),
    snapshotId: result.snapshotId,
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
  return { separationId, approvalId: approval.id, payload };
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
      const blocked = await supersedeOpen(tx, request);
      if (blocked !== null) throw new Refused(blocked);
      const proposal = await store(tx, actor, rules, request, planned.value);
      await appendCaseEvent(tx, {
        regionCode: request.regionCode,
        caseId: request.caseId,
        kind: 'benefit.separation_proposed',
        occurredOn: request.on,
        data: {
          separationId: proposal.separationId,
          approvalId: proposal.approvalId,
          date: request.date,
          reason: request.reason,
          fundLumpSumTotalFen: proposal.payload.fundLumpSumTotalFen,
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
