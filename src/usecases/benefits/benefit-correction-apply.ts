import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitCorrections, benefitDecisions, benefitEntitlements } from '../../db/schema.ts';
import {
  BENEFIT_CORRECTION_ACTION,
  type CorrectionPlan,
  correctedEntitlementId,
  correctionOverpaymentId,
  correctionPayableTransaction,
  correctionPaymentId,
  correctionTransactionId,
} from '../../domain/benefits/correction.ts';
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
import {
  type CorrectionRefusalCode,
  type CorrectionView,
  correctionOf,
  correctionPayload,
  entitlementRow,
  planNow,
} from './benefit-correction.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { recordNetOfChange } from './benefit-payment-issue.ts';
import { issueChangeLetters } from './change-letters.ts';
import { lockCityRuns } from './payroll-store.ts';

/**
 * Applies an approved correction in one transaction (docs/benefits.md, "Correcting an
 * entitlement"): the plan is computed again and must equal the approved one (a payroll month
 * posted or the entitlement changed since refuses, `benefit.correction_changed`); the approval is
 * consumed (action `benefits.correction`, exact payload, another person than the maker); the wrong
 * row ends with no end date (it pays nothing more) and the corrected one takes its place from the
 * corrected start; arrears post Dr 51xx / Cr 2102 with one benefit payment, as a regrade's do; an
 * overpayment becomes an open `benefit_overpayments` row (reason `correction`) for the recovery.
 * A retry answers `replayed: true` and writes nothing.
 */
export type CorrectionApplyRefusalCode =
  | 'benefit.correction_not_found'
  | 'benefit.correction_superseded'
  | 'benefit.correction_changed'
  | 'benefit.entitlement_active'
  | CorrectionRefusalCode
  | ApprovalRefusal
  | LedgerRefusalCode;

export type CorrectionApplyRequest = {
  regionCode: string;
  correctionId: string;
  approvalId?: string | undefined;
  /** The day of the correction: the arrears' effective date (its ledger period must be open). */
  on: IsoDate;
};

export type CorrectionApplied = { correction: CorrectionView; replayed: boolean };

async function lockedProposal(
  tx: Executor,
  request: CorrectionApplyRequest,
): Promise<Result<CorrectionView, CorrectionApplyRefusalCode>> {
  const [locked] = await tx.orm
    .select({ id: benefitCorrections.id })
    .from(benefitCorrections)
    .where(
      and(
        eq(benefitCorrections.regionCode, request.regionCode),
        eq(benefitCorrections.id, request.correctionId),
      ),
    )
    .for('update');
  const row =
    locked === undefined ? null : await correctionOf(tx, request.regionCode, request.correctionId);
  if (row === null)
    return refuse('benefit.correction_not_found', `no correction ${request.correctionId}`);
  if (row.status !== 'proposed')
    return refuse('benefit.correction_superseded', `correction ${row.id} is ${row.status}`, {
      status: row.status,
    });
  return ok(row);
}

/** The proposal, locked with its entitlement; the plan computed now must be the one approved. */
async function lockAndCheck(
  tx: Executor,
  rules: RuleSet,
  request: CorrectionApplyRequest,
): Promise<Result<CorrectionView, CorrectionApplyRefusalCode>> {
  const proposal = await lockedProposal(tx, request);
  if (!proposal.ok) return proposal;
  const row = proposal.value;
  const e = await entitlementRow(tx, row.regionCode, row.entitlementId, true);
  if (e === null) throw new Error(`entitlement ${row.entitlementId} of ${row.id} is gone`);
  // A run created meanwhile would read the wrong row for a month the plan cannot see (ADR 0023).
  await lockCityRuns(tx, row.regionCode);
  const now =
    e.status === 'active'
      ? await planNow(tx, rules, {
          regionCode: row.regionCode,
          entitlement: e,
          after: row.plan.after,
        })
      : null;
  if (now !== null && !now.ok) return now;
  if (now === null || payloadHash(now.value) !== payloadHash(row.plan))
    return refuse(
      'benefit.correction_changed',
      'the payroll or the entitlement changed since the proposal (a month paid, the entitlement ended): propose the correction again; nothing was changed',
      { proposed: row.plan, now: now?.value ?? null },
    );
  return ok(row);
}

