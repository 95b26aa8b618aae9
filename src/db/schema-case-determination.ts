import {
  boolean,
  char,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { ApplicantType, ReporterKind } from '../domain/cases/application.ts';
import type {
  CaseStatus,
  DeterminationGround,
  DeterminationOutcome,
  ReviewChannel,
} from '../domain/cases/index.ts';
import type { DueBasis } from '../rules/deadlines/period.ts';

export type NextDueKind = 'acceptance' | 'decision';

/**
 * Drizzle mirror of the determination part of `cases` (migration 0019_case_determination.sql, the
 * source of truth): the same table as schema-cases.ts's `cases`, seen through the columns the
 * determination use cases read and write, so each part of the case keeps its own mirror.
 */
export const caseDetermination = pgTable(
  'cases',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    workerId: text('worker_id').notNull(),
    employerRegionCode: char('employer_region_code', { length: 6 }).notNull(),
    employerId: text('employer_id').notNull(),
    caseType: text('case_type').$type<'accident' | 'occupational_disease'>().notNull(),
    accidentDate: date('accident_date', { mode: 'string' }).notNull(),
    status: text('status').$type<CaseStatus>().notNull(),
    determinationOutcome: text('determination_outcome').$type<DeterminationOutcome>(),
    determinationDecidedOn: date('determination_decided_on', { mode: 'string' }),
    version: integer('version').notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    reporterKind: text('reporter_kind').$type<ReporterKind>().notNull(),
    reportedOn: date('reported_on', { mode: 'string' }),
    accidentPlace: text('accident_place'),
    accidentSummary: text('accident_summary'),
    applicantType: text('applicant_type').$type<ApplicantType>(),
    appliedOn: date('applied_on', { mode: 'string' }),
    employerApplicationDueOn: date('employer_application_due_on', { mode: 'string' }),
    workerApplicationDueOn: date('worker_application_due_on', { mode: 'string' }),
    employerExtensionTo: date('employer_extension_to', { mode: 'string' }),
    employerExtensionRef: text('employer_extension_ref'),
    applicationLate: boolean('application_late').notNull(),
    employerLiableFrom: date('employer_liable_from', { mode: 'string' }),
    employerLiableUntil: date('employer_liable_until', { mode: 'string' }),
    clearCase: boolean('clear_case').notNull(),
    acceptedOn: date('accepted_on', { mode: 'string' }),
    acceptanceDueOn: date('acceptance_due_on', { mode: 'string' }),
    decisionDueOn: date('decision_due_on', { mode: 'string' }),
    suspendedOn: date('suspended_on', { mode: 'string' }),
    determinationGrounds: text('determination_grounds')
      .array()
      .$type<DeterminationGround[]>()
      .notNull(),
    servedOn: date('served_on', { mode: 'string' }),
    reviewChannel: text('review_channel').$type<ReviewChannel>(),
    nextDueKind: text('next_due_kind').$type<NextDueKind>(),
    nextDueOn: date('next_due_on', { mode: 'string' }),
    // 0023: the running due date rests on a year without its holiday notice (provisionalPeriodEnd).
    nextDueProvisional: boolean('next_due_provisional').notNull().default(false),
    nextDueBasis: jsonb('next_due_basis').$type<DueBasis>(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/**
 * Drizzle mirror of `case_due_counts` (migration 0025_case_due_counts.sql, the source of truth): how
 * many cases of a city have a clock of a kind running to a day, kept exact by statement triggers on
 * `cases` — the deadline dashboard sums these instead of counting cases.
 */
export const caseDueCounts = pgTable(
  'case_due_counts',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    dueKind: text('due_kind').$type<NextDueKind>().notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    cases: integer('cases').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.dueKind, t.dueOn] })],
);
