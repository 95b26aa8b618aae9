import { createHash } from 'node:crypto';
import { csvCell } from '../../kernel/csv.ts';
import { formatYuanPlain } from '../../kernel/money.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';

/**
 * The refunds' side of the bank (pure): the refund file a city sends for a day's approved refunds,
 * laid out after the payroll's payment file (docs/benefits.md, "Payment file": UTF-8, LF, no BOM,
 * one header row, RFC 4180 quoting, rows in id order, integer fen and plain yuan), and the reversal
 * a failed transfer posts. Ids derive from the content only, so a retry writes nothing twice.
 */
export const REFUND_FILE_HEADER =
  'refund_id,city,employer_id,account_name,bank_name,account_number,amount_fen,amount_yuan,refund_on\n';

export type RefundFileLine = {
  id: string;
  employerId: string;
  accountName: string;
  bankName: string;
  accountNumber: string;
  amountFen: number;
  refundOn: string;
};

/** The file's text: the header, then the refunds in id order whatever order they came in. */
export function refundFileText(city: string, lines: readonly RefundFileLine[]): string {
  const sorted = [...lines].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows = sorted.map(
    (l) =>
      `${[
        l.id,
        city,
        l.employerId,
        csvCell(l.accountName),
        csvCell(l.bankName),
        l.accountNumber,
        String(l.amountFen),
        formatYuanPlain(l.amountFen),
        l.refundOn,
      ].join(',')}\n`,
  );
  return REFUND_FILE_HEADER + rows.join('');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The file's id: the city, the day and the refunds it carries (the same refunds, the same id). */
export function refundFileIdOf(city: string, day: string, refundIds: readonly string[]): string {
  const digest = sha256Hex(`${city}|${day}|${[...refundIds].sort().join(',')}`);
  return `crfile_${city}_${digest.slice(0, 16)}`;
}

export const REFUND_FAILURE_SOURCE_TYPE = 'contribution_refund_failure';

/** What the handler records when the bank reports a refund not paid. */
export type RefundFailurePayload = {
  city: string;
  refundId: string;
  clientKey: string;
  reason: string;
  /** YYYY-MM-DD: the day the bank reported it (the reversal's effective date). */
  failedOn: string;
};

export function refundFailureIdOf(city: string, clientKey: string): string {
  const digest = sha256Hex(`failure|${city}|${clientKey}`);
  return `crff_${city}_${digest.slice(0, 16)}`;
}

/**
 * The money came back: Dr 1001 财政专户存款 / Cr 2103 暂收款 for the refund's amount in the city
 * segment, the refund's own posting reversed as a transaction of its own (the ledger is
 * append-only), so the employer's excess holds it again. One per refund: its id names the refund.
 */
export function refundFailureTransaction(
  p: RefundFailurePayload,
  amountFen: number,
): TransactionRequest {
  return {
    id: `contributions:refund-failure:${p.refundId}`,
    effectiveDate: p.failedOn,
    source: { type: REFUND_FAILURE_SOURCE_TYPE, id: refundFailureIdOf(p.city, p.clientKey) },
    memo: `退还多缴工伤保险费未到账冲回 ${p.city} ${p.refundId}`,
    postings: [
      { segment: p.city, account: '1001', side: 'debit', amountFen },
      { segment: p.city, account: '2103', side: 'credit', amountFen },
    ],
  };
}
