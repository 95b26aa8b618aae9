import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitMissing, workerDeaths } from '../../db/schema.ts';
import { BENEFITS_PAYABLE } from '../../domain/benefits/ledger-postings.ts';
import { lumpSumAfterAdvance } from '../../domain/benefits/missing.ts';
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
 * 宣告死亡 (《工伤保险条例》第四十一条: "职工被人民法院宣告死亡的，按照本条例第三十九条职工因工死亡的规定处理。"): on its
 * own approval, the items of 第三十九条 not yet paid are paid on the event's decision — 丧葬补助金 (5110)
 * and the 一次性工亡补助金 less the advance drawn (5112), Dr 51xx / Cr 2102 in one transaction
 * `benefit-missing:<decision>:declared-dead`, one `benefit_payments` row each, paid by the decision's
 * payment routes. The survivors' pensions already running continue (not started again). Amounts are
 * the death computation stored with the event (dated on the accident). Once per event.
 */
export const MISSING_DECLARED_ACTION = 'benefits.missing_declared';

export type DeclaredCode =
  | 'benefit.missing_not_recorded'
  | 'benefit.missing_already_declared'
  | 'benefit.missing_reappeared'
  | 'benefit.death_before_accident'
  | 'benefit.death_in_future'
  | 'benefit.death_date_mismatch'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type DeclaredRequest = {
  regionCode: string;
  caseId: string;
  /** The date of death the judgment fixes. */
  deadOn: IsoDate;
  /** The judgment (court, number). */
  reason: string;
  approvalId?: string | undefined;
  /** The day of the payment: the payable's effective date; also "today" for the date check. */
  on: IsoDate;
  policy: ApprovalPolicy;
};

