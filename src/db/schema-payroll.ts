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
import type { OverpaymentReason, OverpaymentStatus } from '../domain/benefits/recovery.ts';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the monthly payroll's tables (migrations 0024_benefit_payroll.sql,
 * 0027_worker_death.sql, 0039_dependant_card_accounts.sql and 0059_payroll_reissue_batches.sql, the source of truth: its checks and unique keys live there).
 */
export type PayrollRunStatus = 'computing' | 'computed' | 'approved' | 'file_issued' | 'reconciled';
export type PayrollLineStatus = 'issued' | 'paid' | 'failed';

export const socialSecurityCardAccounts = pgTable(
  'social_security_card_accounts',
  {
    workerId: text('worker_id').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    bankName: text('bank_name').notNull(),
    accountNumber: text('account_number').notNull(),
    accountName: text('account_name').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workerId, t.validFrom] })],
);

/** A dependant's card account (migration 0039_dependant_card_accounts.sql), dated like a worker's. */
export const dependantCardAccounts = pgTable(
  'dependant_card_accounts',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    dependantId: text('dependant_id').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    bankName: text('bank_name').notNull(),
    accountNumber: text('account_number').notNull(),
    accountName: text('account_name').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.dependantId, t.validFrom] })],
);

export const payrollRuns = pgTable(
  'payroll_runs',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    month: char('month', { length: 7 }).notNull(),
    status: text('status').$type<PayrollRunStatus>().notNull(),
    checkpointEntitlementId: text('checkpoint_entitlement_id'),
    lineCount: integer('line_count').notNull().default(0),
    totalFen: int8('total_fen').notNull().default(0),
    totals: jsonb('totals').$type<unknown>(),
    anomalies: jsonb('anomalies').$type<unknown>(),
    totalsSha256: char('totals_sha256', { length: 64 }),
    approvalId: text('approval_id'),
    payableTransactionId: text('payable_transaction_id'),
    fileSha256: char('file_sha256', { length: 64 }),
    startedBy: text('started_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    computedAt: timestamp('computed_at', { withTimezone: true }),
    approvedBy: text('approved_by'),
    approvedOn: date('approved_on', { mode: 'string' }),
    fileIssuedBy: text('file_issued_by'),
    fileIssuedAt: timestamp('file_issued_at', { withTimezone: true }),
    reconciledAt: timestamp('reconciled_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const payrollLines = pgTable(
  'payroll_lines',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    /** Null for a line of a reissue batch (migration 0059: run_id or batch_id, never both). */
    runId: text('run_id'),
    entitlementId: text('entitlement_id').notNull(),
    workerId: text('worker_id').notNull(),
    kind: text('kind').notNull(),
    expenseAccount: text('expense_account').notNull(),
    amountFen: int8('amount_fen').notNull(),
    bankName: text('bank_name'),
    accountNumber: text('account_number'),
    accountName: text('account_name'),
    accountValidFrom: date('account_valid_from', { mode: 'string' }),
    status: text('status').$type<PayrollLineStatus>().notNull().default('issued'),
    bankReference: text('bank_reference'),
    paidOn: date('paid_on', { mode: 'string' }),
    failureReason: text('failure_reason'),
    returnSha256: char('return_sha256', { length: 64 }),
    paidTransactionId: text('paid_transaction_id'),
    /** The failed line this one pays again (migration 0027; null: the month's own line). */
    reissueOf: text('reissue_of'),
    /** Withheld for a recovery by offset (migration 0045; 0 and null: none). */
    offsetFen: int8('offset_fen').notNull().default(0),
    recoveryId: text('recovery_id'),
    /** The reissue batch of a line reissued by hand (migration 0059; null: a run's line). */
    batchId: text('batch_id'),
    /** A batch line's month owed (the month of the run whose line it pays again). */
    reissueMonth: char('reissue_month', { length: 7 }),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export type ReissueBatchStatus = 'proposed' | 'applied' | 'file_issued' | 'reconciled';

/** Migration 0059: an off-cycle batch reissuing failed lines by hand (payroll-reissue-batch*.ts). */
export const payrollReissueBatches = pgTable(
  'payroll_reissue_batches',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    status: text('status').$type<ReissueBatchStatus>().notNull(),
    accountsOn: date('accounts_on', { mode: 'string' }).notNull(),
    lineCount: integer('line_count').notNull(),
    totalFen: int8('total_fen').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    approvalId: text('approval_id').notNull(),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    appliedBy: text('applied_by'),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    fileSha256: char('file_sha256', { length: 64 }),
    fileIssuedBy: text('file_issued_by'),
    fileIssuedAt: timestamp('file_issued_at', { withTimezone: true }),
    reconciledAt: timestamp('reconciled_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/** Migration 0027: one recorded death per worker (the province-wide person record). */
export const workerDeaths = pgTable('worker_deaths', {
  workerId: text('worker_id').primaryKey(),
  diedOn: date('died_on', { mode: 'string' }).notNull(),
  source: text('source').notNull(),
  recordedRegionCode: char('recorded_region_code', { length: 6 }).notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Migrations 0027, 0041: months paid after a death or a stop, to recover (no ledger movement until then). */
export const benefitOverpayments = pgTable(
  'benefit_overpayments',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    workerId: text('worker_id').notNull(),
    /** Null: a lump sum's receivable (migration 0060), anchored on `paymentId` instead. */
    entitlementId: text('entitlement_id'),
    /** The decision and payment of a lump sum to return (the advance), and its expense account. */
    decisionId: text('decision_id'),
    paymentId: text('payment_id'),
    expenseAccount: text('expense_account'),
    reason: text('reason').$type<OverpaymentReason>().notNull(),
    months: jsonb('months').$type<string[]>().notNull(),
    lineIds: jsonb('line_ids').$type<string[]>().notNull(),
    amountFen: int8('amount_fen').notNull(),
    status: text('status').$type<OverpaymentStatus>().notNull().default('open'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/** Migration 0066: a line an overpayment counted and the bank then failed (it left the overpayment). */
export const benefitOverpaymentFailedLines = pgTable(
  'benefit_overpayment_failed_lines',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    overpaymentId: text('overpayment_id').notNull(),
    lineId: text('line_id').notNull(),
    month: char('month', { length: 7 }).notNull(),
    amountFen: int8('amount_fen').notNull(),
    returnSha256: char('return_sha256', { length: 64 }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.overpaymentId, t.lineId] })],
);

export type PayrollReleaseStatus = 'proposed' | 'applied';

/** Migration 0064: a release of failed lines owed to no one (payroll-release.ts). */
export const payrollReleases = pgTable(
  'payroll_releases',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    status: text('status').$type<PayrollReleaseStatus>().notNull(),
    proposedOn: date('proposed_on', { mode: 'string' }).notNull(),
    lineCount: integer('line_count').notNull(),
    totalFen: int8('total_fen').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    approvalId: text('approval_id').notNull(),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    appliedBy: text('applied_by'),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    transactionId: text('transaction_id'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/** Migration 0064: a failed line whose liability left 2102 (by a release or a death's reversal). */
export const payrollReleasedLines = pgTable(
  'payroll_released_lines',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    lineId: text('line_id').notNull(),
    source: text('source').$type<'release' | 'death'>().notNull(),
    releaseId: text('release_id'),
    reason: text('reason').notNull(),
    expenseAccount: text('expense_account').notNull(),
    amountFen: int8('amount_fen').notNull(),
    transactionId: text('transaction_id').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.lineId] })],
);
