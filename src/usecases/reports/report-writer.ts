import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import pdfmakeSingleton from 'pdfmake';

/**
 * The one report writer: every report (the year-end runs' per-city reports, the budget execution
 * export) is built with these helpers, so each is byte-deterministic the same way. A workbook's
 * document dates are a date the caller fixes from the data (never the clock) and its zip entries'
 * timestamps are normalised; a PDF's dates are fixed the same way and pdfmake derives its font
 * subset tag and document id from the content. Files are written to a temporary name and renamed,
 * so a killed process never leaves a half-written report under the final name.
 */
export type ReportFile = { name: string; path: string; bytes: number; sha256: string };

/**
 * The Chinese font: Noto Sans Hans (SIL Open Font License 1.1) from the npm package
 * @embedpdf/fonts-sc, pinned in package.json, so `npm ci` brings it on a fresh machine; Debian's
 * fonts-noto-cjk is the fallback. The package's OTF (CFF outlines) embeds as a subset; it covers
 * GB 2312, so a rarer character outside it prints as a blank box.
 */
export const NPM_CJK_FONT_PATH = 'node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf';

export const CJK_FONT_CANDIDATES = [
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  {
    file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
    face: 'NotoSerifCJKsc-Regular',
  },
] as const;

/** The npm font as Node would resolve the package: the nearest node_modules up from here. */
function npmCjkFont(): string | null {
  for (let dir = decodeURIComponent(new URL('.', import.meta.url).pathname); ; dir = dirname(dir)) {
    const file = join(dir, NPM_CJK_FONT_PATH);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return null;
  }
}

/** A font file, and the face to pick when the file is a collection (.ttc). */
export type CjkFont = { file: string; face: string | null };

