import type ExcelJS from 'exceljs';
import type { RatioView } from '../../../domain/fund/budgets/budget-execution.ts';
import { newWorkbook, textCells, workbookBytes } from '../../reports/report-writer.ts';
import type { BudgetExecutionReport } from './budget-execution.ts';

/**
 * The budget with its execution as an .xlsx workbook: sheet 预算执行 (one row per segment and line,
 * year to date), sheet 分月执行 (one row per segment, line and month). Amounts are integer fen in
 * number cells; region and account codes and the exact ratios are text cells. Built with the one
 * report writer (src/usecases/reports/report-writer.ts): the document dates are 31 December of the
 * budget year and the zip timestamps are normalised, so the same report gives the same bytes.
 */
const STATUS_ZH: Record<string, string> = {
  none: '未编制',
  draft: '草稿',
  submitted: '已上报',
  consolidated: '已汇总待审批',
  approved: '已批准',
};

function ratio(r: RatioView): string {
  return r === null ? '' : r.value;
}

export async function renderBudgetExecutionXlsx(report: BudgetExecutionReport): Promise<Buffer> {
  const wb = newWorkbook(new Date(Date.UTC(report.year, 11, 31)));
  addExecutionSheet(wb, report);
  addMonthlySheet(wb, report);
  return workbookBytes(wb);
}

/** Sheet 预算执行: per segment, each line year to date, then its income and expense totals. */
function addExecutionSheet(wb: ExcelJS.Workbook, report: BudgetExecutionReport): void {
  const through = `${report.year}-${String(report.throughMonth).padStart(2, '0')}`;

  const ws = wb.addWorksheet('预算执行');
  ws.addRow([`工伤保险基金 ${report.year} 年预算执行情况 (截至 ${through})`]);
  ws.addRow([
    '金额单位：分 (fen)',
    `差异率 = 差异 ÷ 截至本月计划，保留 ${report.ratioRounding.places} 位小数 (${report.ratioRounding.rule})`,
  ]);
  ws.addRow([
    '地区代码',
    '地区',
    '预算状态',
    '科目代码',
    '科目',
    '收支',
    '年度预算',
    '截至本月计划',
    '截至本月实际',
    '差异',
    '差异率',
    '执行率',
  ]).font = { bold: true };
  for (const s of report.segments) addSegmentRows(ws, s);
  ws.columns.forEach((c, i) => {
    c.width = [10, 14, 12, 10, 30, 6, 16, 16, 16, 16, 10, 10][i] ?? 12;
  });
}

type Segment = BudgetExecutionReport['segments'][number];

function addSegmentRows(ws: ExcelJS.Worksheet, s: Segment): void {
  for (const l of s.lines) {
    const row = ws.addRow([
      s.segment,
      s.name,
      STATUS_ZH[s.status] ?? s.status,
      l.account,
      l.name,
      l.type === 'income' ? '收入' : '支出',
      l.annualBudgetFen,
      l.plannedToDateFen,
      l.actualToDateFen,
      l.varianceFen,
      ratio(l.varianceRatio),
      ratio(l.executionRatio),
    ]);
    textCells(row, [1, 4, 11, 12]);
  }
  for (const [label, t] of [
    ['收入合计', s.totals.income],
    ['支出合计', s.totals.expense],
  ] as const) {
    const row = ws.addRow([
      s.segment,
      s.name,
      STATUS_ZH[s.status] ?? s.status,
      '',
      label,
      '',
      t.annualBudgetFen,
      t.plannedToDateFen,
      t.actualToDateFen,
      t.varianceFen,
      ratio(t.varianceRatio),
      ratio(t.executionRatio),
    ]);
    row.font = { bold: true };
    textCells(row, [1, 11, 12]);
  }
}

/** Sheet 分月执行: one row per segment, line and month. */
function addMonthlySheet(wb: ExcelJS.Workbook, report: BudgetExecutionReport): void {
  const ms = wb.addWorksheet('分月执行');
  ms.addRow([
    '地区代码',
    '科目代码',
    '科目',
    '月份',
    '本月计划',
    '本月实际',
    '累计计划',
    '累计实际',
    '累计差异',
    '差异率',
  ]).font = { bold: true };
  for (const s of report.segments)
    for (const l of s.lines)
      for (const m of l.months) {
        const row = ms.addRow([
          s.segment,
          l.account,
          l.name,
          m.period,
          m.plannedFen,
          m.actualFen,
          m.cumulativePlannedFen,
          m.cumulativeActualFen,
          m.varianceFen,
          ratio(m.varianceRatio),
        ]);
        textCells(row, [1, 2, 4, 10]);
      }
}
