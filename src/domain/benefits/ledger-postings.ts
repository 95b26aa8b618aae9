import type { IsoDate } from '../../kernel/dates.ts';
import type { ItemCode } from '../../rules/calculator/index.ts';
import { benefitExpenseAccount } from '../fund/ledger/accounts.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import type { DecisionItem } from './stored-decision.ts';

/**
 * The ledger side of a benefit decision (pure). A lump sum the fund pays is posted in two phases
 * in the paying city's segment — benefits are paid where the case is, in either pooling mode (under
 * 统收统支 the province funds the city by allocations, docs/pooling.md §3.1; the demo ledger posts
 * every benefit expense in the city segment, src/usecases/seed/seed-fund-demo.ts):
 * - approved: Dr 51xx (the item's benefit-expense account) / Cr 2102 应付待遇款, one transaction per
 *   decision, id `benefit-decision:<id>:approved`;
 * - paid on the bank's confirmation: Dr 2102 / Cr 1003 支出户存款, id `benefit-payment:<id>:paid`;
 * - a transfer returned after its confirmation: Dr 1003 / Cr 2102 correcting the paid one, id
 *   `benefit-payment:<id>:returned`; the liability stands again and the lump sum is reissued.
 * Ids derive from the business key only, so a retry posts nothing twice.
 */
const LUMP_SUM_ACCOUNT: Partial<Record<ItemCode, string>> = {
  disability_lump_sum: benefitExpenseAccount.disability_lump_sum,
  medical_separation_grant: benefitExpenseAccount.separation_medical_grant,
  funeral_grant: benefitExpenseAccount.funeral,
  death_lump_sum: benefitExpenseAccount.death_lump_sum,
};

export const BENEFITS_PAYABLE = '2102';
export const DISBURSEMENT_ACCOUNT = '1003';

export type FundLumpSum = { code: ItemCode; account: string; amountFen: number };

/** The items the fund pays once (employer items are recorded, never paid by the fund). */
export function fundLumpSums(items: readonly DecisionItem[]): FundLumpSum[] {
  const out: FundLumpSum[] = [];
  for (const item of items) {
    const account = LUMP_SUM_ACCOUNT[item.code];
    if (item.frequency !== 'once' || item.payer !== 'fund' || item.amountFen <= 0) continue;
    if (account === undefined) continue;
    out.push({ code: item.code, account, amountFen: item.amountFen });
  }
  return out;
}

export function payableTransactionId(decisionId: string): string {
  return `benefit-decision:${decisionId}:approved`;
}

/** Approved: the expense and the liability, one leg pair per lump sum (null: nothing to post). */
export function payableTransaction(input: {
  decisionId: string;
  segment: string;
  effectiveDate: IsoDate;
  snapshotId: string;
  /** The lump sums, and the arrears of months already run (decision-arrears.ts), by account. */
  lumpSums: readonly Pick<FundLumpSum, 'account' | 'amountFen'>[];
}): TransactionRequest | null {
  if (input.lumpSums.length === 0) return null;
  const id = payableTransactionId(input.decisionId);
  return {
    id,
    effectiveDate: input.effectiveDate,
    source: { type: 'benefit.decision', id: input.decisionId },
    parameterSnapshotId: input.snapshotId,
    memo: '工伤保险待遇核定 benefit decision approved',
    postings: input.lumpSums.flatMap((l) => [
      {
        segment: input.segment,
        account: l.account,
        side: 'debit' as const,
        amountFen: l.amountFen,
      },
      {
        segment: input.segment,
        account: BENEFITS_PAYABLE,
        side: 'credit' as const,
        amountFen: l.amountFen,
      },
    ]),
  };
}

/** Paid on the bank's confirmation: the liability settled from the disbursement account. */
export function paidTransaction(input: {
  paymentId: string;
  segment: string;
  paidOn: IsoDate;
  amountFen: number;
  bankReference: string;
}): TransactionRequest {
  return {
    id: `benefit-payment:${input.paymentId}:paid`,
    effectiveDate: input.paidOn,
    source: { type: 'benefit.payment', id: input.paymentId },
    memo: `待遇支付 benefit paid, bank reference ${input.bankReference}`,
    postings: [
      {
        segment: input.segment,
        account: BENEFITS_PAYABLE,
        side: 'debit',
        amountFen: input.amountFen,
      },
      {
        segment: input.segment,
        account: DISBURSEMENT_ACCOUNT,
        side: 'credit',
        amountFen: input.amountFen,
      },
    ],
  };
}

/** A confirmed transfer returned by the bank: the payment undone, the liability back. */
export function returnedTransaction(input: {
  paymentId: string;
  paidTransactionId: string;
  segment: string;
  returnedOn: IsoDate;
  amountFen: number;
}): TransactionRequest {
  return {
    id: `benefit-payment:${input.paymentId}:returned`,
    effectiveDate: input.returnedOn,
    source: { type: 'benefit.payment', id: input.paymentId },
    memo: '待遇支付退回 benefit payment returned by the bank',
    corrects: input.paidTransactionId,
    postings: [
      {
        segment: input.segment,
        account: DISBURSEMENT_ACCOUNT,
        side: 'debit',
        amountFen: input.amountFen,
      },
      {
        segment: input.segment,
        account: BENEFITS_PAYABLE,
        side: 'credit',
        amountFen: input.amountFen,
      },
    ],
  };
}
