import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import pdfmakeSingleton from 'pdfmake';
import type { PoolingParamValue } from '../../../domain/fund/pooling/pooling-params.ts';
import type { UnifiedCityResult, UnifiedYearEnd } from '../../../domain/fund/pooling/pooling-unified.ts';
import { formatYuan } from '../../../kernel/money.ts';
import { cjkFont, normalizeZipTimestamps, type ReportFile } from './year-end-adjustment-report.ts';

/**
 * The per-city report of a unified-mode (统收统支) year-end gap sharing, Excel and PDF, under the
 * same names and with the same guarantees as the adjustment-fund report (year-end-report.ts):
 * byte-deterministic (year-end dates, normalised zip timestamps), written to a temporary name and
 * renamed, demo parameters flagged.
 */
export type UnifiedCityFigures = {
  code: string;
  budgetedIncomeFen: number;
  budgetedExpenditureFen: number;
  actualIncomeFen: number;
  actualExpenditureFen: number;
  /** 4104 + 4105 − 5301 − 5302 of the year: allocations received minus sweeps. */
  transfersNetFen: number;
  /** The year-end true-up posted (> 0 province → city, < 0 city → province). */
  trueUpFen: number;
};

export type UnifiedReportData = {
  province: string;
  yearEnd: UnifiedYearEnd;
  figures: readonly UnifiedCityFigures[];
  cityNames: Readonly<Record<string, string>>;
  params: readonly PoolingParamValue[];
  transactionIds: readonly string[];
};

type Column = {
  header: string;
  value: (c: UnifiedCityResult, f: UnifiedCityFigures | undefined) => number | string;
  fen: boolean;
};

const COLUMNS: readonly Column[] = [
  { header: '预算收入', value: (_c, f) => f?.budgetedIncomeFen ?? 0, fen: true },
  { header: '预算支出', value: (_c, f) => f?.budgetedExpenditureFen ?? 0, fen: true },
  { header: '实际收入', value: (_c, f) => f?.actualIncomeFen ?? 0, fen: true },
  { header: '实际支出', value: (_c, f) => f?.actualExpenditureFen ?? 0, fen: true },
  {
    header: '预算类型',
    value: (c) => (c.budgetType === 'surplus' ? '收支平衡/结余' : '赤字'),
    fen: false,
  },
  { header: '当期缺口', value: (c) => c.gapFen, fen: true },
  { header: '管理性缺口', value: (c) => c.managementPartFen, fen: true },
  { header: '政策性缺口', value: (c) => c.policyPartFen, fen: true },
  { header: '偏离预算', value: (c) => c.deviationFen, fen: true },
  { header: '偏离率', value: (c) => c.deviationRatio, fen: false },
  { header: '省级分担', value: (c) => c.provinceShareFen, fen: true },
  { header: '市级政府分担', value: (c) => c.cityGovernmentShareFen, fen: true },
  { header: '归集拨付净额', value: (_c, f) => f?.transfersNetFen ?? 0, fen: true },
  { header: '年终清算', value: (_c, f) => f?.trueUpFen ?? 0, fen: true },
];

function sortedCities(d: UnifiedReportData): UnifiedCityResult[] {
  return [...d.yearEnd.cities].sort((a, b) => (a.code < b.code ? -1 : 1));
}

function title(d: UnifiedReportData): string {
  return `${d.province} ${d.yearEnd.year} 年度工伤保险基金统收统支缺口分担结算`;
}

function fixedDate(d: UnifiedReportData): Date {
  return new Date(`${d.yearEnd.year}-12-31T00:00:00Z`);
}

function demoNote(d: UnifiedReportData): string | null {
  const demo = d.params.filter((p) => p.status === 'demo').map((p) => p.path);
  return demo.length === 0
    ? null
    : `注意：以下参数为演示值（demo），结算结果不具法律效力 / demo parameters: ${demo.join(', ')}`;
}

function paramValue(p: PoolingParamValue): string {
  return typeof p.value === 'object' ? JSON.stringify(p.value) : String(p.value);
}

function cells(d: UnifiedReportData, c: UnifiedCityResult, yuan: boolean): (number | string)[] {
  const f = d.figures.find((x) => x.code === c.code);
  return COLUMNS.map((col) => {
    const v = col.value(c, f);
    return yuan && col.fen && typeof v === 'number' ? formatYuan(v) : v;
  });
}

function summary(d: UnifiedReportData): [string, number][] {
  const t = d.yearEnd.totals;
  return [
    ['缺口合计', t.gapFen],
    ['省级分担合计', t.provinceShareFen],
    ['市级政府分担合计', t.cityGovernmentShareFen],
  ];
}

export async function renderUnifiedXlsx(d: UnifiedReportData): Promise<Buffer> {
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
    const row = ws.addRow([c.code, d.cityNames[c.code] ?? '', ...cells(d, c, false)]);
    row.getCell(1).numFmt = '@';
  }
  ws.addRow([]);
  for (const [label, fen] of summary(d)) ws.addRow([label, '', fen]);
  const ls = wb.addWorksheet('分层');
  ls.addRow(['城市代码', '层级', '省级分担比例', '金额（分）']);
  for (const c of sortedCities(d))
    for (const l of c.layers)
      ls.addRow([c.code, l.band, l.provinceShare, l.amountFen]).getCell(1).numFmt = '@';
  const ps = wb.addWorksheet('参数');
  ps.addRow(['参数', '地区', '值', '起始日期', '状态', '依据', '条款']);
  for (const p of d.params)
    ps
      .addRow([
        p.path,
        p.region,
        paramValue(p),
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

export async function renderUnifiedPdf(d: UnifiedReportData): Promise<Buffer> {
  const font = cjkFont();
  const body: string[][] = [['城市代码', '城市', ...COLUMNS.map((c) => c.header)]];
  for (const c of sortedCities(d))
    body.push([c.code, d.cityNames[c.code] ?? '', ...cells(d, c, true).map(String)]);
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
        table: { body: summary(d).map(([label, fen]) => [label, formatYuan(fen)]) },
        layout: 'noBorders',
      },
      {
        text: '年终清算：使城市当年收支（含归集、拨付、市级政府分担）归零，省级基金承担省级分担部分。',
        margin: [0, 4, 0, 0],
      },
      { text: '参数与依据', fontSize: 9, margin: [0, 8, 0, 2] },
      ...d.params.map((p) => ({
        text: `${p.path} = ${paramValue(p)}（${p.region}，自 ${p.from}，${p.status}）— ${p.citation.instrument} ${p.citation.article}`,
      })),
    ],
  };
  const doc = pdfmakeInstance(font).createPdf(def as never) as unknown as {
    getBuffer(): Promise<Buffer>;
  };
  return Buffer.from(await doc.getBuffer());
}

/** Renders both reports and writes each whose file is missing or differs; returns their hashes. */
export async function writeUnifiedReports(
  d: UnifiedReportData,
  dir: string,
): Promise<ReportFile[]> {
  mkdirSync(dir, { recursive: true });
  const stem = `pooling-year-end-${d.province}-${d.yearEnd.year}`;
  const out: ReportFile[] = [];
  for (const [ext, render] of [
    ['xlsx', renderUnifiedXlsx],
    ['pdf', renderUnifiedPdf],
  ] as const) {
    const data = await render(d);
    const name = `${stem}.${ext}`;
    const path = join(dir, name);
    const current = existsSync(path) ? readFileSync(path) : undefined;
    if (!current?.equals(data)) {
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    }
    out.push({
      name,
      path,
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  }
  return out;
}
