import type ExcelJS from 'exceljs';
import type { Database } from '../../db/client.ts';
import type { IndexationLine } from '../../domain/benefits/indexation.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { newWorkbook, textCells, workbookBytes } from '../reports/report-writer.ts';
import { INDEXATION_PAGE_MAX, type IndexationView, indexationView } from './indexation-read.ts';

/**
 * The before/after report of an indexation batch as an .xlsx workbook: a summary sheet (status,
 * payload digest, totals by item and payer, skipped counts, the adjustments and their citations)
 * and every line, paged from the database. Amounts are integer fen, as the budget export's; ids
 * and amounts only, no personal data. The document
 * date is the batch year's 1 January, so the same batch gives the same bytes.
 */
const ITEM_LABEL: Readonly<Record<IndexationLine['kind'], string>> = {
  disability_allowance: '伤残津贴',
  nursing_allowance: '生活护理费',
  survivor_pension: '供养亲属抚恤金',
};

export async function indexationWorkbook(
  db: Database,
  input: { regionCode: string; batchId: string },
): Promise<Result<{ fileName: string; bytes: Buffer }, 'benefit.indexation_not_found'>> {
  const first = await indexationView(db, input);
  if (!first.ok) return first;
  const batch = first.value;
  const wb = newWorkbook(new Date(Date.UTC(batch.year, 0, 1)));
  addSummary(wb, batch);
  const ws = wb.addWorksheet('调整明细');
  ws.addRow([
    '长期待遇',
    '调整后长期待遇',
    '职工',
    '受益人',
    '项目',
    '支付方',
    '等级/级别',
    '生效日期',
    '调整前(分)',
    '调整后(分)',
    '差额(分)',
    '依据',
  ]);
  let page = batch;
  for (;;) {
    for (const l of page.lines) {
      const row = ws.addRow([
        l.entitlementId,
        l.newEntitlementId,
        l.workerId,
        l.dependantId ?? '',
        ITEM_LABEL[l.kind],
        l.payer === 'fund' ? '基金' : '用人单位',
        l.ruleKey,
        l.effectiveOn,
        l.beforeFen,
        l.afterFen,
        l.afterFen - l.beforeFen,
        l.citation,
      ]);
      textCells(row, [1, 2, 3, 4, 7, 8]);
    }
    if (page.nextAfter === null) break;
    const next = await indexationView(db, {
      ...input,
      after: page.nextAfter,
      limit: INDEXATION_PAGE_MAX,
    });
    if (!next.ok) return refuse(next.code, next.message);
    page = next.value;
  }
  return ok({ fileName: `${batch.batchId}.xlsx`, bytes: await workbookBytes(wb) });
}

function addSummary(wb: ExcelJS.Workbook, batch: IndexationView): void {
  const ws = wb.addWorksheet('汇总');
  ws.addRow(['批次', batch.batchId]);
  ws.addRow(['年度', batch.year]);
  ws.addRow(['状态', batch.status === 'applied' ? '已执行' : '待审批']);
  ws.addRow(['明细数', batch.payload.lineCount]);
  ws.addRow(['明细摘要 (sha256)', batch.payload.linesSha256]);
  ws.addRow(['参数快照', batch.snapshotId]);
  ws.addRow([]);
  ws.addRow(['项目', '支付方', '人数', '调整前(分)', '调整后(分)']);
  for (const t of batch.payload.totals)
    ws.addRow([
      ITEM_LABEL[t.kind],
      t.payer === 'fund' ? '基金' : '用人单位',
      t.lines,
      t.beforeFen,
      t.afterFen,
    ]);
  ws.addRow([]);
  ws.addRow(['未调整: 不调整', batch.payload.skipped.not_adjusted]);
  ws.addRow(['未调整: 无等级或级别', batch.payload.skipped.no_key]);
  ws.addRow(['未调整: 金额不变', batch.payload.skipped.unchanged]);
  ws.addRow([]);
  ws.addRow(['项目', '生效日期', '参数状态', '依据']);
  for (const a of batch.payload.adjustments)
    ws.addRow([ITEM_LABEL[a.kind], a.effectiveOn, a.status, a.citation]);
}
