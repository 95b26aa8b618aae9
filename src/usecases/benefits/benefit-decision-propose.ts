import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitDecisions, benefitParameterSnapshots } from '../../db/schema.ts';
import {
  type DeathFactsRefusalCode,
  type DeathGradeRefusalCode,
  type DecisionDeath,
  deathCalculationInputOf,
  deathFactsRefusal,
  deathGrade,
} from '../../domain/benefits/death-case.ts';
import {
  calculationInputOf,
  type DecisionInputRefusalCode,
  decisionFacts,
} from '../../domain/benefits/decision-input.ts';
import {
  BENEFIT_DECISION_ACTION,
  type BenefitDecisionPayload,
  type DecisionArrears,
  decisionPayload,
  entitlementsOf,
} from '../../domain/benefits/decision-payload.ts';
import { fundLumpSums } from '../../domain/benefits/ledger-postings.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import type { DecisionItem } from '../../domain/benefits/stored-decision.ts';
import {
  type EnteredWage,
  mergeWageMonths,
  type WageMonth,
  type WageRefusalCode,
  wageWindow,
} from '../../domain/benefits/wage-months.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { periodicStart } from '../../rules/benefits/periodic-start.ts';
import {
  type CalculationInputBody,
  type CalculationRefusalCode,
  type CalculationResult,
  calculateFromUnknown,
  type RuleSet,
} from '../../rules/calculator/index.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { payloadHash, requestApproval, withdrawApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import {
  type BenefitCase,
  type CaseDeath,
  caseDeathOf,
  declaredWages,
  latestConcludedAppraisal,
  loadBenefitCase,
} from './benefit-case-facts.ts';
import { type DecisionArrearsCode, decisionArrearsNow } from './benefit-decision-arrears.ts';

/**
 * The handler proposes the benefit decision of a case (工伤保险待遇核定): the calculator's input is
 * built from the case, the latest concluded appraisal and the wage months (declared, else entered
 * with evidence); the same engine as the public calculator runs; the decision is stored with the
 * parameter snapshot and an approval of its exact payload is asked for (maker-checker). A new
 * proposal supersedes the open one, whose approval then no longer fits. One transaction.
 */
export type ProposeRefusalCode =
  | 'benefit.case_not_found'
  | 'benefit.decision_already_approved'
  | DecisionInputRefusalCode
  | DeathFactsRefusalCode
  | DeathGradeRefusalCode
  | WageRefusalCode
  | CalculationRefusalCode
  | DecisionArrearsCode;

export type ProposeRequest = {
  regionCode: string;
  caseId: string;
  enteredWages: readonly EnteredWage[];
  wageEvidence: string | null;
  /** Grades 5–6: the employer arranged work, so no 伤残津贴 (《工伤保险条例》第三十六条第一款第（二）项). */
  employerArrangedWork: boolean;
  /** The legal date of the proposal (the case event's date). */
  on: IsoDate;
  policy: ApprovalPolicy;
};

export type Proposal = {
  decisionId: string;
  approvalId: string;
  payload: BenefitDecisionPayload;
};

type Planned = {
  benefitCase: BenefitCase;
  /** The months the city's payroll already ran from the items' start (null: none). */
  arrears: DecisionArrears | null;
  /** The appraisal the decision rests on (null: a death decision that needs none). */
  appraisalId: string | null;
  death: DecisionDeath | null;
  wageMonths: WageMonth[];
  input: unknown;
  result: CalculationResult;
};

/** What the calculator's input needs besides the wage months, by kind of case. */
type Basis = {
  appraisalId: string | null;
  /** What the monthly items start from (payment.periodic_start): the conclusion or the death. */
  event: IsoDate;
  death: DecisionDeath | null;
  inputOf: (wageMonths: readonly WageMonth[]) => CalculationInputBody;
};

/** A disability case: the latest concluded, graded appraisal. */
async function disabilityBasis(
  tx: Executor,
  request: ProposeRequest,
  benefitCase: BenefitCase,
): Promise<Result<Basis, ProposeRefusalCode>> {
  const appraisal = await latestConcludedAppraisal(tx, request.regionCode, request.caseId);
  const facts = decisionFacts(benefitCase, appraisal);
  if (!facts.ok) return facts;
  invariant(appraisal !== null, 'decisionFacts passed without an appraisal');
  return ok({
    appraisalId: appraisal.id,
    event: facts.value.concludedOn,
    death: null,
    inputOf: (wageMonths) =>
      calculationInputOf({
        caseFacts: benefitCase,
        appraisal,
        ...facts.value,
        wageMonths,
        employerArrangedWork: request.employerArrangedWork,
      }),
  });
}

