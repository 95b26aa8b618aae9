import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  benefitOverpayments,
  benefitRecoveries,
  benefitRecoveryRepayments,
} from '../../db/schema.ts';
import {
  REPAYMENT_ACTION,
  repaymentId,
  repaymentTransaction,
} from '../../domain/benefits/recovery.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';
import { type RecoveryView, recoveryOf } from './benefit-recovery-read.ts';

/**
 * A repayment of a recovery order (退回, 《社会保险经办条例》第四十六条 "难以一次性退回的，可以签订还款协议分期退回"):
 * the bank's credit to the fund, recorded with its amount, day and reference under maker-checker;
 * applied in the ledger write's transaction (Dr 1003 支出户存款 / Cr 1132 暂付款,
 * `benefit-recovery:<recovery>:repayment:<id>`). The repayment that brings the balance to zero
 * settles the recovery and marks the overpayment recovered. A second apply of one approval answers
 * the repayment it wrote (replayed).
 */
export type RepaymentRefusalCode =
  | 'benefit.recovery_not_found'
  | 'benefit.recovery_not_order'
  | 'benefit.overpayment_settled'
  | 'benefit.recovery_amount_exceeds_balance'
  | 'benefit.repayment_in_future';

export type RepayCode = RepaymentRefusalCode | ApprovalRefusal | LedgerRefusalCode;

export type RepaymentInput = {
  regionCode: string;
  recoveryId: string;
  amountFen: number;
  paidOn: IsoDate;
  /** The bank's reference of the credit (or the receipt's number). */
  reference: string;
};

