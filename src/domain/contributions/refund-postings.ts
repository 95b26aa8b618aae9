import { createHash } from 'node:crypto';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';

/**
 * A refund of money an employer paid beyond what it owed (ADR 0010: the collection posting credits
 * the excess to 2103 暂收款, "held until refunded or assessed"). Pure.
 *
 * The money goes back out of the account it came into: the collections debit 1001 财政专户存款 (the
 * tax bureau pays into the fiscal special account), so a refund posts, in the employer's city
 * segment, Dr 2103 暂收款 / Cr 1001 财政专户存款 for the amount, effective the day of the refund.
 */
export const REFUND_ACTION = 'contributions.refund';
export const REFUND_SOURCE_TYPE = 'contribution_refund';

/** What the checker approves: the refund exactly as it will be paid and posted. */
export type RefundPayload = {
  city: string;
  employerId: string;
  clientKey: string;
  amountFen: number;
  reason: string;
  bankName: string;
  accountNumber: string;
  accountName: string;
  /** YYYY-MM-DD: the day the money leaves the account (the transaction's effective date). */
  refundOn: string;
};

/** The refund's id, from the city and the handler's client key: a retry names the same refund. */
export function refundIdOf(city: string, clientKey: string): string {
  const digest = createHash('sha256').update(`${city}|${clientKey}`).digest('hex');
  return `crf_${city}_${digest.slice(0, 16)}`;
}

export function refundTransactionId(refundId: string): string {
  return `contributions:refund:${refundId}`;
}

export function refundTransaction(payload: RefundPayload): TransactionRequest {
  const id = refundIdOf(payload.city, payload.clientKey);
  const { city, amountFen } = payload;
  return {
    id: refundTransactionId(id),
    effectiveDate: payload.refundOn,
    source: { type: REFUND_SOURCE_TYPE, id },
    memo: `退还多缴工伤保险费 ${city} ${payload.employerId}`,
    postings: [
      { segment: city, account: '2103', side: 'debit', amountFen },
      { segment: city, account: '1001', side: 'credit', amountFen },
    ],
  };
}

export const OFFSET_ACTION = 'contributions.offset';
export const OFFSET_SOURCE_TYPE = 'contribution_offset';

/** What the checker approves for an offset: the money held and the assessed month it pays. */
export type OffsetPayload = {
  city: string;
  employerId: string;
  clientKey: string;
  /** YYYY-MM: the employer's assessed month the money settles. */
  month: string;
  amountFen: number;
  reason: string;
  /** YYYY-MM-DD: the day of the offset (the transaction's effective date). */
  offsetOn: string;
};

export function offsetIdOf(city: string, clientKey: string): string {
  const digest = createHash('sha256').update(`offset|${city}|${clientKey}`).digest('hex');
  return `cof_${city}_${digest.slice(0, 16)}`;
}

/**
 * The money held for the employer settles its receivable: Dr 2103 暂收款 / Cr 1131 应收工伤保险费 in
 * the city segment, like the part of a collection applied to a receivable but without new cash.
 */
export function offsetTransaction(payload: OffsetPayload): TransactionRequest {
  const id = offsetIdOf(payload.city, payload.clientKey);
  const { city, amountFen } = payload;
  return {
    id: `contributions:offset:${id}`,
    effectiveDate: payload.offsetOn,
    source: { type: OFFSET_SOURCE_TYPE, id },
    memo: `多缴工伤保险费抵缴 ${city} ${payload.employerId} ${payload.month}`,
    postings: [
      { segment: city, account: '2103', side: 'debit', amountFen },
      { segment: city, account: '1131', side: 'credit', amountFen },
    ],
  };
}
