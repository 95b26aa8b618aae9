import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { declarationImports, declarations } from '../../db/schema.ts';
import {
  DECLARATION_FILE_BYTES_MAX,
  DECLARATION_PROBLEMS_KEPT,
  type DeclarationProblem,
  fileProblem,
} from '../../domain/contributions/declaration-problems.ts';
import { declarationReader } from '../../domain/contributions/declaration-reader.ts';
import type { Actor } from '../../identity/actor.ts';
import { daysInMonth, type IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { makeContext } from '../../rules/context.ts';
import {
  type BaseBounds,
  clampBase,
  contributionBaseBounds,
} from '../../rules/contributions/base-clamp.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { findEmployer } from '../registry/employer-page.ts';
import type { EmployerRow } from '../registry/employers.ts';
import {
  type DeclarationSource,
  type FileFacts,
  fileFacts,
  type SheetFormat,
  sheetFormatOf,
  sheetRows,
  sourceFile,
} from './declaration-source.ts';
import {
  createStaging,
  currentVersion,
  diffAgainst,
  insertLines,
  registerProblems,
  type Scope,
  STAGING_CHUNK_ROWS,
  type StagedLine,
  stageChunk,
} from './declaration-staging.ts';

/**
 * 缴费工资申报: an employer's payroll for a month, per worker, from a CSV or xlsx file. Every row is
 * checked and every problem reported; a file with any problem is refused whole, and only the upload
 * and its report are kept. An accepted file becomes the next version of (employer, month), its lines
 * with each worker's contribution base clamped under the dated rule, all in one transaction with
 * its audit event: a process killed mid-import leaves nothing, and a rerun does it all again. The
 * same bytes as the current version answer `exists` and write nothing
 * (docs/adr/0009-payroll-declarations.md; 《社会保险费征缴暂行条例》第十条: 缴费单位必须按月向社会保险经办机构申报).
 */
export type DeclarationRefusal =
  | 'record.not_found'
  | 'declaration.refused'
  | 'rules.parameter_missing';

export type DeclarationImportInput = {
  /** The employer's city, or the province code (a provincial user). */
  regionCode: string;
  employerId: string;
  /** YYYY-MM */
  month: string;
  fileName: string;
  source: DeclarationSource;
  today: IsoDate;
};

export type DeclarationSummary = {
  regionCode: string;
  id: string;
  employerId: string;
  month: string;
  version: number;
  previousId: string | null;
  fileSha256: string;
  fileName: string;
  workerCount: number;
  wageTotalFen: number;
  baseTotalFen: number;
  diff: typeof declarations.$inferSelect.diff;
  declaredBy: string;
  declaredAt: string;
};

export type ImportOutcome =
  | { status: 'accepted'; importId: string; declaration: DeclarationSummary }
  | { status: 'exists'; declaration: DeclarationSummary };

export function declarationSummary(row: typeof declarations.$inferSelect): DeclarationSummary {
  return { ...row, month: row.month.slice(0, 7), declaredAt: row.declaredAt.toISOString() };
}

function monthScope(regionCode: string, employerId: string, month: string): Scope {
  const [y, m] = month.split('-').map(Number);
  const last = daysInMonth(y ?? 0, m ?? 0);
  return { regionCode, employerId, monthStart: `${month}-01`, monthEnd: `${month}-${last}` };
}

/** The month must have begun, and not before the employer was registered. */
function monthProblems(month: string, employer: EmployerRow, today: IsoDate): DeclarationProblem[] {
  if (month > today.slice(0, 7))
    return [
      fileProblem(
        'declaration.month_in_future',
        `申报月份 ${month} 尚未开始`,
        `the declared month ${month} has not begun`,
      ),
    ];
  if (month < employer.registeredOn.slice(0, 7))
    return [
      fileProblem(
        'declaration.month_before_registration',
        `申报月份 ${month} 早于本单位参保登记日期 ${employer.registeredOn}`,
        `the declared month ${month} is before the employer's registration on ${employer.registeredOn}`,
      ),
    ];
  return [];
}

/** File problems known before a row is read: its size and its format. */
function fileProblems(facts: FileFacts): {
  format: SheetFormat | null;
  problems: DeclarationProblem[];
} {
  if (facts.bytes > DECLARATION_FILE_BYTES_MAX)
    return {
      format: null,
      problems: [
        fileProblem(
          'declaration.file_too_large',
          `文件超过 ${DECLARATION_FILE_BYTES_MAX / 1024 / 1024} MB`,
          `the file is larger than ${DECLARATION_FILE_BYTES_MAX / 1024 / 1024} MB`,
        ),
      ],
    };
  if (facts.bytes === 0)
    return {
      format: null,
      problems: [fileProblem('declaration.file_empty', '文件为空', 'the file is empty')],
    };
  const format = sheetFormatOf(facts);
  return 'kind' in format ? { format, problems: [] } : { format: null, problems: [format] };
}

type Read = {
  problems: DeclarationProblem[];
  problemCount: number;
  rowCount: number;
  totals: Totals;
  /** A problem of the whole file ended the reading: the register checks are not run. */
  stopped: boolean;
};
type Totals = { workerCount: number; wageTotalFen: number; baseTotalFen: number };

/**
 * Streams the file's rows into the staging table, checking each; keeps the first problems. Rows
 * that passed their own checks are staged even after another row failed, so the register checks
 * report on them too and one upload shows every problem of the file.
 */
async function stageFile(
  tx: Executor,
  file: { path: string; format: SheetFormat },
  bounds: BaseBounds,
  today: IsoDate,
): Promise<Read> {
  const reader = declarationReader(today);
  const problems: DeclarationProblem[] = [];
  let problemCount = 0;
  const keep = (found: readonly DeclarationProblem[]) => {
    problemCount += found.length;
    for (const p of found) if (problems.length < DECLARATION_PROBLEMS_KEPT) problems.push(p);
  };
  const totals: Totals = { workerCount: 0, wageTotalFen: 0, baseTotalFen: 0 };
  let chunk: StagedLine[] = [];
  let stopped = false;
  for await (const item of sheetRows(file.path, file.format)) {
    const out =
      item.kind === 'problem'
        ? { line: null, problems: [item.problem], stop: true }
        : reader.push(item.cells);
    keep(out.problems);
    stopped = out.stop;
    if (stopped) break;
    if (out.line === null) continue;
    const baseFen = clampBase(out.line.wageFen, bounds);
    chunk.push({ ...out.line, baseFen });
    totals.workerCount += 1;
    totals.wageTotalFen += out.line.wageFen;
    totals.baseTotalFen += baseFen;
    if (chunk.length >= STAGING_CHUNK_ROWS) {
      await stageChunk(tx, chunk);
      chunk = [];
    }
  }
  if (!stopped) {
    const fileLevel = reader.finish();
    keep(fileLevel);
    stopped = fileLevel.length > 0;
  }
  if (!stopped) await stageChunk(tx, chunk);
  return { problems, problemCount, rowCount: reader.rows(), totals, stopped };
}

const newId = (prefix: string, regionCode: string) =>
  `${prefix}_${regionCode}_${randomBytes(8).toString('hex')}`;

type Attempt = {
  employer: EmployerRow;
  input: DeclarationImportInput;
  facts: FileFacts;
  rowCount: number;
};

const COLUMN_ORDER = ['id_number', 'name', 'wage'];

/** File problems first, then by row and column (the order of the file). */
function sortedProblems(problems: readonly DeclarationProblem[]): DeclarationProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.row ?? 0) - (b.row ?? 0) ||
      COLUMN_ORDER.indexOf(a.column ?? '') - COLUMN_ORDER.indexOf(b.column ?? ''),
  );
}

