import { and, asc, eq, gt, gte, isNull, like, lte, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { settlementCatalogueImports, settlementCatalogueItems } from '../../db/schema.ts';
import type { CatalogueProblem } from '../../domain/settlement/settlement-catalogue-rows.ts';
import type { CatalogueKind } from '../../domain/settlement/settlement-reference.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { safeCellText } from '../contributions/declaration-reads.ts';
import { newWorkbook, textCells, workbookBytes } from '../reports/report-writer.ts';
import {
  type CatalogueImportView,
  catalogueImportView,
  reportOf,
} from './settlement-catalogue-import.ts';
import { escapeLike } from './settlement-institutions.ts';

/** Reading the catalogue (province-wide reference data): items in force on a day, and imports. */
export type CatalogueItemView = {
  code: string;
  kind: CatalogueKind;
  name: string;
  drugClass: 'A' | 'B' | null;
  unit: string;
  priceCapFen: number | null;
  quantityLimit: number | null;
  validFrom: IsoDate;
  validTo: IsoDate | null;
};

export type CatalogueSearch = {
  /** A prefix of the code or of the name. */
  prefix?: string | undefined;
  kind?: CatalogueKind | undefined;
  /** The items in force on this day. */
  date: IsoDate;
  after?: string | undefined;
  limit: number;
};

/** One page of items in force on the day, by code (keyset paging on the code). */
export async function searchCatalogue(
  db: Database,
  q: CatalogueSearch,
): Promise<{ items: CatalogueItemView[]; next: string | null }> {
  const t = settlementCatalogueItems;
  const where: (SQL | undefined)[] = [
    lte(t.validFrom, q.date),
    or(isNull(t.validTo), gte(t.validTo, q.date)),
  ];
  if (q.prefix) {
    const p = `${escapeLike(q.prefix)}%`;
    where.push(or(like(t.code, p), like(t.name, p)));
  }
  if (q.kind) where.push(eq(t.kind, q.kind));
  if (q.after) where.push(gt(t.code, q.after));
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(asc(t.code))
      .limit(q.limit + 1),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(
      ({ code, kind, name, drugClass, unit, priceCapFen, quantityLimit, validFrom, validTo }) => ({
        code,
        kind,
        name,
        drugClass,
        unit,
        priceCapFen,
        quantityLimit,
        validFrom,
        validTo,
      }),
    ),
    next: rows.length > q.limit && last ? last.code : null,
  };
}

/** Every dated row of one code, oldest first (the history of its caps). */
export async function catalogueHistory(db: Database, code: string): Promise<CatalogueItemView[]> {
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(settlementCatalogueItems)
      .where(eq(settlementCatalogueItems.code, code))
      .orderBy(asc(settlementCatalogueItems.validFrom)),
  );
  return rows.map(({ importId: _i, createdBy: _c, createdAt: _a, ...item }) => item);
}

export type CatalogueImportReport = CatalogueImportView & { problems: CatalogueProblem[] };

export async function getCatalogueImport(
  db: Database,
  id: string,
): Promise<CatalogueImportReport | null> {
  const [row] = await db.withConnection((ex) =>
    ex.orm.select().from(settlementCatalogueImports).where(eq(settlementCatalogueImports.id, id)),
  );
  return row ? { ...catalogueImportView(row), problems: reportOf(row) } : null;
}

/**
 * The row report as .xlsx: 行 / 列 / 代码 / 说明 / message, one problem per row, every text cell
 * through the declarations' formula-injection-safe writer (safeCellText, cells typed as text).
 */
export async function catalogueReportXlsx(report: CatalogueImportReport): Promise<Buffer> {
  const wb = newWorkbook(new Date(report.importedAt));
  const ws = wb.addWorksheet('目录导入错误报告');
  ws.columns = [
    { header: '行 row', width: 8 },
    { header: '列 column', width: 16 },
    { header: '代码 code', width: 32 },
    { header: '说明', width: 60 },
    { header: 'message', width: 80 },
  ];
  for (const p of report.problems)
    textCells(
      ws.addRow([
        p.row,
        safeCellText(p.column ?? ''),
        safeCellText(p.code),
        safeCellText(p.zh),
        safeCellText(p.en),
      ]),
      [2, 3, 4, 5],
    );
  ws.addRow([]);
  ws.addRow([
    '',
    '',
    safeCellText(`共 ${report.problems.length} 个问题`),
    safeCellText(`文件 ${report.fileName}`),
    safeCellText(`file sha256 ${report.fileSha256}`),
  ]);
  return workbookBytes(wb);
}
