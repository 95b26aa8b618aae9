import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitEntitlements, benefitStops } from '../../db/schema.ts';
import { resumedEntitlements, resumeRefusal, type Successor } from '../../domain/benefits/stop.ts';
import type { Actor } from '../../identity/actor.ts';
import { type IsoDate, todayInChina } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { type StopView, stopOf } from './benefit-stop.ts';
import { issueChangeLetters } from './change-letters.ts';

/**
 * The lifting of a stop on ground (二) or (三) of 第四十二条 (docs/benefits.md, "Stopping benefits"):
 * the worker submitted to the appraisal or took the treatment. Our reading: benefits are paid again
 * from the month of the resumption date (the months between stay unpaid; the article gives no
 * arrears), by new entitlements with the amounts the stop ended (the indexation's successor
 * pattern). Ground (一) is final. Maker-checker as the stop: without `approvalId` checks and asks,
 * with it consumes the approval bound to (city, stop, date, reason) and writes, once.
 */
export const RESUME_ACTION = 'benefits.resume';

export type ResumeRefusalCode =
  | 'benefit.stop_not_found'
  | 'benefit.stop_final'
  | 'benefit.stop_already_resumed'
  | 'benefit.resume_before_stop'
  | 'benefit.resume_conflict';

export type ResumeInput = {
  regionCode: string;
  stopId: string;
  resumedOn: IsoDate;
  reason: string;
};

export type ResumeOutcome = {
  status: 'approval_requested' | 'resumed';
  replayed: boolean;
  stop: StopView;
  /** The entitlements the resumption started (empty while the approval is pending). */
  started: Successor[];
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

export function resumePayload(input: ResumeInput): Record<string, string> {
  return {
    regionCode: input.regionCode,
    stopId: input.stopId,
    resumedOn: input.resumedOn,
    reason: input.reason,
  };
}

export async function resumeBenefits(
  db: Database,
  actor: Actor,
  input: ResumeInput & {
    approvalId?: string | undefined;
    policy: ApprovalPolicy;
    /** The day of the resumption's letter (today in China when not given). */
    on?: IsoDate | undefined;
  },
): Promise<Result<ResumeOutcome, ResumeRefusalCode | ApprovalRefusal>> {
  const resume: ResumeInput = {
    regionCode: input.regionCode,
    stopId: input.stopId,
    resumedOn: input.resumedOn,
    reason: input.reason,
  };
  const payload = resumePayload(resume);
  type Out = Result<ResumeOutcome, ResumeRefusalCode | ApprovalRefusal>;
  return db.transaction(async (tx): Promise<Out> => {
    const stop = await lockedStop(tx, resume);
    if (stop === null)
      return refuse('benefit.stop_not_found', `no stop ${resume.stopId} in ${resume.regionCode}`);
    const approvalId = input.approvalId;
    const same = stop.resumedOn === resume.resumedOn && stop.resumeReason === resume.reason;
    if (approvalId !== undefined && stop.resumeApprovalId === approvalId && same)
      return ok({ status: 'resumed', replayed: true, stop, started: [], approval: null });
    const refused = resumeRefusal(stop, resume.resumedOn);
    if (refused !== null) return refuse(refused, refusalText(refused, stop, resume.resumedOn));
    const taken = await activeKinds(tx, stop.workerId);
    const clash = stop.ended.find((e) => taken.has(e.kind));
    if (clash !== undefined)
      return refuse('benefit.resume_conflict', `the worker has an active ${clash.kind} already`, {
        kind: clash.kind,
      });
    if (approvalId === undefined) {
      const a = await requestApproval(tx, actor, {
        regionCode: resume.regionCode,
        action: RESUME_ACTION,
        payload,
        amountFen: null,
        policy: input.policy,
      });
      const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
      return ok({ status: 'approval_requested', replayed: false, stop, started: [], approval });
    }
    const used = await consumeApproval(tx, {
      regionCode: resume.regionCode,
      id: approvalId,
      action: RESUME_ACTION,
      payload,
    });
    if (!used.ok) return used;
    return writeResume(tx, actor, stop, resume, approvalId, input.on ?? todayInChina());
  });
}

function refusalText(code: string, stop: StopView, resumedOn: IsoDate): string {
  if (code === 'benefit.stop_final')
    return '第四十二条(一): a worker who lost the conditions of benefit is not resumed';
  if (code === 'benefit.stop_already_resumed') return `the stop was lifted on ${stop.resumedOn}`;
  return `${resumedOn} is not in a month after the stop's month (${stop.effectiveOn})`;
}

/** The kinds of the worker's own items active anywhere (a new decision may have started one). */
async function activeKinds(tx: Executor, workerId: string): Promise<Set<string>> {
  const rows = await tx.orm
    .select({ kind: benefitEntitlements.kind })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.workerId, workerId),
        eq(benefitEntitlements.status, 'active'),
        isNull(benefitEntitlements.dependantId),
      ),
    );
  return new Set(rows.map((r) => r.kind));
}