async function foreignActive(
  tx: Executor,
  row: CorrectionView,
): Promise<Refusal<'benefit.entitlement_active'> | null> {
  const [other] = await tx.orm
    .select({ id: benefitEntitlements.id, dependantId: benefitEntitlements.dependantId })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.workerId, row.workerId),
        eq(benefitEntitlements.kind, row.plan.kind),
        eq(benefitEntitlements.status, 'active'),
      ),
    );
  if (other === undefined || other.id === row.entitlementId) return null;
  return refuse(
    'benefit.entitlement_active',
    `the worker has another active ${row.plan.kind} entitlement (${other.id})`,
    { entitlementId: other.id, kind: row.plan.kind },
  );
}

/** The wrong row ends from its start (no end date: it pays nothing more); the corrected one starts. */
async function replaceEntitlement(tx: Executor, actor: Actor, row: CorrectionView, on: IsoDate) {
  const [old] = await tx.orm
    .select()
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, row.regionCode),
        eq(benefitEntitlements.id, row.entitlementId),
      ),
    );
  if (old === undefined) throw new Error(`entitlement ${row.entitlementId} vanished`);
  await tx.orm
    .update(benefitEntitlements)
    .set({ status: 'ended', endsOn: null })
    .where(
      and(eq(benefitEntitlements.regionCode, row.regionCode), eq(benefitEntitlements.id, old.id)),
    );
  const { after } = row.plan;
  const id = correctedEntitlementId(row.regionCode, row.id);
  // The corrected row keeps the wrong one's decision, snapshot, citation and beneficiary; its
  // creation is now (the database's default), not the wrong row's.
  const { createdAt: _created, ...kept } = old;
  await tx.orm.insert(benefitEntitlements).values({
    ...kept,
    id,
    amountFen: after.amountFen,
    startsOn: after.startsOn,
    endsOn: after.endsOn,
    // An end already past leaves the kind free for a later decision (the one-active index).
    status: after.endsOn !== null && after.endsOn < on ? 'ended' : 'active',
    createdBy: actor.username,
  });
  return id;
}

async function recordMoney(tx: Executor, actor: Actor, row: CorrectionView) {
  const { arrears, overpayment } = row.plan;
  return recordNetOfChange(tx, actor, {
    regionCode: row.regionCode,
    decisionId: row.decisionId,
    workerId: row.workerId,
    arrears:
      arrears === null
        ? null
        : {
            paymentId: correctionPaymentId(row.regionCode, row.id),
            payableTransactionId: correctionTransactionId(row.id),
            itemCode: row.plan.kind,
            ...arrears,
          },
    overpayment:
      overpayment === null
        ? null
        : {
            id: correctionOverpaymentId(row.regionCode, row.entitlementId),
            entitlementId: row.entitlementId,
            reason: 'correction',
            ...overpayment,
          },
  });
}

async function writeApply(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  request: CorrectionApplyRequest,
  transactionId: string | null,
): Promise<Refusal<CorrectionApplyRefusalCode> | null> {
  const checked = await lockAndCheck(tx, rules, request);
  if (!checked.ok) return checked;
  const row = checked.value;
  const used = await consumeApproval(tx, {
    regionCode: row.regionCode,
    id: request.approvalId ?? row.approvalId,
    action: BENEFIT_CORRECTION_ACTION,
    payload: correctionPayload(row),
  });
  if (!used.ok) return used;
  const blocked = await foreignActive(tx, row);
  if (blocked !== null) return blocked;
  const correctedId = await replaceEntitlement(tx, actor, row, request.on);
  const money = await recordMoney(tx, actor, row);
  await tx.orm
    .update(benefitCorrections)
    .set({
      status: 'applied',
      appliedOn: request.on,
      appliedBy: actor.username,
      correctedEntitlementId: correctedId,
      ledgerTransactionId: transactionId,
      ...money,
    })
    .where(
      and(eq(benefitCorrections.regionCode, row.regionCode), eq(benefitCorrections.id, row.id)),
    );
  await recordApplied(tx, actor, row, {
    ...money,
    on: request.on,
    checker: used.value.checkerId,
    correctedId,
  });
  await issueCorrectionLetter(tx, actor, row, request.on);
  return null;
}

