import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  type ApprovalStatus,
  approvals,
  benefitCorrections,
  benefitDecisions,
  benefitEntitlements,
  payrollLines,
  payrollRuns,
} from '../../db/schema.ts';
import {
  BENEFIT_CORRECTION_ACTION,
  type CorrectedTerms,
  type CorrectionPlan,
  correctionId,
  correctionPlan,
} from '../../domain/benefits/correction.ts';
import type { PartialMonthRule } from '../../domain/benefits/payroll-lines.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import {
  effectiveApprovalStatusColumn,
  requestApproval,
  withdrawApproval,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { arrearsPaidOf } from './benefit-decision-arrears.ts';
import { payrollSettings } from './payroll-run.ts';

/**
 * A handler's correction of an entitlement recorded wrong (docs/benefits.md, "Correcting an
 * entitlement"): the proposal checks it, computes the plan (per month of the city's posted payroll
 * runs: paid, due, difference), stores it and asks the approval `benefits.correction` of the exact
 * payload; a new proposal for the same entitlement supersedes the open one. The apply
 * (benefit-correction-apply.ts) computes the plan again and refuses if it changed.
 */
export type CorrectionRefusalCode =
  | 'benefit.entitlement_not_found'
  | 'benefit.correction_not_active'
  | 'benefit.correction_unchanged'
  | 'benefit.correction_invalid_dates'
  | 'benefit.correction_run_pending'
  | 'benefit.payroll_parameter_missing';

export type CorrectionInput = {
  regionCode: string;
  entitlementId: string;
  amountFen?: number | undefined;
  startsOn?: IsoDate | undefined;
  /** null: open-ended; absent: as recorded. */
  endsOn?: IsoDate | null | undefined;
  reason: string;
  evidence: string;
};

export type CorrectionView = {
  regionCode: string;
  id: string;
  entitlementId: string;
  workerId: string;
  decisionId: string;
  status: 'proposed' | 'applied' | 'superseded';
  reason: string;
  evidence: string;
  plan: CorrectionPlan;
  approvalId: string;
  proposedBy: string;
  appliedOn: IsoDate | null;
  appliedBy: string | null;
  correctedEntitlementId: string | null;
  ledgerTransactionId: string | null;
  paymentId: string | null;
  overpaymentId: string | null;
};

export type HeldEntitlement = {
  id: string;
  workerId: string;
  decisionId: string;
  kind: string;
  payer: 'fund' | 'employer';
  amountFen: number;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  status: 'active' | 'ended';
};