/** A death case (death-facts.ts recorded it): an appraisal only where the circumstance names a grade. */
async function deathBasis(
  tx: Executor,
  request: ProposeRequest,
  benefitCase: BenefitCase,
  death: CaseDeath,
): Promise<Result<Basis, ProposeRefusalCode>> {
  const facts = deathFactsRefusal(benefitCase, { ...death, dependants: [] }, death.diedOn);
  if (!facts.ok) return facts;
  const appraisal = await latestConcludedAppraisal(tx, request.regionCode, request.caseId);
  const grade = deathGrade(death.circumstance, appraisal);
  if (!grade.ok) return grade;
  return ok({
    appraisalId: grade.value === null ? null : (appraisal?.id ?? null),
    event: death.diedOn,
    death: {
      diedOn: death.diedOn,
      circumstance: death.circumstance,
      dependants: death.dependants.map(({ id, ordinal, name, relation }) => ({
        id,
        ordinal,
        name,
        relation,
      })),
    },
    inputOf: (wageMonths) =>
      deathCalculationInputOf({
        caseFacts: benefitCase,
        death,
        dependants: death.dependants,
        grade: grade.value,
        wageMonths,
      }),
  });
}

/**
 * The months already run from the items' start, as the approval will count them. A run of one of
 * those months not yet approved refuses here already, as at the approval: once approved it would
 * change the months owed, and the checker's approval of this proposal would no longer fit.
 */
async function arrearsAtProposal(
  tx: Executor,
  rules: RuleSet,
  regionCode: string,
  input: { event: IsoDate; items: readonly DecisionItem[] },
): Promise<Result<DecisionArrears | null, ProposeRefusalCode>> {
  const start = periodicStart(rules, regionCode, input.event);
  if (!start.ok) return start;
  const found = await decisionArrearsNow(tx, {
    regionCode,
    entitlements: entitlementsOf(input.items, start.value.startsOn),
  });
  return found;
}

async function plan(
  tx: Executor,
  rules: RuleSet,
  request: ProposeRequest,
): Promise<Result<Planned, ProposeRefusalCode>> {
  const benefitCase = await loadBenefitCase(tx, request.regionCode, request.caseId, { lock: true });
  if (benefitCase === null)
    return refuse(
      'benefit.case_not_found',
      `case ${request.caseId} not found in ${request.regionCode}`,
    );
  const death = await caseDeathOf(tx, request.regionCode, request.caseId);
  const basis =
    death === null
      ? await disabilityBasis(tx, request, benefitCase)
      : await deathBasis(tx, request, benefitCase, death);
  if (!basis.ok) return basis;
  const declared = await declaredWages(tx, benefitCase, wageWindow(benefitCase.accidentDate));
  const months = mergeWageMonths({
    injuryDate: benefitCase.accidentDate,
    declared,
    entered: request.enteredWages,
    evidence: request.wageEvidence,
  });
  if (!months.ok) return months;
  const input = basis.value.inputOf(months.value);
  // The public calculator's own entry point, so the case and POST /api/v1/calculations agree.
  const calculated = calculateFromUnknown(input, rules);
  if (!calculated.ok && calculated.status === 422)
    return refuse(calculated.body.code, calculated.body.detail, calculated.body.details);
  invariant(
    calculated.ok,
    `the case built an invalid calculator input: ${JSON.stringify(calculated.body)}`,
  );
  const { appraisalId } = basis.value;
  const arrears = await arrearsAtProposal(tx, rules, request.regionCode, {
    event: basis.value.event,
    items: calculated.body.items,
  });
  if (!arrears.ok) return arrears;
  return ok({
    benefitCase,
    arrears: arrears.value,
    appraisalId,
    death: basis.value.death,
    wageMonths: months.value,
    input,
    result: calculated.body,
  });
}

/**
 * Supersedes the case's open proposal; refuses when the case's decision is approved already. Also
 * called when the death facts are recorded again (death-facts.ts): the proposal rests on them.
 */
export async function supersedeOpen(
  tx: Executor,
  request: Pick<ProposeRequest, 'regionCode' | 'caseId' | 'on'>,
): Promise<Refusal<'benefit.decision_already_approved'> | null> {
  const open = await tx.orm
    .select({ id: benefitDecisions.id, status: benefitDecisions.status })
    .from(benefitDecisions)
    .where(
      and(
        eq(benefitDecisions.regionCode, request.regionCode),
        eq(benefitDecisions.caseId, request.caseId),
        inArray(benefitDecisions.status, ['proposed', 'approved']),
      ),
    );
  const approved = open.find((d) => d.status === 'approved');
  if (approved !== undefined)
    return refuse(
      'benefit.decision_already_approved',
      `the case's benefit decision ${approved.id} is approved: its facts no longer change here (a new appraisal's decision, or a correction procedure not built)`,
      { decisionId: approved.id },
    );
  await supersedeDecisions(tx, request, open);
  return null;
}