/** The 工伤保险待遇更正通知书 on the entitlement's case (change-letters.ts). */
async function issueCorrectionLetter(tx: Executor, actor: Actor, row: CorrectionView, on: IsoDate) {
  const { plan } = row;
  const item = (t: typeof plan.before) => ({ kind: plan.kind, ...t });
  await issueChangeLetters(tx, actor, {
    regionCode: row.regionCode,
    event: { kind: 'correction', id: row.id },
    on,
    entitlementIds: [row.entitlementId],
    factsOf: (workerName) => ({
      event: 'correction',
      workerName,
      reason: row.reason,
      before: item(plan.before),
      after: item(plan.after),
      arrearsFen: plan.arrears?.amountFen ?? 0,
      overpaid:
        plan.overpayment === null
          ? null
          : {
              kind: plan.kind,
              months: plan.overpayment.months,
              amountFen: plan.overpayment.amountFen,
            },
    }),
  });
}

/** The dated event on the case's timeline (with the reason) and the audit event. */
async function recordApplied(
  tx: Executor,
  actor: Actor,
  row: CorrectionView,
  input: {
    on: IsoDate;
    checker: string;
    correctedId: string;
    paymentId: string | null;
    overpaymentId: string | null;
  },
) {
  const [decision] = await tx.orm
    .select({ caseId: benefitDecisions.caseId })
    .from(benefitDecisions)
    .where(
      and(eq(benefitDecisions.regionCode, row.regionCode), eq(benefitDecisions.id, row.decisionId)),
    );
  const data = {
    correctionId: row.id,
    entitlementId: row.entitlementId,
    correctedEntitlementId: input.correctedId,
    before: row.plan.before,
    after: row.plan.after,
    reason: row.reason,
    checker: input.checker,
    netFen: row.plan.netFen,
    paymentId: input.paymentId,
    overpaymentId: input.overpaymentId,
  };
  if (decision !== undefined)
    await appendCaseEvent(tx, {
      regionCode: row.regionCode,
      caseId: decision.caseId,
      kind: 'benefit.entitlement_corrected',
      occurredOn: input.on,
      data,
      recordedBy: actor.userId,
    });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.correction.apply',
      `benefit-correction/${row.regionCode}/${row.id}`,
      {
        ...data,
        approvalId: row.approvalId,
      },
    ),
  );
}

export async function applyCorrection(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: CorrectionApplyRequest,
): Promise<Result<CorrectionApplied, CorrectionApplyRefusalCode>> {
  const read = (ex: Executor) => correctionOf(ex, request.regionCode, request.correctionId);
  const stored = await db.withConnection(read);
  if (stored === null)
    return refuse('benefit.correction_not_found', `no correction ${request.correctionId}`);
  if (stored.status === 'applied') return ok({ correction: stored, replayed: true });
  const arrears: CorrectionPlan['arrears'] = stored.plan.arrears;
  const txRequest =
    arrears === null
      ? null
      : correctionPayableTransaction({
          correctionId: stored.id,
          segment: stored.regionCode,
          effectiveDate: request.on,
          arrears,
        });
  const transactionId = txRequest?.id ?? null;
  const guard = (tx: Executor) => writeApply(tx, actor, rules, request, transactionId);
  const written =
    txRequest === null
      ? await guardOnly(db, guard)
      : await postTransactions<CorrectionApplyRefusalCode>(db, actor, [txRequest], {
          auditAction: 'benefits.correction.post',
          guard,
        });
  const now = await db.withConnection(read);
  if (now === null) throw new Error(`correction ${request.correctionId} vanished`);
  // A concurrent apply that won the race makes this one a replay, not a refusal.
  if (!written.ok)
    return now.status === 'applied' && written.code === 'benefit.correction_superseded'
      ? ok({ correction: now, replayed: true })
      : written;
  return ok({ correction: now, replayed: false });
}

/**
 * The checker's decision on a correction's approval (the approvals' use case: the database refuses
 * the maker and the maker's role).
 */
export async function decideCorrection(
  db: Database,
  checker: Actor,
  input: { regionCode: string; correctionId: string; decision: 'approved' | 'rejected' },
): Promise<Result<DecisionOutcome, ApprovalRefusal | 'benefit.correction_not_found'>> {
  const row = await db.withConnection((ex) =>
    correctionOf(ex, input.regionCode, input.correctionId),
  );
  if (row === null)
    return refuse('benefit.correction_not_found', `no correction ${input.correctionId}`);
  return decideApproval(db, checker, {
    regionCode: input.regionCode,
    id: row.approvalId,
    decision: input.decision,
  });
}
