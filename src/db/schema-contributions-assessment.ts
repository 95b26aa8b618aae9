import {
  char,
  date,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of migration 0012_assessment_collections.sql (the SQL is the source of truth: its
 * checks and keys live there). The use cases write these tables with hand SQL (set-based INSERT …
 * SELECT, unnest arrays, ADR 0010); the mirror keeps the schema test honest and serves typed reads.
 */
export type CollectionStatusText = 'matched' | 'unmatched' | 'rejected';
export type UnmatchedReasonText =
  | 'unknown_credit_code'
  | 'other_city'
  | 'no_assessment'
  | 'unknown_project'
  | 'project_other_employer';

export const contributionAssessmentRuns = pgTable(
  'contribution_assessment_runs',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    seq: integer('seq').notNull(),
    employerCount: integer('employer_count').notNull(),
    amountTotalFen: int8('amount_total_fen').notNull(),
    differenceFen: int8('difference_fen').notNull(),
    amountsSha256: char('amounts_sha256', { length: 64 }).notNull(),
    approvalId: text('approval_id').notNull(),
    transactionId: text('transaction_id'),
    runBy: text('run_by').notNull(),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const contributionAssessments = pgTable(
  'contribution_assessments',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    employerId: text('employer_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    version: integer('version').notNull(),
    runId: text('run_id').notNull(),
    declarationId: text('declaration_id').notNull(),
    declarationVersion: integer('declaration_version').notNull(),
    workerCount: integer('worker_count').notNull(),
    baseTotalFen: int8('base_total_fen').notNull(),
    riskClass: smallint('risk_class').notNull(),
    floatingGrade: text('floating_grade').notNull(),
    baseRate: text('base_rate').notNull(),
    multiplier: text('multiplier').notNull(),
    rate: text('rate').notNull(),
    amountFen: int8('amount_fen').notNull(),
    previousAmountFen: int8('previous_amount_fen').notNull(),
    citations: text('citations').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.employerId, t.month, t.version] })],
);

export const collectionImports = pgTable(
  'collection_imports',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    fileSha256: char('file_sha256', { length: 64 }).notNull(),
    fileName: text('file_name').notNull(),
    recordCount: integer('record_count').notNull(),
    duplicateCount: integer('duplicate_count').notNull(),
    importedBy: text('imported_by').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const collectionPostings = pgTable(
  'collection_postings',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    transactionId: text('transaction_id').notNull(),
    importId: text('import_id').notNull(),
    seq: integer('seq').notNull(),
    recordCount: integer('record_count').notNull(),
    totalFen: int8('total_fen').notNull(),
    appliedFen: int8('applied_fen').notNull(),
    overpaidFen: int8('overpaid_fen').notNull(),
    approvalId: text('approval_id').notNull(),
    postedBy: text('posted_by').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.transactionId] })],
);

export const collectionRecords = pgTable(
  'collection_records',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    voucher: text('voucher').notNull(),
    importId: text('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    creditCode: char('credit_code', { length: 18 }).notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    amountFen: int8('amount_fen').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    status: text('status').$type<CollectionStatusText>().notNull(),
    unmatchedReason: text('unmatched_reason').$type<UnmatchedReasonText>(),
    employerId: text('employer_id'),
    matchMonth: date('match_month', { mode: 'string' }),
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    postingId: text('posting_id'),
    appliedFen: int8('applied_fen'),
    overpaidFen: int8('overpaid_fen'),
    /** The file's 项目编号 (migration 0026) and the project the record was matched to. */
    projectRef: text('project_ref'),
    projectId: text('project_id'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.voucher] })],
);
