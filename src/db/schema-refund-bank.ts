import { char, date, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the refunds' bank side (migration 0051_refund_files_and_failures.sql, the
 * source of truth: the checks, the one-file-per-refund and one-failure-per-refund keys and the
 * append-only triggers live there).
 */
export const contributionRefundFiles = pgTable(
  'contribution_refund_files',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    fileOn: date('file_on', { mode: 'string' }).notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    refundCount: integer('refund_count').notNull(),
    totalFen: int8('total_fen').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const contributionRefundFileItems = pgTable(
  'contribution_refund_file_items',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    refundId: text('refund_id').notNull(),
    fileId: text('file_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.refundId] })],
);

export const contributionRefundFailures = pgTable(
  'contribution_refund_failures',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    clientKey: text('client_key').notNull(),
    refundId: text('refund_id').notNull(),
    employerId: text('employer_id').notNull(),
    amountFen: int8('amount_fen').notNull(),
    reason: text('reason').notNull(),
    failedOn: date('failed_on', { mode: 'string' }).notNull(),
    payloadSha256: char('payload_sha256', { length: 64 }).notNull(),
    transactionId: text('transaction_id').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
