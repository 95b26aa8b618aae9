import { randomBytes } from 'node:crypto';
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitDecisions, benefitEntitlements } from '../../db/schema.ts';
import { payableTransactionId } from '../../domain/benefits/ledger-postings.ts';
import {
  BENEFIT_REGRADE_ACTION,
  type RegradePlan,
  regradePayableTransaction,
  regradePayload,
} from '../../domain/benefits/regrade.ts';
import { storedResult, storedWageMonths } from '../../domain/benefits/stored-decision.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { regradePlanSchema } from '../../rules/benefits/regrade-rule.ts';
import { type ApprovalRefusal, consumeApproval, payloadHash } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { loadBenefitCase } from './benefit-case-facts.ts';
import { decisionRow, guardOnly } from './benefit-decision-approve.ts';
import { issueRegradeLetter } from './benefit-letters.ts';
import { issueBenefitPayments } from './benefit-payment-issue.ts';
import {
  type RegradeBasisRefusalCode,
  regradeBasis,
  regradePlanOf,
} from './benefit-regrade-state.ts';
import { lockCityRuns } from './payroll-store.ts';
import { snapshotRules } from './snapshot-rules.ts';

/**
 * Applies an approved regrade decision, atomically: the plan is computed again from the database
 * under the proposal's pinned rules and must equal the approved one (a payroll month posted or an
 * entitlement changed since refuses, `benefit.regrade_changed`); the approval is consumed (action
 * `benefits.regrade`, exact payload, another person); the old entitlements end, the old decision
 * becomes `replaced`, the new one `approved`; the new entitlements are created; what the plan pays
 * (a higher grade's lump-sum difference, arrears) is posted as payable (Dr 51xx / Cr 2102,
 * `benefit-decision:<id>:approved`) with one payment each; what it holds for a person is recorded
 * on the case's timeline; the numbered 工伤保险待遇重新核定通知书 is issued (`benefit_regrade`,
 * benefit-letters.ts) and its id kept on the decision. A retry answers `replayed: true` and posts
 * nothing.
 */
export type RegradeApplyRefusalCode =
  | 'benefit.decision_not_found'
  | 'benefit.not_regrade'
  | 'benefit.decision_superseded'
  | 'benefit.appraisal_changed'
  | 'benefit.regrade_changed'
  | 'benefit.entitlement_active'
  | 'benefit.snapshot_invalid'
  | 'rules.parameter_missing'
  | RegradeBasisRefusalCode
  | ApprovalRefusal
  | LedgerRefusalCode;

export type RegradeApplyRequest = {
  regionCode: string;
  decisionId: string;
  approvalId?: string | undefined;
  /** The day of the decision: the payable's effective date (its ledger period must be open). */
  on: IsoDate;
};

export type RegradeApplied = {
  decisionId: string;
  status: 'approved';
  replacedDecisionId: string;
  ledgerTransactionId: string | null;
  replayed: boolean;
};

type Stored = NonNullable<Awaited<ReturnType<typeof decisionRow>>> & { plan: RegradePlan };

async function storedRegrade(
  ex: Executor,
  regionCode: string,
  decisionId: string,
  lock: boolean,
): Promise<Result<Stored, 'benefit.decision_not_found' | 'benefit.not_regrade'>> {
  const row = await decisionRow(ex, regionCode, decisionId, lock);
  if (row === null) return refuse('benefit.decision_not_found', `decision ${decisionId} not found`);
  const [extra] = await ex.orm
    .select({ regrade: benefitDecisions.regrade })
    .from(benefitDecisions)
    .where(and(eq(benefitDecisions.regionCode, regionCode), eq(benefitDecisions.id, decisionId)));
  if (extra?.regrade == null)
    return refuse(
      'benefit.not_regrade',
      `decision ${decisionId} is a first decision: apply it with …/benefit-decisions/${decisionId}/apply`,
    );
  return ok({ ...row, plan: regradePlanSchema.parse(extra.regrade) });
}

function payloadOf(row: Stored) {
  const result = storedResult(row.calculationResult);
  return regradePayload(
    {
      decisionId: row.id,
      caseId: row.caseId,
      workerId: row.workerId,
      appraisalId: row.appraisalId,
      wageMonths: storedWageMonths(row.wageMonths),
      baseWageFen: result.baseWageFen,
      items: result.items,
      fundLumpSumTotalFen: row.plan.fundTotalFen,
      snapshotId: row.snapshotId,
      death: null,
    },
    row.plan,
  );
}

