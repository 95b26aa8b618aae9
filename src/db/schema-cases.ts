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

/**
 * Drizzle mirror of the injury case's core tables (migration 0016_cases_core.sql, the source of
 * truth: the checks and the append-only trigger live there). `cases` and `appraisals` have one
 * mirror each, with every part's columns: schema-case-determination.ts (0016 + 0019 + 0023) and
 * schema-appraisal.ts (0016 + 0020 + 0023); the names below are those mirrors, not copies.
 */
export type CaseTypeText = 'accident' | 'occupational_disease';
export type DeterminationOutcomeText = 'recognised' | 'deemed' | 'not_recognised';
export type AppraisalKindText = 'initial' | 're_appraisal' | 'review';
export type NursingLevelText = 'full' | 'major' | 'partial';

export const caseEvents = pgTable(
  'case_events',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    caseId: text('case_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.caseId, t.seq] })],
);

export { appraisalRecords as appraisals } from './schema-appraisal.ts';
export { caseDetermination as cases } from './schema-case-determination.ts';
