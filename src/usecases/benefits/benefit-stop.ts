import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitEntitlements, benefitOverpayments, benefitStops } from '../../db/schema.ts';
import {
  endedByStop,
  overpaymentAfterStop,
  type StopGround,
  type StoppedEntitlement,
  stopId,
  stopOverpaymentId,
} from '../../domain/benefits/stop.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { changeLettersOf, type IssuedChangeLetter, issueChangeLetters } from './change-letters.ts';
import { linesAfter, type OverpaymentView, onEntitlements } from './death-record.ts';
import { workerKnownInCity } from './worker-in-city.ts';

/**
 * 停止享受工伤保险待遇 (《工伤保险条例》第四十二条; docs/benefits.md, "Stopping benefits"): a change of
 * money, so maker-checker as every such change (the ask-then-apply of floating-grade.ts). Without
 * `approvalId` the stop is checked and its approval asked for; with it, in one transaction, the
 * checks run again, the approval bound to the exact stop (city, worker, ground, date, reason) is
 * consumed, the worker's own entitlements in the city end with the month of the event, and each
 * one paid for later months gets an open overpayment. A second apply of one approval answers the
 * stop it wrote (replayed), never a second one.
 */
export const STOP_ACTION = 'benefits.stop';

export type StopRefusalCode =
  | 'benefit.worker_not_found'
  | 'benefit.stop_in_future'
  | 'benefit.already_stopped'
  | 'benefit.no_active_entitlement';

export type StopInput = {
  regionCode: string;
  workerId: string;
  ground: StopGround;
  effectiveOn: IsoDate;
  reason: string;
};

export type StopView = {
  regionCode: string;
  id: string;
  workerId: string;
  ground: StopGround;
  effectiveOn: IsoDate;
  reason: string;
  approvalId: string;
  ended: StoppedEntitlement[];
  stoppedBy: string;
  resumedOn: IsoDate | null;
  resumeReason: string | null;
  resumedBy: string | null;
  overpayments: OverpaymentView[];
  overpaidFen: number;
  /** The 停止 / 恢复工伤保险待遇通知书 issued (one per case of the items), stop's first. */
  letters: (IssuedChangeLetter & { event: 'stop' | 'resume' })[];
};

