import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { textOf } from '../../db/rows.ts';
import { benefitDecisions, benefitParameterSnapshots } from '../../db/schema.ts';
import { calculationInputOf } from '../../domain/benefits/decision-input.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import {
  BENEFIT_REGRADE_ACTION,
  type RegradePayload,
  type RegradePlan,
  regradePayload,
} from '../../domain/benefits/regrade.ts';
import { storedInput, storedWageMonths } from '../../domain/benefits/stored-decision.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { regradeRule } from '../../rules/benefits/regrade-rule.ts';
import {
  type CalculationRefusalCode,
  type CalculationResult,
  calculateFromUnknown,
  type RuleSet,
} from '../../rules/calculator/index.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { payloadHash, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { loadBenefitCase } from './benefit-case-facts.ts';
import { supersedeDecisions } from './benefit-decision-propose.ts';
import {
  type RegradeBasis,
  type RegradeBasisRefusalCode,
  regradeBasis,
  regradePlanOf,
} from './benefit-regrade-state.ts';
import { retirementOfWorker } from './benefit-retirement.ts';

/**
 * The handler proposes a regrade decision (重新核定) of a case whose approved benefit decision rests
 * on a conclusion a re-appraisal (再次鉴定) or review (复查鉴定) has since changed: the same engine as
 * the first decision runs on the new grade with the same wage months (the 本人工资 does not change),
 * the plan (src/domain/benefits/regrade.ts) says what ends, what starts, what is paid and what waits
 * for a person, and an approval of the exact payload is asked for (maker-checker). A new regrade
 * proposal supersedes the open one. One transaction.
 */
export type RegradeProposeRefusalCode =
  | 'benefit.case_not_found'
  | 'benefit.regrade_after_indexation'
  | 'benefit.regrade_after_retirement'
  | RegradeBasisRefusalCode
  | CalculationRefusalCode
  | 'rules.parameter_missing';

export type RegradeProposeRequest = {
  regionCode: string;
  caseId: string;
  /** The legal date of the proposal (the case event's date). */
  on: IsoDate;
  policy: ApprovalPolicy;
};

export type RegradeProposal = { decisionId: string; approvalId: string; payload: RegradePayload };

type Computed = { basis: RegradeBasis; input: unknown; result: CalculationResult };
type Planned = Computed & { plan: RegradePlan; workerId: string };

/** The new grade through the public calculator, dated on the conclusion the rule counts from. */
function calculate(
  rules: RuleSet,
  benefitCase: Parameters<typeof calculationInputOf>[0]['caseFacts'],
  basis: RegradeBasis,
  eventOn: IsoDate,
): Result<Computed, CalculationRefusalCode> {
  const previousInput = storedInput(basis.approved.calculationInput);
  const input = calculationInputOf({
    caseFacts: benefitCase,
    appraisal: basis.revisit,
    grade: basis.revisit.grade,
    concludedOn: eventOn,
    wageMonths: storedWageMonths(basis.approved.wageMonths),
    employerArrangedWork: previousInput.employerArrangedWork,
  });
  const calculated = calculateFromUnknown(input, rules);
  if (!calculated.ok && calculated.status === 422)
    return refuse(calculated.body.code, calculated.body.detail, calculated.body.details);
  invariant(
    calculated.ok,
    `the regrade built an invalid input: ${JSON.stringify(calculated.body)}`,
  );
  return ok({ basis, input, result: calculated.body });
}

async function plan(
  tx: Executor,
  rules: RuleSet,
  request: RegradeProposeRequest,
): Promise<Result<Planned, RegradeProposeRefusalCode>> {
  const benefitCase = await loadBenefitCase(tx, request.regionCode, request.caseId, { lock: true });
  if (benefitCase === null)
    return refuse(
      'benefit.case_not_found',
      `case ${request.caseId} not found in ${request.regionCode}`,
    );
  const basis = await regradeBasis(tx, benefitCase);
  if (!basis.ok) return basis;
  const indexed = await indexationOf(tx, request.regionCode, basis.value.approved.id);
  if (indexed !== null)
    return refuse(
      'benefit.regrade_after_indexation',
      `indexation batch ${indexed} adjusted this decision's entitlements; a regrade computes the new amounts from the calculation and would drop that adjustment, which is not supported yet: nothing was changed`,
      { batchId: indexed },
    );
  // A retirement (第三十五条第一款第（三）项) ended the 伤残津贴 and left the fund's difference on the same
  // decision: a regrade would end that difference and start a full 伤残津贴 again.
  const retired = await retirementOfWorker(tx, request.regionCode, benefitCase.workerId);
  if (retired !== null)
    return refuse(
      'benefit.regrade_after_retirement',
      `the worker retired on ${retired.retiredOn} (retirement ${retired.id}): a regrade would restart the 伤残津贴 the retirement ended; recomputing the fund's difference on a new grade is not supported yet: nothing was changed`,
      { retirementId: retired.id },
    );
  // The calculator is dated on the conclusion the region's rule counts from (河南's re-appraisal:
  // the original one), so its own start month agrees with the plan's.
  const { revisit } = basis.value;
  const rule = regradeRule(rules, request.regionCode, revisit.kind, revisit.concludedOn);
  if (!rule.ok) return rule;
  const eventOn =
    rule.value.start === 'month_after_original_conclusion'
      ? revisit.originalConcludedOn
      : revisit.concludedOn;
  const computed = calculate(rules, benefitCase, basis.value, eventOn);
  if (!computed.ok) return computed;
  const planned = await regradePlanOf(tx, rules, {
    regionCode: request.regionCode,
    basis: basis.value,
    items: computed.value.result.items,
  });
  if (!planned.ok) return planned;
  return ok({ ...computed.value, plan: planned.value, workerId: benefitCase.workerId });
}

