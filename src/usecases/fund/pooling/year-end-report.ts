import { resolve } from 'node:path';
import type ExcelJS from 'exceljs';
import { formatYuan } from '../../../kernel/money.ts';
import type { PoolingParamValue } from '../../../rules/fund/pooling/pooling-params.ts';
import {
  newWorkbook,
  type PdfContent,
  type ReportFile,
  renderTablePdf,
  textCells,
  workbookBytes,
  writeReportFiles,
} from '../../reports/report-writer.ts';

/**
 * The per-city report of a year-end run (年终清算), in Excel and PDF, the same layout for both
 * pooling modes: a title, the unit, a warning when a parameter is a demo value, one row per city
 * (code, name, the mode's columns), the totals, the parameters with their legal source, and the
 * transaction ids. Each mode (year-end-adjustment-report.ts, year-end-unified-report.ts) supplies
 * its columns and totals. Written under `./data/reports/<province>-<year>/` by default; the
 * documents' dates are the year's 31 December, so a rerun writes the same bytes.
 */
/** What a year-end report is written from: the stored run's result, figures and parameters. */
export type YearEndReportData<R, F> = {
  province: string;
  yearEnd: R;
  figures: readonly F[];
  cityNames: Readonly<Record<string, string>>;
  params: readonly PoolingParamValue[];
  transactionIds: readonly string[];
};

export type YearEndColumn<C, F> = {
  header: string;
  value: (c: C, f: F | undefined) => number | string;
  /** An amount in fen: a number in the workbook, yuan in the PDF. */
  fen: boolean;
};

export type YearEndReportLayout<C extends { code: string }, F extends { code: string }> = {
  province: string;
  year: number;
  mode: string;
  title: string;
  columns: readonly YearEndColumn<C, F>[];
  cities: readonly C[];
  figures: readonly F[];
  cityNames: Readonly<Record<string, string>>;
  /** Totals under the table: a workbook row each (amount in fen) and a PDF line (in yuan). */
  summary: readonly (readonly [string, number])[];
  /** Rows after the totals in the workbook only. */
  workbookNotes: readonly (readonly (string | number)[])[];
  /** The line after the totals in the PDF. */
  pdfNote: string;
  /** Sheets between 结算 and 参数. */
  extraSheets?: (wb: ExcelJS.Workbook, cities: readonly C[]) => void;
  params: readonly PoolingParamValue[];
  transactionIds: readonly string[];
};

export function defaultReportsDir(province: string, year: number): string {
  return resolve('data', 'reports', `${province}-${year}`);
}

function fixedDate(year: number): Date {
  return new Date(`${year}-12-31T00:00:00Z`);
}

function demoNote(params: readonly PoolingParamValue[]): string | null {
  const demo = params.filter((p) => p.status === 'demo').map((p) => p.path);
  return demo.length === 0
    ? null
    : `注意：以下参数为演示值（demo），结算结果不具法律效力 / demo parameters: ${demo.join(', ')}`;
}

function paramValue(p: PoolingParamValue): string {
  return typeof p.value === 'object' ? JSON.stringify(p.value) : String(p.value);
}

function sortedCities<C extends { code: string }>(cities: readonly C[]): C[] {
  return [...cities].sort((a, b) => (a.code < b.code ? -1 : 1));
}

function cells<C extends { code: string }, F extends { code: string }>(
  l: YearEndReportLayout<C, F>,
  c: C,
  yuan: boolean,
): (number | string)[] {
  const f = l.figures.find((x) => x.code === c.code);
  return l.columns.map((col) => {
    const v = col.value(c, f);
    return yuan && col.fen && typeof v === 'number' ? formatYuan(v) : v;
  });
}

function headerRow(columns: readonly { header: string }[]): string[] {
  return ['城市代码', '城市', ...columns.map((c) => c.header)];
}

function addParamsAndIds(
  wb: ExcelJS.Workbook,
  params: readonly PoolingParamValue[],
  transactionIds: readonly string[],
): void {
  const ps = wb.addWorksheet('参数');
  ps.addRow(['参数', '地区', '值', '起始日期', '状态', '依据', '条款']);
  for (const p of params) {
    const row = ps.addRow([
      p.path,
      p.region,
      paramValue(p),
      p.from,
      p.status,
      p.citation.instrument,
      p.citation.article,
    ]);
    textCells(row, [2]);
  }
  const ts = wb.addWorksheet('凭证');
  ts.addRow(['记账凭证号 transaction id']);
  for (const id of transactionIds) ts.addRow([id]);
}

export async function renderYearEndXlsx<C extends { code: string }, F extends { code: string }>(
  l: YearEndReportLayout<C, F>,
): Promise<Buffer> {
  const wb = newWorkbook(fixedDate(l.year));
  const ws = wb.addWorksheet('结算');
  ws.addRow([l.title]);
  ws.addRow(['金额单位：分 (fen)', `模式 mode: ${l.mode}`]);
  const note = demoNote(l.params);
  if (note) ws.addRow([note]);
  ws.addRow(headerRow(l.columns));
  const cities = sortedCities(l.cities);
  for (const c of cities)
    textCells(ws.addRow([c.code, l.cityNames[c.code] ?? '', ...cells(l, c, false)]), [1]);
  ws.addRow([]);
  for (const [label, fen] of l.summary) ws.addRow([label, '', fen]);
  for (const row of l.workbookNotes) ws.addRow([...row]);
  l.extraSheets?.(wb, cities);
  addParamsAndIds(wb, l.params, l.transactionIds);
  return workbookBytes(wb);
}

export async function renderYearEndPdf<C extends { code: string }, F extends { code: string }>(
  l: YearEndReportLayout<C, F>,
): Promise<Buffer> {
  const body: string[][] = [headerRow(l.columns)];
  for (const c of sortedCities(l.cities))
    body.push([c.code, l.cityNames[c.code] ?? '', ...cells(l, c, true).map(String)]);
  const note = demoNote(l.params);
  const content: PdfContent[] = [
    { text: l.title, fontSize: 12, margin: [0, 0, 0, 6] },
    { text: '金额单位：元', margin: [0, 0, 0, 4] },
    ...(note ? [{ text: note, color: '#b00000', margin: [0, 0, 0, 4] }] : []),
    { table: { headerRows: 1, body }, layout: 'lightHorizontalLines' },
    {
      margin: [0, 8, 0, 0],
      table: { body: l.summary.map(([label, fen]) => [label, formatYuan(fen)]) },
      layout: 'noBorders',
    },
    { text: l.pdfNote, margin: [0, 4, 0, 0] },
    { text: '参数与依据', fontSize: 9, margin: [0, 8, 0, 2] },
    ...l.params.map((p) => ({
      text: `${p.path} = ${paramValue(p)}（${p.region}，自 ${p.from}，${p.status}）— ${p.citation.instrument} ${p.citation.article}`,
    })),
  ];
  return renderTablePdf({ title: l.title, at: fixedDate(l.year), content });
}

/** Renders both reports and writes each whose file is missing or differs; returns their hashes. */
export function writeYearEndReportFiles<C extends { code: string }, F extends { code: string }>(
  l: YearEndReportLayout<C, F>,
  dir: string,
): Promise<ReportFile[]> {
  return writeReportFiles(dir, `pooling-year-end-${l.province}-${l.year}`, [
    { ext: 'xlsx', render: () => renderYearEndXlsx(l) },
    { ext: 'pdf', render: () => renderYearEndPdf(l) },
  ]);
}
