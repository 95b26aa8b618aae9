import { type DeclarationProblem, fileProblem } from './declaration-problems.ts';

/**
 * A streaming CSV reader (RFC 4180 and what Excel writes): fields separated by commas, records by
 * CRLF, LF or CR; a field in double quotes may hold commas, line breaks and "" for a quote. The
 * bytes arrive in chunks and are decoded as they come (a UTF-8 BOM is dropped), so a 50 MB file is
 * never one string. Excel in China saves CSV in GBK unless told otherwise; the caller detects the
 * encoding (csvEncodingOf) and a byte sequence invalid in it ends the file with a problem, as does a
 * quote left open or a record beyond the bounds below (junk with no line break).
 */
export type CsvEncoding = 'utf-8' | 'gbk';

export type CsvItem =
  | { kind: 'record'; fields: string[] }
  | { kind: 'problem'; problem: DeclarationProblem };

/** A field longer than this is no ID number, name or wage: the file is not a declaration. */
export const CSV_FIELD_CHARS_MAX = 4096;
export const CSV_FIELDS_MAX = 256;

type State = {
  fields: string[];
  field: string;
  inQuotes: boolean;
  /** The chunk ended on a quote inside a quoted field: the next character says "" or the end. */
  quoteAtChunkEnd: boolean;
  closedQuote: boolean;
  /** The chunk ended on CR: an LF starting the next one belongs to the same line break. */
  skipLf: boolean;
  tooLong: boolean;
};

const SPECIAL = /[,\r\n"]/g;

function endField(s: State): void {
  s.fields.push(s.field);
  s.field = '';
  s.closedQuote = false;
  if (s.fields.length > CSV_FIELDS_MAX) s.tooLong = true;
}

function endRecord(s: State, out: string[][]): void {
  endField(s);
  out.push(s.fields);
  s.fields = [];
}

/** Inside quotes from `i`: returns where reading continues. */
function readQuoted(s: State, text: string, i: number): number {
  const q = text.indexOf('"', i);
  if (q === -1) {
    s.field += text.slice(i);
    return text.length;
  }
  s.field += text.slice(i, q);
  if (q + 1 === text.length) {
    s.quoteAtChunkEnd = true;
    return text.length;
  }
  if (text[q + 1] === '"') {
    s.field += '"';
    return q + 2;
  }
  s.inQuotes = false;
  s.closedQuote = true;
  return q + 1;
}

/** Outside quotes at `i`: one separator, or the run of ordinary characters up to the next one. */
function readPlain(s: State, text: string, i: number, out: string[][]): number {
  const ch = text[i];
  if (ch === '"' && s.field === '' && !s.closedQuote) {
    s.inQuotes = true;
    return i + 1;
  }
  if (ch === ',') {
    endField(s);
    return i + 1;
  }
  if (ch === '\n' || ch === '\r') {
    endRecord(s, out);
    if (ch === '\r') {
      if (i + 1 === text.length) s.skipLf = true;
      else if (text[i + 1] === '\n') return i + 2;
    }
    return i + 1;
  }
  if (ch === '"') {
    // A quote inside an unquoted field (or after a closing one) is kept as a character.
    s.field += '"';
    return i + 1;
  }
  SPECIAL.lastIndex = i;
  const next = SPECIAL.exec(text);
  const end = next === null ? text.length : next.index;
  s.field += text.slice(i, end);
  return end;
}

/** Feeds one decoded chunk; complete records are appended to `out`. */
function feed(s: State, text: string, out: string[][]): void {
  let i = 0;
  if (s.skipLf) {
    s.skipLf = false;
    if (text[0] === '\n') i = 1;
  }
  if (s.quoteAtChunkEnd && text.length > 0) {
    s.quoteAtChunkEnd = false;
    if (text[0] === '"') {
      s.field += '"';
      i += 1;
    } else {
      s.inQuotes = false;
      s.closedQuote = true;
    }
  }
  while (i < text.length && !s.tooLong) {
    i = s.inQuotes ? readQuoted(s, text, i) : readPlain(s, text, i, out);
    if (s.field.length > CSV_FIELD_CHARS_MAX) s.tooLong = true;
  }
}

const malformed = (zh: string, en: string): CsvItem => ({
  kind: 'problem',
  problem: fileProblem('declaration.malformed', zh, en),
});

const TOO_LONG = malformed(
  `文件不是申报表：某一字段超过 ${CSV_FIELD_CHARS_MAX} 个字符或某一行超过 ${CSV_FIELDS_MAX} 列`,
  `the file is not a declaration: a field is longer than ${CSV_FIELD_CHARS_MAX} characters or a row has more than ${CSV_FIELDS_MAX} columns`,
);

function badEncoding(encoding: CsvEncoding): CsvItem {
  return {
    kind: 'problem',
    problem: fileProblem(
      'declaration.bad_encoding',
      `文件既不是有效的 UTF-8 也不是有效的 GBK 文本（按 ${encoding} 读取失败）；请在 Excel 中另存为“CSV UTF-8”或 .xlsx`,
      `the file is neither valid UTF-8 nor valid GBK text (reading it as ${encoding} failed); save it from Excel as "CSV UTF-8" or .xlsx`,
    ),
  };
}

/**
 * Node's ICU GBK decoder drops the byte 0xFF without a word even when fatal (checked on Node
 * 20.20); 0xFF is neither a lead nor a trail byte of GBK (CP936), so a chunk holding one is refused
 * here. Every other invalid sequence throws.
 */
function decodeOrNull(decoder: TextDecoder, chunk?: Uint8Array): string | null {
  if (decoder.encoding === 'gbk' && chunk?.includes(0xff)) return null;
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    return null;
  }
}

/** The records of a CSV byte stream, decoded as `encoding`; a problem ends the stream. */
export async function* csvRecords(
  chunks: AsyncIterable<Uint8Array>,
  encoding: CsvEncoding,
): AsyncGenerator<CsvItem> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const s: State = {
    fields: [],
    field: '',
    inQuotes: false,
    quoteAtChunkEnd: false,
    closedQuote: false,
    skipLf: false,
    tooLong: false,
  };
  const out: string[][] = [];
  for await (const chunk of chunks) {
    const text = decodeOrNull(decoder, chunk);
    if (text === null) return yield badEncoding(encoding);
    feed(s, text, out);
    for (const fields of out) yield { kind: 'record', fields };
    out.length = 0;
    if (s.tooLong) return yield TOO_LONG;
  }
  const rest = decodeOrNull(decoder);
  if (rest === null) return yield badEncoding(encoding);
  feed(s, rest, out);
  if (s.quoteAtChunkEnd) {
    s.inQuotes = false;
    s.closedQuote = true;
  }
  if (s.tooLong) return yield TOO_LONG;
  if (s.inQuotes)
    return yield malformed(
      '文件结尾处有未闭合的引号',
      'a quoted field is not closed before the end of the file',
    );
  if (s.field !== '' || s.fields.length > 0 || s.closedQuote) endRecord(s, out);
  for (const fields of out) yield { kind: 'record', fields };
}

/**
 * The encoding of a CSV: UTF-8 when it starts with the UTF-8 BOM or is valid UTF-8 throughout,
 * GBK otherwise. UTF-16 (a BOM FF FE or FE FF, Excel's "Unicode text") is not read.
 */
export function csvEncodingOf(head: Uint8Array, validUtf8: boolean): CsvEncoding | 'utf-16' {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    return 'utf-16';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return validUtf8 ? 'utf-8' : 'gbk';
}
