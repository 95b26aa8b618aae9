import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { benefitPayments } from '../../db/schema.ts';
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
