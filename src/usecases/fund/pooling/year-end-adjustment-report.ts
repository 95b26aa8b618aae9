import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import pdfmakeSingleton from 'pdfmake';
import type { PoolingParamValue } from '../../../rules/fund/pooling/pooling-params.ts';
import type {
  AdjustmentFundCityResult,
  AdjustmentFundYearEnd,
} from '../../../rules/fund/pooling/pooling-settle.ts';
import { formatYuan } from '../../../kernel/money.ts';
import type { CityFigures } from './year-end-figures.ts';

/**
 * The per-city report of a year-end run, in Excel (exceljs) and PDF (pdfmake, Noto CJK), written
 * under `./data/reports/<province>-<year>/` by default. Byte-deterministic: the documents' dates
 * are the year-end run's year end, the xlsx zip entries' timestamps are normalised, the PDF's font
 * subset tag and document id derive from the content. Files are written to a temporary name and
 * renamed, so a killed run never leaves a half-written report under the final name.
 */
export type YearEndReportData = {
  province: string;
  yearEnd: AdjustmentFundYearEnd;
  figures: readonly CityFigures[];
  cityNames: Readonly<Record<string, string>>;
  params: readonly PoolingParamValue[];
  transactionIds: readonly string[];
};

export type ReportFile = { name: string; path: string; bytes: number; sha256: string };

export const CJK_FONT_CANDIDATES = [
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  {
    file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
    face: 'NotoSerifCJKsc-Regular',
  },
] as const;

export function defaultReportsDir(province: string, year: number): string {
  return resolve('data', 'reports', `${province}-${year}`);
}

/** The Chinese font for the PDF, or a clear error naming how to install it. */
export function cjkFont(): { file: string; face: string } {
  const found = CJK_FONT_CANDIDATES.find((f) => existsSync(f.file));
  if (!found)
    throw new Error(
      `the PDF year-end run report needs a Chinese font and none was found (looked for ${CJK_FONT_CANDIDATES.map((f) => f.file).join(', ')}); install Debian's fonts-noto-cjk: apt-get install -y fonts-noto-cjk`,
    );
  return found;
}

type Column = {
  header: string;
  value: (c: AdjustmentFundCityResult, f: CityFigures | undefined) => number;
};

const COLUMNS: readonly Column[] = [
  { header: '征缴收入', value: (_c, f) => f?.contributionIncomeFen ?? 0 },
  { header: '其他收入', value: (_c, f) => f?.otherIncomeFen ?? 0 },
  { header: '基金支出', value: (_c, f) => f?.expenditureFen ?? 0 },
  { header: '上年结余', value: (_c, f) => f?.openingBalanceFen ?? 0 },
  { header: '上解调剂金', value: (c) => c.remittanceFen },
  { header: '提留储备金', value: (c) => c.reserveFen },
  { header: '调剂前结余', value: (c) => c.closingBeforeCoverageFen },
  { header: '缺口', value: (c) => c.gapFen },
  { header: '管理性缺口', value: (c) => c.managementPartFen },
  { header: '政策性缺口', value: (c) => c.policyPartFen },
  { header: '申请弥补', value: (c) => c.claimFen },
  { header: '调剂金弥补', value: (c) => c.coverageFen },
  { header: '市级政府承担', value: (c) => c.cityGovernmentShareFen },
  { header: '调剂后结余', value: (c) => c.closingAfterCoverageFen },
];

function sortedCities(d: YearEndReportData): AdjustmentFundCityResult[] {
  return [...d.yearEnd.cities].sort((a, b) => (a.code < b.code ? -1 : 1));
}

function figuresOf(d: YearEndReportData, code: string): CityFigures | undefined {
  return d.figures.find((f) => f.code === code);
}

function title(d: YearEndReportData): string {
  return `${d.province} ${d.yearEnd.year} 年度工伤保险基金调剂金年终结算`;
}

function fixedDate(d: YearEndReportData): Date {
  return new Date(`${d.yearEnd.year}-12-31T00:00:00Z`);
}

