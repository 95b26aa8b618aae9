import type {
  AdjustmentFundCityResult,
  AdjustmentFundYearEnd,
} from '../../../rules/fund/pooling/pooling-settle.ts';
import type { ReportFile } from '../../reports/report-writer.ts';
import type { CityFigures } from './year-end-figures.ts';
import {
  writeYearEndReportFiles,
  type YearEndColumn,
  type YearEndReportData,
  type YearEndReportLayout,
} from './year-end-report.ts';

/**
 * The per-city report of an adjustment-fund (调剂金) year-end run: the city's ledger figures, its
 * remittance, reserve, gap and coverage, and the adjustment fund's totals, in the shared year-end
 * layout (year-end-report.ts).
 */
type AdjustmentReportData = YearEndReportData<AdjustmentFundYearEnd, CityFigures>;

type Column = YearEndColumn<AdjustmentFundCityResult, CityFigures>;

const fen = (header: string, value: Column['value']): Column => ({ header, value, fen: true });

const COLUMNS: readonly Column[] = [
  fen('征缴收入', (_c, f) => f?.contributionIncomeFen ?? 0),
  fen('其他收入', (_c, f) => f?.otherIncomeFen ?? 0),
  fen('基金支出', (_c, f) => f?.expenditureFen ?? 0),
  fen('上年结余', (_c, f) => f?.openingBalanceFen ?? 0),
  fen('上解调剂金', (c) => c.remittanceFen),
  fen('提留储备金', (c) => c.reserveFen),
  fen('调剂前结余', (c) => c.closingBeforeCoverageFen),
  fen('缺口', (c) => c.gapFen),
  fen('管理性缺口', (c) => c.managementPartFen),
  fen('政策性缺口', (c) => c.policyPartFen),
  fen('申请弥补', (c) => c.claimFen),
  fen('调剂金弥补', (c) => c.coverageFen),
  fen('市级政府承担', (c) => c.cityGovernmentShareFen),
  fen('调剂后结余', (c) => c.closingAfterCoverageFen),
];

function layoutOf(
  d: AdjustmentReportData,
): YearEndReportLayout<AdjustmentFundCityResult, CityFigures> {
  const y = d.yearEnd;
  const full = y.coverageBasis === 'full';
  return {
    province: d.province,
    year: y.year,
    mode: y.mode,
    title: `${d.province} ${y.year} 年度工伤保险基金调剂金年终结算`,
    columns: COLUMNS,
    cities: y.cities,
    figures: d.figures,
    cityNames: d.cityNames,
    summary: [
      ['调剂金期初', y.adjustmentFundOpeningFen],
      ['上解合计', y.totals.remittanceFen],
      ['可用调剂金', y.availableFen],
      ['申请弥补合计', y.totals.claimFen],
      ['弥补合计', y.totals.coverageFen],
      ['市级政府承担合计', y.totals.cityGovernmentShareFen],
      ['调剂金期末', y.adjustmentFundClosingFen],
    ],
    workbookNotes: [['弥补方式', '', full ? '全额弥补' : '按申请额比例分配（最大余额法）']],
    pdfNote: `弥补方式：${full ? '全额弥补' : '按申请额比例分配（最大余额法，同余额按城市代码）'}`,
    params: d.params,
    transactionIds: d.transactionIds,
  };
}

/** Renders both reports and writes each whose file is missing or differs; returns their hashes. */
export function writeAdjustmentReports(
  d: AdjustmentReportData,
  dir: string,
): Promise<ReportFile[]> {
  return writeYearEndReportFiles(layoutOf(d), dir);
}