/**
 * The indexation batch (待遇调整) whose successor entitlements stand on the approved decision, or
 * null. An indexation keeps the decision and replaces its entitlements with higher amounts
 * (indexation-apply.ts); a regrade starts again from the calculator's amounts, so until it carries
 * the adjustments over it must refuse rather than silently lower them.
 */
async function indexationOf(
  tx: Executor,
  regionCode: string,
  decisionId: string,
): Promise<string | null> {
  const r = await tx.query(
    `SELECT l.batch_id FROM benefit_indexation_lines l
       JOIN benefit_entitlements e ON e.region_code = l.region_code AND e.id = l.new_entitlement_id
      WHERE e.region_code = $1 AND e.decision_id = $2
      ORDER BY l.batch_id LIMIT 1`,
    [regionCode, decisionId],
  );
  const row = r.rows[0];
  return row === undefined ? null : textOf(row, 'batch_id');
}

/** Supersedes the case's open regrade proposal (regradeBasis refused a first decision's). */
async function supersedeOpen(tx: Executor, request: RegradeProposeRequest): Promise<void> {
  const open = await tx.orm
    .select({ id: benefitDecisions.id })
    .from(benefitDecisions)
    .where(
      and(
        eq(benefitDecisions.regionCode, request.regionCode),
        eq(benefitDecisions.caseId, request.caseId),
        eq(benefitDecisions.status, 'proposed'),
      ),
    );
  await supersedeDecisions(tx, request, open);
}

async function store(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  request: RegradeProposeRequest,
  planned: Planned,
): Promise<RegradeProposal> {
  const decisionId = `bdc_${request.regionCode}_${randomBytes(8).toString('hex')}`;
  const { result, basis } = planned;
  const wageMonths = storedWageMonths(basis.approved.wageMonths);
  invariant(result.snapshotId === rules.snapshotId, 'the calculation ran on another rule set');
  const payload = regradePayload(
    {
      decisionId,
      caseId: request.caseId,
      workerId: planned.workerId,
      appraisalId: basis.revisit.id,
      wageMonths,
      baseWageFen: result.baseWageFen,
      items: result.items,
      fundLumpSumTotalFen: planned.plan.fundTotalFen,
      snapshotId: result.snapshotId,
      death: null,
    },
    planned.plan,
  );
  await tx.orm
    .insert(benefitParameterSnapshots)
    .values({ snapshotId: rules.snapshotId, content: snapshotContentOf(rules) })
    .onConflictDoNothing();
  const approval = await requestApproval(tx, actor, {
    regionCode: request.regionCode,
    action: BENEFIT_REGRADE_ACTION,
    payload,
    amountFen: planned.plan.fundTotalFen,
    policy: request.policy,
  });
  await tx.orm.insert(benefitDecisions).values({
    regionCode: request.regionCode,
    id: decisionId,
    caseId: request.caseId,
    appraisalId: basis.revisit.id,
    workerId: planned.workerId,
    status: 'proposed',
    calculationInput: planned.input,
    calculationResult: result,
    wageMonths,
    wageEvidence: null,
    snapshotId: result.snapshotId,
    payloadSha256: payloadHash(payload),
    approvalId: approval.id,
    proposedBy: actor.username,
    replacesDecisionId: basis.approved.id,
    regrade: planned.plan,
  });
  return { decisionId, approvalId: approval.id, payload };
}

export async function proposeRegrade(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: RegradeProposeRequest,
): Promise<Result<RegradeProposal, RegradeProposeRefusalCode>> {
  return db
    .transaction(async (tx) => {
      const planned = await plan(tx, rules, request);
      if (!planned.ok) throw new Refused(planned);
      await supersedeOpen(tx, request);
      const proposal = await store(tx, actor, rules, request, planned.value);
      const { plan: p } = proposal.payload;
      await appendCaseEvent(tx, {
        regionCode: request.regionCode,
        caseId: request.caseId,
        kind: 'benefit.regrade_proposed',
        occurredOn: request.on,
        data: {
          decisionId: proposal.decisionId,
          approvalId: proposal.approvalId,
          replacesDecisionId: p.replacesDecisionId,
          startsOn: p.startsOn,
          fundTotalFen: p.fundTotalFen,
          heldFen: p.held.reduce((s, h) => s + h.amountFen, 0),
        },
        recordedBy: actor.userId,
      });
      await appendAudit(
        tx,
        okEventOf(
          actor,
          'benefits.regrade.propose',
          `benefit-decision/${request.regionCode}/${proposal.decisionId}`,
          { caseId: request.caseId, approvalId: proposal.approvalId, kind: p.kind },
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
  constructor(readonly refusal: Refusal<RegradeProposeRefusalCode>) {
    super(refusal.message);
  }
}
