import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  type DeclarationProblemJson,
  declarationImports,
  declarationLines,
  declarations,
  workers,
} from '../../db/schema.ts';
import { COLUMN_LABELS } from '../../domain/contributions/declaration-problems.ts';
import { looksLikeFormula } from '../../domain/contributions/declaration-rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { withinRegion } from '../registry/employers.ts';
import { newWorkbook, workbookBytes } from '../reports/report-writer.ts';
import { type DeclarationSummary, declarationSummary } from './declaration-import.ts';

/**
 * Reading declarations: an employer's versions and uploads, one version with its lines (ID numbers
 * masked unless the viewer holds pii:reveal), and an upload's row report as JSON or as an xlsx
 * whose every text cell is safe from formula injection. Scoping is the caller's region (a city, or
 * the province code for all) and, for the employer role, its own employer.
 */
export type DeclarationScope = { regionCode: string; employerId?: string | undefined };

function scoped(
  regionColumn: Parameters<typeof withinRegion>[0],
  employerColumn: Parameters<typeof eq>[0],
  s: DeclarationScope,
): SQL[] {
  return [
    withinRegion(regionColumn, s.regionCode),
    ...(s.employerId === undefined ? [] : [eq(employerColumn, s.employerId)]),
  ];
}

export type ImportView = {
  regionCode: string;
  id: string;
  employerId: string;
  month: string;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  outcome: 'accepted' | 'refused';
  declarationId: string | null;
  rowCount: number;
  problemCount: number;
  importedBy: string;
  importedAt: string;
};

type ImportRow = typeof declarationImports.$inferSelect;
function importView(r: ImportRow): ImportView {
  const { problems: _problems, ...rest } = r;
  return { ...rest, month: r.month.slice(0, 7), importedAt: r.importedAt.toISOString() };
}

/** An employer's declaration versions (newest month first) and its latest uploads. */
export async function listDeclarations(
  db: Database,
  scope: DeclarationScope & { employerId: string },
  limit: number,
): Promise<{ declarations: DeclarationSummary[]; imports: ImportView[] }> {
  return db.withConnection(async (ex) => {
    const versions = await ex.orm
      .select()
      .from(declarations)
      .where(and(...scoped(declarations.regionCode, declarations.employerId, scope)))
      .orderBy(desc(declarations.month), desc(declarations.version))
      .limit(limit);
    const imports = await ex.orm
      .select()
      .from(declarationImports)
      .where(and(...scoped(declarationImports.regionCode, declarationImports.employerId, scope)))
      .orderBy(desc(declarationImports.importedAt), desc(declarationImports.id))
      .limit(limit);
    return { declarations: versions.map(declarationSummary), imports: imports.map(importView) };
  });
}

export type DeclarationLineView = {
  rowNumber: number;
  workerId: string;
  workerName: string;
  idNumberMasked: string;
  /** Only for holders of pii:reveal. */
  idNumber?: string;
  wageFen: number;
  baseFen: number;
};

/** One version and a page of its lines in file order, or null when outside the scope. */
export async function getDeclaration(
  db: Database,
  viewer: Pick<Actor, 'permissions'>,
  input: DeclarationScope & { declarationId: string; offset: number; limit: number },
): Promise<(DeclarationSummary & { lines: DeclarationLineView[] }) | null> {
  const reveal = viewer.permissions.includes('pii:reveal');
  return db.withConnection(async (ex) => {
    const [row] = await ex.orm
      .select()
      .from(declarations)
      .where(
        and(
          ...scoped(declarations.regionCode, declarations.employerId, input),
          eq(declarations.id, input.declarationId),
        ),
      );
    if (!row) return null;
    const lines = await ex.orm
      .select({ line: declarationLines, name: workers.name, idNumber: workers.idNumber })
      .from(declarationLines)
      .innerJoin(workers, eq(workers.id, declarationLines.workerId))
      .where(
        and(
          eq(declarationLines.regionCode, row.regionCode),
          eq(declarationLines.declarationId, row.id),
        ),
      )
      .orderBy(asc(declarationLines.rowNumber))
      .offset(input.offset)
      .limit(input.limit);
    return {
      ...declarationSummary(row),
      lines: lines.map(({ line, name, idNumber }) => ({
        rowNumber: line.rowNumber,
        workerId: line.workerId,
        workerName: name,
        idNumberMasked: maskIdNumber(idNumber),
        ...(reveal ? { idNumber } : {}),
        wageFen: line.wageFen,
        baseFen: line.baseFen,
      })),
    };
  });
}

export type ImportReport = ImportView & { problems: DeclarationProblemJson[] };

/** An upload with its row report (the first problems kept; `problemCount` counts them all). */
export async function getImportReport(
  db: Database,
  input: DeclarationScope & { importId: string },
): Promise<ImportReport | null> {
  const [row] = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(declarationImports)
      .where(
        and(
          ...scoped(declarationImports.regionCode, declarationImports.employerId, input),
          eq(declarationImports.id, input.importId),
        ),
      ),
  );
  return row ? { ...importView(row), problems: row.problems } : null;
}

/**
 * A text cell that no spreadsheet runs as a formula: a leading = + - @ tab or CR gets an
 * apostrophe (OWASP's advice; Excel shows the text as typed). Every export of this area writes its
 * text through here, and the cells are written as strings, never as formulas.
 */
export function safeCellText(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}

const labels: Readonly<Record<string, { zh: string }>> = COLUMN_LABELS;

/** The report as an .xlsx workbook: 行 / 列 / 代码 / 说明 / message, one problem per row. */
export async function reportXlsx(report: ImportReport): Promise<Buffer> {
  const wb = newWorkbook(new Date(report.importedAt));
  const ws = wb.addWorksheet('申报错误报告');
  ws.columns = [
    { header: '行 row', width: 8 },
    { header: '列 column', width: 16 },
    { header: '代码 code', width: 36 },
    { header: '说明', width: 60 },
    { header: 'message', width: 80 },
  ];
  for (const p of report.problems) {
    const column = p.column === null ? '' : (labels[p.column]?.zh ?? p.column);
    const row = ws.addRow([
      p.row ?? '',
      safeCellText(column),
      safeCellText(p.code),
      safeCellText(p.zh),
      safeCellText(p.en),
    ]);
    for (const c of [2, 3, 4, 5]) row.getCell(c).numFmt = '@';
  }
  ws.addRow([]);
  ws.addRow([
    '',
    '',
    safeCellText(`共 ${report.problemCount} 个问题 / ${report.problemCount} problem(s)`),
    safeCellText(`文件 ${report.fileName}`),
    safeCellText(`file ${report.fileName}, sha256 ${report.fileSha256}`),
  ]);
  return workbookBytes(wb);
}