/** The Chinese font for the PDF, or a clear error naming how to install it. */
export function cjkFont(): CjkFont {
  const npm = npmCjkFont();
  if (npm !== null) return { file: npm, face: null };
  const found = CJK_FONT_CANDIDATES.find((f) => existsSync(f.file));
  if (!found)
    throw new Error(
      `a PDF report needs a Chinese font and none was found (looked for ${NPM_CJK_FONT_PATH} and ${CJK_FONT_CANDIDATES.map((f) => f.file).join(', ')}); run npm ci (the package @embedpdf/fonts-sc) or install Debian's fonts-noto-cjk`,
    );
  return found;
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Rewrites the DOS timestamps of every zip entry (local header and central directory) to 1980-01-01. */
export function normalizeZipTimestamps(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  let eocd = -1;
  for (let i = out.length - 22; i >= 0; i--)
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    out.writeUInt16LE(0, p + 12); // time 00:00:00
    out.writeUInt16LE(0x21, p + 14); // date 1980-01-01
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error('corrupt zip local header');
    out.writeUInt16LE(0, local + 10);
    out.writeUInt16LE(0x21, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

/** A workbook whose document dates are `at` (a date of the data, so a rerun writes the same bytes). */
export function newWorkbook(at: Date): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tongchou';
  wb.lastModifiedBy = 'tongchou';
  wb.created = at;
  wb.modified = at;
  return wb;
}

/** The workbook's .xlsx bytes, zip timestamps normalised. */
export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return normalizeZipTimestamps(Buffer.from(await wb.xlsx.writeBuffer()));
}

/** Marks the given 1-based cells of a row as text (codes and exact ratios are never numbers). */
export function textCells(row: ExcelJS.Row, columns: readonly number[]): void {
  for (const c of columns) row.getCell(c).numFmt = '@';
}

type PdfMake = typeof pdfmakeSingleton;

/** A private pdfmake instance: fonts and access policies set here do not leak to other users. */
function pdfmakeInstance(font: CjkFont): PdfMake {
  const Ctor = Object.getPrototypeOf(pdfmakeSingleton).constructor as new () => PdfMake;
  const pm = new Ctor();
  const face: string | [string, string] = font.face === null ? font.file : [font.file, font.face];
  pm.setFonts({ CJK: { normal: face, bold: face, italics: face, bolditalics: face } } as never);
  pm.setUrlAccessPolicy(() => false);
  (
    pm as unknown as { setLocalAccessPolicy(cb: (p: string) => boolean): void }
  ).setLocalAccessPolicy((p) => p === font.file);
  return pm;
}

/** pdfmake content nodes (text, tables); pdfmake's own types are not exported for ESM. */
export type PdfContent = Record<string, unknown>;

/** A landscape A4 table report in the Chinese font, its document dates fixed to `at`. */
export async function renderTablePdf(doc: {
  title: string;
  at: Date;
  content: readonly PdfContent[];
}): Promise<Buffer> {
  return renderPdf({
    ...doc,
    layout: { pageOrientation: 'landscape', pageMargins: [20, 30, 20, 30], fontSize: 6.5 },
  });
}

/** An A4 letter in the Chinese font (portrait, letter margins), its document dates fixed to `at`. */
export async function renderLetterPdf(doc: {
  title: string;
  at: Date;
  content: readonly PdfContent[];
}): Promise<Buffer> {
  return renderPdf({
    ...doc,
    layout: { pageOrientation: 'portrait', pageMargins: [56, 56, 56, 56], fontSize: 10.5 },
  });
}

/**
 * A portrait A4 document with the caller's page margins, base size and line height and a footer
 * per page (the GB/T 9704 letters of src/usecases/letters/), its document dates fixed to `at`.
 */
export async function renderDocumentPdf(doc: {
  title: string;
  at: Date;
  content: readonly PdfContent[];
  pageMargins: [number, number, number, number];
  fontSize: number;
  lineHeight: number;
  footer: (page: number, pages: number) => PdfContent;
}): Promise<Buffer> {
  const { pageMargins, fontSize, lineHeight, footer, ...rest } = doc;
  return renderPdf({
    ...rest,
    layout: { pageOrientation: 'portrait', pageMargins, fontSize, lineHeight, footer },
  });
}

type PdfLayout = {
  pageOrientation: 'portrait' | 'landscape';
  pageMargins: [number, number, number, number];
  fontSize: number;
  lineHeight?: number;
  footer?: (page: number, pages: number) => PdfContent;
};

async function renderPdf(doc: {
  title: string;
  at: Date;
  content: readonly PdfContent[];
  layout: PdfLayout;
}): Promise<Buffer> {
  const font = cjkFont();
  const def = {
    info: {
      title: doc.title,
      author: 'tongchou',
      creator: 'tongchou',
      producer: 'tongchou',
      creationDate: doc.at,
      modDate: doc.at,
    },
    pageSize: 'A4',
    pageOrientation: doc.layout.pageOrientation,
    pageMargins: doc.layout.pageMargins,
    defaultStyle: {
      font: 'CJK',
      fontSize: doc.layout.fontSize,
      ...(doc.layout.lineHeight === undefined ? {} : { lineHeight: doc.layout.lineHeight }),
    },
    ...(doc.layout.footer === undefined ? {} : { footer: doc.layout.footer }),
    content: doc.content,
  };
  const pdf = pdfmakeInstance(font).createPdf(def as never) as unknown as {
    getBuffer(): Promise<Buffer>;
  };
  return Buffer.from(await pdf.getBuffer());
}

function writeAtomically(path: string, data: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export type ReportRender = { ext: string; render: () => Promise<Buffer> };

/**
 * Renders each report `<stem>.<ext>` and writes it under `dir` when its file is missing or differs
 * (a rerun re-checks the files and rewrites a missing or altered one); returns their sha256.
 */
export async function writeReportFiles(
  dir: string,
  stem: string,
  renders: readonly ReportRender[],
): Promise<ReportFile[]> {
  mkdirSync(dir, { recursive: true });
  const out: ReportFile[] = [];
  for (const { ext, render } of renders) {
    const data = await render();
    const name = `${stem}.${ext}`;
    const path = join(dir, name);
    const current = existsSync(path) ? readFileSync(path) : undefined;
    if (!current?.equals(data)) writeAtomically(path, data);
    out.push({ name, path, bytes: data.length, sha256: sha256Hex(data) });
  }
  return out;
}
