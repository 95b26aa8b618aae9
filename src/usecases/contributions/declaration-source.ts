import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import {
  type CsvEncoding,
  csvEncodingOf,
  csvRecords,
} from '../../domain/contributions/csv-reader.ts';
import {
  DECLARATION_FILE_BYTES_MAX,
  type DeclarationProblem,
  fileProblem,
} from '../../domain/contributions/declaration-problems.ts';
import { type DeclarationCell, textCell } from '../../domain/contributions/declaration-rows.ts';
import { workbookReaderClass } from './xlsx-stream-reader.ts';

/**
 * Where a declaration file's bytes come from, and the sheet rows read from them. Everything is read
 * from a file on disk in chunks: the upload of the API is spooled there first (so a slow client
 * never holds a database transaction open), bytes given by a caller are written there, and the
 * file is read twice — once for its sha256, size and encoding, once for its rows.
 */
export type DeclarationSource =
  | { kind: 'file'; path: string }
  | { kind: 'bytes'; bytes: Uint8Array };

export type SheetItem =
  | { kind: 'row'; cells: DeclarationCell[] }
  | { kind: 'problem'; problem: DeclarationProblem };

export type FileFacts = {
  bytes: number;
  sha256: string;
  validUtf8: boolean;
  head: Uint8Array;
};

export type SheetFormat = { kind: 'csv'; encoding: CsvEncoding } | { kind: 'xlsx' };

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
    if (!(chunk instanceof Uint8Array)) throw new Error('file stream gave a non-byte chunk');
    yield chunk;
  }
}

/** Writes a stream of bytes to a new private temporary file, stopping past `bytesMax`. */
export async function spoolToFile(
  chunks: AsyncIterable<Uint8Array>,
  bytesMax = DECLARATION_FILE_BYTES_MAX,
): Promise<{ path: string; bytes: number; tooLarge: boolean; remove: () => Promise<void> }> {
  const path = join(tmpdir(), `tongchou-declaration-${randomBytes(8).toString('hex')}`);
  const remove = () => rm(path, { force: true });
  const handle = await open(path, 'wx', 0o600);
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      await handle.write(chunk);
      // The chunk that crosses the bound is kept, so the file itself shows it is too large.
      if (bytes > bytesMax) return { path, bytes, tooLarge: true, remove };
    }
  } catch (err) {
    await handle.close();
    await remove();
    throw err;
  } finally {
    await handle.close().catch(() => undefined);
  }
  return { path, bytes, tooLarge: false, remove };
}

/** The file of a source: the caller's, or a temporary copy of given bytes (removed by `remove`). */
export async function sourceFile(
  source: DeclarationSource,
): Promise<{ path: string; remove: () => Promise<void> }> {
  if (source.kind === 'file') return { path: source.path, remove: async () => undefined };
  async function* one() {
    yield source.kind === 'bytes' ? source.bytes : new Uint8Array();
  }
  const spooled = await spoolToFile(one(), Number.MAX_SAFE_INTEGER);
  return { path: spooled.path, remove: spooled.remove };
}

/** Size, sha256, whether the bytes are valid UTF-8, and the first bytes (the format's magic). */
export async function fileFacts(path: string): Promise<FileFacts> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  let bytes = 0;
  let head = new Uint8Array();
  for await (const chunk of fileChunks(path)) {
    if (bytes === 0) head = Uint8Array.from(chunk.subarray(0, 8));
    bytes += chunk.length;
    hash.update(chunk);
    if (validUtf8)
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        validUtf8 = false;
      }
  }
  if (validUtf8)
    try {
      utf8.decode();
    } catch {
      validUtf8 = false;
    }
  return { bytes, sha256: hash.digest('hex'), validUtf8, head };
}

/** The format by the file's first bytes: a zip is xlsx, an OLE file is the old .xls (refused). */
export function sheetFormatOf(facts: FileFacts): SheetFormat | DeclarationProblem {
  const h = facts.head;
  if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) return { kind: 'xlsx' };
  if (h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0)
    return fileProblem(
      'declaration.format_unsupported',
      '不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV',
      'the old Excel format (.xls) is not read: save the file as .xlsx or CSV',
    );
  const encoding = csvEncodingOf(h, facts.validUtf8);
  if (encoding === 'utf-16')
    return fileProblem(
      'declaration.bad_encoding',
      '不支持 UTF-16（“Unicode 文本”）文件，请另存为“CSV UTF-8”或 .xlsx',
      'UTF-16 ("Unicode text") files are not read: save as "CSV UTF-8" or .xlsx',
    );
  return { kind: 'csv', encoding };
}

async function* csvSheet(path: string, encoding: CsvEncoding): AsyncGenerator<SheetItem> {
  for await (const item of csvRecords(fileChunks(path), encoding))
    yield item.kind === 'record' ? { kind: 'row', cells: item.fields.map(textCell) } : item;
}

function xlsxCell(cell: ExcelJS.Cell): DeclarationCell {
  switch (cell.type) {
    case ExcelJS.ValueType.Null:
    case ExcelJS.ValueType.Merge:
      return { kind: 'empty' };
    case ExcelJS.ValueType.Number:
      return { kind: 'number', value: Number(cell.value) };
    case ExcelJS.ValueType.String:
    case ExcelJS.ValueType.SharedString:
    case ExcelJS.ValueType.RichText:
    case ExcelJS.ValueType.Hyperlink:
      return textCell(cell.text);
    case ExcelJS.ValueType.Formula:
      return { kind: 'formula' };
    default:
      return { kind: 'other' };
  }
}

const XLSX_UNREADABLE = fileProblem(
  'declaration.malformed',
  '无法读取该 .xlsx 文件（文件损坏或不是 Excel 工作簿）',
  'the .xlsx file cannot be read (damaged, or not an Excel workbook)',
);

/** The first worksheet's rows through exceljs's streaming reader; missing rows come as blank ones. */
async function* xlsxSheet(path: string): AsyncGenerator<SheetItem> {
  // The private reader with exceljs's chunk-boundary UTF-8 bug fixed (xlsx-stream-reader.ts).
  const WorkbookReader = workbookReaderClass();
  const reader = new WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let next = 1;
      for await (const row of sheet) {
        for (; next < row.number; next++) yield { kind: 'row', cells: [] };
        const cells: DeclarationCell[] = [];
        for (let c = 1; c <= row.cellCount; c++) cells.push(xlsxCell(row.getCell(c)));
        yield { kind: 'row', cells };
        next = row.number + 1;
      }
      return;
    }
  } catch {
    yield { kind: 'problem', problem: XLSX_UNREADABLE };
  }
}

/** The rows of a declaration file in its format. */
export function sheetRows(path: string, format: SheetFormat): AsyncGenerator<SheetItem> {
  return format.kind === 'xlsx' ? xlsxSheet(path) : csvSheet(path, format.encoding);
}
