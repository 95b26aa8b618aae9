import { randomBytes } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { settlementCatalogueImports, settlementCatalogueItems } from '../../db/schema.ts';
import {
  CATALOGUE_ROWS_MAX,
  type CatalogueProblem,
  type CatalogueRowInput,
  catalogueHeader,
  catalogueProblem,
  catalogueRow,
  duplicateProblems,
} from '../../domain/settlement/settlement-catalogue-rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { addDays } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import {
  type DeclarationSource,
  fileFacts,
  sheetFormatOf,
  sheetRows,
  sourceFile,
} from '../contributions/declaration-source.ts';

/**
 * Imports a catalogue file (xlsx, or CSV in UTF-8 or GBK) through the declarations' readers. The
 * file is taken whole or refused whole: a refused file is still recorded, with its row report, so
 * the report can be downloaded. The same bytes again (by sha256) answer the first import and
 * change nothing. A row for a code already in the catalogue from an earlier date is a dated change
 * (a new price cap): the row in force before it is closed the day before, in the same transaction.
 */
export type CatalogueImportRefusal = 'settlement.catalogue_file_refused';

export type CatalogueImportView = {
  id: string;
  fileName: string;
  fileSha256: string;
  rows: number;
  accepted: number;
  rejected: number;
  status: 'imported' | 'refused';
  importedAt: string;
  /** True when these bytes were imported before: this is that import, nothing changed. */
  repeated: boolean;
};

type ImportRow = typeof settlementCatalogueImports.$inferSelect;
type ItemRow = typeof settlementCatalogueItems.$inferSelect;

export function catalogueImportView(row: ImportRow, repeated = false): CatalogueImportView {
  return {
    id: row.id,
    fileName: row.fileName,
    fileSha256: row.fileSha256,
    rows: row.rows,
    accepted: row.accepted,
    rejected: row.rejected,
    status: row.rejected === 0 && row.accepted === row.rows ? 'imported' : 'refused',
    importedAt: row.createdAt.toISOString(),
    repeated,
  };
}

const LOCK = 'settlement-catalogue';
/** Problems shown in the refusal itself; the full list is in the downloadable report. */
const PROBLEMS_IN_ANSWER = 50;

type Parsed = { rows: number; items: CatalogueRowInput[]; problems: CatalogueProblem[] };

/** Every row of the file checked; the problems of the whole file together. */
async function parseFile(path: string): Promise<Parsed & { sha256: string }> {
  const facts = await fileFacts(path);
  const format = sheetFormatOf(facts);
  const out: Parsed = { rows: 0, items: [], problems: [] };
  if ('code' in format) {
    out.problems.push(catalogueProblem(0, null, format.code, format.zh, format.en));
    return { ...out, sha256: facts.sha256 };
  }
  let header: ReturnType<typeof catalogueHeader> | null = null;
  let row = 0;
  for await (const item of sheetRows(path, format)) {
    if (item.kind === 'problem') {
      out.problems.push(
        catalogueProblem(row, null, item.problem.code, item.problem.zh, item.problem.en),
      );
      break;
    }
    row += 1;
    if (header === null) {
      header = catalogueHeader(item.cells);
      if (!header.ok) out.problems.push(...header.problems);
      continue;
    }
    if (!header.ok || item.cells.every((c) => c.kind === 'empty')) continue;
    out.rows += 1;
    if (out.rows > CATALOGUE_ROWS_MAX) {
      out.problems.push(
        catalogueProblem(
          row,
          null,
          'too_many_rows',
          `超过${CATALOGUE_ROWS_MAX}行，请拆分文件`,
          `more than ${CATALOGUE_ROWS_MAX} rows: split the file`,
        ),
      );
      break;
    }
    const parsed = catalogueRow(row, item.cells, header.at, out.problems);
    if (parsed) out.items.push(parsed);
  }
  if (header === null)
    out.problems.push(catalogueProblem(0, null, 'file_empty', '文件为空', 'the file is empty'));
  out.problems.push(...duplicateProblems(out.items));
  return { ...out, sha256: facts.sha256 };
}

export type CatalogueImportInput = { source: DeclarationSource; fileName: string };

export async function importCatalogue(
  db: Database,
  actor: Actor,
  input: CatalogueImportInput,
): Promise<Result<CatalogueImportView, CatalogueImportRefusal>> {
  const file = await sourceFile(input.source);
  try {
    const parsed = await parseFile(file.path);
    const outcome = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      const [seen] = await tx.orm
        .select()
        .from(settlementCatalogueImports)
        .where(eq(settlementCatalogueImports.fileSha256, parsed.sha256));
      if (seen) return { row: seen, repeated: true };
      const id = `cim_${randomBytes(8).toString('hex')}`;
      const problems =
        parsed.problems.length > 0
          ? parsed.problems
          : await applyItems(tx, actor, id, parsed.items);
      // A refused file: its items are not written (applyItems wrote nothing when it found problems).
      const row = await recordImport(tx, actor, {
        id,
        fileName: input.fileName,
        sha256: parsed.sha256,
        rows: parsed.rows,
        problems,
      });
      return { row, repeated: false };
    });
    const view = catalogueImportView(outcome.row, outcome.repeated);
    if (view.status === 'imported') return ok(view);
    const report = reportOf(outcome.row);
    return refuse(
      'settlement.catalogue_file_refused',
      `the file was refused: ${report.length} problem(s); download the row report of import ${view.id}`,
      {
        importId: view.id,
        problemCount: report.length,
        problems: report.slice(0, PROBLEMS_IN_ANSWER),
      },
    );
  } finally {
    await file.remove();
  }
}

