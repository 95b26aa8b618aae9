import {
  bigint,
  boolean,
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
import type { DueBasis } from '../rules/deadlines/period.ts';
import type { AppraisalKindText, NursingLevelText } from './schema-cases.ts';

/**
 * Drizzle mirror of the appraisal procedure (migration 0020_appraisal.sql, the source of truth).
 * `appraisalRecords` mirrors the whole appraisals table: 0016's columns plus 0020's. It is kept
 * apart from 0016's `appraisals` object in schema-cases.ts so that the parts of the case, each
 * adding its own columns, do not edit one shared file.
 */
export type AppraisalStatusText = 'received' | 'panel_drawn' | 'concluded';
export type ApplicantKindText = 'employer' | 'worker' | 'relative' | 'agency';

export const appraisalRecords = pgTable(
  'appraisals',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    kind: text('kind').$type<AppraisalKindText>().notNull(),
    committeeLevel: text('committee_level').$type<'city' | 'province'>().notNull(),
    status: text('status').$type<AppraisalStatusText>().notNull(),
    previousAppraisalId: text('previous_appraisal_id'),
    appliedOn: date('applied_on', { mode: 'string' }).notNull(),
    concludedOn: date('concluded_on', { mode: 'string' }),
    conclusion: text('conclusion').$type<'graded' | 'not_graded'>(),
    disabilityGrade: smallint('disability_grade'),
    nursingLevel: text('nursing_level').$type<NursingLevelText>(),
    stopWorkExtensionMonths: smallint('stop_work_extension_months'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' })
      .notNull()
      .defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    applicantKind: text('applicant_kind').$type<ApplicantKindText>().notNull(),
    treatmentStabilisedOn: date('treatment_stabilised_on', { mode: 'string' }),
    dueOn: date('due_on', { mode: 'string' }),
    extendedDueOn: date('extended_due_on', { mode: 'string' }),
    extensionReason: text('extension_reason'),
    servedOn: date('served_on', { mode: 'string' }),
    gradingClauses: text('grading_clauses').array().notNull().default([]),
    conclusionLetterId: text('conclusion_letter_id'),
    // 0023: due dates resting on a year without its holiday notice, and what they were counted from.
    dueProvisional: boolean('due_provisional').notNull().default(false),
    dueBasis: jsonb('due_basis').$type<DueBasis>(),
    extendedDueProvisional: boolean('extended_due_provisional').notNull().default(false),
    extendedDueBasis: jsonb('extended_due_basis').$type<DueBasis>(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const appraisalExperts = pgTable(
  'appraisal_experts',
  {
    committeeCode: char('committee_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    specialty: text('specialty').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deactivatedBy: text('deactivated_by'),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.committeeCode, t.id] })],
);

export const appraisalDraws = pgTable(
  'appraisal_draws',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    appraisalId: text('appraisal_id').notNull(),
    committeeCode: char('committee_code', { length: 6 }).notNull(),
    specialty: text('specialty').notNull(),
    algorithm: text('algorithm').notNull(),
    seed: bigint('seed', { mode: 'number' }).notNull(),
    panelSize: smallint('panel_size').notNull(),
    poolIds: text('pool_ids').array().notNull(),
    recusals: jsonb('recusals').$type<Array<{ expertId: string; reason: string }>>().notNull(),
    drawnIds: text('drawn_ids').array().notNull(),
    drawnBy: text('drawn_by').notNull(),
    drawnAt: timestamp('drawn_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.appraisalId] })],
);
