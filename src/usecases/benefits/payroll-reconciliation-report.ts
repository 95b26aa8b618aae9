import type ExcelJS from 'exceljs';
import type { Database } from '../../db/client.ts';
import {
  type Figure,
  type KindReconciliation,
  payrollKindLabel,
  type RunReconciliation,
} from '../../domain/benefits/payroll-reconciliation.ts';
import { looksLikeFormula } from '../../domain/contributions/declaration-rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { formatYuan } from '../../kernel/money.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import {
  newWorkbook,
  type PdfContent,
  renderTablePdf,
  sha256Hex,
  textCells,
  workbookBytes,
} from '../reports/report-writer.ts';
import {
  EXCEPTIONS_LISTED_MAX,
  type ExceptionLine,
  exceptionLines,
  runReconciliation,
} from './payroll-reconciliation-read.ts';
import { type RunRow, runRow } from './payroll-store.ts';

/**
 * A payroll run's reconciliation report (对账报告, docs/benefits.md "Reconciliation report") as
 * .xlsx or PDF, built with the one report writer: the figures per kind and in total (lines and
 * fen), the ledger's 2102 beside what the lines imply, and the lines the bank has not confirmed.
 * Ids and amounts only: no name, no account number, no ID number. Every text the bank wrote (a
 * failure reason) is made safe from formula injection. The document date is the run month's last
 * day, so the same figures give the same bytes. Every download is audited
 * (`benefits.payroll.reconciliation`: format, sha256), committed before the bytes are answered.
 */
export type ReconciliationReportFormat = 'xlsx' | 'pdf';
export type ReconciliationReportFile = { fileName: string; bytes: Buffer; sha256: string };

type ReportData = {
  run: RunRow;
  reconciliation: RunReconciliation;
  exceptions: { lines: ExceptionLine[]; count: number };
};

export async function payrollReconciliationReport(
  db: Database,
  actor: Actor,
  input: { regionCode: string; runId: string; format: ReconciliationReportFormat },
): Promise<Result<ReconciliationReportFile, 'benefit.payroll_run_not_found'>> {
  const data = await db.withConnection(async (ex): Promise<ReportData | null> => {
    const run = await runRow(ex, input.regionCode, input.runId, false);
    if (run === null) return null;
    return {
      run,
      reconciliation: await runReconciliation(ex, run),
      exceptions: await exceptionLines(ex, run),
    };
  });
  if (data === null) return refuse('benefit.payroll_run_not_found', `run ${input.runId} not found`);
  const bytes = input.format === 'pdf' ? await reportPdf(data) : await reportXlsx(data);
  const file = {
    fileName: `${data.run.id}-reconciliation.${input.format}`,
    bytes,
    sha256: sha256Hex(bytes),
  };
  await db.transaction((tx) =>
    appendAudit(
      tx,
      okEventOf(
        actor,
        'benefits.payroll.reconciliation',
        `payroll-run/${data.run.regionCode}/${data.run.id}`,
        {
          format: input.format,
          sha256: file.sha256,
          status: data.run.status,
          ledgerDifferenceFen: data.reconciliation.ledger.differenceFen,
        },
      ),
    ),
  );
  return ok(file);
}

/** A text a spreadsheet never runs as a formula: a leading = + - @ tab or CR gets an apostrophe. */
function safe(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}

function documentDate(month: string): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, m ?? 1, 0));
}

const STATUS_ZH: Readonly<Record<RunRow['status'], string>> = {
  computing: '计算中',
  computed: '待审核',
  approved: '已审核',
  file_issued: '已发盘',
  reconciled: '已对账',
};

const STATE_ZH: Readonly<Record<ExceptionLine['state'], string>> = {
  failed: '银行失败',
  outstanding: '未回盘',
  held: '暂缓（无账户）',
  released: '已冲回（无人应得）',
};

/** The figures, in the order the report lists them (Chinese label, field). */
const FIGURES: readonly [string, keyof Omit<KindReconciliation, 'kind' | 'label'>][] = [
  ['本月明细', 'monthLines'],
  ['补发明细（前期失败）', 'reissueLines'],
  ['已发送', 'sent'],
  ['银行确认', 'confirmed'],
  ['银行失败', 'failed'],
  ['已发送未回盘', 'outstanding'],
  ['暂缓（无账户，未发送）', 'held'],
  ['待发送（未出支付文件）', 'toSend'],
  ['由后续批次补发', 'reissuedLater'],
];

/**
 * The figures the run's report lists: 已冲回 only when a line of the run was released, so the
 * report of a run with none keeps its bytes (the figure is zero there and says nothing).
 */
function figuresOf(d: ReportData): (typeof FIGURES)[number][] {
  return d.reconciliation.total.released.lines === 0
    ? [...FIGURES]
    : [...FIGURES, ['已冲回（无人应得，冲销 2102）', 'released']];
}

function infoRows(d: ReportData): [string, string][] {
  const r = d.run;
  return [
    ['发放批次', r.id],
    ['统筹地区', r.regionCode],
    ['发放月份', r.month],
    ['状态', STATUS_ZH[r.status]],
    ['审核', r.approvedBy === null ? '—' : `${r.approvedBy} ${r.approvedOn ?? ''}`],
    ['支付文件 sha256', r.fileSha256 ?? '—'],
  ];
}

