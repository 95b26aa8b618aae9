import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { settlementCatalogueItems, settlementCodeMaps } from '../../db/schema.ts';
import type { DeclarationCell } from '../../domain/contributions/declaration-rows.ts';
import {
  type CatalogueProblem,
  catalogueProblem,
} from '../../domain/settlement/settlement-catalogue-rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { addDays, type IsoDate, isIsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import {
  type DeclarationSource,
  fileFacts,
  sheetFormatOf,
  sheetRows,
  sourceFile,
} from '../contributions/declaration-source.ts';
import { findInstitution, institutionNotFound } from './settlement-institutions.ts';

/**
 * An institution's own codes (its HIS codes, 机构项目编码) mapped to catalogue codes, dated: a new
 * mapping of an own code from a day closes the one before on the day before. Set one at a time or
 * from a CSV / xlsx file (own_code, catalogue_code, valid_from) read by the declarations' readers,
 * whole file or nothing.
 */
export type CodeMapRefusal =
  | 'settlement.institution_not_found'
  | 'settlement.code_map_catalogue_unknown'
  | 'settlement.code_map_not_after_current'
  | 'settlement.code_map_file_refused';

export type CodeMapView = {
  institutionId: string;
  ownCode: string;
  catalogueCode: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
};

export type CodeMapEntry = { ownCode: string; catalogueCode: string; validFrom: IsoDate };

type MapRow = typeof settlementCodeMaps.$inferSelect;

function view(r: MapRow): CodeMapView {
  const { institutionId, ownCode, catalogueCode, validFrom, validTo } = r;
  return { institutionId, ownCode, catalogueCode, validFrom, validTo };
}

/** Problems of entries against the catalogue and the institution's current maps (none: writable). */
async function checkEntries(
  tx: Executor,
  institutionId: string,
  entries: readonly (CodeMapEntry & { row: number })[],
): Promise<CatalogueProblem[]> {
  const codes = [...new Set(entries.map((e) => e.catalogueCode))];
  const known =
    codes.length === 0
      ? []
      : await tx.orm
          .selectDistinct({ code: settlementCatalogueItems.code })
          .from(settlementCatalogueItems)
          .where(inArray(settlementCatalogueItems.code, codes));
  const knownCodes = new Set(known.map((k) => k.code));
  const current = await tx.orm
    .select()
    .from(settlementCodeMaps)
    .where(eq(settlementCodeMaps.institutionId, institutionId));
  const problems: CatalogueProblem[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (!knownCodes.has(e.catalogueCode))
      problems.push(
        catalogueProblem(
          e.row,
          'code',
          'catalogue_code_unknown',
          `目录中没有编码${e.catalogueCode}`,
          `catalogue code ${e.catalogueCode} is not in the catalogue`,
        ),
      );
    const later = current.some((c) => c.ownCode === e.ownCode && c.validFrom >= e.validFrom);
    if (later || seen.has(e.ownCode))
      problems.push(
        catalogueProblem(
          e.row,
          'valid_from',
          'map_not_after_current',
          `机构编码${e.ownCode}已有${e.validFrom}或更晚的对照`,
          `own code ${e.ownCode} already has a mapping from ${e.validFrom} or later (or twice in this file)`,
        ),
      );
    seen.add(e.ownCode);
  }
  return problems;
}

/** Writes checked entries: the open mapping of each own code is closed the day before. */
async function writeEntries(
  tx: Executor,
  actor: Actor,
  institutionId: string,
  entries: readonly CodeMapEntry[],
): Promise<MapRow[]> {
  const written: MapRow[] = [];
  for (const e of entries) {
    await tx.query(
      `UPDATE settlement_code_maps SET valid_to = $3
        WHERE institution_id = $1 AND own_code = $2 AND (valid_to IS NULL OR valid_to >= $4)`,
      [institutionId, e.ownCode, addDays(e.validFrom, -1), e.validFrom],
    );
    const [row] = await tx.orm
      .insert(settlementCodeMaps)
      .values({ institutionId, ...e, createdBy: actor.userId })
      .returning();
    if (row) written.push(row);
  }
  await appendAudit(
    tx,
    okEventOf(actor, 'settlement.code_map.set', `institution/${institutionId}`, {
      count: entries.length,
      first: entries[0]?.ownCode ?? null,
    }),
  );
  return written;
}

/** Maps one own code from a day. */
export async function setCodeMap(
  db: Database,
  actor: Actor,
  input: CodeMapEntry & { regionCode: string; institutionId: string },
): Promise<Result<CodeMapView, CodeMapRefusal>> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `settlement-code-maps:${input.institutionId}`,
    ]);
    const institution = await findInstitution(tx, input.regionCode, input.institutionId);
    if (!institution) return institutionNotFound(input.institutionId);
    const entry = {
      ownCode: input.ownCode,
      catalogueCode: input.catalogueCode,
      validFrom: input.validFrom,
    };
    const [problem] = await checkEntries(tx, institution.id, [{ ...entry, row: 0 }]);
    if (problem)
      return refuse(
        problem.code === 'catalogue_code_unknown'
          ? 'settlement.code_map_catalogue_unknown'
          : 'settlement.code_map_not_after_current',
        problem.en,
      );
    const [row] = await writeEntries(tx, actor, institution.id, [entry]);
    if (!row) throw new Error('code map insert returned nothing');
    return ok(view(row));
  });
}

