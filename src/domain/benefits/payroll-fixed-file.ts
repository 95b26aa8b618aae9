import { codePointLabel, decodeGbk, encodeGbk } from '../../kernel/gbk.ts';
import type { FileLine } from './payroll-bank.ts';

/**
 * The fixed-width payment file (pure; layout: docs/benefits.md, "Fixed-width GBK file"): the
 * same lines as the CSV, in the same order, for the banks that still take fixed-width text.
 * GBK, one record per line, each exactly RECORD_BYTES bytes followed by CR LF: a header record
 * (H: run, city, month, line count, total fen, padded with spaces) then one detail record (D)
 * per line. Widths are counted in bytes of GBK (a Chinese character takes two); numbers are
 * right-aligned and zero-padded, text left-aligned and space-padded. A text that does not fit its
 * field, or holds a character GBK cannot carry, is never cut or replaced: the record is refused
 * with the line, the field and why, and the caller refuses the file.
 */
export const FIXED_LAYOUT_ID = 'TCPAY001';

type Field = { name: string; bytes: number; kind: 'text' | 'number' };

export const HEADER_FIELDS: readonly Field[] = [
  { name: 'record_type', bytes: 1, kind: 'text' },
  { name: 'layout', bytes: 8, kind: 'text' },
  { name: 'run_id', bytes: 24, kind: 'text' },
  { name: 'region_code', bytes: 6, kind: 'text' },
  { name: 'month', bytes: 6, kind: 'number' },
  { name: 'line_count', bytes: 8, kind: 'number' },
  { name: 'total_fen', bytes: 15, kind: 'number' },
];

export const DETAIL_FIELDS: readonly Field[] = [
  { name: 'record_type', bytes: 1, kind: 'text' },
  { name: 'sequence', bytes: 8, kind: 'number' },
  { name: 'line_id', bytes: 24, kind: 'text' },
  { name: 'worker_id', bytes: 32, kind: 'text' },
  { name: 'kind', bytes: 32, kind: 'text' },
  { name: 'account_number', bytes: 30, kind: 'text' },
  { name: 'account_name', bytes: 60, kind: 'text' },
  { name: 'bank_name', bytes: 120, kind: 'text' },
  { name: 'amount_fen', bytes: 15, kind: 'number' },
];

/** Every record's length in bytes, CR LF not counted (the detail's; the header is space-padded). */
export const RECORD_BYTES = DETAIL_FIELDS.reduce((s, f) => s + f.bytes, 0);
const CRLF = [0x0d, 0x0a];

export type FixedFieldProblem = {
  lineId: string;
  field: string;
  reason: 'unencodable' | 'too_long';
  /** unencodable: the characters GBK lacks, as U+XXXX (the name itself is not repeated). */
  characters?: string[];
  /** too_long: the text's length in GBK bytes against the field's width. */
  bytes?: number;
  widthBytes: number;
};

type Encoded =
  | { ok: true; bytes: number[] }
  | { ok: false; problem: Omit<FixedFieldProblem, 'lineId'> };

function encodeField(field: Field, value: string | number): Encoded {
  if (field.kind === 'number') {
    const digits = String(value);
    // Counts and fen are non-negative integers by their tables' checks; a wider one is a bug.
    if (!/^[0-9]+$/.test(digits) || digits.length > field.bytes)
      throw new Error(`${field.name} ${digits} does not fit ${field.bytes} digits`);
    return { ok: true, bytes: [...digits.padStart(field.bytes, '0')].map((c) => c.charCodeAt(0)) };
  }
  const gbk = encodeGbk(String(value));
  if (!gbk.ok)
    return {
      ok: false,
      problem: {
        field: field.name,
        reason: 'unencodable',
        characters: gbk.unencodable.map(codePointLabel),
        widthBytes: field.bytes,
      },
    };
  if (gbk.bytes.length > field.bytes)
    return {
      ok: false,
      problem: {
        field: field.name,
        reason: 'too_long',
        bytes: gbk.bytes.length,
        widthBytes: field.bytes,
      },
    };
  return {
    ok: true,
    bytes: [...gbk.bytes, ...Array<number>(field.bytes - gbk.bytes.length).fill(0x20)],
  };
}

