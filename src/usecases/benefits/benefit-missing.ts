import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  benefitDecisions,
  benefitEntitlements,
  benefitMissing,
  benefitOverpayments,
  benefitParameterSnapshots,
  caseDependants,
} from '../../db/schema.ts';
import { missingIds, missingOverpaymentId } from '../../domain/benefits/missing.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import { overpaymentAfterStop } from '../../domain/benefits/stop.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/calculator/index.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import {
  type ApprovalRefusal,
  consumeApproval,
  payloadHash,
  requestApproval,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import {
  type MissingInput,
  type MissingPlan,
  type MissingPlanCode,
  missingPayload,
  planMissing,
} from './benefit-missing-plan.ts';
import { type MissingView, missingOf } from './benefit-missing-read.ts';
import { linesAfter } from './death-record.ts';

/**
 * 下落不明 (《工伤保险条例》第四十一条; docs/benefits.md, "Whereabouts unknown"): a change of money, so
 * maker-checker bound to the exact payload (the ask-then-apply of the 第四十二条 stop). Without
 * `approvalId` everything is checked and computed and the approval asked for; with it, in one
 * transaction, the same is computed again, the approval consumed against that payload, and the
 * event written: the dependants, an approved decision of kind `missing`, one fund-paid 供养亲属抚恤金
 * per dependant from the 4th month, the employer's 3 months of wages as data, the worker's own items
 * ended with the accident's month (months paid after it an open overpayment). A second apply of one
 * approval answers the event written (replayed).
 */
export const MISSING_ACTION = 'benefits.missing';

export type MissingCode = MissingPlanCode | ApprovalRefusal;

export type MissingOutcome = {
  status: 'approval_requested' | 'recorded';
  replayed: boolean;
  missing: MissingView | null;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

export type RecordMissingRequest = MissingInput & {
  approvalId?: string | undefined;
  policy: ApprovalPolicy;
  /** The day of recording (China's calendar): the decision's approval date. */
  today: IsoDate;
};

export async function recordMissing(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: RecordMissingRequest,
): Promise<Result<MissingOutcome, MissingCode>> {
  return db
    .transaction(async (tx): Promise<Result<MissingOutcome, MissingCode>> => {
      const { approvalId } = request;
      if (approvalId !== undefined) {
        const held = await missingOf(tx, request.regionCode, request.caseId);
        // The same approval again: the event it wrote. Anything else is checked and refused below.
        if (held !== null && held.approvalId === approvalId)
          return ok({ status: 'recorded', replayed: true, missing: held, approval: null });
      }
      const planned = await planMissing(tx, rules, request);
      if (!planned.ok) return planned;
      const payload = missingPayload(request, planned.value);
      if (approvalId === undefined) {
        const a = await requestApproval(tx, actor, {
          regionCode: request.regionCode,
          action: MISSING_ACTION,
          payload,
          amountFen: null,
          policy: request.policy,
        });
        const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
        return ok({ status: 'approval_requested', replayed: false, missing: null, approval });
      }
      const used = await consumeApproval(tx, {
        regionCode: request.regionCode,
        id: approvalId,
        action: MISSING_ACTION,
        payload,
      });
      if (!used.ok) throw new Refused(used);
      const written = await writeMissing(tx, actor, rules, {
        request,
        plan: planned.value,
        approvalId,
        checkerId: used.value.checkerId,
        payloadSha256: payloadHash(payload),
      });
      return ok({ status: 'recorded', replayed: false, missing: written, approval: null });
    })
    .catch((err: unknown) => {
      if (err instanceof Refused) return err.refusal;
      throw err;
    });
}

type Write = {
  request: RecordMissingRequest;
  plan: MissingPlan;
  approvalId: string;
  checkerId: string;
  payloadSha256: string;
};

async function writeMissing(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  w: Write,
): Promise<MissingView> {
  const { request, plan } = w;
  const ids = missingIds(request.regionCode, w.approvalId);
  await tx.orm
    .insert(benefitParameterSnapshots)
    .values({ snapshotId: rules.snapshotId, content: snapshotContentOf(rules) })
    .onConflictDoNothing();
  await insertDependants(tx, actor, w, ids.dependantId);
  await insertDecision(tx, actor, w, ids.decisionId);
  for (const p of plan.pensions)
    await tx.orm.insert(benefitEntitlements).values({
      regionCode: request.regionCode,
      id: ids.entitlementId(p.ordinal),
      workerId: plan.benefitCase.workerId,
      kind: 'survivor_pension',
      frequency: 'monthly',
      amountFen: p.amountFen,
      payer: p.payer,
      startsOn: plan.pensionsStartOn,
      endsOn: null,
      status: 'active',
      decisionId: ids.decisionId,
      snapshotId: plan.result.snapshotId,
      citation: p.citation,
      dependantId: ids.dependantId(p.ordinal),
      createdBy: actor.username,
    });
  const overpaid = await endOwnItems(tx, actor, plan);
  await tx.orm.insert(benefitMissing).values({
    regionCode: request.regionCode,
    id: ids.missingId,
    caseId: request.caseId,
    workerId: plan.benefitCase.workerId,
    decisionId: ids.decisionId,
    ground: plan.ground,
    accidentDate: plan.benefitCase.accidentDate,
    reason: request.reason,
    monthlyWageFen: request.monthlyWageFen,
    employerWageMonths: plan.employerWageMonths,
    pensionsStartOn: plan.pensionsStartOn,
    deathLumpSumFen: plan.deathLumpSumFen,
    funeralGrantFen: plan.funeralGrantFen,
    advanceMaxFen: plan.advanceMaxFen,
    ended: plan.ended,
    approvalId: w.approvalId,
    recordedBy: actor.username,
  });
  await recordEvents(tx, actor, w, { ...ids, overpaid });
  const view = await missingOf(tx, request.regionCode, request.caseId);
  if (view === null) throw new Error(`missing event ${ids.missingId} vanished in its transaction`);
  return view;
}

async function insertDependants(
  tx: Executor,
  actor: Actor,
  w: Write,
  idOf: (ordinal: number) => string,
) {
  if (w.request.dependants.length === 0) return;
  await tx.orm.insert(caseDependants).values(
    w.request.dependants.map((d, ordinal) => ({
      regionCode: w.request.regionCode,
      id: idOf(ordinal),
      caseId: w.request.caseId,
      ordinal,
      name: d.name,
      relation: d.relation,
      idNumber: d.idNumber.trim().toUpperCase(),
      birthDate: d.birthDate,
      orphanOrSoleElder: d.orphanOrSoleElder,
      status: 'current' as const,
      recordedBy: actor.username,
    })),
  );
}

/** The event as a decision of the case (kind `missing`): its entitlements and payments hang on it. */
async function insertDecision(tx: Executor, actor: Actor, w: Write, decisionId: string) {
  const { request, plan } = w;
  // The decision awards the pensions only: 丧葬补助金 and 一次性工亡补助金 wait for 宣告死亡 (第三十九条).
  const items = plan.result.items.filter((i) => i.code === 'survivor_pension');
  await tx.orm.insert(benefitDecisions).values({
    regionCode: request.regionCode,
    id: decisionId,
    caseId: request.caseId,
    appraisalId: null,
    workerId: plan.benefitCase.workerId,
    kind: 'missing',
    death: null,
    status: 'approved',
    calculationInput: plan.input,
    calculationResult: { ...plan.result, items },
    wageMonths: plan.wageMonths,
    wageEvidence: plan.wageMonths.some((m) => m.source === 'entered') ? request.wageEvidence : null,
    snapshotId: plan.result.snapshotId,
    payloadSha256: w.payloadSha256,
    approvalId: w.approvalId,
    proposedBy: actor.username,
    approvedBy: w.checkerId,
    approvedOn: request.today,
  });
}

/** Ends the worker's own items (as a death ends them) and records what was paid after the month. */
async function endOwnItems(tx: Executor, actor: Actor, plan: MissingPlan) {
  const { regionCode, workerId, accidentDate } = plan.benefitCase;
  const overpaid: { id: string; amountFen: number }[] = [];
  if (plan.ended.length === 0) return overpaid;
  const lines = await linesAfter(tx, workerId, accidentDate);
  for (const e of plan.ended) {
    await tx.orm
      .update(benefitEntitlements)
      .set({ endsOn: e.endsOn, status: 'ended' })
      .where(and(eq(benefitEntitlements.regionCode, regionCode), eq(benefitEntitlements.id, e.id)));
    const own = lines.filter((l) => l.regionCode === regionCode && l.entitlementId === e.id);
    const over = overpaymentAfterStop(own, accidentDate);
    if (over === null) continue;
    const id = missingOverpaymentId(regionCode, e.id);
    await tx.orm.insert(benefitOverpayments).values({
      regionCode,
      id,
      entitlementId: e.id,
      ...over,
      status: 'open',
      workerId,
      reason: 'missing',
      createdBy: actor.username,
    });
    overpaid.push({ id, amountFen: over.amountFen });
  }
  return overpaid;
}

async function recordEvents(
  tx: Executor,
  actor: Actor,
  w: Write,
  ids: { missingId: string; decisionId: string; overpaid: { id: string; amountFen: number }[] },
) {
  const { request, plan } = w;
  const data = {
    missingId: ids.missingId,
    decisionId: ids.decisionId,
    ground: plan.ground,
    employerWageMonths: plan.employerWageMonths,
    pensionsStartOn: plan.pensionsStartOn,
    pensions: plan.pensions.map((p) => p.amountFen),
    endedEntitlements: plan.ended.map((e) => e.id),
    overpayments: ids.overpaid,
  };
  await appendCaseEvent(tx, {
    regionCode: request.regionCode,
    caseId: request.caseId,
    kind: 'benefit.missing_recorded',
    occurredOn: request.today,
    data,
    recordedBy: actor.userId,
  });
  // No ID number in the audit trail: the relations say who the pensions are for.
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.missing.apply',
      `case/${request.regionCode}/${request.caseId}/missing`,
      {
        ...data,
        approvalId: w.approvalId,
        relations: request.dependants.map((d) => d.relation),
      },
    ),
  );
}

/** Carries a refusal out of the transaction so it rolls back (nothing of the apply stays). */
class Refused extends Error {
  constructor(readonly refusal: Refusal<MissingCode>) {
    super(refusal.message);
  }
}
