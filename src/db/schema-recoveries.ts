import { char, date, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of migration 0045_benefit_recoveries.sql (the source of truth: its checks and
 * unique keys live there): the recovery of an overpayment (offset or order) and the repayments of
 * an order.
 */
export type RecoveryMethod = 'offset' | 'order';
export type RecoveryStatus = 'active' | 'settled';

export const benefitRecoveries = pgTable(
  'benefit_recoveries',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    overpaymentId: text('overpayment_id').notNull(),
    workerId: text('worker_id').notNull(),
    method: text('method').$type<RecoveryMethod>().notNull(),
    amountFen: int8('amount_fen').notNull(),
    monthlyFen: int8('monthly_fen'),
    expenseAccount: text('expense_account').notNull(),
    reason: text('reason').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    approvalId: text('approval_id').notNull(),
    recognisedTransactionId: text('recognised_transaction_id').notNull(),
    status: text('status').$type<RecoveryStatus>().notNull().default('active'),
    settledOn: date('settled_on', { mode: 'string' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const benefitRecoveryRepayments = pgTable(
  'benefit_recovery_repayments',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    recoveryId: text('recovery_id').notNull(),
    amountFen: int8('amount_fen').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    reference: text('reference').notNull(),
    approvalId: text('approval_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
