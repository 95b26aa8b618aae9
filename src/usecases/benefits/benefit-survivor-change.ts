import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  type ApprovalStatus,
  approvals,
  benefitSurvivorChanges,
  caseDependants,
} from '../../db/schema.ts';
import {
  BONUS_EVENT,
  SURVIVOR_CHANGE_ACTION,
  type SurvivorChangePlan,
  type SurvivorEventKind,
  survivorChangeId,
} from '../../domain/benefits/survivor-change.ts';
import type { Actor } from '../../identity/actor.ts';
import { type IsoDate, todayInChina } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import {
  effectiveApprovalStatusColumn,
  requestApproval,
  withdrawApproval,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { type SurvivorStateRefusalCode, survivorStateNow } from './benefit-survivor-state.ts';

/**
 * A handler records that a survivor's pension ends, is suspended or resumes (docs/benefits.md,
 * "Survivors' pensions end"): the proposal checks the event, computes the plan (the ends, the
 * others recomputed under the cap of 《工伤保险条例》第三十九条第一款第（二）项, arrears, overpayment),
 * stores it and asks the approval `benefits.survivor_change` of the exact payload; a new proposal
 * for the same dependant supersedes the open one. The apply (benefit-survivor-change-apply.ts)
 * computes the plan again and refuses if it changed.
 */
export type SurvivorChangeProposalRefusalCode =
  | SurvivorStateRefusalCode
  | 'benefit.survivor_event_in_future';

export type SurvivorChangeInput = {
  regionCode: string;
  dependantId: string;
  kind: SurvivorEventKind;
  eventOn: IsoDate;
  reason: string;
  evidence: string;
  /** The day of the proposal (today in China by default); an event after it is refused. */
  on?: IsoDate | undefined;
};

export type SurvivorChangeView = {
  regionCode: string;
  id: string;
  decisionId: string;
  workerId: string;
  dependantId: string;
  kind: SurvivorEventKind;
  eventOn: IsoDate;
  lastPaidMonth: string;
  endedEntitlementId: string | null;
  status: 'proposed' | 'applied' | 'superseded' | 'rejected';
  reason: string;
  evidence: string;
  plan: SurvivorChangePlan;
  approvalId: string;
  proposedBy: string;
  appliedOn: IsoDate | null;
  appliedBy: string | null;
  ledgerTransactionId: string | null;
  paymentId: string | null;
  overpaymentId: string | null;
};

/** What the checker approves: the change, its reason and evidence, and the plan. */
export function survivorChangePayload(c: {
  regionCode: string;
  id: string;
  decisionId: string;
  workerId: string;
  dependantId: string;
  reason: string;
  evidence: string;
  plan: SurvivorChangePlan;
}) {
  return {
    regionCode: c.regionCode,
    changeId: c.id,
    decisionId: c.decisionId,
    workerId: c.workerId,
    dependantId: c.dependantId,
    reason: c.reason,
    evidence: c.evidence,
    plan: c.plan,
  };
}

/**
 * The event's own pension the apply ends (null: a release ends none; a raise of 10 % replaces it as
 * the recomputation replaces the others', so its failed lines are still reissued).
 */
export function endedEntitlementOf(plan: SurvivorChangePlan): string | null {
  if (plan.event.kind === BONUS_EVENT) return null;
  return plan.ended.find((e) => e.dependantId === plan.event.dependantId)?.entitlementId ?? null;
}

export async function proposeSurvivorChange(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: SurvivorChangeInput & { policy: ApprovalPolicy },
): Promise<Result<SurvivorChangeView, SurvivorChangeProposalRefusalCode>> {
  const today = input.on ?? todayInChina();
  if (input.eventOn > today)
    return refuse(
      'benefit.survivor_event_in_future',
      `the event of ${input.eventOn} is after ${today}: record it once it has happened`,
    );
  return db.transaction(async (tx) => {
    const id = survivorChangeId(
      input.regionCode,
      input.dependantId,
      randomBytes(8).toString('hex'),
    );
    const event = { dependantId: input.dependantId, kind: input.kind, eventOn: input.eventOn };
    const state = await survivorStateNow(tx, rules, {
      regionCode: input.regionCode,
      changeId: id,
      event,
      lock: true,
    });
    if (!state.ok) return state;
    const { decision, plan } = state.value;
    const row = {
      regionCode: input.regionCode,
      id,
      decisionId: decision.id,
      workerId: decision.workerId,
      dependantId: input.dependantId,
      reason: input.reason,
      evidence: input.evidence,
      plan,
    };
    const superseded = await supersedeOpen(tx, input.regionCode, input.dependantId);
    const approval = await requestApproval(tx, actor, {
      regionCode: input.regionCode,
      action: SURVIVOR_CHANGE_ACTION,
      payload: survivorChangePayload(row),
      amountFen: (plan.arrears?.amountFen ?? 0) + (plan.overpayment?.amountFen ?? 0),
      policy: input.policy,
    });
    await tx.orm.insert(benefitSurvivorChanges).values({
      ...row,
      kind: input.kind,
      eventOn: input.eventOn,
      lastPaidMonth: plan.lastPaidMonth,
      endedEntitlementId: endedEntitlementOf(plan),
      status: 'proposed',
      approvalId: approval.id,
      proposedBy: actor.username,
    });
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'benefits.survivor_change.propose',
        `survivor-change/${input.regionCode}/${id}`,
        {
          dependantId: input.dependantId,
          kind: input.kind,
          eventOn: input.eventOn,
          approvalId: approval.id,
          superseded,
        },
      ),
    );
    const view = await survivorChangeOf(tx, input.regionCode, id);
    if (view === null) throw new Error(`survivor change ${id} vanished in its own transaction`);
    return ok(view);
  });
}

