import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { rowsOf, textOrNullOf } from '../../db/rows.ts';
import { benefitEntitlements, benefitRetirements } from '../../db/schema.ts';
import {
  ALLOWANCE_KIND,
  type HeldEntitlement,
  type RetirementInput,
  type RetirementPlan,
  type RetirementPlanRefusal,
  retirementId,
  retirementPlan,
  TOP_UP_CITATION,
  TOP_UP_KIND,
} from '../../domain/benefits/retirement.ts';
import {
  backDatedNet,
  OFFSET_CITATION,
  type PersonalAccount,
  retirementOverpaymentId,
  successorDue,
} from '../../domain/benefits/retirement-offset.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { lookup } from '../../rules/parameters/lookup.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { recordNetOfChange } from './benefit-payment-issue.ts';
import { issueChangeLetters } from './change-letters.ts';
import { linesAfter } from './death-record.ts';
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
  | 'benefit.retirement_offset_not_in_province'
  | RetirementPlanRefusal
  | 'benefit.retirement_month_paid';

export type RetirementView = Omit<RetirementInput, 'personalAccount'> & {
  id: string;
  /** 浙江 第二十六条第二款: the age reached without a monthly pension (null: a pension). */
  personalAccount: (PersonalAccount & { months: number }) | null;
  approvalId: string;
  plan: RetirementPlan;
  topUpFen: number;
  /** A back-dated retirement's net to recover (benefit_overpayments, reason 'retirement'). */
  overpaymentId: string | null;
  recordedBy: string;
};