function record(
  fields: readonly Field[],
  values: readonly (string | number)[],
  lineId: string,
): { ok: true; bytes: Uint8Array } | { ok: false; problems: FixedFieldProblem[] } {
  const out: number[] = [];
  const problems: FixedFieldProblem[] = [];
  fields.forEach((field, i) => {
    const encoded = encodeField(field, values[i] ?? '');
    if (encoded.ok) out.push(...encoded.bytes);
    else problems.push({ lineId, ...encoded.problem });
  });
  if (problems.length > 0) return { ok: false, problems };
  out.push(...Array<number>(RECORD_BYTES - out.length).fill(0x20), ...CRLF);
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** The header record: the run, its city and month, and the count and total of the detail records. */
export function fixedHeaderRecord(h: {
  runId: string;
  regionCode: string;
  month: string;
  lines: number;
  totalFen: number;
}): Uint8Array {
  const r = record(
    HEADER_FIELDS,
    ['H', FIXED_LAYOUT_ID, h.runId, h.regionCode, h.month.replace('-', ''), h.lines, h.totalFen],
    '',
  );
  // Ids and codes are ASCII within their widths by the tables' checks.
  if (!r.ok) throw new Error(`header of ${h.runId}: ${JSON.stringify(r.problems)}`);
  return r.bytes;
}

/** One detail record (`sequence`: 1-based position in the file), or why its line cannot be written. */
export function fixedDetailRecord(
  sequence: number,
  l: FileLine,
): { ok: true; bytes: Uint8Array } | { ok: false; problems: FixedFieldProblem[] } {
  return record(
    DETAIL_FIELDS,
    [
      'D',
      sequence,
      l.id,
      l.workerId,
      l.kind,
      l.accountNumber,
      l.accountName,
      l.bankName,
      l.amountFen,
    ],
    l.id,
  );
}

export type FixedFile = {
  header: { runId: string; regionCode: string; month: string; lines: number; totalFen: number };
  details: (FileLine & { sequence: number })[];
};

/** Reads a fixed-width file back (the layout's executable description; tests and a bank's check). */
export function readFixedFile(bytes: Uint8Array): FixedFile {
  const size = RECORD_BYTES + CRLF.length;
  if (bytes.length % size !== 0 || bytes.length === 0)
    throw new Error(`${bytes.length} bytes is not a whole number of ${size}-byte records`);
  const records: Record<string, string>[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    if (bytes[at + RECORD_BYTES] !== 0x0d || bytes[at + RECORD_BYTES + 1] !== 0x0a)
      throw new Error(`record at byte ${at} does not end with CR LF`);
    const fields = bytes[at] === 0x48 ? HEADER_FIELDS : DETAIL_FIELDS;
    const values: Record<string, string> = {};
    let p = at;
    for (const f of fields) {
      values[f.name] = decodeGbk(bytes.subarray(p, p + f.bytes)).replace(/ +$/, '');
      p += f.bytes;
    }
    records.push(values);
  }
  const [head, ...rest] = records;
  const text = (r: Record<string, string> | undefined, name: string) => r?.[name] ?? '';
  if (text(head, 'record_type') !== 'H' || text(head, 'layout') !== FIXED_LAYOUT_ID)
    throw new Error(`the first record is not a ${FIXED_LAYOUT_ID} header`);
  if (rest.some((r) => text(r, 'record_type') !== 'D'))
    throw new Error('a record after the header is not a detail record');
  const month = text(head, 'month');
  return {
    header: {
      runId: text(head, 'run_id'),
      regionCode: text(head, 'region_code'),
      month: `${month.slice(0, 4)}-${month.slice(4)}`,
      lines: Number(text(head, 'line_count')),
      totalFen: Number(text(head, 'total_fen')),
    },
    details: rest.map((r) => ({
      sequence: Number(text(r, 'sequence')),
      id: text(r, 'line_id'),
      workerId: text(r, 'worker_id'),
      kind: text(r, 'kind'),
      accountNumber: text(r, 'account_number'),
      accountName: text(r, 'account_name'),
      bankName: text(r, 'bank_name'),
      amountFen: Number(text(r, 'amount_fen')),
    })),
  };
}
