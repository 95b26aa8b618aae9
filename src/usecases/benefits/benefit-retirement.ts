import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitEntitlements, benefitRetirements } from '../../db/schema.ts';
import {
  type HeldEntitlement,
  type RetirementInput,
  type RetirementPlan,
  type RetirementPlanRefusal,
  retirementId,
  retirementPlan,
  TOP_UP_CITATION,
  TOP_UP_KIND,
} from '../../domain/benefits/retirement.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { issueChangeLetters } from './change-letters.ts';
import { runMonthFrom } from './indexation-store.ts';
import { workerKnownInCity } from './worker-in-city.ts';

/**
 * 退休 of a worker with a 伤残津贴 (《工伤保险条例》第三十五条第一款第（三）项; docs/benefits.md,
 * "Retirement"): a change of money, so maker-checker as the stop (benefit-stop.ts). Without
 * `approvalId` every check runs, the plan is computed (the allowance ended, the fund's difference
 * started, what is kept) and an approval of the exact plan is asked; with it, in one transaction,
 * the checks and the plan run again, the approval is consumed against that plan (an entitlement
 * changed since: `approval.payload_mismatch`), the entitlements are ended and started, the
 * retirement row and its audit event written. A second apply of one approval answers the
 * retirement it wrote (replayed), never a second one.
 */
export const RETIREMENT_ACTION = 'benefits.retirement';

export type RetirementRefusalCode =
  | 'benefit.worker_not_found'
  | 'benefit.retirement_already_recorded'
  | 'benefit.retirement_in_future'
  | RetirementPlanRefusal
  | 'benefit.retirement_month_paid';

export type RetirementView = RetirementInput & {
  id: string;
  approvalId: string;
  plan: RetirementPlan;
  topUpFen: number;
  recordedBy: string;
};

