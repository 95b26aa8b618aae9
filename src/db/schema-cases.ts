import {
  char,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Drizzle mirror of the injury case's core tables (migration 0016_cases_core.sql, the source of
 * truth: the checks and the append-only trigger live there).
 */
export type CaseTypeText = 'accident' | 'occupational_disease';
export type DeterminationOutcomeText = 'recognised' | 'deemed' | 'not_recognised';
export type AppraisalKindText = 'initial' | 're_appraisal' | 'review';
export type NursingLevelText = 'full' | 'major' | 'partial';

export const cases = pgTable(
  'cases',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    workerId: text('worker_id').notNull(),
    employerRegionCode: char('employer_region_code', { length: 6 }).notNull(),
    employerId: text('employer_id').notNull(),
    caseType: text('case_type').$type<CaseTypeText>().notNull(),
    accidentDate: date('accident_date', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    determinationOutcome: text('determination_outcome').$type<DeterminationOutcomeText>(),
    determinationDecidedOn: date('determination_decided_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

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

export const appraisals = pgTable(
  'appraisals',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    kind: text('kind').$type<AppraisalKindText>().notNull(),
    committeeLevel: text('committee_level').$type<'city' | 'province'>().notNull(),
    status: text('status').notNull(),
    previousAppraisalId: text('previous_appraisal_id'),
    appliedOn: date('applied_on', { mode: 'string' }).notNull(),
    concludedOn: date('concluded_on', { mode: 'string' }),
    conclusion: text('conclusion').$type<'graded' | 'not_graded'>(),
    disabilityGrade: smallint('disability_grade'),
    nursingLevel: text('nursing_level').$type<NursingLevelText>(),
    stopWorkExtensionMonths: smallint('stop_work_extension_months'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