/** Keeps a refused upload and its report (the only trace a refused file leaves), audited. */
async function recordRefused(
  tx: Executor,
  actor: Actor,
  attempt: Attempt,
  found: { problems: DeclarationProblem[]; problemCount: number },
): Promise<Result<never, DeclarationRefusal>> {
  const { employer, input, facts } = attempt;
  const id = newId('dci', employer.regionCode);
  const problems = sortedProblems(found.problems);
  await tx.orm.insert(declarationImports).values({
    regionCode: employer.regionCode,
    id,
    employerId: employer.id,
    month: `${input.month}-01`,
    fileSha256: facts.sha256,
    fileName: input.fileName,
    fileBytes: facts.bytes,
    outcome: 'refused',
    rowCount: attempt.rowCount,
    problemCount: found.problemCount,
    problems,
    importedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'contributions.declaration.refused',
      `declaration-import/${employer.regionCode}/${id}`,
      {
        employer: employer.id,
        month: input.month,
        problems: found.problemCount,
      },
    ),
  );
  return refuse(
    'declaration.refused',
    `the file is refused whole: ${found.problemCount} problem(s); nothing was declared. Download the report (import ${id}), fix the rows and upload again`,
    { importId: id, problemCount: found.problemCount, problems: problems.slice(0, 100) },
  );
}

