import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitEntitlements, benefitSurvivorChanges, caseDependants } from '../../db/schema.ts';
import {
  SURVIVOR_CHANGE_ACTION,
  type SurvivorStarted,
  survivorOverpaymentId,
  survivorPayableTransaction,
  survivorPaymentId,
  survivorTransactionId,
} from '../../domain/benefits/survivor-change.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import {
  type ApprovalRefusal,
  consumeApproval,
  type DecisionOutcome,
  decideApproval,
  payloadHash,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { recordNetOfChange } from './benefit-payment-issue.ts';
import {
  endedEntitlementOf,
  type SurvivorChangeView,
  survivorChangeOf,
  survivorChangePayload,
} from './benefit-survivor-change.ts';
import { type SurvivorStateRefusalCode, survivorStateNow } from './benefit-survivor-state.ts';
import { issueChangeLetters } from './change-letters.ts';
import { lockCityRuns } from './payroll-store.ts';

/**
 * Applies an approved survivor's change in one transaction (docs/benefits.md, "Survivors' pensions
 * end"): the plan is computed again under the pensions' row locks and must equal the approved one
 * (a payroll month posted or a pension changed since refuses, `benefit.survivor_change_changed`);
 * the approval is consumed (action `benefits.survivor_change`, exact payload, another person than
 * the maker); the ended pensions end on the event month's last day, the recomputed or resumed ones
 * start on the next month's first day; arrears post Dr 5111 / Cr 2102 with one benefit payment, an
 * overpayment of the dependant becomes an open `benefit_overpayments` row (reason `survivor_end`).
 * A retry answers `replayed: true` and writes nothing.
 */
export type SurvivorChangeApplyRefusalCode =
  | 'benefit.survivor_change_not_found'
  | 'benefit.survivor_change_superseded'
  | 'benefit.survivor_change_changed'
  | SurvivorStateRefusalCode
  | ApprovalRefusal
  | LedgerRefusalCode;

export type SurvivorChangeApplyRequest = {
  regionCode: string;
  changeId: string;
  approvalId?: string | undefined;
  /** The day applied: the arrears' effective date (its ledger period must be open). */
  on: IsoDate;
};

export type SurvivorChangeApplied = { change: SurvivorChangeView; replayed: boolean };

async function lockAndCheck(
  tx: Executor,
  rules: RuleSet,
  request: SurvivorChangeApplyRequest,
): Promise<Result<SurvivorChangeView, SurvivorChangeApplyRefusalCode>> {
  const [locked] = await tx.orm
    .select({ id: benefitSurvivorChanges.id })
    .from(benefitSurvivorChanges)
    .where(
      and(
        eq(benefitSurvivorChanges.regionCode, request.regionCode),
        eq(benefitSurvivorChanges.id, request.changeId),
      ),
    )
    .for('update');
  const row =
    locked === undefined ? null : await survivorChangeOf(tx, request.regionCode, request.changeId);
  if (row === null)
    return refuse('benefit.survivor_change_not_found', `no survivor change ${request.changeId}`);
  if (row.status !== 'proposed')
    return refuse('benefit.survivor_change_superseded', `change ${row.id} is ${row.status}`, {
      status: row.status,
    });
  // A run created meanwhile would pay the old amounts for a month the plan cannot see (ADR 0023).
  await lockCityRuns(tx, row.regionCode);
  const now = await survivorStateNow(tx, rules, {
    regionCode: row.regionCode,
    changeId: row.id,
    event: row.plan.event,
    lock: true,
  });
  if (!now.ok || payloadHash(now.value.plan) !== payloadHash(row.plan))
    return refuse(
      'benefit.survivor_change_changed',
      'the payroll or the pensions changed since the proposal (a month paid, a pension ended or adjusted): propose the change again; nothing was changed',
      { proposed: row.plan, now: now.ok ? now.value.plan : { refused: now.code } },
    );
  return ok(row);
}

/** Ends the pensions the plan ends and starts the ones it starts (copies of their predecessors). */
async function rewriteEntitlements(
  tx: Executor,
  actor: Actor,
  row: SurvivorChangeView,
  on: IsoDate,
) {
  for (const e of row.plan.ended)
    await tx.orm
      .update(benefitEntitlements)
      .set({ status: 'ended', endsOn: e.endsOn })
      .where(
        and(
          eq(benefitEntitlements.regionCode, row.regionCode),
          eq(benefitEntitlements.id, e.entitlementId),
        ),
      );
  for (const s of row.plan.started) await startOne(tx, actor, row.regionCode, s, on);
}

