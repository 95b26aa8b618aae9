import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { textOf } from '../../db/rows.ts';
import {
  benefitEntitlements,
  benefitOverpayments,
  benefitRecoveries,
  workerDeaths,
} from '../../db/schema.ts';
import { payrollExpenseAccount } from '../../domain/benefits/payroll-lines.ts';
import {
  offsetLines,
  RECOVERY_ACTION,
  type RecoveryMethod,
  recognitionTransaction,
  recognitionTransactionId,
  recoveryId,
} from '../../domain/benefits/recovery.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';
import { type OverpaymentRecoveryView, overpaymentRecoveryOf } from './benefit-recovery-read.ts';

/**
 * The recovery decision of an overpayment (docs/benefits.md, "Recovering overpayments"): the
 * handler proposes an order (责令退回) or an offset (抵扣, so much a month against the same person's
 * later payroll lines), a second person approves the exact payload, and applying it — in the
 * ledger write's transaction — consumes the approval, writes the recovery and recognises the
 * receivable (Dr 1132 / Cr 51xx, `benefit-recovery:<id>:recognised`). A second apply of one
 * approval answers the recovery it wrote (replayed), never a second one.
 */
export type RecoveryRefusalCode =
  | 'benefit.overpayment_not_found'
  | 'benefit.overpayment_settled'
  | 'benefit.recovery_active'
  | 'benefit.recovery_monthly_of_offset'
  | 'benefit.recovery_amount_exceeds_balance'
  | 'benefit.recovery_no_later_payment'
  | 'benefit.recovery_offset_too_large'
  | 'benefit.overpayment_awaiting_bank'
  | 'benefit.overpayment_line_failed';

export type DecideRecoveryCode = RecoveryRefusalCode | ApprovalRefusal | LedgerRefusalCode;

export type RecoveryInput = {
  regionCode: string;
  overpaymentId: string;
  method: RecoveryMethod;
  /** An offset's most per payroll month; null for an order. */
  monthlyFen: number | null;
  /** Why this method (the person's means, a repayment agreement, the estate …). */
  reason: string;
};