function ledgerRows(d: ReportData): [string, number][] {
  const l = d.reconciliation.ledger;
  const released = d.reconciliation.total.released;
  return [
    ['2102 应付待遇款 贷方（审核入账）', l.creditFen],
    ['2102 借方（银行确认）', l.debitFen],
    ['2102 本批次余额（账）', l.balanceFen],
    ['按明细推算余额（本月明细 − 银行确认）', l.expectedFen],
    ['差额（账 − 明细）', l.differenceFen],
    // A release's Dr 2102 is its own transaction (not the run's): shown apart, when there is one.
    ...(released.lines === 0
      ? []
      : [
          ['已冲回明细（2102 借方记于冲回凭证，不在上列）', released.amountFen] as [string, number],
        ]),
  ];
}

function columnsOf(d: ReportData): KindReconciliation[] {
  return [...d.reconciliation.byKind, d.reconciliation.total];
}

function addSummarySheet(wb: ExcelJS.Workbook, d: ReportData): void {
  const ws = wb.addWorksheet('对账汇总');
  ws.addRow([`工伤保险待遇月度发放对账报告 ${d.run.id}`]).font = { bold: true };
  for (const [label, value] of infoRows(d)) textCells(ws.addRow([label, value]), [2]);
  ws.addRow([]);
  const kinds = columnsOf(d);
  ws.addRow(['项目', ...kinds.flatMap((k) => [`${k.label} 笔数`, `${k.label} 金额(分)`])]).font = {
    bold: true,
  };
  for (const [label, field] of figuresOf(d))
    ws.addRow([label, ...kinds.flatMap((k) => [k[field].lines, k[field].amountFen])]);
  ws.addRow([]);
  ws.addRow(['账务核对', '金额(分)']).font = { bold: true };
  for (const [label, fen] of ledgerRows(d)) ws.addRow([label, fen]);
  ws.columns.forEach((c, i) => {
    c.width = i === 0 ? 40 : 18;
  });
}

function addExceptionSheet(wb: ExcelJS.Workbook, d: ReportData): void {
  const ws = wb.addWorksheet('未确认明细');
  ws.addRow([
    '明细号',
    '职工',
    '项目',
    '金额(分)',
    '状态',
    '原因',
    '补发的原明细',
    '补发批次',
  ]).font = { bold: true };
  for (const l of d.exceptions.lines) {
    const row = ws.addRow([
      l.lineId,
      l.workerId,
      payrollKindLabel(l.kind),
      l.amountFen,
      STATE_ZH[l.state],
      safe(l.reason ?? ''),
      l.reissueOf ?? '',
      l.reissuedIn ?? '',
    ]);
    textCells(row, [1, 2, 6, 7, 8]);
  }
  if (d.exceptions.count > d.exceptions.lines.length)
    ws.addRow([`仅列前 ${EXCEPTIONS_LISTED_MAX} 笔，共 ${d.exceptions.count} 笔`]);
}

async function reportXlsx(d: ReportData): Promise<Buffer> {
  const wb = newWorkbook(documentDate(d.run.month));
  addSummarySheet(wb, d);
  addExceptionSheet(wb, d);
  return workbookBytes(wb);
}

function table(headers: string[], rows: string[][], widths?: string[]): PdfContent {
  return {
    table: { headerRows: 1, ...(widths ? { widths } : {}), body: [headers, ...rows] },
    layout: 'lightHorizontalLines',
    margin: [0, 4, 0, 8],
  };
}

const figureText = (f: Figure) => `${f.lines} 笔 / ${formatYuan(f.amountFen)}`;

/** The PDF lists at most this many unconfirmed lines (the xlsx lists up to EXCEPTIONS_LISTED_MAX). */
const PDF_EXCEPTIONS_MAX = 200;

async function reportPdf(d: ReportData): Promise<Buffer> {
  const kinds = columnsOf(d);
  const listed = d.exceptions.lines.slice(0, PDF_EXCEPTIONS_MAX);
  const content: PdfContent[] = [
    { text: `工伤保险待遇月度发放对账报告 ${d.run.id}`, fontSize: 12, margin: [0, 0, 0, 6] },
    table(['项目', '内容'], infoRows(d)),
    table(
      ['项目（笔数 / 金额 元）', ...kinds.map((k) => k.label)],
      figuresOf(d).map(([label, field]) => [label, ...kinds.map((k) => figureText(k[field]))]),
    ),
    table(
      ['账务核对', '金额（元）'],
      ledgerRows(d).map(([label, fen]) => [label, formatYuan(fen)]),
    ),
    table(
      ['明细号', '职工', '项目', '金额（元）', '状态', '原因', '补发批次'],
      listed.map((l) => [
        l.lineId,
        l.workerId,
        payrollKindLabel(l.kind),
        formatYuan(l.amountFen),
        STATE_ZH[l.state],
        l.reason ?? '',
        l.reissuedIn ?? '',
      ]),
    ),
    ...(d.exceptions.count > listed.length
      ? [
          {
            text: `未确认明细仅列前 ${listed.length} 笔，共 ${d.exceptions.count} 笔，全部见 xlsx。`,
          },
        ]
      : []),
  ];
  // An ASCII title: the document's Info dictionary names the run in plain bytes.
  return renderTablePdf({
    title: `payroll reconciliation ${d.run.id}`,
    at: documentDate(d.run.month),
    content,
  });
}