/**
 * Marks the case's given proposals superseded, each with its case event: their approvals then no
 * longer fit. Shared by a first decision's and a regrade's new proposal.
 */
export async function supersedeDecisions(
  tx: Executor,
  request: Pick<ProposeRequest, 'regionCode' | 'caseId' | 'on'>,
  decisions: readonly { id: string }[],
): Promise<void> {
  for (const d of decisions) {
    const [old] = await tx.orm
      .update(benefitDecisions)
      .set({ status: 'superseded' })
      .where(
        and(eq(benefitDecisions.regionCode, request.regionCode), eq(benefitDecisions.id, d.id)),
      )
      .returning({ approvalId: benefitDecisions.approvalId });
    // Its approval can no longer be used: out of the checkers' queue (migration 0068).
    if (old !== undefined)
      await withdrawApproval(tx, { regionCode: request.regionCode, id: old.approvalId });
    await appendCaseEvent(tx, {
      regionCode: request.regionCode,
      caseId: request.caseId,
      kind: 'benefit.decision_superseded',
      occurredOn: request.on,
      data: { decisionId: d.id },
      recordedBy: 'system',
    });
  }
}

async function store(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  request: ProposeRequest,
  planned: Planned,
): Promise<Proposal> {
  const decisionId = `bdc_${request.regionCode}_${randomBytes(8).toString('hex')}`;
  const { result } = planned;
  const lumpSums = fundLumpSums(result.items);
  const payload = decisionPayload({
    decisionId,
    caseId: request.caseId,
    workerId: planned.benefitCase.workerId,
    appraisalId: planned.appraisalId,
    wageMonths: planned.wageMonths,
    baseWageFen: result.baseWageFen,
    items: result.items,
    fundLumpSumTotalFen: lumpSums.reduce((s, l) => s + l.amountFen, 0),
    snapshotId: result.snapshotId,
    death: planned.death,
    arrears: planned.arrears,
  });
  invariant(result.snapshotId === rules.snapshotId, 'the calculation ran on another rule set');
  await tx.orm
    .insert(benefitParameterSnapshots)
    .values({ snapshotId: rules.snapshotId, content: snapshotContentOf(rules) })
    .onConflictDoNothing();
  const approval = await requestApproval(tx, actor, {
    regionCode: request.regionCode,
    action: BENEFIT_DECISION_ACTION,
    payload,
    amountFen: payload.fundLumpSumTotalFen + (planned.arrears?.totalFen ?? 0),
    policy: request.policy,
  });
  await tx.orm.insert(benefitDecisions).values({
    regionCode: request.regionCode,
    id: decisionId,
    caseId: request.caseId,
    appraisalId: planned.appraisalId,
    workerId: planned.benefitCase.workerId,
    kind: planned.death === null ? 'disability' : 'death',
    death: planned.death,
    status: 'proposed',
    calculationInput: planned.input,
    calculationResult: result,
    wageMonths: planned.wageMonths,
    wageEvidence: planned.wageMonths.some((m) => m.source === 'entered')
      ? request.wageEvidence
      : null,
    snapshotId: result.snapshotId,
    payloadSha256: payloadHash(payload),
    approvalId: approval.id,
    proposedBy: actor.username,
  });
  return { decisionId, approvalId: approval.id, payload };
}

export async function proposeBenefitDecision(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: ProposeRequest,
): Promise<Result<Proposal, ProposeRefusalCode>> {
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
        kind: 'benefit.decision_proposed',
        occurredOn: request.on,
        data: {
          decisionId: proposal.decisionId,
          approvalId: proposal.approvalId,
          baseWageFen: proposal.payload.baseWageFen,
          fundLumpSumTotalFen: proposal.payload.fundLumpSumTotalFen,
        },
        recordedBy: actor.userId,
      });
      await appendAudit(
        tx,
        okEventOf(
          actor,
          'benefits.decision.propose',
          `benefit-decision/${request.regionCode}/${proposal.decisionId}`,
          {
            caseId: request.caseId,
            approvalId: proposal.approvalId,
            snapshotId: proposal.payload.snapshotId,
            enteredMonths: proposal.payload.wageMonths.filter((m) => m.source === 'entered').length,
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
  constructor(readonly refusal: Refusal<ProposeRefusalCode>) {
    super(refusal.message);
  }
}
