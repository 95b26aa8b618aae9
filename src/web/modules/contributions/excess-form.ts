import { yuanToFen } from '../../format/money.ts';
import type { OffsetRequest, RefundRequest } from './contributions-api.ts';

/**
 * The pure part of the excess page's two forms: the client key each form makes when it opens (the
 * server's idempotency key: a retry or a double click names the same refund), and the request body
 * from the form's strings. The same body is sent twice — without, then with the approval — because
 * the checker approved exactly it.
 */
export function newClientKey(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export type RefundFormValues = {
  amountYuan: string;
  reason: string;
  bankName: string;
  accountNumber: string;
  accountName: string;
  refundOn: string;
};

export type OffsetFormValues = {
  month: string;
  amountYuan: string;
  reason: string;
  offsetOn: string;
};

/** The refund's body, or null when the amount is not a yuan amount above 0. */
export function refundBodyOf(
  employerId: string,
  clientKey: string,
  v: RefundFormValues,
): RefundRequest | null {
  const amountFen = yuanToFen(v.amountYuan);
  if (amountFen === null || amountFen <= 0) return null;
  return {
    employerId,
    clientKey,
    amountFen,
    reason: v.reason.trim(),
    bankName: v.bankName.trim(),
    accountNumber: v.accountNumber.trim(),
    accountName: v.accountName.trim(),
    refundOn: v.refundOn,
  };
}

/** The offset's body, or null when the amount is not a yuan amount above 0. */
export function offsetBodyOf(
  employerId: string,
  clientKey: string,
  v: OffsetFormValues,
): OffsetRequest | null {
  const amountFen = yuanToFen(v.amountYuan);
  if (amountFen === null || amountFen <= 0) return null;
  return {
    employerId,
    clientKey,
    month: v.month,
    amountFen,
    reason: v.reason.trim(),
    offsetOn: v.offsetOn,
  };
}