/** The entitlement, locked when asked (the apply holds it while it replaces it). */
export async function entitlementRow(
  ex: Executor,
  regionCode: string,
  id: string,
  lock: boolean,
): Promise<HeldEntitlement | null> {
  const query = ex.orm
    .select({
      id: benefitEntitlements.id,
      workerId: benefitEntitlements.workerId,
      decisionId: benefitEntitlements.decisionId,
      kind: benefitEntitlements.kind,
      payer: benefitEntitlements.payer,
      amountFen: benefitEntitlements.amountFen,
      startsOn: benefitEntitlements.startsOn,
      endsOn: benefitEntitlements.endsOn,
      status: benefitEntitlements.status,
    })
    .from(benefitEntitlements)
    .where(and(eq(benefitEntitlements.regionCode, regionCode), eq(benefitEntitlements.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

/** The corrected terms: what the body names, the rest as recorded. */
export function correctedTerms(e: HeldEntitlement, input: CorrectionInput): CorrectedTerms {
  return {
    amountFen: input.amountFen ?? e.amountFen,
    startsOn: input.startsOn ?? e.startsOn,
    endsOn: input.endsOn === undefined ? e.endsOn : input.endsOn,
  };
}

function checkTerms(
  e: HeldEntitlement,
  after: CorrectedTerms,
): Result<true, CorrectionRefusalCode> {
  if (e.status !== 'active')
    return refuse(
      'benefit.correction_not_active',
      `entitlement ${e.id} is ${e.status}: correct the entitlement that replaced it`,
    );
  if (after.amountFen === e.amountFen && after.startsOn === e.startsOn && after.endsOn === e.endsOn)
    return refuse(
      'benefit.correction_unchanged',
      'the corrected amount, start and end are those recorded: nothing to correct',
    );
  if (after.endsOn !== null && after.endsOn < after.startsOn)
    return refuse(
      'benefit.correction_invalid_dates',
      `endsOn ${after.endsOn} is before startsOn ${after.startsOn}`,
    );
  return ok(true);
}

/**
 * The city's posted runs (approved or later) and the entitlement's month lines in them: what each
 * month actually paid (bank amount plus any offset withheld). A run computed and not yet approved
 * refuses: its lines would pay the recorded amount for a month the plan cannot see yet.
 */
async function paidOf(ex: Executor, regionCode: string, entitlementId: string) {
  const runs = await ex.orm
    .select({ id: payrollRuns.id, month: payrollRuns.month, status: payrollRuns.status })
    .from(payrollRuns)
    .where(eq(payrollRuns.regionCode, regionCode))
    .orderBy(asc(payrollRuns.month));
  const pending = runs.find((r) => r.status === 'computing' || r.status === 'computed');
  if (pending !== undefined)
    return refuse(
      'benefit.correction_run_pending',
      `the payroll run of ${pending.month} is ${pending.status}: approve it first, then correct`,
      { runId: pending.id },
    );
  const monthOfRun = new Map(runs.map((r) => [r.id, r.month]));
  const lines =
    runs.length === 0
      ? []
      : await ex.orm
          .select({
            id: payrollLines.id,
            runId: payrollLines.runId,
            amountFen: payrollLines.amountFen,
            offsetFen: payrollLines.offsetFen,
          })
          .from(payrollLines)
          .where(
            and(
              eq(payrollLines.regionCode, regionCode),
              inArray(payrollLines.runId, [...monthOfRun.keys()]),
              eq(payrollLines.entitlementId, entitlementId),
              isNull(payrollLines.reissueOf),
            ),
          );
  // Months a decision paid with its arrears (approved after the payroll ran them) paid too.
  const arrears = await arrearsPaidOf(ex, { regionCode, entitlementIds: [entitlementId] });
  return ok({
    runMonths: runs.map((r) => r.month),
    paid: [
      ...lines.map((l) => ({
        id: l.id,
        month: monthOfRun.get(l.runId ?? '') ?? '',
        paidFen: l.amountFen + l.offsetFen,
      })),
      ...arrears.map((a) => ({ id: a.paymentId, month: a.month, paidFen: a.amountFen })),
    ],
  });
}

/** The plan as the database reads now (the proposal's and, again, the apply's). */
export async function planNow(
  ex: Executor,
  rules: RuleSet,
  input: { regionCode: string; entitlement: HeldEntitlement; after: CorrectedTerms },
): Promise<Result<CorrectionPlan, CorrectionRefusalCode>> {
  const read = await paidOf(ex, input.regionCode, input.entitlement.id);
  if (!read.ok) return read;
  const rules_: Record<string, PartialMonthRule> = {};
  for (const month of read.value.runMonths) {
    const settings = payrollSettings(rules, input.regionCode, month);
    if (!settings.ok)
      return refuse('benefit.payroll_parameter_missing', settings.message, { month });
    rules_[month] = settings.value.rule;
  }
  return ok(
    correctionPlan({
      entitlement: input.entitlement,
      after: input.after,
      ...read.value,
      ruleOf: (month) => rules_[month] ?? 'full_month',
    }),
  );
}

/** What the checker approves: the correction, its reason and evidence, and the plan. */
export function correctionPayload(c: {
  regionCode: string;
  id: string;
  entitlementId: string;
  workerId: string;
  reason: string;
  evidence: string;
  plan: CorrectionPlan;
}) {
  return {
    regionCode: c.regionCode,
    correctionId: c.id,
    entitlementId: c.entitlementId,
    workerId: c.workerId,
    reason: c.reason,
    evidence: c.evidence,
    plan: c.plan,
  };
}

export async function proposeCorrection(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: CorrectionInput & { policy: ApprovalPolicy },
): Promise<Result<CorrectionView, CorrectionRefusalCode>> {
  return db.transaction(async (tx): Promise<Result<CorrectionView, CorrectionRefusalCode>> => {
    const e = await entitlementRow(tx, input.regionCode, input.entitlementId, true);
    if (e === null)
      return refuse(
        'benefit.entitlement_not_found',
        `no entitlement ${input.entitlementId} in ${input.regionCode}`,
      );
    const after = correctedTerms(e, input);
    const checked = checkTerms(e, after);
    if (!checked.ok) return checked;
    const plan = await planNow(tx, rules, { regionCode: input.regionCode, entitlement: e, after });
    if (!plan.ok) return plan;
    const id = correctionId(input.regionCode, e.id, randomBytes(8).toString('hex'));
    const row = {
      regionCode: input.regionCode,
      id,
      entitlementId: e.id,
      workerId: e.workerId,
      reason: input.reason,
      evidence: input.evidence,
      plan: plan.value,
    };
    const superseded = await supersedeOpen(tx, input.regionCode, e.id);
    const approval = await requestApproval(tx, actor, {
      regionCode: input.regionCode,
      action: BENEFIT_CORRECTION_ACTION,
      payload: correctionPayload(row),
      amountFen: Math.abs(plan.value.netFen),
      policy: input.policy,
    });
    await tx.orm.insert(benefitCorrections).values({
      ...row,
      decisionId: e.decisionId,
      status: 'proposed',
      approvalId: approval.id,
      proposedBy: actor.username,
    });
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'benefits.correction.propose',
        `benefit-correction/${input.regionCode}/${id}`,
        {
          entitlementId: e.id,
          approvalId: approval.id,
          netFen: plan.value.netFen,
          superseded,
        },
      ),
    );
    const view = await correctionOf(tx, input.regionCode, id);
    if (view === null) throw new Error(`correction ${id} vanished in its own transaction`);
    return ok(view);
  });
}

async function supersedeOpen(tx: Executor, regionCode: string, entitlementId: string) {
  const rows = await tx.orm
    .update(benefitCorrections)
    .set({ status: 'superseded' })
    .where(
      and(
        eq(benefitCorrections.regionCode, regionCode),
        eq(benefitCorrections.entitlementId, entitlementId),
        eq(benefitCorrections.status, 'proposed'),
      ),
    )
    .returning({ id: benefitCorrections.id, approvalId: benefitCorrections.approvalId });
  // Their approvals can no longer be used: out of the checkers' queue (migration 0068).
  for (const r of rows) await withdrawApproval(tx, { regionCode, id: r.approvalId });
  return rows.map((r) => r.id);
}

/** A correction of the city (null: none such there). */
export async function correctionOf(
  ex: Executor,
  regionCode: string,
  id: string,
): Promise<CorrectionView | null> {
  const [row] = await ex.orm
    .select()
    .from(benefitCorrections)
    .where(and(eq(benefitCorrections.regionCode, regionCode), eq(benefitCorrections.id, id)));
  if (row === undefined) return null;
  const { proposedAt: _at, ...view } = row;
  return view;
}

/** A correction as the case page lists it: with the state of its approval (null: it is gone). */
export type CorrectionListed = CorrectionView & { approvalStatus: ApprovalStatus | null };

/** At most this many corrections per case, the newest first: corrections are rare. */
const CASE_CORRECTIONS_MAX = 100;

/**
 * The corrections of the entitlements a case's decisions created, newest first, each with its
 * approval's state, so the case page shows which waits for the checker and which the handler may
 * apply (docs/benefits.md, "Correcting an entitlement"). Another city's case lists nothing.
 */
export async function correctionsOfCase(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<CorrectionListed[]> {
  const rows = await ex.orm
    // The effective state: an approval past its expiry reads expired, as the approvals page shows it.
    .select({
      correction: benefitCorrections,
      approvalStatus: effectiveApprovalStatusColumn<ApprovalStatus | null>(),
    })
    .from(benefitCorrections)
    .innerJoin(
      benefitDecisions,
      and(
        eq(benefitDecisions.regionCode, benefitCorrections.regionCode),
        eq(benefitDecisions.id, benefitCorrections.decisionId),
      ),
    )
    .leftJoin(
      approvals,
      and(
        eq(approvals.regionCode, benefitCorrections.regionCode),
        eq(approvals.id, benefitCorrections.approvalId),
      ),
    )
    .where(and(eq(benefitCorrections.regionCode, regionCode), eq(benefitDecisions.caseId, caseId)))
    .orderBy(desc(benefitCorrections.proposedAt), desc(benefitCorrections.id))
    .limit(CASE_CORRECTIONS_MAX);
  return rows.map(({ correction, approvalStatus }) => {
    const { proposedAt: _at, ...view } = correction;
    return { ...view, approvalStatus };
  });
}
