import type { Database, Executor } from '../../db/client.ts';
import { benefitMissing } from '../../db/schema.ts';
import { BENEFITS_PAYABLE } from '../../domain/benefits/ledger-postings.ts';
import { advanceTransactionId } from '../../domain/benefits/missing.ts';
import { benefitExpenseAccount } from '../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import type { ApprovalRefusal } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { type MissingView, missingOf } from './benefit-missing-read.ts';
import {
  askOrPostMissingStep,
  lockApprovedMissing,
  missingKey,
  missingPaymentId,
} from './benefit-missing-step.ts';
import { issueBenefitPayments } from './benefit-payment-issue.ts';

/**
 * 预支一次性工亡补助金 (《工伤保险条例》第四十一条: "生活有困难的，可以预支一次性工亡补助金的50%。"): on its own
 * approval, since a family asks for it only when in hardship (the reason says which). The amount is
 * the recorded event's `advanceMaxFen` (the rule `missingWorker` on the death computation's lump
 * sum), approved with the event. Applied in the ledger write's transaction: Dr 5112 一次性工亡补助金 /
 * Cr 2102 应付待遇款 (`benefit-missing:<decision>:advance`, the death decision's lump-sum accounts)
 * and one `benefit_payments` row of the event's decision (item `death_lump_sum_advance`), paid on
 * the bank's confirmation by the decision's payment routes. Once per event; a retry replays.
 */
export const MISSING_ADVANCE_ACTION = 'benefits.missing_advance';
export const ADVANCE_ITEM = 'death_lump_sum_advance';

export type AdvanceCode =
  | 'benefit.missing_not_recorded'
  | 'benefit.missing_advance_paid'
  | 'benefit.missing_already_declared'
  | 'benefit.missing_reappeared'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type AdvanceRequest = {
  regionCode: string;
  caseId: string;
  /** 生活有困难的: the family's hardship and its evidence. */
  reason: string;
  approvalId?: string | undefined;
  /** The day of the advance: the payable's effective date (its ledger period must be open). */
  on: IsoDate;
  policy: ApprovalPolicy;
};

export type AdvanceOutcome = {
  status: 'approval_requested' | 'advanced';
  replayed: boolean;
  missing: MissingView;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

function advancePayload(request: AdvanceRequest, m: MissingView) {
  return {
    regionCode: request.regionCode,
    caseId: request.caseId,
    missingId: m.id,
    decisionId: m.decisionId,
    advanceFen: m.advanceMaxFen,
    account: benefitExpenseAccount.death_lump_sum,
    reason: request.reason,
  };
}

/** The refusal of an advance on this event (null: it may go ahead). */
function advanceRefusal(
  request: AdvanceRequest,
  m: MissingView | null,
): Refusal<AdvanceCode> | null {
  if (m === null)
    return refuse(
      'benefit.missing_not_recorded',
      `case ${request.caseId} has no missing event recorded in ${request.regionCode}`,
    );
  // Declared dead: the lump sum itself is paid (less any advance), nothing is advanced any more.
  if (m.declared !== null)
    return refuse('benefit.missing_already_declared', `declared dead on ${m.declared.on} already`);
  // He is back: the article's hardship advance is for a family whose breadwinner is missing.
  if (m.reappeared !== null)
    return refuse('benefit.missing_reappeared', `the worker reappeared on ${m.reappeared.on}`, {
      reappearedOn: m.reappeared.on,
    });
  if (m.advance !== null)
    return refuse(
      'benefit.missing_advance_paid',
      `the advance of ${m.advance.amountFen} fen was paid on ${m.advance.on} (once per event)`,
      { paymentId: m.advance.paymentId },
    );
  return null;
}

export async function advanceMissingLumpSum(
  db: Database,
  actor: Actor,
  request: AdvanceRequest,
): Promise<Result<AdvanceOutcome, AdvanceCode>> {
  const held = await db.withConnection((ex) => missingOf(ex, request.regionCode, request.caseId));
  if (held !== null && replays(held, request))
    return ok({ status: 'advanced', replayed: true, missing: held, approval: null });
  const refused = advanceRefusal(request, held);
  if (refused !== null) return refused;
  invariant(held !== null, 'advanceRefusal passed without an event');
  invariant(held.advanceMaxFen > 0, 'a missing event without a lump sum to advance');
  return askOrPostMissingStep<AdvanceCode, 'advanced'>(db, actor, {
    held,
    approvalId: request.approvalId,
    policy: request.policy,
    action: MISSING_ADVANCE_ACTION,
    payload: advancePayload(request, held),
    amountFen: held.advanceMaxFen,
    transaction: advanceTransaction(held, request.on),
    auditAction: 'benefits.missing.advance.post',
    guard: (tx, approvalId) => writeAdvance(tx, actor, request, approvalId),
    replays: (m) => replays(m, request),
    done: 'advanced',
  });
}

function replays(m: MissingView, request: AdvanceRequest): boolean {
  return m.advance !== null && m.advance.approvalId === request.approvalId;
}

function advanceTransaction(m: MissingView, on: IsoDate): TransactionRequest {
  const legs = { segment: m.regionCode, amountFen: m.advanceMaxFen };
  return {
    id: advanceTransactionId(m.decisionId),
    effectiveDate: on,
    source: { type: 'benefit.missing', id: m.id },
    memo: '下落不明预支一次性工亡补助金 advance of the death lump sum (第四十一条)',
    postings: [
      { ...legs, account: benefitExpenseAccount.death_lump_sum, side: 'debit' },
      { ...legs, account: BENEFITS_PAYABLE, side: 'credit' },
    ],
  };
}

/** Inside the ledger write: the event locked and checked again, the approval consumed, the payment. */
async function writeAdvance(
  tx: Executor,
  actor: Actor,
  request: AdvanceRequest,
  approvalId: string,
): Promise<Refusal<AdvanceCode> | null> {
  const locked = await lockApprovedMissing<AdvanceCode>(
    tx,
    request,
    { id: approvalId, action: MISSING_ADVANCE_ACTION },
    { check: (m) => advanceRefusal(request, m), payloadOf: (m) => advancePayload(request, m) },
  );
  if (!locked.ok) return locked;
  const m = locked.value;
  const [paymentId] = await issueBenefitPayments(
    tx,
    actor,
    {
      regionCode: request.regionCode,
      decisionId: m.decisionId,
      payableTransactionId: advanceTransactionId(m.decisionId),
    },
    [
      {
        id: missingPaymentId(request.regionCode, approvalId, 'advance'),
        itemCode: ADVANCE_ITEM,
        account: benefitExpenseAccount.death_lump_sum,
        amountFen: m.advanceMaxFen,
      },
    ],
  );
  await tx.orm
    .update(benefitMissing)
    .set({
      advanceFen: m.advanceMaxFen,
      advanceReason: request.reason,
      advanceApprovalId: approvalId,
      advancePaymentId: paymentId,
      advanceOn: request.on,
      advanceBy: actor.username,
    })
    .where(missingKey(request));
  const data = { missingId: m.id, paymentId, advanceFen: m.advanceMaxFen, approvalId };
  await appendCaseEvent(tx, {
    regionCode: request.regionCode,
    caseId: request.caseId,
    kind: 'benefit.missing_advance_paid',
    occurredOn: request.on,
    data,
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.missing.advance',
      `case/${request.regionCode}/${request.caseId}/missing`,
      data,
    ),
  );
  return null;
}