async function lockedStop(tx: Executor, resume: ResumeInput) {
  const [row] = await tx.orm
    .select({ id: benefitStops.id, resumeApprovalId: benefitStops.resumeApprovalId })
    .from(benefitStops)
    .where(and(eq(benefitStops.regionCode, resume.regionCode), eq(benefitStops.id, resume.stopId)))
    .for('update');
  if (row === undefined) return null;
  const view = await stopOf(tx, resume.regionCode, row.id);
  return view === null ? null : { ...view, resumeApprovalId: row.resumeApprovalId };
}

/** The successors inserted from the ended rows (their decision and snapshot kept), the stop closed. */
async function writeResume(
  tx: Executor,
  actor: Actor,
  stop: StopView,
  resume: ResumeInput,
  approvalId: string,
  on: IsoDate,
): Promise<Result<ResumeOutcome, ResumeRefusalCode>> {
  const started = resumedEntitlements(resume.regionCode, stop, resume.resumedOn);
  for (const s of started) {
    // The one-active index refuses a second item of a kind whatever happened since the check.
    await tx.query(
      `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen,
         payer, starts_on, ends_on, status, decision_id, snapshot_id, citation, dependant_id, created_by)
       SELECT p.region_code, $3, p.worker_id, p.kind, 'monthly', $4, p.payer, $5::date, $6::date,
         'active', p.decision_id, p.snapshot_id, p.citation, p.dependant_id, $7
       FROM benefit_entitlements p WHERE p.region_code = $1 AND p.id = $2`,
      [resume.regionCode, s.predecessorId, s.id, s.amountFen, s.startsOn, s.endsOn, actor.username],
    );
  }
  await tx.orm
    .update(benefitStops)
    .set({
      resumedOn: resume.resumedOn,
      resumeReason: resume.reason,
      resumeApprovalId: approvalId,
      resumedBy: actor.username,
      resumedAt: new Date(),
    })
    .where(and(eq(benefitStops.regionCode, resume.regionCode), eq(benefitStops.id, stop.id)));
  // The 恢复工伤保险待遇通知书, one per case of the items started again (change-letters.ts).
  const letters = await issueChangeLetters(tx, actor, {
    regionCode: resume.regionCode,
    event: { kind: 'resume', id: stop.id },
    on,
    entitlementIds: started.map((s) => s.id),
    factsOf: (workerName, ids) => ({
      event: 'resume',
      workerName,
      ground: stop.ground,
      stoppedOn: stop.effectiveOn,
      resumedOn: resume.resumedOn,
      reason: resume.reason,
      started: started
        .filter((s) => ids.includes(s.id))
        .map((s) => ({
          kind: s.kind,
          amountFen: s.amountFen,
          startsOn: s.startsOn,
          endsOn: s.endsOn,
        })),
    }),
  });
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.stop.resume', `worker/${stop.workerId}/stop/${stop.id}`, {
      resumedOn: resume.resumedOn,
      approvalId,
      started: started.map((s) => ({ id: s.id, from: s.predecessorId, startsOn: s.startsOn })),
      letters: letters.map((l) => l.documentNumber),
    }),
  );
  const view = await stopOf(tx, resume.regionCode, stop.id);
  if (view === null) throw new Error(`stop ${stop.id} vanished in its own transaction`);
  return ok({ status: 'resumed', replayed: false, stop: view, started, approval: null });
}