function demoNote(d: YearEndReportData): string | null {
  const demo = d.params.filter((p) => p.status === 'demo').map((p) => p.path);
  return demo.length === 0
    ? null
    : `注意：以下参数为演示值（demo），结算结果不具法律效力 / demo parameters: ${demo.join(', ')}`;
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

export async function renderYearEndXlsx(d: YearEndReportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tongchou';
  wb.lastModifiedBy = 'tongchou';
  wb.created = fixedDate(d);
  wb.modified = fixedDate(d);
  const ws = wb.addWorksheet('结算');
  ws.addRow([title(d)]);
  ws.addRow(['金额单位：分 (fen)', `模式 mode: ${d.yearEnd.mode}`]);
  const note = demoNote(d);
  if (note) ws.addRow([note]);
  ws.addRow(['城市代码', '城市', ...COLUMNS.map((c) => c.header)]);
  for (const c of sortedCities(d)) {
    const f = figuresOf(d, c.code);
    const row = ws.addRow([
      c.code,
      d.cityNames[c.code] ?? '',
      ...COLUMNS.map((col) => col.value(c, f)),
    ]);
    row.getCell(1).numFmt = '@'; // a region code is text, never a number
  }
  const t = d.yearEnd.totals;
  ws.addRow([]);
  for (const [label, fen] of [
    ['调剂金期初', d.yearEnd.adjustmentFundOpeningFen],
    ['上解合计', t.remittanceFen],
    ['可用调剂金', d.yearEnd.availableFen],
    ['申请弥补合计', t.claimFen],
    ['弥补合计', t.coverageFen],
    ['市级政府承担合计', t.cityGovernmentShareFen],
    ['调剂金期末', d.yearEnd.adjustmentFundClosingFen],
  ] as const)
    ws.addRow([label, '', fen]);
  ws.addRow([
    '弥补方式',
    '',
    d.yearEnd.coverageBasis === 'full' ? '全额弥补' : '按申请额比例分配（最大余额法）',
  ]);
  const ps = wb.addWorksheet('参数');
  ps.addRow(['参数', '地区', '值', '起始日期', '状态', '依据', '条款']);
  for (const p of d.params)
    ps
      .addRow([
        p.path,
        p.region,
        String(p.value),
        p.from,
        p.status,
        p.citation.instrument,
        p.citation.article,
      ])
      .getCell(2).numFmt = '@';
  const ts = wb.addWorksheet('凭证');
  ts.addRow(['记账凭证号 transaction id']);
  for (const id of d.transactionIds) ts.addRow([id]);
  return normalizeZipTimestamps(Buffer.from(await wb.xlsx.writeBuffer()));
}

type PdfMake = typeof pdfmakeSingleton;

/** A private pdfmake instance: fonts and access policies set here do not leak to other users. */
function pdfmakeInstance(font: { file: string; face: string }): PdfMake {
  const Ctor = Object.getPrototypeOf(pdfmakeSingleton).constructor as new () => PdfMake;
  const pm = new Ctor();
  const face: [string, string] = [font.file, font.face];
  pm.setFonts({ CJK: { normal: face, bold: face, italics: face, bolditalics: face } } as never);
  pm.setUrlAccessPolicy(() => false);
  (
    pm as unknown as { setLocalAccessPolicy(cb: (p: string) => boolean): void }
  ).setLocalAccessPolicy((p) => p === font.file);
  return pm;
}

export async function renderYearEndPdf(d: YearEndReportData): Promise<Buffer> {
  const font = cjkFont();
  const header = ['城市代码', '城市', ...COLUMNS.map((c) => c.header)];
  const body: string[][] = [header];
  for (const c of sortedCities(d)) {
    const f = figuresOf(d, c.code);
    body.push([
      c.code,
      d.cityNames[c.code] ?? '',
      ...COLUMNS.map((col) => formatYuan(col.value(c, f))),
    ]);
  }
  const t = d.yearEnd.totals;
  const summary: [string, number][] = [
    ['调剂金期初', d.yearEnd.adjustmentFundOpeningFen],
    ['上解合计', t.remittanceFen],
    ['可用调剂金', d.yearEnd.availableFen],
    ['申请弥补合计', t.claimFen],
    ['弥补合计', t.coverageFen],
    ['市级政府承担合计', t.cityGovernmentShareFen],
    ['调剂金期末', d.yearEnd.adjustmentFundClosingFen],
  ];
  const note = demoNote(d);
  const when = fixedDate(d);
  const def = {
    info: {
      title: title(d),
      author: 'tongchou',
      creator: 'tongchou',
      producer: 'tongchou',
      creationDate: when,
      modDate: when,
    },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [20, 30, 20, 30],
    defaultStyle: { font: 'CJK', fontSize: 6.5 },
    content: [
      { text: title(d), fontSize: 12, margin: [0, 0, 0, 6] },
      { text: '金额单位：元', margin: [0, 0, 0, 4] },
      ...(note ? [{ text: note, color: '#b00000', margin: [0, 0, 0, 4] }] : []),
      { table: { headerRows: 1, body }, layout: 'lightHorizontalLines' },
      {
        margin: [0, 8, 0, 0],
        table: { body: summary.map(([label, fen]) => [label, formatYuan(fen)]) },
        layout: 'noBorders',
      },
      {
        text: `弥补方式：${d.yearEnd.coverageBasis === 'full' ? '全额弥补' : '按申请额比例分配（最大余额法，同余额按城市代码）'}`,
        margin: [0, 4, 0, 0],
      },
      { text: '参数与依据', fontSize: 9, margin: [0, 8, 0, 2] },
      ...d.params.map((p) => ({
        text: `${p.path} = ${String(p.value)}（${p.region}，自 ${p.from}，${p.status}）— ${p.citation.instrument} ${p.citation.article}`,
      })),
    ],
  };
  const doc = pdfmakeInstance(font).createPdf(def as never) as unknown as {
    getBuffer(): Promise<Buffer>;
  };
  return Buffer.from(await doc.getBuffer());
}

function writeAtomically(path: string, data: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function fileOf(path: string, name: string, data: Buffer): ReportFile {
  return {
    name,
    path,
    bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

/** Renders both reports and writes each whose file is missing or differs; returns their hashes. */
export async function writeYearEndReports(
  d: YearEndReportData,
  dir: string,
): Promise<ReportFile[]> {
  mkdirSync(dir, { recursive: true });
  const stem = `pooling-year-end-${d.province}-${d.yearEnd.year}`;
  const out: ReportFile[] = [];
  for (const [ext, render] of [
    ['xlsx', renderYearEndXlsx],
    ['pdf', renderYearEndPdf],
  ] as const) {
    const data = await render(d);
    const name = `${stem}.${ext}`;
    const path = join(dir, name);
    const current = existsSync(path) ? readFileSync(path) : undefined;
    if (!current?.equals(data)) writeAtomically(path, data);
    out.push(fileOf(path, name, data));
  }
  return out;
}