export type RetirementOutcome = {
  status: 'approval_requested' | 'retired';
  replayed: boolean;
  /** The plan asked for (approval_requested) or applied (retired). */
  plan: RetirementPlan;
  retirement: RetirementView | null;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

/** What the checker approves: the event and its whole plan, nothing the server fills in later. */
export function retirementPayload(input: RetirementInput, plan: RetirementPlan): unknown {
  return {
    regionCode: input.regionCode,
    workerId: input.workerId,
    retiredOn: input.retiredOn,
    pensionFen: input.pensionFen,
    evidence: input.evidence,
    plan,
  };
}

export async function recordRetirement(
  db: Database,
  actor: Actor,
  input: RetirementInput & {
    approvalId?: string | undefined;
    policy: ApprovalPolicy;
    today: IsoDate;
  },
): Promise<Result<RetirementOutcome, RetirementRefusalCode | ApprovalRefusal>> {
  const event: RetirementInput = {
    regionCode: input.regionCode,
    workerId: input.workerId,
    retiredOn: input.retiredOn,
    pensionFen: input.pensionFen,
    evidence: input.evidence,
  };
  return db.transaction(
    async (tx): Promise<Result<RetirementOutcome, RetirementRefusalCode | ApprovalRefusal>> => {
      const approvalId = input.approvalId;
      if (approvalId !== undefined) {
        const held = await retirementOf(tx, event.regionCode, retirementId(event.workerId));
        // The same retirement on the same approval: its answer. Anything else goes on to the
        // checks, which refuse a second retirement.
        if (held !== null && held.approvalId === approvalId && sameEvent(held, event))
          return ok({
            status: 'retired',
            replayed: true,
            plan: held.plan,
            retirement: held,
            approval: null,
          });
      }
      const checked = await checkRetirement(tx, event, input.today);
      if (!checked.ok) return checked;
      const { plan, held } = checked.value;
      const payload = retirementPayload(event, plan);
      if (approvalId === undefined) {
        const a = await requestApproval(tx, actor, {
          regionCode: event.regionCode,
          action: RETIREMENT_ACTION,
          payload,
          amountFen: null,
          policy: input.policy,
        });
        const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
        return ok({
          status: 'approval_requested',
          replayed: false,
          plan,
          retirement: null,
          approval,
        });
      }
      const used = await consumeApproval(tx, {
        regionCode: event.regionCode,
        id: approvalId,
        action: RETIREMENT_ACTION,
        payload,
      });
      if (!used.ok) return used;
      const written = await writeRetirement(tx, actor, {
        event,
        plan,
        held,
        approvalId,
        today: input.today,
      });
      return ok({ status: 'retired', replayed: false, plan, retirement: written, approval: null });
    },
  );
}

function sameEvent(held: RetirementView, event: RetirementInput): boolean {
  return (
    held.retiredOn === event.retiredOn &&
    held.pensionFen === event.pensionFen &&
    held.evidence === event.evidence
  );
}

/** Scope, once per worker, the date, the plan, no payroll run past the month: the plan. */
async function checkRetirement(
  tx: Executor,
  event: RetirementInput,
  today: IsoDate,
): Promise<Result<{ plan: RetirementPlan; held: HeldEntitlement[] }, RetirementRefusalCode>> {
  if (!(await workerKnownInCity(tx, event.regionCode, event.workerId)))
    return refuse('benefit.worker_not_found', `no worker ${event.workerId} in ${event.regionCode}`);
  // Locked first: a concurrent retirement of the worker waits here, then finds this one recorded.
  const held = await ownActive(tx, event.regionCode, event.workerId);
  const [recorded] = await tx.orm
    .select({ retiredOn: benefitRetirements.retiredOn })
    .from(benefitRetirements)
    .where(eq(benefitRetirements.workerId, event.workerId));
  if (recorded !== undefined)
    return refuse(
      'benefit.retirement_already_recorded',
      `the worker's retirement is recorded already (${recorded.retiredOn})`,
      { retiredOn: recorded.retiredOn },
    );
  if (event.retiredOn > today)
    return refuse(
      'benefit.retirement_in_future',
      `${event.retiredOn} is after today (${today}): record the retirement once it is done`,
    );
  const plan = retirementPlan(event, held);
  if (!plan.ok) return plan;
  if (plan.value.ended.length > 0) {
    const after = nextMonth(monthOf(event.retiredOn));
    const ran = await runMonthFrom(tx, event.regionCode, after);
    if (ran !== null)
      return refuse(
        'benefit.retirement_month_paid',
        `the payroll of ${ran} already ran for ${event.regionCode}, after the month of retirement: the 伤残津贴 it paid is not reclaimed nor the difference computed back`,
        { month: ran, firstTopUpMonth: after },
      );
  }
  return ok({ plan: plan.value, held });
}

/** The worker's own active entitlements in the city (not a survivor's pension), locked. */
async function ownActive(
  tx: Executor,
  regionCode: string,
  workerId: string,
): Promise<HeldEntitlement[]> {
  return tx.orm
    .select({
      id: benefitEntitlements.id,
      kind: benefitEntitlements.kind,
      payer: benefitEntitlements.payer,
      amountFen: benefitEntitlements.amountFen,
      startsOn: benefitEntitlements.startsOn,
      endsOn: benefitEntitlements.endsOn,
      decisionId: benefitEntitlements.decisionId,
      snapshotId: benefitEntitlements.snapshotId,
    })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.workerId, workerId),
        eq(benefitEntitlements.status, 'active'),
        isNull(benefitEntitlements.dependantId),
      ),
    )
    .orderBy(benefitEntitlements.id)
    .for('update');
}

