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
 * Drizzle mirror of the separation decision's table (migrations 0035_benefit_separations.sql and
 * 0038_benefit_letters.sql, the source of truth: its checks and the one-open-per-case index live there).
 */
export type BenefitSeparationStatus = 'proposed' | 'approved' | 'superseded';

export const benefitSeparations = pgTable(
  'benefit_separations',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    decisionId: text('decision_id').notNull(),
    workerId: text('worker_id').notNull(),
    status: text('status').$type<BenefitSeparationStatus>().notNull(),
    separationDate: date('separation_date', { mode: 'string' }).notNull(),
    reason: text('reason').$type<'worker_request' | 'contract_expiry'>().notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    retirementAgeYears: integer('retirement_age_years').notNull(),
    retirementAgeMonths: integer('retirement_age_months').notNull(),
    retirementDate: date('retirement_date', { mode: 'string' }).notNull(),
    calculationInput: jsonb('calculation_input').$type<unknown>().notNull(),
    calculationResult: jsonb('calculation_result').$type<unknown>().notNull(),
    snapshotId: char('snapshot_id', { length: 64 }).notNull(),
    payloadSha256: char('payload_sha256', { length: 64 }).notNull(),
    approvalId: text('approval_id').notNull(),
    ledgerTransactionId: text('ledger_transaction_id'),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    approvedBy: text('approved_by'),
    approvedOn: date('approved_on', { mode: 'string' }),
    /** The 核定通知书 issued on approval (migration 0038). */
    letterId: text('letter_id'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/**
 * The cases a combined separation covers (migration 0048_benefit_separation_cases.sql,
 * 《浙江省工伤保险条例》第二十八条): its own case among them, each with its approved decision and grade.
 */
export const benefitSeparationCases = pgTable(
  'benefit_separation_cases',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    separationId: text('separation_id').notNull(),
    caseId: text('case_id').notNull(),
    decisionId: text('decision_id').notNull(),
    grade: integer('grade').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.separationId, t.caseId] })],
);
