import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { benefitOverpayments, benefitPayments } from '../../db/schema.ts';
import type { OverpaymentReason } from '../../domain/benefits/recovery.ts';
import type { Actor } from '../../identity/actor.ts';

type PaymentRow = typeof benefitPayments.$inferInsert;

/** One lump sum to pay: its item, expense account and amount; `id` when the caller derives it. */
export type LumpSumToPay = Pick<PaymentRow, 'itemCode' | 'account' | 'amountFen'> & {
  id?: string;
};

/**
 * The first attempt (issued) of each fund-paid lump sum a decision's ledger transaction made
 * payable; the payment routes then confirm, fail or reissue it. An id the caller derives (from its
 * approval) names the same row on a rerun; otherwise a fresh one. Returns the ids, in order.
 */
export async function issueBenefitPayments(
  tx: Executor,
  actor: Actor,
  of: { regionCode: string; decisionId: string; payableTransactionId: string },
  lumpSums: readonly LumpSumToPay[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const l of lumpSums) {
    const id = l.id ?? `bpy_${of.regionCode}_${randomBytes(8).toString('hex')}`;
    await tx.orm.insert(benefitPayments).values({
      regionCode: of.regionCode,
      id,
      decisionId: of.decisionId,
      itemCode: l.itemCode,
      account: l.account,
      amountFen: l.amountFen,
      attempt: 1,
      status: 'issued',
      payableTransactionId: of.payableTransactionId,
      issuedBy: actor.username,
    });
    ids.push(id);
  }
  return ids;
}

/**
 * What a back-dated change of a running entitlement nets to (a correction, a survivor's change):
 * arrears, posted by the caller's payable transaction and paid as one benefit payment of the
 * decision, or an open overpayment for the recovery (《社会保险经办条例》第四十六条) — never both.
 * Ids derive from the change, so a rerun names the same rows. Answers the rows' ids (null: none).
 */
export async function recordNetOfChange(
  tx: Executor,
  actor: Actor,
  input: {
    regionCode: string;
    decisionId: string;
    workerId: string;
    arrears: {
      paymentId: string;
      payableTransactionId: string;
      itemCode: string;
      account: string;
      amountFen: number;
    } | null;
    overpayment: {
      id: string;
      entitlementId: string;
      reason: OverpaymentReason;
      months: string[];
      lineIds: string[];
      amountFen: number;
    } | null;
  },
): Promise<{ paymentId: string | null; overpaymentId: string | null }> {
  const { arrears, overpayment } = input;
  if (arrears !== null)
    await issueBenefitPayments(
      tx,
      actor,
      {
        regionCode: input.regionCode,
        decisionId: input.decisionId,
        payableTransactionId: arrears.payableTransactionId,
      },
      [
        {
          id: arrears.paymentId,
          itemCode: arrears.itemCode,
          account: arrears.account,
          amountFen: arrears.amountFen,
        },
      ],
    );
  if (overpayment !== null)
    await tx.orm.insert(benefitOverpayments).values({
      regionCode: input.regionCode,
      workerId: input.workerId,
      ...overpayment,
      createdBy: actor.username,
    });
  return { paymentId: arrears?.paymentId ?? null, overpaymentId: overpayment?.id ?? null };
}
