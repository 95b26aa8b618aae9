import type ExcelJS from 'exceljs';
import type {
  UnifiedCityResult,
  UnifiedYearEnd,
} from '../../../rules/fund/pooling/pooling-unified.ts';
import { type ReportFile, textCells } from '../../reports/report-writer.ts';
import {
  writeYearEndReportFiles,
  type YearEndColumn,
  type YearEndReportData,
  type YearEndReportLayout,
} from './year-end-report.ts';

/**
 * The per-city report of a unified-mode (统收统支) year-end gap sharing: budget and actual
 * figures, the gap, its province and city-government shares and the true-up posted, in the shared
 * year-end layout (year-end-report.ts), plus the sheet 分层 with each city's bands.
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

export type UnifiedReportData = YearEndReportData<UnifiedYearEnd, UnifiedCityFigures>;

type Column = YearEndColumn<UnifiedCityResult, UnifiedCityFigures>;

const fen = (header: string, value: Column['value']): Column => ({ header, value, fen: true });

const COLUMNS: readonly Column[] = [
  fen('预算收入', (_c, f) => f?.budgetedIncomeFen ?? 0),
  fen('预算支出', (_c, f) => f?.budgetedExpenditureFen ?? 0),
  fen('实际收入', (_c, f) => f?.actualIncomeFen ?? 0),
  fen('实际支出', (_c, f) => f?.actualExpenditureFen ?? 0),
  {
    header: '预算类型',
    value: (c) => (c.budgetType === 'surplus' ? '收支平衡/结余' : '赤字'),
    fen: false,
  },
  fen('当期缺口', (c) => c.gapFen),
  fen('管理性缺口', (c) => c.managementPartFen),
  fen('政策性缺口', (c) => c.policyPartFen),
  fen('偏离预算', (c) => c.deviationFen),
  { header: '偏离率', value: (c) => c.deviationRatio, fen: false },
  fen('省级分担', (c) => c.provinceShareFen),
  fen('市级政府分担', (c) => c.cityGovernmentShareFen),
  fen('归集拨付净额', (_c, f) => f?.transfersNetFen ?? 0),
  fen('年终清算', (_c, f) => f?.trueUpFen ?? 0),
];

/** Sheet 分层: the bands each city's gap was shared in. */
function addLayers(wb: ExcelJS.Workbook, cities: readonly UnifiedCityResult[]): void {
  const ls = wb.addWorksheet('分层');
  ls.addRow(['城市代码', '层级', '省级分担比例', '金额（分）']);
  for (const c of cities)
    for (const l of c.layers)
      textCells(ls.addRow([c.code, l.band, l.provinceShare, l.amountFen]), [1]);
}

function layoutOf(
  d: UnifiedReportData,
): YearEndReportLayout<UnifiedCityResult, UnifiedCityFigures> {
  const y = d.yearEnd;
  return {
    province: d.province,
    year: y.year,
    mode: y.mode,
    title: `${d.province} ${y.year} 年度工伤保险基金统收统支缺口分担结算`,
    columns: COLUMNS,
    cities: y.cities,
    figures: d.figures,
    cityNames: d.cityNames,
    summary: [
      ['缺口合计', y.totals.gapFen],
      ['省级分担合计', y.totals.provinceShareFen],
      ['市级政府分担合计', y.totals.cityGovernmentShareFen],
    ],
    workbookNotes: [],
    pdfNote:
      '年终清算：使城市当年收支（含归集、拨付、市级政府分担）归零，省级基金承担省级分担部分。',
    extraSheets: addLayers,
    params: d.params,
    transactionIds: d.transactionIds,
  };
}

/** Renders both reports and writes each whose file is missing or differs; returns their hashes. */
export function writeUnifiedReports(d: UnifiedReportData, dir: string): Promise<ReportFile[]> {
  return writeYearEndReportFiles(layoutOf(d), dir);
}