export type StopOutcome = {
  status: 'approval_requested' | 'stopped';
  replayed: boolean;
  stop: StopView | null;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

/** What the checker approves: the stop itself, nothing the server fills in. */
export function stopPayload(input: StopInput): Record<string, string> {
  return {
    regionCode: input.regionCode,
    workerId: input.workerId,
    ground: input.ground,
    effectiveOn: input.effectiveOn,
    reason: input.reason,
  };
}

export async function stopBenefits(
  db: Database,
  actor: Actor,
  input: StopInput & { approvalId?: string | undefined; policy: ApprovalPolicy; today: IsoDate },
): Promise<Result<StopOutcome, StopRefusalCode | ApprovalRefusal>> {
  const stop: StopInput = {
    regionCode: input.regionCode,
    workerId: input.workerId,
    ground: input.ground,
    effectiveOn: input.effectiveOn,
    reason: input.reason,
  };
  const payload = stopPayload(stop);
  return db.transaction(
    async (tx): Promise<Result<StopOutcome, StopRefusalCode | ApprovalRefusal>> => {
      const approvalId = input.approvalId;
      if (approvalId !== undefined) {
        const held = await stopOf(tx, stop.regionCode, stopId(stop.regionCode, approvalId));
        // The same stop again: its answer. Anything else goes on to the approval, which refuses it.
        if (held !== null && sameStop(held, stop))
          return ok({ status: 'stopped', replayed: true, stop: held, approval: null });
      }
      const checked = await checkStop(tx, stop, input.today);
      if (!checked.ok) return checked;
      if (approvalId === undefined) {
        const a = await requestApproval(tx, actor, {
          regionCode: stop.regionCode,
          action: STOP_ACTION,
          payload,
          amountFen: null,
          policy: input.policy,
        });
        const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
        return ok({ status: 'approval_requested', replayed: false, stop: null, approval });
      }
      const used = await consumeApproval(tx, {
        regionCode: stop.regionCode,
        id: approvalId,
        action: STOP_ACTION,
        payload,
      });
      if (!used.ok) return used;
      const written = await writeStop(tx, actor, stop, approvalId, checked.value, input.today);
      return ok({ status: 'stopped', replayed: false, stop: written, approval: null });
    },
  );
}

function sameStop(held: StopView, stop: StopInput): boolean {
  return (
    held.workerId === stop.workerId &&
    held.ground === stop.ground &&
    held.effectiveOn === stop.effectiveOn &&
    held.reason === stop.reason
  );
}

type Held = {
  id: string;
  kind: string;
  amountFen: number;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  status: 'active' | 'ended';
};

/** Scope, date, one open stop, and something to stop; answers the locked entitlements it ends. */
async function checkStop(
  tx: Executor,
  stop: StopInput,
  today: IsoDate,
): Promise<Result<StoppedEntitlement[], StopRefusalCode>> {
  if (!(await workerKnownInCity(tx, stop.regionCode, stop.workerId)))
    return refuse('benefit.worker_not_found', `no worker ${stop.workerId} in ${stop.regionCode}`);
  if (stop.effectiveOn > today)
    return refuse('benefit.stop_in_future', `${stop.effectiveOn} is after today (${today})`);
  const [open] = await tx.orm
    .select({ id: benefitStops.id, effectiveOn: benefitStops.effectiveOn })
    .from(benefitStops)
    .where(
      and(
        eq(benefitStops.regionCode, stop.regionCode),
        eq(benefitStops.workerId, stop.workerId),
        isNull(benefitStops.resumedOn),
      ),
    );
  if (open !== undefined)
    return refuse(
      'benefit.already_stopped',
      `the worker's benefits are stopped already (${open.effectiveOn})`,
      {
        stopId: open.id,
      },
    );
  const ended = (await ownEntitlements(tx, stop.regionCode, stop.workerId)).flatMap((e) => {
    const change = e.status === 'active' ? endedByStop(e, stop.effectiveOn) : null;
    return change === null
      ? []
      : [
          {
            id: e.id,
            kind: e.kind,
            amountFen: e.amountFen,
            startsOn: e.startsOn,
            endsOnBefore: e.endsOn,
            endsOn: change.endsOn,
          },
        ];
  });
  if (ended.length === 0)
    return refuse(
      'benefit.no_active_entitlement',
      `the worker has no active entitlement in ${stop.regionCode} running after ${stop.effectiveOn}: nothing to stop`,
    );
  return ok(ended);
}

/** The worker's own entitlements in the city (not a survivor's pension), locked. */
async function ownEntitlements(
  tx: Executor,
  regionCode: string,
  workerId: string,
): Promise<Held[]> {
  return tx.orm
    .select({
      id: benefitEntitlements.id,
      kind: benefitEntitlements.kind,
      amountFen: benefitEntitlements.amountFen,
      startsOn: benefitEntitlements.startsOn,
      endsOn: benefitEntitlements.endsOn,
      status: benefitEntitlements.status,
    })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.workerId, workerId),
        isNull(benefitEntitlements.dependantId),
      ),
    )
    .orderBy(benefitEntitlements.id)
    .for('update');
}

async function writeStop(
  tx: Executor,
  actor: Actor,
  stop: StopInput,
  approvalId: string,
  ended: StoppedEntitlement[],
  today: IsoDate,
): Promise<StopView> {
  const id = stopId(stop.regionCode, approvalId);
  for (const e of ended)
    await tx.orm
      .update(benefitEntitlements)
      .set({ endsOn: e.endsOn, status: 'ended' })
      .where(
        and(eq(benefitEntitlements.regionCode, stop.regionCode), eq(benefitEntitlements.id, e.id)),
      );
  await tx.orm
    .insert(benefitStops)
    .values({ ...stop, id, approvalId, ended, stoppedBy: actor.username });
  const overpayments = await recordOverpayments(tx, actor, stop, ended);
  const letters = await issueStopLetters(tx, actor, { ...stop, id, today }, ended, overpayments);
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.stop.apply', `worker/${stop.workerId}/stop/${id}`, {
      ground: stop.ground,
      effectiveOn: stop.effectiveOn,
      approvalId,
      endedEntitlements: ended.map((e) => e.id),
      overpayments: overpayments.map((o) => ({ id: o.id, amountFen: o.amountFen })),
      letters: letters.map((l) => l.documentNumber),
    }),
  );
  const view = await stopOf(tx, stop.regionCode, id);
  if (view === null) throw new Error(`stop ${id} vanished in its own transaction`);
  return view;
}

/** The 停止工伤保险待遇通知书, one per case of the ended items (change-letters.ts). */
function issueStopLetters(
  tx: Executor,
  actor: Actor,
  stop: StopInput & { id: string; today: IsoDate },
  ended: readonly StoppedEntitlement[],
  overpayments: readonly OverpaymentView[],
): Promise<IssuedChangeLetter[]> {
  const kindOf = new Map(ended.map((e) => [e.id, e.kind]));
  return issueChangeLetters(tx, actor, {
    regionCode: stop.regionCode,
    event: { kind: 'stop', id: stop.id },
    on: stop.today,
    entitlementIds: ended.map((e) => e.id),
    factsOf: (workerName, ids) => ({
      event: 'stop',
      workerName,
      ground: stop.ground,
      effectiveOn: stop.effectiveOn,
      reason: stop.reason,
      ended: ended
        .filter((e) => ids.includes(e.id))
        .map((e) => ({
          kind: e.kind,
          amountFen: e.amountFen,
          startsOn: e.startsOn,
          endsOn: e.endsOn,
        })),
      overpaid: overpayments
        .filter((o) => ids.includes(o.entitlementId))
        .map((o) => ({
          kind: kindOf.get(o.entitlementId) ?? '',
          months: o.months,
          amountFen: o.amountFen,
        })),
    }),
  });
}