async function writeRetirement(
  tx: Executor,
  actor: Actor,
  input: {
    event: RetirementInput;
    plan: RetirementPlan;
    held: HeldEntitlement[];
    approvalId: string;
    today: IsoDate;
  },
): Promise<RetirementView> {
  const { event, plan, held, approvalId } = input;
  for (const e of plan.ended)
    await tx.orm
      .update(benefitEntitlements)
      .set({ endsOn: e.endsOn, status: 'ended' })
      .where(
        and(eq(benefitEntitlements.regionCode, event.regionCode), eq(benefitEntitlements.id, e.id)),
      );
  const topUp = plan.topUp;
  if (topUp !== null) {
    const allowance = held.find((e) => e.id === topUp.allowanceId);
    invariant(
      allowance !== undefined,
      `top-up of ${topUp.allowanceId}, which the plan did not read`,
    );
    // The difference belongs to the decision of the allowance it replaces (its snapshot too).
    await tx.orm.insert(benefitEntitlements).values({
      regionCode: event.regionCode,
      id: topUp.id,
      workerId: event.workerId,
      kind: TOP_UP_KIND,
      frequency: 'monthly',
      amountFen: topUp.amountFen,
      payer: 'fund',
      startsOn: topUp.startsOn,
      endsOn: topUp.endsOn,
      status: 'active',
      decisionId: allowance.decisionId,
      snapshotId: allowance.snapshotId,
      citation: TOP_UP_CITATION,
      createdBy: actor.username,
    });
  }
  await tx.orm.insert(benefitRetirements).values({
    ...event,
    id: plan.retirementId,
    approvalId,
    plan,
    topUpFen: topUp?.amountFen ?? 0,
    recordedBy: actor.username,
  });
  const letters = await issueRetirementLetters(tx, actor, { ...input, held });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.retirement.apply',
      `worker/${event.workerId}/retirement/${plan.retirementId}`,
      {
        retiredOn: event.retiredOn,
        approvalId,
        endedEntitlements: plan.ended.map((e) => e.id),
        topUp: topUp === null ? null : { id: topUp.id, amountFen: topUp.amountFen },
        letters: letters.map((l) => l.documentNumber),
      },
    ),
  );
  const view = await retirementOf(tx, event.regionCode, plan.retirementId);
  invariant(view !== null, `retirement ${plan.retirementId} vanished in its own transaction`);
  return view;
}

/**
 * The 工伤职工退休后工伤保险待遇变更通知书, one per case of the allowances ended (change-letters.ts);
 * the items that go on are named on each.
 */
function issueRetirementLetters(
  tx: Executor,
  actor: Actor,
  input: { event: RetirementInput; plan: RetirementPlan; held: HeldEntitlement[]; today: IsoDate },
) {
  const { event, plan, held } = input;
  const kindOf = new Map(held.map((e) => [e.id, e.kind]));
  return issueChangeLetters(tx, actor, {
    regionCode: event.regionCode,
    event: { kind: 'retirement', id: plan.retirementId },
    on: input.today,
    entitlementIds: plan.ended.map((e) => e.id),
    factsOf: (workerName, ids) => ({
      event: 'retirement',
      workerName,
      retiredOn: event.retiredOn,
      pensionFen: event.pensionFen,
      ended: plan.ended
        .filter((e) => ids.includes(e.id))
        .map((e) => ({
          kind: kindOf.get(e.id) ?? '',
          amountFen: e.amountFen,
          startsOn: e.startsOn,
          endsOn: e.endsOn,
        })),
      topUp:
        plan.topUp === null || !ids.includes(plan.topUp.allowanceId)
          ? null
          : { kind: TOP_UP_KIND, ...plan.topUp },
      kept: plan.kept.map((k) => k.kind),
    }),
  });
}

/** A retirement recorded in the city (null: none such there). */
export async function retirementOf(
  ex: Executor,
  regionCode: string,
  id: string,
): Promise<RetirementView | null> {
  const [r] = await ex.orm
    .select()
    .from(benefitRetirements)
    .where(and(eq(benefitRetirements.regionCode, regionCode), eq(benefitRetirements.id, id)));
  if (r === undefined) return null;
  return {
    regionCode: r.regionCode,
    id: r.id,
    workerId: r.workerId,
    retiredOn: r.retiredOn,
    pensionFen: r.pensionFen,
    evidence: r.evidence,
    approvalId: r.approvalId,
    plan: r.plan,
    topUpFen: r.topUpFen,
    recordedBy: r.recordedBy,
  };
}

/** The worker's retirement as the city sees it (null: not recorded there). */
export async function retirementOfWorker(
  ex: Executor,
  regionCode: string,
  workerId: string,
): Promise<RetirementView | null> {
  return retirementOf(ex, regionCode, retirementId(workerId));
}
