import {
  char,
  date,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';
import type { IndustryStandardText } from './schema-registry.ts';

/**
 * Drizzle mirror of 按项目参保 (migration 0013_construction_projects.sql, the source of truth: the
 * checks and the append-only trigger live there).
 */
export const constructionProjects = pgTable(
  'construction_projects',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    employerId: text('employer_id').notNull(),
    name: text('name').notNull(),
    siteAddress: text('site_address').notNull(),
    contractValueFen: int8('contract_value_fen').notNull(),
    industryStandard: text('industry_standard').$type<IndustryStandardText>().notNull(),
    industryDivision: char('industry_division', { length: 2 }).notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    riskClass: smallint('risk_class').notNull(),
    labourShare: text('labour_share').notNull(),
    baseRate: text('base_rate').notNull(),
    contributionFen: int8('contribution_fen').notNull(),
    formula: text('formula').notNull(),
    citations: jsonb('citations').$type<string[]>().notNull(),
    registeredBy: text('registered_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const projectWorkers = pgTable(
  'project_workers',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    projectId: text('project_id').notNull(),
    workerId: text('worker_id').notNull(),
    workerName: text('worker_name').notNull(),
    addedOn: date('added_on', { mode: 'string' }).notNull(),
    addedBy: text('added_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.projectId, t.workerId] })],
);

/** The receivable a project's registration posted (migration 0026_project_receivables.sql). */
export const projectReceivables = pgTable(
  'project_receivables',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    projectId: text('project_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    amountFen: int8('amount_fen').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    postedBy: text('posted_by').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.projectId] })],
);