/** One open overpayment per ended entitlement paid (sent or confirmed) after the event month. */
async function recordOverpayments(
  tx: Executor,
  actor: Actor,
  stop: StopInput,
  ended: readonly StoppedEntitlement[],
): Promise<OverpaymentView[]> {
  const out: OverpaymentView[] = [];
  // The worker's lines after the event month (death-record.ts reads them so too), each ended
  // entitlement's picked from them: one read for the stop, not one per entitlement.
  const lines = await linesAfter(tx, stop.workerId, stop.effectiveOn);
  for (const e of ended) {
    const own = lines.filter((l) => l.regionCode === stop.regionCode && l.entitlementId === e.id);
    const over = overpaymentAfterStop(own, stop.effectiveOn);
    if (over === null) continue;
    const row = {
      regionCode: stop.regionCode,
      id: stopOverpaymentId(stop.regionCode, e.id),
      entitlementId: e.id,
      ...over,
      status: 'open' as const,
    };
    await tx.orm
      .insert(benefitOverpayments)
      .values({ ...row, workerId: stop.workerId, reason: 'suspension', createdBy: actor.username });
    out.push(row);
  }
  return out;
}

/** A stop with the overpayments it found (null: none such in the city). */
export async function stopOf(
  ex: Executor,
  regionCode: string,
  id: string,
): Promise<StopView | null> {
  const [s] = await ex.orm
    .select()
    .from(benefitStops)
    .where(and(eq(benefitStops.regionCode, regionCode), eq(benefitStops.id, id)));
  if (s === undefined) return null;
  const ids = new Set(s.ended.map((e) => e.id));
  const overpayments = (
    await ex.orm
      .select({
        regionCode: benefitOverpayments.regionCode,
        id: benefitOverpayments.id,
        entitlementId: benefitOverpayments.entitlementId,
        months: benefitOverpayments.months,
        lineIds: benefitOverpayments.lineIds,
        amountFen: benefitOverpayments.amountFen,
        status: benefitOverpayments.status,
      })
      .from(benefitOverpayments)
      .where(
        and(
          eq(benefitOverpayments.regionCode, regionCode),
          eq(benefitOverpayments.workerId, s.workerId),
          eq(benefitOverpayments.reason, 'suspension'),
        ),
      )
      .orderBy(benefitOverpayments.entitlementId)
  )
    .flatMap((o) => onEntitlements([o]))
    .filter((o) => ids.has(o.entitlementId));
  return {
    regionCode: s.regionCode,
    id: s.id,
    workerId: s.workerId,
    ground: s.ground,
    effectiveOn: s.effectiveOn,
    reason: s.reason,
    approvalId: s.approvalId,
    ended: s.ended,
    stoppedBy: s.stoppedBy,
    resumedOn: s.resumedOn,
    resumeReason: s.resumeReason,
    resumedBy: s.resumedBy,
    overpayments,
    overpaidFen: overpayments.reduce((sum, o) => sum + o.amountFen, 0),
    letters: [
      ...(await changeLettersOf(ex, regionCode, { kind: 'stop', id })).map((l) => ({
        ...l,
        event: 'stop' as const,
      })),
      ...(await changeLettersOf(ex, regionCode, { kind: 'resume', id })).map((l) => ({
        ...l,
        event: 'resume' as const,
      })),
    ],
  };
}

/**
 * The worker's stops in the city, the latest first (the case page's 第四十二条 panel: the open stop
 * and those lifted before it). A worker has few; each is read as `stopOf` reads it.
 */
export async function stopsOfWorker(
  ex: Executor,
  regionCode: string,
  workerId: string,
): Promise<StopView[]> {
  const rows = await ex.orm
    .select({ id: benefitStops.id })
    .from(benefitStops)
    .where(and(eq(benefitStops.regionCode, regionCode), eq(benefitStops.workerId, workerId)))
    .orderBy(desc(benefitStops.stoppedAt), desc(benefitStops.id));
  const views: StopView[] = [];
  for (const r of rows) {
    const view = await stopOf(ex, regionCode, r.id);
    if (view !== null) views.push(view);
  }
  return views;
}
