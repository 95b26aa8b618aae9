import { csvCell } from '../../kernel/csv.ts';
import { type IsoDate, isIsoDate } from '../../kernel/dates.ts';
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

function parseRow(cells: string[], row: number, problems: ReturnProblem[]): ReturnRow | null {
  const [lineId = '', status = '', bankReference = '', paidOn = '', reason = ''] = cells;
  const before = problems.length;
  const bad = (field: string, message: string) => problems.push({ row, field, message });
  if (cells.length !== 5) bad('row', `5 cells expected, ${cells.length} found`);
  if (!/^pln_[0-9a-f]{20}$/.test(lineId)) bad('line_id', 'not a payroll line id (pln_…)');
  if (status === 'paid') {
    if (bankReference.length < 1 || bankReference.length > 64)
      bad('bank_reference', 'a paid line needs the bank reference (1–64 characters)');
    if (!isIsoDate(paidOn)) bad('paid_on', 'a paid line needs paid_on as YYYY-MM-DD');
  } else if (status === 'failed') {
    if (reason.length < 1 || reason.length > 500)
      bad('reason', 'a failed line needs the reason (1–500 characters)');
  } else bad('status', 'paid or failed');
  if (problems.length > before) return null;
  return status === 'paid'
    ? { lineId, status, bankReference, paidOn }
    : { lineId, status: 'failed', reason };
}

/** Splits one CSV line into cells (quoted cells may hold commas and doubled quotes). */
export function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i += 1;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The bank's return file: every problem of every row at once, or the rows. */
export function parseReturnFile(
  text: string,
): { ok: true; rows: ReturnRow[] } | { ok: false; problems: ReturnProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: ReturnProblem[] = [];
  if (lines[0]?.trim() !== RETURN_FILE_HEADER)
    problems.push({ row: 1, field: 'header', message: `expected "${RETURN_FILE_HEADER}"` });
  const rows: ReturnRow[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const row = parseRow(csvCells(line), i + 2, problems);
    if (row === null) return;
    if (seen.has(row.lineId))
      problems.push({ row: i + 2, field: 'line_id', message: 'the line appears twice' });
    seen.add(row.lineId);
    rows.push(row);
  });
  if (rows.length === 0 && problems.length === 0)
    problems.push({ row: 1, field: 'rows', message: 'the file answers no line' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
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