export type RepaymentOutcome = {
  status: 'approval_requested' | 'recorded';
  replayed: boolean;
  recovery: RecoveryView;
  repaymentId: string | null;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

export function repaymentPayload(input: RepaymentInput) {
  return {
    regionCode: input.regionCode,
    recoveryId: input.recoveryId,
    amountFen: input.amountFen,
    paidOn: input.paidOn,
    reference: input.reference,
  };
}

export async function recordRepayment(
  db: Database,
  actor: Actor,
  input: RepaymentInput & {
    approvalId?: string | undefined;
    today: IsoDate;
    policy: ApprovalPolicy;
  },
): Promise<Result<RepaymentOutcome, RepayCode>> {
  const read = (ex: Executor) => recoveryOf(ex, input.regionCode, input.recoveryId);
  const held = await db.withConnection(read);
  const { approvalId } = input;
  const id = approvalId === undefined ? null : repaymentId(input.regionCode, approvalId);
  const replay = (r: RecoveryView) =>
    ok({
      status: 'recorded' as const,
      replayed: true,
      recovery: r,
      repaymentId: id,
      approval: null,
    });
  if (held !== null && holds(held, id)) return replay(held);
  const refused = repaymentRefusal(input, held);
  if (refused !== null) return refused;
  if (held === null) throw new Error('repaymentRefusal passed without a recovery');
  if (approvalId === undefined || id === null) {
    const a = await db.transaction((tx) =>
      requestApproval(tx, actor, {
        regionCode: input.regionCode,
        action: REPAYMENT_ACTION,
        payload: repaymentPayload(input),
        amountFen: input.amountFen,
        policy: input.policy,
      }),
    );
    const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
    const outcome = { replayed: false, recovery: held, repaymentId: null, approval };
    return ok({ status: 'approval_requested', ...outcome });
  }
  const request = repaymentTransaction({ ...input, repaymentId: id, segment: input.regionCode });
  const written = await postTransaction<RepayCode>(db, actor, request, {
    auditAction: 'benefits.recovery.repayment.post',
    guard: (tx) =>
      writeRepayment(tx, actor, { ...input, approvalId, id, transactionId: request.id }),
  });
  const now = await db.withConnection(read);
  if (now === null) throw new Error(`recovery ${input.recoveryId} vanished`);
  if (!written.ok) return holds(now, id) ? replay(now) : written;
  return ok({
    status: 'recorded',
    replayed: false,
    recovery: now,
    repaymentId: id,
    approval: null,
  });
}

/** Whether the recovery holds the repayment of this approval (a retry's answer). */
function holds(r: RecoveryView, id: string | null): boolean {
  return r.repayments.some((p) => p.id === id);
}

function repaymentRefusal(
  input: RepaymentInput & { today: IsoDate },
  r: RecoveryView | null,
): Refusal<RepaymentRefusalCode> | null {
  if (r === null)
    return refuse(
      'benefit.recovery_not_found',
      `no recovery ${input.recoveryId} in ${input.regionCode}`,
    );
  if (r.method !== 'order')
    return refuse(
      'benefit.recovery_not_order',
      `recovery ${r.id} is an offset: the payroll deducts it, no repayment is recorded`,
    );
  if (r.status === 'settled' || r.balanceFen === 0)
    return refuse('benefit.overpayment_settled', `recovery ${r.id} was settled on ${r.settledOn}`);
  if (input.amountFen > r.balanceFen)
    return refuse(
      'benefit.recovery_amount_exceeds_balance',
      `amountFen ${input.amountFen} exceeds the balance of ${r.balanceFen} fen: record at most the balance`,
      { balanceFen: r.balanceFen },
    );
  if (input.paidOn > input.today)
    return refuse(
      'benefit.repayment_in_future',
      `paidOn ${input.paidOn} is after today (${input.today}): record a repayment the bank has made`,
    );
  return null;
}

/** Inside the ledger write: the recovery locked and checked again, the approval consumed, the row. */
async function writeRepayment(
  tx: Executor,
  actor: Actor,
  input: RepaymentInput & { approvalId: string; id: string; transactionId: string; today: IsoDate },
): Promise<Refusal<RepayCode> | null> {
  const key = and(
    eq(benefitRecoveries.regionCode, input.regionCode),
    eq(benefitRecoveries.id, input.recoveryId),
  );
  await tx.orm
    .select({ id: benefitRecoveries.id })
    .from(benefitRecoveries)
    .where(key)
    .for('update');
  const r = await recoveryOf(tx, input.regionCode, input.recoveryId);
  const refused = repaymentRefusal(input, r);
  if (refused !== null) return refused;
  if (r === null) throw new Error('repaymentRefusal passed without a recovery');
  const used = await consumeApproval(tx, {
    regionCode: input.regionCode,
    id: input.approvalId,
    action: REPAYMENT_ACTION,
    payload: repaymentPayload(input),
  });
  if (!used.ok) return used;
  await tx.orm.insert(benefitRecoveryRepayments).values({
    regionCode: input.regionCode,
    id: input.id,
    recoveryId: input.recoveryId,
    amountFen: input.amountFen,
    paidOn: input.paidOn,
    reference: input.reference,
    approvalId: input.approvalId,
    transactionId: input.transactionId,
    recordedBy: actor.username,
  });
  const settled = r.balanceFen === input.amountFen;
  if (settled) await settleRecovery(tx, { ...input, on: input.paidOn });
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.recovery.repayment', `recovery/${input.regionCode}/${r.id}`, {
      repaymentId: input.id,
      amountFen: input.amountFen,
      paidOn: input.paidOn,
      approvalId: input.approvalId,
      balanceFen: r.balanceFen - input.amountFen,
      settled,
    }),
  );
  return null;
}

/** The recovery settled and its overpayment recovered (the balance reached zero). */
export async function settleRecovery(
  tx: Executor,
  input: { regionCode: string; recoveryId: string; on: IsoDate },
): Promise<void> {
  const [r] = await tx.orm
    .update(benefitRecoveries)
    .set({ status: 'settled', settledOn: input.on })
    .where(
      and(
        eq(benefitRecoveries.regionCode, input.regionCode),
        eq(benefitRecoveries.id, input.recoveryId),
      ),
    )
    .returning({ overpaymentId: benefitRecoveries.overpaymentId });
  if (r === undefined) throw new Error(`recovery ${input.recoveryId} vanished`);
  await tx.orm
    .update(benefitOverpayments)
    .set({ status: 'recovered' })
    .where(
      and(
        eq(benefitOverpayments.regionCode, input.regionCode),
        eq(benefitOverpayments.id, r.overpaymentId),
      ),
    );
}
