import { isIsoDate } from '../../kernel/dates.ts';
import { checkCreditCode } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * The tax bureau's collection file (docs/contributions.md, "Collection file"): CSV, UTF-8 with or
 * without BOM, or GBK; a header row, then one record a row. Pure: bytes in, records or every
 * problem out. A file with any bad row is refused whole (nothing is stored), with one line per
 * problem: row (1-based data row, header not counted), column, code, message.
 */
export type CollectionRecordInput = {
  rowNumber: number;
  voucher: string;
  creditCode: string;
  /** YYYY-MM */
  month: string;
  amountFen: number;
  paidOn: string;
  /** The optional 项目编号: the record pays a project's one-off contribution (按项目参保). */
  projectRef: string | null;
};

export type RowProblem = { row: number; column: string; code: string; message: string };

export type CollectionFileRefusal = 'collection.file_invalid';

type Column = 'voucher' | 'credit_code' | 'month' | 'amount' | 'paid_on' | 'project';

/** Accepted header names (zh as the tax bureau writes them, or en). */
const HEADERS: Readonly<Record<string, Column>> = {
  税票号: 'voucher',
  voucher: 'voucher',
  统一社会信用代码: 'credit_code',
  credit_code: 'credit_code',
  费款所属期: 'month',
  month: 'month',
  实缴金额: 'amount',
  amount: 'amount',
  入库日期: 'paid_on',
  paid_on: 'paid_on',
  项目编号: 'project',
  project: 'project',
};
/** The required columns; 项目编号 (project) is optional, and may be empty on a row. */
const COLUMNS: readonly Column[] = ['voucher', 'credit_code', 'month', 'amount', 'paid_on'];

/** Limits: a file is one import batch of a city; bigger files are split by the sender. */
export const COLLECTION_FILE_BYTES_MAX = 20 * 1024 * 1024;
export const COLLECTION_ROWS_MAX = 100_000;
/** 1 亿元 in fen: one record above it is a typing error, not a payment. */
const AMOUNT_FEN_MAX = 10_000_000_000;

/** UTF-8 (BOM stripped) when the bytes are valid UTF-8, else GBK (Excel's default in China). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/** RFC 4180 fields of one text: quoted fields may hold commas, quotes ("") and newlines. */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]?.trim() === ''));
}

/** "8500.00" / "8500" / "8500.5" yuan → fen, exactly (no float). */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function headerOf(cells: readonly string[]): Result<Map<Column, number>, CollectionFileRefusal> {
  const at = new Map<Column, number>();
  cells.forEach((cell, i) => {
    const column = HEADERS[cell.trim().toLowerCase()] ?? HEADERS[cell.trim()];
    if (column !== undefined && !at.has(column)) at.set(column, i);
  });
  const missing = COLUMNS.filter((c) => !at.has(c));
  if (missing.length > 0)
    return refuse(
      'collection.file_invalid',
      `the header row lacks ${missing.join(', ')}: expected 税票号, 统一社会信用代码, 费款所属期, 实缴金额, 入库日期 (or voucher, credit_code, month, amount, paid_on)`,
      {
        problems: missing.map((c) => ({
          row: 0,
          column: c,
          code: 'column_missing',
          message: `column ${c} is missing`,
        })),
      },
    );
  return ok(at);
}

function recordOf(
  rowNumber: number,
  get: (c: Column) => string,
  problems: RowProblem[],
): CollectionRecordInput | null {
  const before = problems.length;
  const bad = (column: Column, code: string, message: string) =>
    problems.push({ row: rowNumber, column, code, message });
  const voucher = get('voucher');
  if (!/^[0-9A-Za-z-]{1,40}$/.test(voucher))
    bad('voucher', 'voucher_invalid', '税票号 must be 1–40 letters, digits or hyphens');
  const code = checkCreditCode(get('credit_code'));
  if (!code.valid)
    bad('credit_code', 'credit_code_invalid', `统一社会信用代码 fails GB 32100 (${code.reason})`);
  const month = get('month').replace(/^(\d{4})(\d{2})$/, '$1-$2');
  const monthValid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  if (!monthValid) bad('month', 'month_invalid', '费款所属期 must be YYYY-MM (or YYYYMM)');
  const amountFen = yuanToFen(get('amount'));
  if (amountFen === null || amountFen <= 0 || amountFen > AMOUNT_FEN_MAX)
    bad(
      'amount',
      'amount_invalid',
      '实缴金额 must be yuan > 0 with at most 2 decimals, at most 1 亿元',
    );
  const paidOn = get('paid_on');
  if (!isIsoDate(paidOn)) bad('paid_on', 'paid_on_invalid', '入库日期 must be a date YYYY-MM-DD');
  else if (monthValid && paidOn < `${month}-01`)
    bad('paid_on', 'paid_before_month', '入库日期 is before the first day of 费款所属期');
  const project = get('project');
  if (project !== '' && !/^[0-9A-Za-z_-]{1,60}$/.test(project))
    bad(
      'project',
      'project_invalid',
      '项目编号 must be 1–60 letters, digits, hyphens or underscores',
    );
  if (problems.length > before || !code.valid || amountFen === null) return null;
  const projectRef = project === '' ? null : project;
  return { rowNumber, voucher, creditCode: code.normalised, month, amountFen, paidOn, projectRef };
}

/** Parses and validates a whole file: every record, or every problem (and nothing to store). */
export function parseCollectionFile(
  bytes: Uint8Array,
): Result<CollectionRecordInput[], CollectionFileRefusal> {
  if (bytes.length > COLLECTION_FILE_BYTES_MAX)
    return refuse(
      'collection.file_invalid',
      `the file is larger than ${COLLECTION_FILE_BYTES_MAX} bytes: split it`,
    );
  const rows = csvRows(decodeText(bytes).replace(/^\uFEFF/, ''));
  const [header, ...data] = rows;
  if (header === undefined)
    return refuse('collection.file_invalid', 'the file is empty: a header row is required');
  const at = headerOf(header);
  if (!at.ok) return at;
  if (data.length === 0)
    return refuse('collection.file_invalid', 'the file has a header but no records');
  if (data.length > COLLECTION_ROWS_MAX)
    return refuse(
      'collection.file_invalid',
      `the file has more than ${COLLECTION_ROWS_MAX} records: split it`,
    );
  const problems: RowProblem[] = [];
  const records: CollectionRecordInput[] = [];
  const seen = new Map<string, number>();
  data.forEach((cells, i) => {
    const get = (c: Column) => (cells[at.value.get(c) ?? -1] ?? '').trim();
    const r = recordOf(i + 1, get, problems);
    if (r === null) return;
    const first = seen.get(r.voucher);
    if (first !== undefined)
      problems.push({
        row: i + 1,
        column: 'voucher',
        code: 'voucher_repeated',
        message: `税票号 ${r.voucher} is also on row ${first}`,
      });
    else seen.set(r.voucher, i + 1);
    records.push(r);
  });
  if (problems.length > 0)
    return refuse(
      'collection.file_invalid',
      `${problems.length} problem(s) in the file; nothing was imported`,
      { problems },
    );
  return ok(records);
}