async function recordImport(
  tx: Executor,
  actor: Actor,
  i: { id: string; fileName: string; sha256: string; rows: number; problems: CatalogueProblem[] },
): Promise<ImportRow> {
  const badRows = new Set(i.problems.map((p) => p.row)).size;
  const accepted = i.problems.length === 0 ? i.rows : 0;
  const [row] = await tx.orm
    .insert(settlementCatalogueImports)
    .values({
      id: i.id,
      fileSha256: i.sha256,
      fileName: i.fileName,
      rows: i.rows,
      accepted,
      rejected: i.problems.length === 0 ? 0 : Math.max(badRows, 1),
      report: { problems: i.problems },
      createdBy: actor.userId,
    })
    .returning();
  if (!row) throw new Error('catalogue import insert returned nothing');
  await appendAudit(
    tx,
    okEventOf(actor, 'settlement.catalogue.import', `catalogue-import/${i.id}`, {
      fileName: i.fileName,
      sha256: i.sha256,
      rows: i.rows,
      accepted,
      problems: i.problems.length,
    }),
  );
  return row;
}

/** The stored report's problems (written by recordImport; anything else reads as none). */
export function reportOf(row: ImportRow): CatalogueProblem[] {
  const report = row.report;
  if (typeof report !== 'object' || report === null || !('problems' in report)) return [];
  const problems = report.problems;
  return Array.isArray(problems) ? problems.filter(isProblem) : [];
}

function isProblem(p: unknown): p is CatalogueProblem {
  return typeof p === 'object' && p !== null && 'row' in p && 'code' in p && 'zh' in p && 'en' in p;
}

function sameItem(a: ItemRow, b: CatalogueRowInput): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.drugClass === b.drugClass &&
    a.unit === b.unit &&
    a.priceCapFen === b.priceCapFen &&
    a.quantityLimit === b.quantityLimit &&
    a.validTo === b.validTo
  );
}

type Plan = {
  inserts: CatalogueRowInput[];
  closes: { code: string; validFrom: string; validTo: string }[];
  problems: CatalogueProblem[];
};

/** The rows of one code against the catalogue: inserts, closings of the row before, problems. */
function planCode(existing: ItemRow[], items: CatalogueRowInput[], plan: Plan): void {
  // The rows of the code in date order; a row of this file carries its insert, so closing it
  // changes the insert instead of an UPDATE of a row not yet written.
  const dated: { validFrom: string; validTo: string | null; insert?: CatalogueRowInput }[] =
    existing.map((e) => ({ validFrom: e.validFrom, validTo: e.validTo }));
  for (const item of [...items].sort((a, b) => a.validFrom.localeCompare(b.validFrom))) {
    const same = existing.find((e) => e.validFrom === item.validFrom);
    if (same && sameItem(same, item)) continue;
    if (same || dated.some((d) => d.validFrom >= item.validFrom)) {
      plan.problems.push(
        catalogueProblem(
          item.row,
          'valid_from',
          'change_not_after_current',
          `编码${item.code}已有${item.validFrom}或更晚开始的记录：变更须从更晚的日期开始`,
          `code ${item.code} already has a row from ${item.validFrom} or later: a change starts after the latest row`,
        ),
      );
      continue;
    }
    const before = dated.at(-1);
    if (before && (before.validTo === null || before.validTo >= item.validFrom)) {
      before.validTo = addDays(item.validFrom, -1);
      if (before.insert) before.insert.validTo = before.validTo;
      else
        plan.closes.push({ code: item.code, validFrom: before.validFrom, validTo: before.validTo });
    }
    const insert = { ...item };
    dated.push({ validFrom: item.validFrom, validTo: item.validTo, insert });
    plan.inserts.push(insert);
  }
}

/** Writes the file's items (a dated change closes the row before); the problems if any, unwritten. */
async function applyItems(
  tx: Executor,
  actor: Actor,
  importId: string,
  items: CatalogueRowInput[],
): Promise<CatalogueProblem[]> {
  const codes = [...new Set(items.map((i) => i.code))];
  const existing: ItemRow[] = [];
  for (let i = 0; i < codes.length; i += 1000)
    existing.push(
      ...(await tx.orm
        .select()
        .from(settlementCatalogueItems)
        .where(inArray(settlementCatalogueItems.code, codes.slice(i, i + 1000)))),
    );
  const plan: Plan = { inserts: [], closes: [], problems: [] };
  for (const code of codes)
    planCode(
      existing
        .filter((e) => e.code === code)
        .sort((a, b) => a.validFrom.localeCompare(b.validFrom)),
      items.filter((i) => i.code === code),
      plan,
    );
  if (plan.problems.length > 0) return plan.problems;
  for (const c of plan.closes)
    await tx.query(
      'UPDATE settlement_catalogue_items SET valid_to = $3 WHERE code = $1 AND valid_from = $2',
      [c.code, c.validFrom, c.validTo],
    );
  for (let i = 0; i < plan.inserts.length; i += 1000)
    await tx.orm
      .insert(settlementCatalogueItems)
      .values(
        plan.inserts
          .slice(i, i + 1000)
          .map(({ row: _row, ...item }) => ({ ...item, importId, createdBy: actor.userId })),
      );
  return [];
}