/** Locks the case, then the proposal; the plan computed now must be the one approved. */
async function lockAndCheck(
  tx: Executor,
  request: RegradeApplyRequest,
): Promise<Result<Stored, RegradeApplyRefusalCode>> {
  const unlocked = await storedRegrade(tx, request.regionCode, request.decisionId, false);
  if (!unlocked.ok) return unlocked;
  const benefitCase = await loadBenefitCase(tx, request.regionCode, unlocked.value.caseId, {
    lock: true,
  });
  const stored = await storedRegrade(tx, request.regionCode, request.decisionId, true);
  if (!stored.ok) return stored;
  if (benefitCase === null)
    return refuse(
      'benefit.decision_not_found',
      `the case of decision ${request.decisionId} is gone`,
    );
  const row = stored.value;
  if (row.status !== 'proposed')
    return refuse('benefit.decision_superseded', `decision ${row.id} is ${row.status}`, {
      status: row.status,
    });
  const basis = await regradeBasis(tx, benefitCase);
  if (!basis.ok) return basis;
  if (basis.value.revisit.id !== row.appraisalId)
    return refuse('benefit.appraisal_changed', 'a later appraisal concluded since the proposal', {
      appraisalId: basis.value.revisit.id,
    });
  const pinned = await snapshotRules(tx, row.snapshotId);
  if (!pinned.ok) return pinned;
  // A run created meanwhile would pay the old amounts for a month the plan cannot see (ADR 0023).
  await lockCityRuns(tx, row.regionCode);
  const now = await regradePlanOf(tx, pinned.value, {
    regionCode: row.regionCode,
    basis: basis.value,
    items: storedResult(row.calculationResult).items,
  });
  if (!now.ok) return now;
  if (payloadHash(now.value) !== payloadHash(row.plan))
    return refuse(
      'benefit.regrade_changed',
      'the payroll or the entitlements changed since the proposal (a month paid, an entitlement ended): propose the regrade again',
      { proposed: row.plan, now: now.value },
    );
  return ok(row);
}

/** Ends the old entitlements (before the one-active index sees the new ones) and inserts the new. */
async function switchEntitlements(tx: Executor, actor: Actor, row: Stored) {
  for (const e of row.plan.endings)
    await tx.orm
      .update(benefitEntitlements)
      .set({ status: 'ended', endsOn: e.endsOn })
      .where(
        and(eq(benefitEntitlements.regionCode, row.regionCode), eq(benefitEntitlements.id, e.id)),
      );
  for (const e of row.plan.entitlements)
    await tx.orm.insert(benefitEntitlements).values({
      regionCode: row.regionCode,
      id: `ent_${row.regionCode}_${randomBytes(8).toString('hex')}`,
      workerId: row.workerId,
      kind: e.kind,
      frequency: 'monthly',
      amountFen: e.amountFen,
      payer: e.payer,
      startsOn: e.startsOn,
      endsOn: e.endsOn,
      status: 'active',
      decisionId: row.id,
      snapshotId: row.snapshotId,
      citation: e.citation,
      createdBy: actor.username,
    });
}

async function refuseForeignActive(
  tx: Executor,
  row: Stored,
): Promise<Refusal<'benefit.entitlement_active'> | null> {
  const kinds = row.plan.entitlements.map((e) => e.kind);
  if (kinds.length === 0) return null;
  const ending = row.plan.endings.map((e) => e.id);
  const [active] = await tx.orm
    .select({ id: benefitEntitlements.id, kind: benefitEntitlements.kind })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.workerId, row.workerId),
        inArray(benefitEntitlements.kind, kinds),
        eq(benefitEntitlements.status, 'active'),
        ending.length === 0 ? undefined : notInArray(benefitEntitlements.id, ending),
      ),
    );
  if (active === undefined) return null;
  return refuse(
    'benefit.entitlement_active',
    `the worker has another active ${active.kind} entitlement (${active.id}): end it first`,
    { entitlementId: active.id, kind: active.kind },
  );
}