export type RecoveryOutcome = {
  status: 'approval_requested' | 'decided';
  replayed: boolean;
  overpayment: OverpaymentRecoveryView;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

/**
 * The account the overpaid months were expensed to (payroll lines), or the lump sum to return was
 * (the advance: 5112, stored on the row, migration 0060).
 */
function overpaidAccount(o: OverpaymentRecoveryView): string {
  const account = o.expenseAccount ?? payrollExpenseAccount(o.entitlementKind);
  invariant(account !== null, `overpayment ${o.overpaymentId} of a kind the payroll never pays`);
  return account;
}

/** What the checker approves: the overpayment, the method and its amounts, nothing else. */
export function recoveryPayload(input: RecoveryInput, o: OverpaymentRecoveryView) {
  return {
    regionCode: input.regionCode,
    overpaymentId: input.overpaymentId,
    workerId: o.workerId,
    entitlementId: o.entitlementId,
    overpaymentReason: o.reason,
    months: o.months,
    amountFen: o.amountFen,
    expenseAccount: overpaidAccount(o),
    method: input.method,
    monthlyFen: input.monthlyFen,
    reason: input.reason,
  };
}

export async function decideRecovery(
  db: Database,
  actor: Actor,
  input: RecoveryInput & { approvalId?: string | undefined; on: IsoDate; policy: ApprovalPolicy },
): Promise<Result<RecoveryOutcome, DecideRecoveryCode>> {
  const read = (ex: Executor) => overpaymentRecoveryOf(ex, input.regionCode, input.overpaymentId);
  const held = await db.withConnection(read);
  if (held === null)
    return refuse(
      'benefit.overpayment_not_found',
      `no overpayment ${input.overpaymentId} in ${input.regionCode}`,
    );
  const { approvalId } = input;
  const replay = (o: OverpaymentRecoveryView) =>
    ok({ status: 'decided' as const, replayed: true, overpayment: o, approval: null });
  if (approvalId !== undefined && held.recovery?.approvalId === approvalId) return replay(held);
  const checked = await db.withConnection((ex) => checkRecovery(ex, input, held));
  if (checked !== null) return checked;
  if (approvalId === undefined) {
    const a = await db.transaction((tx) =>
      requestApproval(tx, actor, {
        regionCode: input.regionCode,
        action: RECOVERY_ACTION,
        payload: recoveryPayload(input, held),
        amountFen: held.amountFen,
        policy: input.policy,
      }),
    );
    const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
    return ok({ status: 'approval_requested', replayed: false, overpayment: held, approval });
  }
  const id = recoveryId(input.regionCode, approvalId);
  const request = recognitionTransaction({
    recoveryId: id,
    overpaymentId: input.overpaymentId,
    segment: input.regionCode,
    effectiveDate: input.on,
    expenseAccount: overpaidAccount(held),
    amountFen: held.amountFen,
    method: input.method,
  });
  const written = await postTransaction<DecideRecoveryCode>(db, actor, request, {
    auditAction: 'benefits.recovery.post',
    guard: (tx) => writeRecovery(tx, actor, { ...input, approvalId, id }),
  });
  const now = await db.withConnection(read);
  if (now === null) throw new Error(`overpayment ${input.overpaymentId} vanished`);
  if (!written.ok) return now.recovery?.approvalId === approvalId ? replay(now) : written;
  return ok({ status: 'decided', replayed: false, overpayment: now, approval: null });
}

/** The refusal of this recovery of this overpayment as it reads now (null: it may go ahead). */
async function checkRecovery(
  ex: Executor,
  input: RecoveryInput,
  o: OverpaymentRecoveryView,
): Promise<Refusal<RecoveryRefusalCode> | null> {
  if (o.status !== 'open' || o.recovery?.status === 'settled')
    return refuse('benefit.overpayment_settled', `overpayment ${o.overpaymentId} is ${o.status}`, {
      recoveryId: o.recovery?.id ?? null,
    });
  if (o.recovery !== null)
    return refuse(
      'benefit.recovery_active',
      `overpayment ${o.overpaymentId} is being recovered by ${o.recovery.method} already`,
      { recoveryId: o.recovery.id },
    );
  const unsettled = await checkLinesAnswered(ex, o);
  if (unsettled !== null) return unsettled;
  if ((input.method === 'offset') !== (input.monthlyFen !== null))
    return refuse(
      'benefit.recovery_monthly_of_offset',
      'monthlyFen: an offset needs the amount per month; an order takes none (it is repaid by repayments)',
    );
  if (input.monthlyFen === null) return null;
  if (input.monthlyFen > o.amountFen)
    return refuse(
      'benefit.recovery_amount_exceeds_balance',
      `monthlyFen ${input.monthlyFen} exceeds the ${o.amountFen} fen owed: ask for at most the balance`,
      { balanceFen: o.amountFen },
    );
  return checkOffset(ex, { ...input, monthlyFen: input.monthlyFen }, o);
}

/**
 * The receivable is recognised from lines the bank has answered: a line still sent and unanswered
 * may yet fail (and then leaves the overpayment, overpayment-failed-lines.ts), and a failed line
 * the return could not take out (a correction's or a retirement's difference) would overstate it.
 */
async function checkLinesAnswered(
  ex: Executor,
  o: OverpaymentRecoveryView,
): Promise<Refusal<RecoveryRefusalCode> | null> {
  if (o.lineIds.length === 0) return null;
  const r = await ex.query(
    `SELECT id, status FROM payroll_lines
     WHERE region_code = $1 AND id = ANY($2::text[]) AND status <> 'paid' ORDER BY id`,
    [o.regionCode, o.lineIds],
  );
  const issued = r.rows
    .filter((row) => textOf(row, 'status') === 'issued')
    .map((row) => textOf(row, 'id'));
  if (issued.length > 0)
    return refuse(
      'benefit.overpayment_awaiting_bank',
      `${issued.length} line(s) of overpayment ${o.overpaymentId} are sent and not yet answered by the bank: import the bank's return first`,
      { lineIds: issued },
    );
  const failed = r.rows.map((row) => textOf(row, 'id'));
  if (failed.length > 0)
    return refuse(
      'benefit.overpayment_line_failed',
      `${failed.length} line(s) of overpayment ${o.overpaymentId} were failed by the bank after it was found and its amount still counts them: it cannot be recovered as recorded (recomputing a correction's or a retirement's difference after a failure is not built)`,
      { lineIds: failed },
    );
  return null;
}

/** An offset needs later payments of the same person, a month that can be taken, no other offset. */
async function checkOffset(
  ex: Executor,
  input: RecoveryInput & { monthlyFen: number },
  o: OverpaymentRecoveryView,
): Promise<Refusal<RecoveryRefusalCode> | null> {
  // A lump sum to return (the advance) was paid to the worker's 近亲属, not to him: his later
  // payments are not theirs to offset against ("其后续享受的"), and theirs ended with the event.
  if (o.entitlementId === null)
    return refuse(
      'benefit.recovery_no_later_payment',
      `overpayment ${o.overpaymentId} is a lump sum paid to the worker's 近亲属 (payment ${o.paymentId}): recover it by order`,
    );
  const [dead] = await ex.orm
    .select({ diedOn: workerDeaths.diedOn })
    .from(workerDeaths)
    .where(eq(workerDeaths.workerId, o.workerId));
  if (dead !== undefined)
    return refuse(
      'benefit.recovery_no_later_payment',
      `the worker died on ${dead.diedOn}: no later payment of theirs to offset against (a survivor's pension is another person's); recover by order from the estate`,
    );
  const own = (await ownPayments(ex, input.regionCode, o.workerId)).map((e) => ({
    id: e.id,
    amountFen: e.amountFen,
  }));
  if (own.length === 0)
    return refuse(
      'benefit.recovery_no_later_payment',
      `worker ${o.workerId} has no active benefit the fund pays monthly in ${input.regionCode}: recover by order`,
    );
  const first = offsetLines(own, { monthLeftFen: input.monthlyFen, balanceFen: o.amountFen });
  if (first.length === 0)
    return refuse(
      'benefit.recovery_offset_too_large',
      `monthlyFen ${input.monthlyFen} would take a whole month's payment (${own.map((e) => e.amountFen).join(', ')} fen): ask for less a month, or an order`,
    );
  const [other] = await ex.orm
    .select({ id: benefitRecoveries.id })
    .from(benefitRecoveries)
    .where(
      and(
        eq(benefitRecoveries.regionCode, input.regionCode),
        eq(benefitRecoveries.workerId, o.workerId),
        eq(benefitRecoveries.method, 'offset'),
        eq(benefitRecoveries.status, 'active'),
      ),
    );
  if (other !== undefined)
    return refuse(
      'benefit.recovery_active',
      `worker ${o.workerId} has an active offset already (${other.id}): one offset at a time`,
      { recoveryId: other.id },
    );
  return null;
}

/** The person's own active entitlements in the city the payroll pays (never a survivor's). */
async function ownPayments(ex: Executor, regionCode: string, workerId: string) {
  const rows = await ex.orm
    .select({
      id: benefitEntitlements.id,
      kind: benefitEntitlements.kind,
      amountFen: benefitEntitlements.amountFen,
    })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.workerId, workerId),
        isNull(benefitEntitlements.dependantId),
        eq(benefitEntitlements.payer, 'fund'),
        eq(benefitEntitlements.status, 'active'),
      ),
    )
    .orderBy(benefitEntitlements.id);
  return rows.filter((e) => payrollExpenseAccount(e.kind) !== null && e.amountFen > 0);
}

