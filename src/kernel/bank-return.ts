import { type IsoDate, isIsoDate } from './dates.ts';

/**
 * A bank's return file (pure), one layout for every payment file the fund sends: UTF-8 CSV (a BOM
 * and CRLF are accepted), header `<id column>,status,bank_reference,paid_on,reason`, one row per
 * payment the file carried: `paid` with the bank reference (1–64 characters) and the day paid, or
 * `failed` with the reason (1–500 characters) — and, where the layout asks for it, the day the bank
 * returned it in `paid_on`. Every problem of every row is listed at once, each with a code, so a
 * file is refused whole with its row report. The payroll's return (docs/benefits.md) and the
 * refunds' return (docs/contributions.md) read through it.
 */
export type BankReturnLayout = {
  /** The first column's name, e.g. `line_id`, `refund_id`. */
  idColumn: string;
  idPattern: RegExp;
  /** What the id must look like, for the message. */
  idHint: string;
  /** A failed row needs the day the bank returned the money (`paid_on`). */
  dayOnFailed: boolean;
};

/** `row`: the row's number in the file (the header is row 1), for a report of later checks. */
export type BankReturnRow =
  | { row: number; id: string; status: 'paid'; bankReference: string; paidOn: IsoDate }
  | { row: number; id: string; status: 'failed'; reason: string; failedOn: IsoDate | null };

export type BankReturnProblem = { row: number; field: string; code: string; message: string };

export function bankReturnHeader(layout: BankReturnLayout): string {
  return `${layout.idColumn},status,bank_reference,paid_on,reason`;
}

function parseRow(
  layout: BankReturnLayout,
  cells: string[],
  row: number,
  problems: BankReturnProblem[],
): BankReturnRow | null {
  const [id = '', status = '', bankReference = '', paidOn = '', reason = ''] = cells;
  const before = problems.length;
  const bad = (field: string, code: string, message: string) =>
    problems.push({ row, field, code, message });
  if (cells.length !== 5) bad('row', 'cells', `5 cells expected, ${cells.length} found`);
  if (!layout.idPattern.test(id)) bad(layout.idColumn, 'id', `not ${layout.idHint}`);
  if (status === 'paid') {
    if (bankReference.length < 1 || bankReference.length > 64)
      bad('bank_reference', 'required', 'a paid line needs the bank reference (1–64 characters)');
    if (!isIsoDate(paidOn)) bad('paid_on', 'date', 'a paid line needs paid_on as YYYY-MM-DD');
  } else if (status === 'failed') {
    if (reason.length < 1 || reason.length > 500)
      bad('reason', 'required', 'a failed line needs the reason (1–500 characters)');
    if (layout.dayOnFailed && !isIsoDate(paidOn))
      bad('paid_on', 'date', 'a failed line needs the day the bank returned it, YYYY-MM-DD');
  } else bad('status', 'status', 'paid or failed');
  if (problems.length > before) return null;
  if (status === 'paid') return { row, id, status, bankReference, paidOn };
  return { row, id, status: 'failed', reason, failedOn: isIsoDate(paidOn) ? paidOn : null };
}

/** The rows, or every problem of every row at once. */
export function parseBankReturn(
  layout: BankReturnLayout,
  text: string,
): { ok: true; rows: BankReturnRow[] } | { ok: false; problems: BankReturnProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: BankReturnProblem[] = [];
  const header = bankReturnHeader(layout);
  if (lines[0]?.trim() !== header)
    problems.push({ row: 1, field: 'header', code: 'header', message: `expected "${header}"` });
  const rows: BankReturnRow[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const row = parseRow(layout, csvCells(line), i + 2, problems);
    if (row === null) return;
    if (seen.has(row.id))
      problems.push({
        row: i + 2,
        field: layout.idColumn,
        code: 'duplicate',
        message: 'the line appears twice',
      });
    seen.add(row.id);
    rows.push(row);
  });
  if (rows.length === 0 && problems.length === 0)
    problems.push({ row: 1, field: 'rows', code: 'empty', message: 'the file answers no line' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
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