async function writeApply(
  tx: Executor,
  actor: Actor,
  request: RegradeApplyRequest,
  transactionId: string | null,
): Promise<Refusal<RegradeApplyRefusalCode> | null> {
  const checked = await lockAndCheck(tx, request);
  if (!checked.ok) return checked;
  const row = checked.value;
  const used = await consumeApproval(tx, {
    regionCode: row.regionCode,
    id: request.approvalId ?? row.approvalId,
    action: BENEFIT_REGRADE_ACTION,
    payload: payloadOf(row),
  });
  if (!used.ok) return used;
  const blocked = await refuseForeignActive(tx, row);
  if (blocked !== null) return blocked;
  await tx.orm
    .update(benefitDecisions)
    .set({ status: 'replaced' })
    .where(
      and(
        eq(benefitDecisions.regionCode, row.regionCode),
        eq(benefitDecisions.id, row.plan.replacesDecisionId),
      ),
    );
  await tx.orm
    .update(benefitDecisions)
    .set({
      status: 'approved',
      approvedBy: used.value.checkerId,
      approvedOn: request.on,
      ledgerTransactionId: transactionId,
    })
    .where(and(eq(benefitDecisions.regionCode, row.regionCode), eq(benefitDecisions.id, row.id)));
  await switchEntitlements(tx, actor, row);
  await insertPayments(tx, actor, row);
  const result = storedResult(row.calculationResult);
  const letter = await issueRegradeLetter(tx, actor, {
    regionCode: row.regionCode,
    decisionId: row.id,
    caseId: row.caseId,
    appraisalId: row.appraisalId,
    wageMonths: storedWageMonths(row.wageMonths),
    baseWageFen: result.baseWageFen,
    items: result.items,
    plan: row.plan,
    on: request.on,
  });
  await recordApplied(tx, actor, row, {
    on: request.on,
    checker: used.value.checkerId,
    transactionId,
    letterId: letter.id,
  });
  return null;
}

async function insertPayments(tx: Executor, actor: Actor, row: Stored) {
  await issueBenefitPayments(
    tx,
    actor,
    {
      regionCode: row.regionCode,
      decisionId: row.id,
      payableTransactionId: payableTransactionId(row.id),
    },
    row.plan.postings.map((p) => ({
      itemCode: p.code,
      account: p.account,
      amountFen: p.amountFen,
    })),
  );
}

/** The timeline event (with what waits for a person) and the audit event. */
async function recordApplied(
  tx: Executor,
  actor: Actor,
  row: Stored,
  input: { on: IsoDate; checker: string; transactionId: string | null; letterId: string },
) {
  const { plan } = row;
  await appendCaseEvent(tx, {
    regionCode: row.regionCode,
    caseId: row.caseId,
    kind: 'benefit.regrade_approved',
    occurredOn: input.on,
    data: {
      decisionId: row.id,
      letterId: input.letterId,
      replacedDecisionId: plan.replacesDecisionId,
      checker: input.checker,
      ledgerTransactionId: input.transactionId,
      startsOn: plan.startsOn,
      basis: plan.rule.citation,
      basisStatus: plan.rule.status,
      endedEntitlements: plan.endings.map((e) => e.id),
      // Overpaid amounts the system does not recover: a person decides (no held text says how).
      heldForReview: plan.held,
    },
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.regrade.apply', `benefit-decision/${row.regionCode}/${row.id}`, {
      approvalId: row.approvalId,
      replacedDecisionId: plan.replacesDecisionId,
      ledgerTransactionId: input.transactionId,
      postings: plan.postings.length,
      held: plan.held.length,
    }),
  );
}

export async function applyRegrade(
  db: Database,
  actor: Actor,
  request: RegradeApplyRequest,
): Promise<Result<RegradeApplied, RegradeApplyRefusalCode>> {
  const stored = await db.withConnection((ex) =>
    storedRegrade(ex, request.regionCode, request.decisionId, false),
  );
  if (!stored.ok) return stored;
  const row = stored.value;
  const answer = (replayed: boolean, id: string | null) =>
    ok({
      decisionId: row.id,
      status: 'approved' as const,
      replacedDecisionId: row.plan.replacesDecisionId,
      ledgerTransactionId: id,
      replayed,
    });
  if (row.status === 'approved') return answer(true, row.ledgerTransactionId);
  const txRequest = regradePayableTransaction({
    decisionId: row.id,
    segment: row.regionCode,
    effectiveDate: request.on,
    snapshotId: row.snapshotId,
    postings: row.plan.postings,
  });
  const transactionId = txRequest?.id ?? null;
  const guard = (tx: Executor) => writeApply(tx, actor, request, transactionId);
  const written =
    txRequest === null
      ? await guardOnly(db, guard)
      : await postTransactions<RegradeApplyRefusalCode>(db, actor, [txRequest], {
          auditAction: 'benefits.regrade.post',
          guard,
        });
  if (written.ok) return answer(false, transactionId);
  // A concurrent apply that won the race makes this one a replay, not a refusal.
  if (written.code !== 'benefit.decision_superseded') return written;
  const now = await db.withConnection((ex) =>
    decisionRow(ex, request.regionCode, request.decisionId, false),
  );
  return now?.status === 'approved' ? answer(true, now.ledgerTransactionId) : written;
}