async function supersedeOpen(tx: Executor, regionCode: string, dependantId: string) {
  const rows = await tx.orm
    .update(benefitSurvivorChanges)
    .set({ status: 'superseded' })
    .where(
      and(
        eq(benefitSurvivorChanges.regionCode, regionCode),
        eq(benefitSurvivorChanges.dependantId, dependantId),
        eq(benefitSurvivorChanges.status, 'proposed'),
      ),
    )
    .returning({ id: benefitSurvivorChanges.id, approvalId: benefitSurvivorChanges.approvalId });
  // Their approvals can no longer be used: out of the checkers' queue (migration 0068).
  for (const r of rows) await withdrawApproval(tx, { regionCode, id: r.approvalId });
  return rows.map((r) => r.id);
}

/** A change of the city (null: none such there). */
export async function survivorChangeOf(
  ex: Executor,
  regionCode: string,
  id: string,
): Promise<SurvivorChangeView | null> {
  const [row] = await ex.orm
    .select()
    .from(benefitSurvivorChanges)
    .where(
      and(eq(benefitSurvivorChanges.regionCode, regionCode), eq(benefitSurvivorChanges.id, id)),
    );
  if (row === undefined) return null;
  const { proposedAt: _at, ...view } = row;
  return view;
}

/** A change as the case page lists it: with the state of its approval (null: the approval is gone). */
export type SurvivorChangeListed = SurvivorChangeView & { approvalStatus: ApprovalStatus | null };

/** At most this many changes per case: the newest first; a case has a handful of dependants. */
const CASE_CHANGES_MAX = 100;

/**
 * The survivor's changes proposed for the dependants of a case, newest first, each with its
 * approval's state, so the case page shows which is waiting for the checker and which the handler
 * may apply (docs/benefits.md, "Survivors' pensions end"). Another city's case lists nothing.
 */
export async function survivorChangesOfCase(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<SurvivorChangeListed[]> {
  const rows = await ex.orm
    // The effective state: an approval past its expiry reads expired, as the approvals page shows it.
    .select({
      change: benefitSurvivorChanges,
      approvalStatus: effectiveApprovalStatusColumn<ApprovalStatus | null>(),
    })
    .from(benefitSurvivorChanges)
    .innerJoin(
      caseDependants,
      and(
        eq(caseDependants.regionCode, benefitSurvivorChanges.regionCode),
        eq(caseDependants.id, benefitSurvivorChanges.dependantId),
      ),
    )
    .leftJoin(
      approvals,
      and(
        eq(approvals.regionCode, benefitSurvivorChanges.regionCode),
        eq(approvals.id, benefitSurvivorChanges.approvalId),
      ),
    )
    .where(
      and(eq(benefitSurvivorChanges.regionCode, regionCode), eq(caseDependants.caseId, caseId)),
    )
    .orderBy(desc(benefitSurvivorChanges.proposedAt), desc(benefitSurvivorChanges.id))
    .limit(CASE_CHANGES_MAX);
  return rows.map(({ change, approvalStatus }) => {
    const { proposedAt: _at, ...view } = change;
    return { ...view, approvalStatus };
  });
}