/** Inside the ledger write: the overpayment locked, checked again, the approval consumed, the row. */
async function writeRecovery(
  tx: Executor,
  actor: Actor,
  input: RecoveryInput & { approvalId: string; id: string; on: IsoDate },
): Promise<Refusal<DecideRecoveryCode> | null> {
  await tx.orm
    .select({ id: benefitOverpayments.id })
    .from(benefitOverpayments)
    .where(
      and(
        eq(benefitOverpayments.regionCode, input.regionCode),
        eq(benefitOverpayments.id, input.overpaymentId),
      ),
    )
    .for('update');
  const o = await overpaymentRecoveryOf(tx, input.regionCode, input.overpaymentId);
  if (o === null) return refuse('benefit.overpayment_not_found', `${input.overpaymentId} vanished`);
  const refused = await checkRecovery(tx, input, o);
  if (refused !== null) return refused;
  const payload = recoveryPayload(input, o);
  const used = await consumeApproval(tx, {
    regionCode: input.regionCode,
    id: input.approvalId,
    action: RECOVERY_ACTION,
    payload,
  });
  if (!used.ok) return used;
  await tx.orm.insert(benefitRecoveries).values({
    regionCode: input.regionCode,
    id: input.id,
    overpaymentId: input.overpaymentId,
    workerId: o.workerId,
    method: input.method,
    amountFen: o.amountFen,
    monthlyFen: input.monthlyFen,
    expenseAccount: payload.expenseAccount,
    reason: input.reason,
    decidedOn: input.on,
    approvalId: input.approvalId,
    recognisedTransactionId: recognitionTransactionId(input.id),
    createdBy: actor.username,
  });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.recovery.decide',
      `overpayment/${input.regionCode}/${o.overpaymentId}`,
      {
        recoveryId: input.id,
        method: input.method,
        amountFen: o.amountFen,
        monthlyFen: input.monthlyFen,
        approvalId: input.approvalId,
      },
    ),
  );
  return null;
}