export type DeclaredOutcome = {
  status: 'approval_requested' | 'declared';
  replayed: boolean;
  missing: MissingView;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

/** What 第三十九条 still pays: the funeral grant, and the lump sum less the advance (our reading). */
export function declaredAmounts(m: MissingView) {
  const advanceFen = m.advance?.amountFen ?? 0;
  return {
    funeralGrantFen: m.funeralGrantFen,
    deathLumpSumFen: m.deathLumpSumFen,
    advanceFen,
    lumpSumDueFen: lumpSumAfterAdvance(m.deathLumpSumFen, advanceFen),
  };
}

function declaredPayload(request: DeclaredRequest, m: MissingView) {
  return {
    regionCode: request.regionCode,
    caseId: request.caseId,
    missingId: m.id,
    decisionId: m.decisionId,
    deadOn: request.deadOn,
    reason: request.reason,
    ...declaredAmounts(m),
  };
}

async function declaredRefusal(
  ex: Executor,
  request: DeclaredRequest,
  m: MissingView | null,
): Promise<Refusal<DeclaredCode> | null> {
  if (m === null)
    return refuse(
      'benefit.missing_not_recorded',
      `case ${request.caseId} has no missing event recorded in ${request.regionCode}`,
    );
  if (m.declared !== null)
    return refuse('benefit.missing_already_declared', `declared dead on ${m.declared.on} already`);
  // He is known alive: 第三十九条 is not applied on this record (a later death is a death case's).
  if (m.reappeared !== null)
    return refuse('benefit.missing_reappeared', `the worker reappeared on ${m.reappeared.on}`, {
      reappearedOn: m.reappeared.on,
    });
  if (request.deadOn < m.accidentDate)
    return refuse('benefit.death_before_accident', `${request.deadOn} is before the accident`, {
      field: 'deadOn',
      accidentDate: m.accidentDate,
    });
  if (request.deadOn > request.on)
    return refuse('benefit.death_in_future', `${request.deadOn} is after ${request.on}`, {
      field: 'deadOn',
    });
  const [death] = await ex.orm
    .select({ diedOn: workerDeaths.diedOn })
    .from(workerDeaths)
    .where(eq(workerDeaths.workerId, m.workerId));
  if (death !== undefined && death.diedOn !== request.deadOn)
    return refuse(
      'benefit.death_date_mismatch',
      `the worker's death is recorded on ${death.diedOn}, not ${request.deadOn}`,
      { field: 'deadOn', recordedDiedOn: death.diedOn },
    );
  return null;
}

export async function declareMissingDead(
  db: Database,
  actor: Actor,
  request: DeclaredRequest,
): Promise<Result<DeclaredOutcome, DeclaredCode>> {
  const read = () => db.withConnection((ex) => missingOf(ex, request.regionCode, request.caseId));
  const held = await read();
  const replay = (m: MissingView | null) =>
    m !== null && m.declared !== null && m.declared.approvalId === request.approvalId;
  if (held !== null && replay(held))
    return ok({ status: 'declared', replayed: true, missing: held, approval: null });
  const refused = await db.withConnection((ex) => declaredRefusal(ex, request, held));
  if (refused !== null) return refused;
  invariant(held !== null, 'declaredRefusal passed without an event');
  const payload = declaredPayload(request, held);
  return askOrPostMissingStep<DeclaredCode, 'declared'>(db, actor, {
    held,
    approvalId: request.approvalId,
    policy: request.policy,
    action: MISSING_DECLARED_ACTION,
    payload,
    amountFen: payload.funeralGrantFen + payload.lumpSumDueFen,
    transaction: declaredTransaction(held, request.on),
    auditAction: 'benefits.missing.declared.post',
    guard: (tx, approvalId) => writeDeclared(tx, actor, request, approvalId),
    replays: replay,
    done: 'declared',
  });
}

export function declaredTransactionId(decisionId: string): string {
  return `benefit-missing:${decisionId}:declared-dead`;
}

function declaredLegs(m: MissingView) {
  const amounts = declaredAmounts(m);
  return [
    {
      itemCode: 'funeral_grant',
      account: benefitExpenseAccount.funeral,
      amountFen: amounts.funeralGrantFen,
    },
    {
      itemCode: 'death_lump_sum',
      account: benefitExpenseAccount.death_lump_sum,
      amountFen: amounts.lumpSumDueFen,
    },
  ].filter((l) => l.amountFen > 0);
}

function declaredTransaction(m: MissingView, on: IsoDate): TransactionRequest {
  const legs = declaredLegs(m);
  return {
    id: declaredTransactionId(m.decisionId),
    effectiveDate: on,
    source: { type: 'benefit.missing', id: m.id },
    memo: '宣告死亡：丧葬补助金、一次性工亡补助金（扣除预支） declared dead: funeral grant, death lump sum less the advance',
    postings: [
      ...legs.map((l) => ({
        segment: m.regionCode,
        account: l.account,
        side: 'debit' as const,
        amountFen: l.amountFen,
      })),
      {
        segment: m.regionCode,
        account: BENEFITS_PAYABLE,
        side: 'credit' as const,
        amountFen: legs.reduce((s, l) => s + l.amountFen, 0),
      },
    ],
  };
}

/** Inside the ledger write: the event locked and checked again, the approval consumed, the payments. */
async function writeDeclared(
  tx: Executor,
  actor: Actor,
  request: DeclaredRequest,
  approvalId: string,
): Promise<Refusal<DeclaredCode> | null> {
  const locked = await lockApprovedMissing<DeclaredCode>(
    tx,
    request,
    { id: approvalId, action: MISSING_DECLARED_ACTION },
    {
      check: (m) => declaredRefusal(tx, request, m),
      payloadOf: (m) => declaredPayload(request, m),
    },
  );
  if (!locked.ok) return locked;
  const m = locked.value;
  const paymentIds = await issueBenefitPayments(
    tx,
    actor,
    {
      regionCode: request.regionCode,
      decisionId: m.decisionId,
      payableTransactionId: declaredTransactionId(m.decisionId),
    },
    declaredLegs(m).map((l) => ({
      ...l,
      id: missingPaymentId(request.regionCode, approvalId, l.itemCode),
    })),
  );
  await tx.orm
    .update(benefitMissing)
    .set({
      declaredDeadOn: request.deadOn,
      declaredReason: request.reason,
      declaredApprovalId: approvalId,
      declaredOn: request.on,
      declaredBy: actor.username,
    })
    .where(missingKey(request));
  const data = { missingId: m.id, deadOn: request.deadOn, paymentIds, ...declaredAmounts(m) };
  await appendCaseEvent(tx, {
    regionCode: request.regionCode,
    caseId: request.caseId,
    kind: 'benefit.missing_declared_dead',
    occurredOn: request.on,
    data,
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.missing.declared',
      `case/${request.regionCode}/${request.caseId}/missing`,
      {
        ...data,
        approvalId,
      },
    ),
  );
  return null;
}