/** The province's rule for the age reached without a monthly pension (null: none there). */
export const NO_PENSION_RULE = 'retirement.no_pension_offset';

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
  const account = input.personalAccount ?? null;
  return {
    regionCode: input.regionCode,
    workerId: input.workerId,
    retiredOn: input.retiredOn,
    pensionFen: input.pensionFen,
    evidence: input.evidence,
    ...(account === null ? {} : { personalAccount: account }),
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
    rules: RuleSet;
  },
): Promise<Result<RetirementOutcome, RetirementRefusalCode | ApprovalRefusal>> {
  const event: RetirementInput = {
    regionCode: input.regionCode,
    workerId: input.workerId,
    retiredOn: input.retiredOn,
    pensionFen: input.pensionFen,
    evidence: input.evidence,
    personalAccount: input.personalAccount ?? null,
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
      const checked = await checkRetirement(tx, event, input.today, input.rules);
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
  const a = held.personalAccount;
  const b = event.personalAccount ?? null;
  return (
    held.retiredOn === event.retiredOn &&
    held.pensionFen === event.pensionFen &&
    held.evidence === event.evidence &&
    (a === null
      ? b === null
      : b !== null && a.balanceFen === b.balanceFen && a.monthlyOffsetFen === b.monthlyOffsetFen)
  );
}

/** Scope, once per worker, the date, the province's rule, the plan and what was paid since. */
async function checkRetirement(
  tx: Executor,
  event: RetirementInput,
  today: IsoDate,
  rules: RuleSet,
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
  if (
    (event.personalAccount ?? null) !== null &&
    lookup(rules, event.regionCode, NO_PENSION_RULE, event.retiredOn) === null
  )
    return refuse(
      'benefit.retirement_offset_not_in_province',
      `${event.regionCode} has no rule for a worker who reaches the retirement age without a monthly pension on ${event.retiredOn} (《浙江省工伤保险条例》第二十六条第二款 is 浙江's; 河南's 条例 has none)`,
    );
  const plan = retirementPlan(event, held);
  if (!plan.ok) return plan;
  const paid = await paidSince(tx, event, plan.value);
  if (!paid.ok) return paid;
  return ok({ plan: paid.value, held });
}

/**
 * A back-dated retirement: the 伤残津贴 sent or confirmed for months after the month of retirement
 * nets against what the successors (the difference, or the allowance net of the offset) owed for
 * those months. The successors never owe more than the allowance paid, so the net is to recover;
 * a net owed to the worker (an allowance paid at an older, lower amount) is refused: its arrears
 * are not paid by this event.
 */
async function paidSince(
  tx: Executor,
  event: RetirementInput,
  plan: RetirementPlan,
): Promise<Result<RetirementPlan, RetirementRefusalCode>> {
  const ended = new Set(plan.ended.map((e) => e.id));
  if (ended.size === 0) return ok(plan);
  const pending = await unpostedRunAfter(tx, event.regionCode, monthOf(event.retiredOn));
  if (pending !== null)
    return refuse(
      'benefit.retirement_month_paid',
      `the payroll of ${pending} for ${event.regionCode} is computed and not approved, with the 伤残津贴 in it: record the retirement once it is approved`,
      { month: pending, firstTopUpMonth: nextMonth(monthOf(event.retiredOn)) },
    );
  const lines = (await linesAfter(tx, event.workerId, event.retiredOn)).filter(
    (l) => l.regionCode === event.regionCode && ended.has(l.entitlementId),
  );
  const rows = plan.topUp !== null ? [plan.topUp] : (plan.offset?.rows ?? []);
  const net = backDatedNet(lines, event.retiredOn, (m) => successorDue(rows, m));
  if (net === null) return ok(plan);
  if (net.netFen > 0)
    return refuse(
      'benefit.retirement_month_paid',
      `the months paid after the month of retirement (${net.months.join(', ')}) net to ${net.netFen} fen owed to the worker: a back-dated retirement pays no arrears`,
      { months: net.months, netFen: net.netFen },
    );
  return ok({ ...plan, backDated: net });
}

/** A run of the city for a month after `month` whose payable is not posted yet (null: none). */
async function unpostedRunAfter(
  tx: Executor,
  regionCode: string,
  month: string,
): Promise<string | null> {
  const r = await tx.query(
    `SELECT min(month) AS month FROM payroll_runs
     WHERE region_code = $1 AND month > $2 AND status IN ('computing', 'computed')`,
    [regionCode, month],
  );
  return rowsOf(r, (row) => textOrNullOf(row, 'month'))[0] ?? null;
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

type WriteInput = {
  event: RetirementInput;
  plan: RetirementPlan;
  held: HeldEntitlement[];
  approvalId: string;
  today: IsoDate;
};

async function writeRetirement(tx: Executor, actor: Actor, input: WriteInput) {
  const { event, plan, approvalId } = input;
  for (const e of plan.ended)
    await tx.orm
      .update(benefitEntitlements)
      .set({ endsOn: e.endsOn, status: 'ended' })
      .where(
        and(eq(benefitEntitlements.regionCode, event.regionCode), eq(benefitEntitlements.id, e.id)),
      );
  await startSuccessors(tx, actor, input);
  const money = await recordBackDated(tx, actor, input);
  const { personalAccount: account = null, ...row } = event;
  await tx.orm.insert(benefitRetirements).values({
    ...row,
    id: plan.retirementId,
    approvalId,
    plan,
    topUpFen: plan.topUp?.amountFen ?? 0,
    variant: account === null ? 'monthly_pension' : 'no_monthly_pension',
    accountBalanceFen: account?.balanceFen ?? null,
    monthlyOffsetFen: account?.monthlyOffsetFen ?? null,
    offsetMonths: plan.offset?.months ?? null,
    overpaymentId: money.overpaymentId,
    recordedBy: actor.username,
  });
  const letters = await issueRetirementLetters(tx, actor, input);
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
        topUp: plan.topUp === null ? null : { id: plan.topUp.id, amountFen: plan.topUp.amountFen },
        offsetRows: plan.offset?.rows.map((r) => r.id) ?? [],
        backDated: plan.backDated ?? null,
        overpaymentId: money.overpaymentId,
        letters: letters.map((l) => l.documentNumber),
      },
    ),
  );
  const view = await retirementOf(tx, event.regionCode, plan.retirementId);
  invariant(view !== null, `retirement ${plan.retirementId} vanished in its own transaction`);
  return view;
}