const MAP_HEADERS: Readonly<Record<string, keyof CodeMapEntry>> = {
  own_code: 'ownCode',
  机构编码: 'ownCode',
  catalogue_code: 'catalogueCode',
  目录编码: 'catalogueCode',
  valid_from: 'validFrom',
  开始日期: 'validFrom',
};

function cellText(cell: DeclarationCell | undefined): string {
  if (cell?.kind === 'text') return cell.text.trim();
  return cell?.kind === 'number' ? String(cell.value) : '';
}

/** The file's entries, or its problems (a missing column, an empty cell, a bad date). */
async function readMapFile(
  path: string,
): Promise<{ entries: (CodeMapEntry & { row: number })[]; problems: CatalogueProblem[] }> {
  const format = sheetFormatOf(await fileFacts(path));
  if ('code' in format)
    return {
      entries: [],
      problems: [catalogueProblem(0, null, format.code, format.zh, format.en)],
    };
  const out: { entries: (CodeMapEntry & { row: number })[]; problems: CatalogueProblem[] } = {
    entries: [],
    problems: [],
  };
  let at: Map<keyof CodeMapEntry, number> | null = null;
  let row = 0;
  for await (const item of sheetRows(path, format)) {
    if (item.kind === 'problem') {
      out.problems.push(
        catalogueProblem(row, null, item.problem.code, item.problem.zh, item.problem.en),
      );
      break;
    }
    row += 1;
    if (at === null) {
      at = new Map();
      for (const [i, cell] of item.cells.entries()) {
        const key = MAP_HEADERS[cellText(cell)];
        if (key) at.set(key, i);
      }
      if (at.size < 3)
        out.problems.push(
          catalogueProblem(
            1,
            null,
            'column_missing',
            '表头应为 机构编码, 目录编码, 开始日期',
            'the header is own_code, catalogue_code, valid_from',
          ),
        );
      continue;
    }
    const get = (k: keyof CodeMapEntry) => cellText(item.cells[at?.get(k) ?? -1]);
    const entry = {
      row,
      ownCode: get('ownCode'),
      catalogueCode: get('catalogueCode'),
      validFrom: get('validFrom'),
    };
    if (entry.ownCode === '' && entry.catalogueCode === '' && entry.validFrom === '') continue;
    if (entry.ownCode === '' || entry.ownCode.length > 60)
      out.problems.push(
        catalogueProblem(
          row,
          'code',
          'own_code_invalid',
          '机构编码为空或超过60个字符',
          'own_code is empty or longer than 60 characters',
        ),
      );
    if (!isIsoDate(entry.validFrom))
      out.problems.push(
        catalogueProblem(
          row,
          'valid_from',
          'date_invalid',
          '日期格式应为 YYYY-MM-DD',
          'a date is written YYYY-MM-DD',
        ),
      );
    out.entries.push(entry);
  }
  return out;
}

/** Imports a file of mappings for one institution: all written, or none with every problem. */
export async function importCodeMaps(
  db: Database,
  actor: Actor,
  input: { regionCode: string; institutionId: string; source: DeclarationSource },
): Promise<Result<{ written: number }, CodeMapRefusal>> {
  const file = await sourceFile(input.source);
  try {
    const read = await readMapFile(file.path);
    return await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `settlement-code-maps:${input.institutionId}`,
      ]);
      const institution = await findInstitution(tx, input.regionCode, input.institutionId);
      if (!institution) return institutionNotFound(input.institutionId);
      const problems = [
        ...read.problems,
        ...(await checkEntries(tx, institution.id, read.entries)),
      ];
      if (problems.length > 0)
        return refuse(
          'settlement.code_map_file_refused',
          `the file was refused: ${problems.length} problem(s), nothing written`,
          { problems: problems.slice(0, 200), problemCount: problems.length },
        );
      const written = await writeEntries(
        tx,
        actor,
        institution.id,
        read.entries.map(({ row: _r, ...e }) => e),
      );
      return ok({ written: written.length });
    });
  } finally {
    await file.remove();
  }
}

/** The institution's mappings, by own code then date. */
export async function listCodeMaps(
  db: Database,
  regionCode: string,
  institutionId: string,
): Promise<Result<CodeMapView[], 'settlement.institution_not_found'>> {
  return db.withConnection(async (ex) => {
    const institution = await findInstitution(ex, regionCode, institutionId);
    if (!institution) return institutionNotFound(institutionId);
    const rows = await ex.orm
      .select()
      .from(settlementCodeMaps)
      .where(and(eq(settlementCodeMaps.institutionId, institutionId)))
      .orderBy(asc(settlementCodeMaps.ownCode), asc(settlementCodeMaps.validFrom));
    return ok(rows.map(view));
  });
}