async function startOne(
  tx: Executor,
  actor: Actor,
  regionCode: string,
  s: SurvivorStarted,
  on: IsoDate,
) {
  const [old] = await tx.orm
    .select()
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.id, s.predecessorId),
      ),
    );
  if (old === undefined) throw new Error(`entitlement ${s.predecessorId} vanished`);
  // The new row keeps the predecessor's decision, snapshot, citation and beneficiary.
  const { createdAt: _created, ...kept } = old;
  await tx.orm.insert(benefitEntitlements).values({
    ...kept,
    id: s.id,
    amountFen: s.amountFen,
    startsOn: s.startsOn,
    endsOn: s.endsOn,
    status: s.endsOn !== null && s.endsOn < on ? 'ended' : 'active',
    createdBy: actor.username,
  });
}

async function recordMoney(tx: Executor, actor: Actor, row: SurvivorChangeView) {
  const { arrears, overpayment } = row.plan;
  return recordNetOfChange(tx, actor, {
    regionCode: row.regionCode,
    decisionId: row.decisionId,
    workerId: row.workerId,
    arrears:
      arrears === null
        ? null
        : {
            paymentId: survivorPaymentId(row.regionCode, row.id),
            payableTransactionId: survivorTransactionId(row.id),
            itemCode: 'survivor_pension',
            ...arrears,
          },
    overpayment:
      overpayment === null
        ? null
        : {
            id: survivorOverpaymentId(row.regionCode, overpayment.entitlementId),
            entitlementId: overpayment.entitlementId,
            reason: 'survivor_end',
            months: overpayment.months,
            lineIds: overpayment.lineIds,
            amountFen: overpayment.amountFen,
          },
  });
}

async function writeApply(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  request: SurvivorChangeApplyRequest,
  transactionId: string | null,
): Promise<Refusal<SurvivorChangeApplyRefusalCode> | null> {
  const checked = await lockAndCheck(tx, rules, request);
  if (!checked.ok) return checked;
  const row = checked.value;
  const used = await consumeApproval(tx, {
    regionCode: row.regionCode,
    id: request.approvalId ?? row.approvalId,
    action: SURVIVOR_CHANGE_ACTION,
    payload: survivorChangePayload(row),
  });
  if (!used.ok) return used;
  await rewriteEntitlements(tx, actor, row, request.on);
  const money = await recordMoney(tx, actor, row);
  await tx.orm
    .update(benefitSurvivorChanges)
    .set({
      status: 'applied',
      appliedOn: request.on,
      appliedBy: actor.username,
      ledgerTransactionId: transactionId,
      ...money,
    })
    .where(
      and(
        eq(benefitSurvivorChanges.regionCode, row.regionCode),
        eq(benefitSurvivorChanges.id, row.id),
      ),
    );
  await recordApplied(tx, actor, row, { ...money, on: request.on, checker: used.value.checkerId });
  await issueSurvivorLetter(tx, actor, row, request.on);
  return null;
}

/**
 * The 供养亲属抚恤金变更通知书 (change-letters.ts), to the 近亲属 jointly as the death decision's: the
 * event's dependant's pension ended or suspended, the pensions started (a release's, the others'
 * recomputed), the arrears or the months to return.
 */
async function issueSurvivorLetter(
  tx: Executor,
  actor: Actor,
  row: SurvivorChangeView,
  on: IsoDate,
) {
  const { plan } = row;
  const ids = [row.dependantId, ...plan.started.map((s) => s.dependantId)];
  const names = new Map(
    (
      await tx.orm
        .select({ id: caseDependants.id, name: caseDependants.name })
        .from(caseDependants)
        .where(and(eq(caseDependants.regionCode, row.regionCode), inArray(caseDependants.id, ids)))
    ).map((d) => [d.id, d.name]),
  );
  const ownId = endedEntitlementOf(plan);
  const own = plan.ended.find((e) => e.entitlementId === ownId) ?? null;
  await issueChangeLetters(tx, actor, {
    regionCode: row.regionCode,
    event: { kind: 'survivor', id: row.id },
    on,
    entitlementIds: [...plan.ended.map((e) => e.entitlementId), ...plan.started.map((s) => s.id)],
    recipient: (workerName) => `${workerName}的近亲属`,
    factsOf: (workerName) => ({
      event: 'survivor',
      workerName,
      dependantName: names.get(row.dependantId) ?? '',
      kind: row.kind,
      eventOn: row.eventOn,
      ended: own === null ? null : { amountFen: own.amountFen, endsOn: own.endsOn },
      started: plan.started.map((s) => ({
        name: names.get(s.dependantId) ?? '',
        beforeFen: s.beforeFen,
        amountFen: s.amountFen,
        startsOn: s.startsOn,
      })),
      arrearsFen: plan.arrears?.amountFen ?? 0,
      overpaid:
        plan.overpayment === null
          ? null
          : {
              kind: 'survivor_pension',
              months: plan.overpayment.months,
              amountFen: plan.overpayment.amountFen,
            },
    }),
  });
}

