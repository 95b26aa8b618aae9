import {
  char,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the payroll declarations of migration 0011_declarations.sql (the SQL is the
 * source of truth: its checks and the revoked UPDATE/DELETE live there). Amounts are bigint fen
 * read as numbers (a sum beyond 2^53 fen is 90 trillion 元: an invariant, not a value).
 */
export type DeclarationImportOutcome = 'accepted' | 'refused';

/** The difference of a version from the one it replaces (counts, and the worker ids up to a bound). */
export type DeclarationDiffJson = {
  added: number;
  removed: number;
  changed: number;
  addedWorkerIds: string[];
  removedWorkerIds: string[];
  changedWorkerIds: string[];
  /** True when a list above stops at its bound (the counts are always whole). */
  idsTruncated: boolean;
};

/** One problem of a refused upload, as stored (the report's row). */
export type DeclarationProblemJson = {
  row: number | null;
  column: string | null;
  code: string;
  zh: string;
  en: string;
};

export const declarations = pgTable(
  'declarations',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    employerId: text('employer_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    version: integer('version').notNull(),
    previousId: text('previous_id'),
    fileSha256: char('file_sha256', { length: 64 }).notNull(),
    fileName: text('file_name').notNull(),
    workerCount: integer('worker_count').notNull(),
    wageTotalFen: int8('wage_total_fen').notNull(),
    baseTotalFen: int8('base_total_fen').notNull(),
    diff: jsonb('diff').$type<DeclarationDiffJson>().notNull(),
    declaredBy: text('declared_by').notNull(),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const declarationLines = pgTable(
  'declaration_lines',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    declarationId: text('declaration_id').notNull(),
    workerId: text('worker_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    wageFen: int8('wage_fen').notNull(),
    baseFen: int8('base_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.declarationId, t.workerId] })],
);

export const declarationImports = pgTable(
  'declaration_imports',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    employerId: text('employer_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    fileSha256: char('file_sha256', { length: 64 }).notNull(),
    fileName: text('file_name').notNull(),
    fileBytes: int8('file_bytes').notNull(),
    outcome: text('outcome').$type<DeclarationImportOutcome>().notNull(),
    declarationId: text('declaration_id'),
    rowCount: integer('row_count').notNull(),
    problemCount: integer('problem_count').notNull(),
    problems: jsonb('problems').$type<DeclarationProblemJson[]>().notNull(),
    importedBy: text('imported_by').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
