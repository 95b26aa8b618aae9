import { type BankReturnLayout, parseBankReturn } from '../../kernel/bank-return.ts';
import { csvCell } from '../../kernel/csv.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, formatYuanPlain } from '../../kernel/money.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { BENEFITS_PAYABLE, DISBURSEMENT_ACCOUNT } from './ledger-postings.ts';
import type { KindTotal } from './payroll-review.ts';
import { RECOVERY_RECEIVABLE } from './recovery.ts';

/**
 * The payroll's side of the bank (pure): the payment file's layout (docs/benefits.md, "Payment
 * file"), the bank's return file, and the two ledger phases of a run — approved: Dr 51xx by kind /
 * Cr 2102 for the run (`benefit-payroll:<run>:approved`); paid: Dr 2102 / Cr 1003 per return file
 * and paid day (`benefit-payroll:<run>:return:<file sha256 16>:<day>`). Ids derive from the run and
 * the file's content only, so a retry or a re-import posts nothing twice.
 */

export const PAYMENT_FILE_HEADER =
  'line_id,run_id,month,worker_id,kind,account_name,bank_name,account_number,amount_fen,amount_yuan\n';

export type FileLine = {
  id: string;
  workerId: string;
  kind: string;
  amountFen: Fen;
  accountName: string;
  bankName: string;
  accountNumber: string;
};

/** One row of the payment file (the caller writes rows in line-id order after the header). */
export function paymentFileRow(runId: string, month: string, l: FileLine): string {
  return `${[
    l.id,
    runId,
    month,
    l.workerId,
    l.kind,
    csvCell(l.accountName),
    csvCell(l.bankName),
    l.accountNumber,
    String(l.amountFen),
    formatYuanPlain(l.amountFen),
  ].join(',')}\n`;
}

export const RETURN_FILE_HEADER = 'line_id,status,bank_reference,paid_on,reason';

export type ReturnRow =
  | { lineId: string; status: 'paid'; bankReference: string; paidOn: IsoDate }
  | { lineId: string; status: 'failed'; reason: string };

export type ReturnProblem = { row: number; field: string; message: string };

/** The payroll's layout of the bank's return file (src/kernel/bank-return.ts, shared with refunds). */
const PAYROLL_RETURN: BankReturnLayout = {
  idColumn: 'line_id',
  idPattern: /^pln_[0-9a-f]{20}$/,
  idHint: 'a payroll line id (pln_…)',
  dayOnFailed: false,
};

/** The bank's return file: every problem of every row at once, or the rows. */
export function parseReturnFile(
  text: string,
): { ok: true; rows: ReturnRow[] } | { ok: false; problems: ReturnProblem[] } {
  const parsed = parseBankReturn(PAYROLL_RETURN, text);
  // The payroll's refusal keeps its row report as it was (row, field, message).
  if (!parsed.ok)
    return {
      ok: false,
      problems: parsed.problems.map(({ row, field, message }) => ({ row, field, message })),
    };
  return {
    ok: true,
    rows: parsed.rows.map((r) =>
      r.status === 'paid'
        ? { lineId: r.id, status: 'paid', bankReference: r.bankReference, paidOn: r.paidOn }
        : { lineId: r.id, status: 'failed', reason: r.reason },
    ),
  };
}

export function payrollPayableId(runId: string): string {
  return `benefit-payroll:${runId}:approved`;
}

/**
 * Approved: each kind's expense against the run's total owed (null: a run of no line). Deductions
 * for recoveries by offset (`offsets`, by kind) stay in the kind's expense — the month is owed whole
 * — and credit 1132 暂付款, the person's debt, instead of 2102: what the bank pays is the lines'
 * amount, and 2102 holds exactly that. Without offsets the legs are what they always were.
 */
export function payrollPayableTransaction(input: {
  runId: string;
  segment: string;
  effectiveDate: IsoDate;
  byKind: readonly KindTotal[];
  offsets?: readonly KindTotal[] | undefined;
}): TransactionRequest | null {
  const legs = input.byKind.filter((k) => k.amountFen > 0);
  if (legs.length === 0) return null;
  const total = legs.reduce((s, k) => s + k.amountFen, 0);
  const offsets = input.offsets ?? [];
  const offsetOf = (k: KindTotal) =>
    offsets
      .filter((o) => o.kind === k.kind && o.expenseAccount === k.expenseAccount)
      .reduce((s, o) => s + o.amountFen, 0);
  const offsetTotal = offsets.reduce((s, o) => s + o.amountFen, 0);
  return {
    id: payrollPayableId(input.runId),
    effectiveDate: input.effectiveDate,
    source: { type: 'benefit.payroll', id: input.runId },
    memo: '月度待遇发放 monthly benefit payroll approved',
    postings: [
      ...legs.map((k) => ({
        segment: input.segment,
        account: k.expenseAccount,
        side: 'debit' as const,
        amountFen: k.amountFen + offsetOf(k),
      })),
      { segment: input.segment, account: BENEFITS_PAYABLE, side: 'credit', amountFen: total },
      ...(offsetTotal > 0
        ? [
            {
              segment: input.segment,
              account: RECOVERY_RECEIVABLE,
              side: 'credit' as const,
              amountFen: offsetTotal,
            },
          ]
        : []),
    ],
  };
}

/**
 * Paid: the confirmed lines of one return file and paid day, aggregated — the bank debits the
 * disbursement account once per batch and day, so one transaction per (file, day) matches the
 * bank statement line by line; each payroll line names the transaction that settled it.
 */
export function payrollPaidTransaction(input: {
  runId: string;
  segment: string;
  returnSha256: string;
  paidOn: IsoDate;
  amountFen: Fen;
  lines: number;
}): TransactionRequest {
  return {
    id: `benefit-payroll:${input.runId}:return:${input.returnSha256.slice(0, 16)}:${input.paidOn}`,
    effectiveDate: input.paidOn,
    source: { type: 'benefit.payroll', id: input.runId },
    memo: `月度待遇发放 ${input.lines} lines confirmed by the bank (return ${input.returnSha256.slice(0, 16)})`,
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