/** The dated event on the case's timeline and the audit event (no name, no ID number). */
async function recordApplied(
  tx: Executor,
  actor: Actor,
  row: SurvivorChangeView,
  input: { on: IsoDate; checker: string; paymentId: string | null; overpaymentId: string | null },
) {
  const data = {
    changeId: row.id,
    dependantId: row.dependantId,
    kind: row.kind,
    eventOn: row.eventOn,
    lastPaidMonth: row.lastPaidMonth,
    ended: row.plan.ended.map((e) => e.entitlementId),
    started: row.plan.started.map((s) => ({
      id: s.id,
      amountFen: s.amountFen,
      startsOn: s.startsOn,
    })),
    checker: input.checker,
    paymentId: input.paymentId,
    overpaymentId: input.overpaymentId,
  };
  const caseId = await caseOfDependant(tx, row.regionCode, row.dependantId);
  if (caseId !== null)
    await appendCaseEvent(tx, {
      regionCode: row.regionCode,
      caseId,
      kind: 'benefit.survivor_changed',
      occurredOn: row.eventOn,
      data,
      recordedBy: actor.userId,
    });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.survivor_change.apply',
      `survivor-change/${row.regionCode}/${row.id}`,
      {
        ...data,
        approvalId: row.approvalId,
      },
    ),
  );
}

async function caseOfDependant(tx: Executor, regionCode: string, dependantId: string) {
  const [r] = await tx.orm
    .select({ caseId: caseDependants.caseId })
    .from(caseDependants)
    .where(and(eq(caseDependants.regionCode, regionCode), eq(caseDependants.id, dependantId)));
  return r?.caseId ?? null;
}

export async function applySurvivorChange(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: SurvivorChangeApplyRequest,
): Promise<Result<SurvivorChangeApplied, SurvivorChangeApplyRefusalCode>> {
  const read = (ex: Executor) => survivorChangeOf(ex, request.regionCode, request.changeId);
  const stored = await db.withConnection(read);
  if (stored === null)
    return refuse('benefit.survivor_change_not_found', `no survivor change ${request.changeId}`);
  if (stored.status === 'applied') return ok({ change: stored, replayed: true });
  const arrears = stored.plan.arrears;
  const txRequest =
    arrears === null
      ? null
      : survivorPayableTransaction({
          changeId: stored.id,
          segment: stored.regionCode,
          effectiveDate: request.on,
          arrears,
        });
  const transactionId = txRequest?.id ?? null;
  const guard = (tx: Executor) => writeApply(tx, actor, rules, request, transactionId);
  const written =
    txRequest === null
      ? await guardOnly(db, guard)
      : await postTransactions<SurvivorChangeApplyRefusalCode>(db, actor, [txRequest], {
          auditAction: 'benefits.survivor_change.post',
          guard,
        });
  const now = await db.withConnection(read);
  if (now === null) throw new Error(`survivor change ${request.changeId} vanished`);
  // A concurrent apply that won the race makes this one a replay, not a refusal.
  if (!written.ok)
    return now.status === 'applied' && written.code === 'benefit.survivor_change_superseded'
      ? ok({ change: now, replayed: true })
      : written;
  return ok({ change: now, replayed: false });
}

/** The checker's decision on a change's approval (the approvals' use case refuses the maker). */
export async function decideSurvivorChange(
  db: Database,
  checker: Actor,
  input: { regionCode: string; changeId: string; decision: 'approved' | 'rejected' },
): Promise<Result<DecisionOutcome, ApprovalRefusal | 'benefit.survivor_change_not_found'>> {
  const row = await db.withConnection((ex) =>
    survivorChangeOf(ex, input.regionCode, input.changeId),
  );
  if (row === null)
    return refuse('benefit.survivor_change_not_found', `no survivor change ${input.changeId}`);
  return decideApproval(db, checker, {
    regionCode: input.regionCode,
    id: row.approvalId,
    decision: input.decision,
  });
}
