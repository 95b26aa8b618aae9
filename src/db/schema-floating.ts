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
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the floating-rate review (migration 0014_floating_rate_review.sql, the source
 * of truth: the checks and the one-live-review index live there), and of the refunds of 2103
 * (migration 0046_experience_system_and_refunds.sql: its checks and append-only triggers live there).
 */
type Grade = 'down2' | 'down1' | 'base' | 'up1' | 'up2';

export const employerExperience = pgTable(
  'employer_experience',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    employerId: text('employer_id').notNull(),
    year: smallint('year').notNull(),
    contributionsFen: int8('contributions_fen').notNull(),
    benefitCostsFen: int8('benefit_costs_fen').notNull(),
    injuries: integer('injuries').notNull(),
    averageHeadcount: integer('average_headcount').notNull(),
    source: text('source').$type<'import' | 'system'>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Migration 0046: an employer-year holds a 'system' row and an 'import' row side by side.
  (t) => [primaryKey({ columns: [t.regionCode, t.employerId, t.year, t.source] })],
);

export type FloatingReviewStatus = 'proposed' | 'applied' | 'superseded';

export const floatingReviews = pgTable(
  'floating_reviews',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    reviewYear: smallint('review_year').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    status: text('status').$type<FloatingReviewStatus>().notNull(),
    proposalsHash: char('proposals_hash', { length: 64 }).notNull(),
    proposalCount: integer('proposal_count').notNull(),
    changedCount: integer('changed_count').notNull(),
    leftOutCount: integer('left_out_count').notNull(),
    approvalId: text('approval_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    appliedBy: text('applied_by'),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const floatingReviewItems = pgTable(
  'floating_review_items',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    reviewId: text('review_id').notNull(),
    employerId: text('employer_id').notNull(),
    employerName: text('employer_name').notNull(),
    creditCode: char('credit_code', { length: 18 }).notNull(),
    outcome: text('outcome').$type<'proposed' | 'left_out'>().notNull(),
    riskClass: smallint('risk_class'),
    currentGrade: text('current_grade').$type<Grade>().notNull(),
    proposedGrade: text('proposed_grade').$type<Grade>(),
    windowYears: jsonb('window_years').$type<number[]>().notNull(),
    contributionsFen: int8('contributions_fen'),
    benefitCostsFen: int8('benefit_costs_fen'),
    injuries: integer('injuries'),
    headcountYears: integer('headcount_years'),
    ratio: text('ratio'),
    incidence: text('incidence'),
    trail: jsonb('trail').$type<string[]>().notNull(),
    citations: jsonb('citations').$type<string[]>().notNull(),
    leftOutReason: text('left_out_reason').$type<
      'no_experience' | 'no_contributions' | 'unclassified'
    >(),
    application: text('application').$type<'changed' | 'unchanged' | 'skipped'>(),
    applicationNote: text('application_note'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.reviewId, t.employerId] })],
);

/** A refund of money an employer paid beyond what it owed (2103 暂收款 → its bank account). */
export const contributionRefunds = pgTable(
  'contribution_refunds',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    clientKey: text('client_key').notNull(),
    employerId: text('employer_id').notNull(),
    amountFen: int8('amount_fen').notNull(),
    reason: text('reason').notNull(),
    bankName: text('bank_name').notNull(),
    accountNumber: text('account_number').notNull(),
    accountName: text('account_name').notNull(),
    refundOn: date('refund_on', { mode: 'string' }).notNull(),
    payloadSha256: char('payload_sha256', { length: 64 }).notNull(),
    approvalId: text('approval_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    refundedBy: text('refunded_by').notNull(),
    refundedAt: timestamp('refunded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/** An offset of an employer's 2103 money against a later assessment of it (Dr 2103 / Cr 1131). */
export const contributionOffsets = pgTable(
  'contribution_offsets',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    clientKey: text('client_key').notNull(),
    employerId: text('employer_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    amountFen: int8('amount_fen').notNull(),
    reason: text('reason').notNull(),
    offsetOn: date('offset_on', { mode: 'string' }).notNull(),
    payloadSha256: char('payload_sha256', { length: 64 }).notNull(),
    approvalId: text('approval_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    offsetBy: text('offset_by').notNull(),
    offsetAt: timestamp('offset_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
