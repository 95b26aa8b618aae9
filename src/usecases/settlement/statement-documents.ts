import type ExcelJS from 'exceljs';
import type { Database } from '../../db/client.ts';
import { looksLikeFormula } from '../../domain/contributions/declaration-rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { formatYuan } from '../../kernel/money.ts';
import { ok, type Result } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import {
  newWorkbook,
  type PdfContent,
  renderTablePdf,
  textCells,
  workbookBytes,
} from '../reports/report-writer.ts';
import {
  type MonthView,
  readMonth,
  readStatement,
  type ShareMissing,
  type StatementView,
} from './statement-read.ts';

/**
 * The institution's monthly statement (月结算单) as .xlsx and PDF, built with the one report writer
 * (src/usecases/reports/report-writer.ts): header, totals, per-segment amounts, settlements,
 * rejected lines, deductions, guarantee and payable. Amounts are integer fen in number cells (xlsx)
 * and yuan in the PDF; every text cell from the institution (serials, item names, reasons) is
 * made safe from formula injection. The document date is the month's last day, so the same
 * statement gives the same bytes.
 */
export type StatementDocument = { statement: StatementView; month: MonthView };

/** A text a spreadsheet never runs as a formula: a leading = + - @ tab or CR gets an apostrophe. */
function safe(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}

function documentDate(month: string): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, m ?? 1, 0));
}

const STATUS_ZH = {
  not_declared: '机构未申报',
  reconciled: '对账相符',
  differs: '对账不符',
} as const;

function summaryRows(s: StatementView): [string, string | number][] {
  const x = s.totals;
  return [
    ['协议机构', `${s.institutionName} (${s.institutionId})`],
    ['结算月份', s.month],
    ['对账状态', STATUS_ZH[s.reconciliation.status]],
    ['结算笔数(净)', x.netCount],
    ['申报总额(分)', x.claimedFen],
    ['基金支付(分)', x.fundFen],
    ['审核扣款(分)', x.deductedFen],
    [`质量保证金 ${s.guaranteeShare}(分)`, x.guaranteeFen],
    ['应支付(分)', x.payableFen],
    ['支付状态', s.stored?.status === 'paid' ? `已支付 ${s.stored.paidOn ?? ''}` : '未支付'],
  ];
}

function addSummarySheet(wb: ExcelJS.Workbook, s: StatementView): void {
  const ws = wb.addWorksheet('结算单');
  ws.addRow([`工伤保险协议机构月结算单 ${s.month}`]).font = { bold: true };
  for (const [label, value] of summaryRows(s)) {
    const row = ws.addRow([label, typeof value === 'string' ? safe(value) : value]);
    if (typeof value === 'string') textCells(row, [2]);
  }
  ws.addRow([]);
  ws.addRow(['基金分段', '基金支付', '审核扣款', '质量保证金', '应支付']).font = { bold: true };
  for (const g of s.segments) {
    const row = ws.addRow([g.segment, g.fundFen, g.deductedFen, g.guaranteeFen, g.payableFen]);
    textCells(row, [1]);
  }
  ws.columns.forEach((c, i) => {
    c.width = [26, 30, 14, 14, 14][i] ?? 14;
  });
}

function addDetailSheets(wb: ExcelJS.Workbook, m: MonthView): void {
  const ws = wb.addWorksheet('结算明细');
  ws.addRow([
    '交易流水号',
    '基金分段',
    '类型',
    '申报(分)',
    '基金支付(分)',
    '拒付(分)',
    '审核扣款(分)',
  ]).font = { bold: true };
  for (const s of m.settlements) {
    const row = ws.addRow([
      safe(s.serial),
      s.regionCode,
      s.kind === 'settlement' ? '结算' : '撤销',
      s.claimedFen,
      s.fundFen,
      s.rejectedFen,
      s.deductedFen,
    ]);
    textCells(row, [1, 2]);
  }
  const rs = wb.addWorksheet('拒付明细');
  rs.addRow(['交易流水号', '明细号', '项目名称', '申报(分)', '应付(分)', '原因']).font = {
    bold: true,
  };
  for (const r of m.rejections) {
    const row = rs.addRow([
      safe(r.serial),
      r.lineNo,
      safe(r.name),
      r.claimedFen,
      r.payableFen,
      r.reasons.join(', '),
    ]);
    textCells(row, [1, 3, 6]);
  }
}

export async function renderStatementXlsx(doc: StatementDocument): Promise<Buffer> {
  const wb = newWorkbook(documentDate(doc.statement.month));
  addSummarySheet(wb, doc.statement);
  addDetailSheets(wb, doc.month);
  return workbookBytes(wb);
}

function table(headers: string[], rows: (string | number)[][]): PdfContent {
  return {
    table: { headerRows: 1, body: [headers, ...rows.map((r) => r.map((c) => String(c)))] },
    layout: 'lightHorizontalLines',
    margin: [0, 4, 0, 8],
  };
}

export async function renderStatementPdf(doc: StatementDocument): Promise<Buffer> {
  const s = doc.statement;
  const yuan = (fen: number) => formatYuan(fen);
  const content: PdfContent[] = [
    { text: `工伤保险协议机构月结算单 ${s.month}`, fontSize: 12, margin: [0, 0, 0, 6] },
    table(
      ['项目', '内容'],
      summaryRows(s).map(([label, value]) => [
        label.replace('(分)', '(元)'),
        typeof value === 'number' && label.includes('(分)') ? yuan(value) : value,
      ]),
    ),
    table(
      ['基金分段', '基金支付(元)', '审核扣款(元)', '质量保证金(元)', '应支付(元)'],
      s.segments.map((g) => [
        g.segment,
        yuan(g.fundFen),
        yuan(g.deductedFen),
        yuan(g.guaranteeFen),
        yuan(g.payableFen),
      ]),
    ),
    table(
      ['交易流水号', '基金分段', '类型', '申报(元)', '基金支付(元)', '拒付(元)', '审核扣款(元)'],
      doc.month.settlements.map((x) => [
        x.serial,
        x.regionCode,
        x.kind === 'settlement' ? '结算' : '撤销',
        yuan(x.claimedFen),
        yuan(x.fundFen),
        yuan(x.rejectedFen),
        yuan(x.deductedFen),
      ]),
    ),
    table(
      ['交易流水号', '明细号', '项目名称', '申报(元)', '应付(元)', '原因'],
      doc.month.rejections.map((r) => [
        r.serial,
        r.lineNo,
        r.name,
        yuan(r.claimedFen),
        yuan(r.payableFen),
        r.reasons.join(', '),
      ]),
    ),
  ];
  return renderTablePdf({
    title: `月结算单 ${s.institutionId} ${s.month}`,
    at: documentDate(s.month),
    content,
  });
}

/** The statement file an institution or the staff in scope download (same scope as the statement). */
export async function statementFile(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  key: { institutionId: string; month: string; format: 'pdf' | 'xlsx' },
): Promise<
  Result<{ fileName: string; bytes: Buffer }, 'settlement.institution_not_found' | ShareMissing>
> {
  const statement = await readStatement(db, actor, rules, key);
  if (!statement.ok) return statement;
  const month = await readMonth(db, actor, key);
  if (!month.ok) return month;
  const doc = { statement: statement.value, month: month.value };
  const bytes =
    key.format === 'pdf' ? await renderStatementPdf(doc) : await renderStatementXlsx(doc);
  return ok({ fileName: `statement-${key.institutionId}-${key.month}.${key.format}`, bytes });
}