/** Writes the next version from the staged lines, with its diff, its upload record and audit. */
async function storeVersion(
  tx: Executor,
  actor: Actor,
  attempt: Attempt & { scope: Scope; totals: Totals },
  previous: { id: string; version: number } | null,
): Promise<ImportOutcome> {
  const { employer, input, facts, scope } = attempt;
  const id = newId('dcl', employer.regionCode);
  const diff = await diffAgainst(tx, employer.regionCode, previous?.id ?? null);
  const [row] = await tx.orm
    .insert(declarations)
    .values({
      regionCode: employer.regionCode,
      id,
      employerId: employer.id,
      month: scope.monthStart,
      version: (previous?.version ?? 0) + 1,
      previousId: previous?.id ?? null,
      fileSha256: facts.sha256,
      fileName: input.fileName,
      ...attempt.totals,
      diff,
      declaredBy: actor.userId,
    })
    .returning();
  if (!row) throw new Error('declaration insert returned nothing');
  const lines = await insertLines(tx, employer.regionCode, id);
  if (lines !== attempt.totals.workerCount)
    throw new Error(`staged ${attempt.totals.workerCount} lines, inserted ${lines}`);
  const importId = newId('dci', employer.regionCode);
  await tx.orm.insert(declarationImports).values({
    regionCode: employer.regionCode,
    id: importId,
    employerId: employer.id,
    month: scope.monthStart,
    fileSha256: facts.sha256,
    fileName: input.fileName,
    fileBytes: facts.bytes,
    outcome: 'accepted',
    declarationId: id,
    rowCount: attempt.rowCount,
    problemCount: 0,
    problems: [],
    importedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'contributions.declaration.import',
      `declaration/${employer.regionCode}/${id}`,
      {
        employer: employer.id,
        month: input.month,
        version: row.version,
        workers: row.workerCount,
        sha256: facts.sha256,
        added: diff.added,
        removed: diff.removed,
        changed: diff.changed,
      },
    ),
  );
  return { status: 'accepted', importId, declaration: declarationSummary(row) };
}

async function currentSummary(
  tx: Executor,
  regionCode: string,
  id: string,
): Promise<DeclarationSummary> {
  const [row] = await tx.orm
    .select()
    .from(declarations)
    .where(and(eq(declarations.regionCode, regionCode), eq(declarations.id, id)));
  if (!row) throw new Error(`declaration ${id} vanished`);
  return declarationSummary(row);
}

/** The transaction: lock (employer, month), compare, read and check every row, store or refuse. */
async function importInTransaction(
  tx: Executor,
  actor: Actor,
  attempt: Attempt & { format: SheetFormat; path: string; bounds: BaseBounds },
): Promise<Result<ImportOutcome, DeclarationRefusal>> {
  const { employer, input, facts } = attempt;
  const scope = monthScope(employer.regionCode, employer.id, input.month);
  // Two uploads for one (employer, month) at once: one after the other, so the versions stay 1, 2…
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `declaration:${employer.id}:${input.month}`,
  ]);
  const current = await currentVersion(tx, scope);
  if (current?.sha256 === facts.sha256)
    return ok({
      status: 'exists',
      declaration: await currentSummary(tx, employer.regionCode, current.id),
    });
  await createStaging(tx);
  const read = await stageFile(tx, attempt, attempt.bounds, input.today);
  const withRows = { ...attempt, rowCount: read.rowCount };
  if (read.stopped) return recordRefused(tx, actor, withRows, read);
  const register = await registerProblems(tx, scope);
  const problemCount = read.problemCount + register.count;
  if (problemCount > 0)
    return recordRefused(tx, actor, withRows, {
      problems: sortedProblems([...read.problems, ...register.problems]).slice(
        0,
        DECLARATION_PROBLEMS_KEPT,
      ),
      problemCount,
    });
  return ok(await storeVersion(tx, actor, { ...withRows, scope, totals: read.totals }, current));
}

/**
 * Imports one declaration file for (employer, month). Refusals: `record.not_found` (no such employer
 * in the caller's region), `rules.parameter_missing` (no base bounds for the month), and
 * `declaration.refused` (the file, with `details.importId` naming its kept report).
 */
export async function importDeclaration(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: DeclarationImportInput,
): Promise<Result<ImportOutcome, DeclarationRefusal>> {
  const employer = await findEmployer(db, input.regionCode, input.employerId);
  if (!employer) return refuse('record.not_found', `employer ${input.employerId} not found`);
  const bounds = contributionBaseBounds(
    makeContext(rules, employer.regionCode, {}, false),
    `${input.month}-01`,
  );
  const file = await sourceFile(input.source);
  try {
    const facts = await fileFacts(file.path);
    const attempt = { employer, input, facts, rowCount: 0 };
    const early = fileProblems(facts);
    const problems = [...monthProblems(input.month, employer, input.today), ...early.problems];
    if (problems.length > 0 || early.format === null)
      return await db.transaction((tx) =>
        recordRefused(tx, actor, attempt, { problems, problemCount: problems.length }),
      );
    if (!bounds.ok) return bounds;
    const format = early.format;
    return await db.transaction((tx) =>
      importInTransaction(tx, actor, { ...attempt, format, path: file.path, bounds: bounds.value }),
    );
  } finally {
    await file.remove();
  }
}