/**
 * The fund's difference (第三十五条第一款第（三）项), or the allowance's rows net of the offset (浙江
 * 第二十六条第二款): each on the decision and snapshot of the allowance it follows.
 */
async function startSuccessors(tx: Executor, actor: Actor, input: WriteInput) {
  const { event, plan, held } = input;
  const allowanceId = plan.topUp?.allowanceId ?? plan.offset?.allowanceId;
  if (allowanceId === undefined) return;
  const allowance = held.find((e) => e.id === allowanceId);
  invariant(allowance !== undefined, `successor of ${allowanceId}, which the plan did not read`);
  const common = {
    regionCode: event.regionCode,
    workerId: event.workerId,
    frequency: 'monthly' as const,
    payer: 'fund' as const,
    decisionId: allowance.decisionId,
    snapshotId: allowance.snapshotId,
    createdBy: actor.username,
  };
  const { topUp, offset } = plan;
  if (topUp !== null)
    await tx.orm.insert(benefitEntitlements).values({
      ...common,
      id: topUp.id,
      kind: TOP_UP_KIND,
      amountFen: topUp.amountFen,
      startsOn: topUp.startsOn,
      endsOn: topUp.endsOn,
      status: 'active',
      citation: TOP_UP_CITATION,
    });
  // The active row last: one active 伤残津贴 per worker (benefit_entitlements_one_active).
  for (const r of offset?.rows ?? [])
    await tx.orm.insert(benefitEntitlements).values({
      ...common,
      ...r,
      kind: ALLOWANCE_KIND,
      citation: OFFSET_CITATION,
    });
}

/**
 * A back-dated retirement's net (recovered as an open overpayment, reason 'retirement') through
 * the one writer of a back-dated change's money (recordNetOfChange); the net is never owed to the
 * worker here (paidSince refuses it), so no arrears are posted.
 */
async function recordBackDated(tx: Executor, actor: Actor, input: WriteInput) {
  const { event, plan, held } = input;
  const net = plan.backDated;
  const [ended] = plan.ended;
  if (net === undefined || net.netFen === 0 || ended === undefined)
    return { paymentId: null, overpaymentId: null };
  const allowance = held.find((e) => e.id === ended.id);
  invariant(allowance !== undefined, `allowance ${ended.id} the plan ended was not read`);
  return recordNetOfChange(tx, actor, {
    regionCode: event.regionCode,
    decisionId: allowance.decisionId,
    workerId: event.workerId,
    arrears: null,
    overpayment: {
      id: retirementOverpaymentId(event.regionCode, ended.id),
      entitlementId: ended.id,
      reason: 'retirement',
      months: net.paidMonths,
      lineIds: net.lineIds,
      amountFen: -net.netFen,
    },
  });
}

/**
 * The 工伤职工退休后工伤保险待遇变更通知书, one per case of the allowances ended (change-letters.ts);
 * the items that go on are named on each.
 */
function issueRetirementLetters(tx: Executor, actor: Actor, input: WriteInput) {
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
      ...(plan.offset === undefined || !ids.includes(plan.offset.allowanceId)
        ? {}
        : {
            offset: {
              balanceFen: plan.offset.balanceFen,
              monthlyOffsetFen: plan.offset.monthlyOffsetFen,
              lastOffsetFen: plan.offset.lastOffsetFen,
              months: plan.offset.months,
              rows: plan.offset.rows.map((r) => ({ kind: ALLOWANCE_KIND, ...r })),
            },
          }),
      ...(plan.backDated === undefined ? {} : { backDated: plan.backDated }),
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
    personalAccount:
      r.accountBalanceFen === null || r.monthlyOffsetFen === null || r.offsetMonths === null
        ? null
        : {
            balanceFen: r.accountBalanceFen,
            monthlyOffsetFen: r.monthlyOffsetFen,
            months: r.offsetMonths,
          },
    approvalId: r.approvalId,
    plan: r.plan,
    topUpFen: r.topUpFen,
    overpaymentId: r.overpaymentId,
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
