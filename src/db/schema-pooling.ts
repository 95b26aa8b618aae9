import { char, date, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the append-only pooling tables of migration 0003_fund_pooling.sql that the use
 * cases read and write through Drizzle (the SQL is the source of truth: checks and the append-only
 * triggers live there). pooling_year_end_runs is not mirrored: its run skeleton is hand SQL.
 */
export const poolingOpeningTakeovers = pgTable('pooling_opening_takeovers', {
  city: char('city', { length: 6 }).primaryKey(),
  province: char('province', { length: 6 }).notNull(),
  rule: text('rule')
    .$type<'transfer_all' | 'transfer_share' | 'keep_at_city_use_first'>()
    .notNull(),
  share: text('share'),
  targetSegment: text('target_segment').notNull(),
  effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
  balanceFen: int8('balance_fen').notNull(),
  transferredFen: int8('transferred_fen').notNull(),
  keptFen: int8('kept_fen').notNull(),
  transactionIds: text('transaction_ids').array().notNull(),
  actor: text('actor').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A province's approved higher prevention-fee cap for one year (the ratio as exact decimal text). */
export const poolingPreventionCapGrants = pgTable(
  'pooling_prevention_cap_grants',
  {
    province: char('province', { length: 6 }).notNull(),
    year: integer('year').notNull(),
    capRatio: text('cap_ratio').notNull(),
    approvalId: text('approval_id').notNull(),
    maker: text('maker').notNull(),
    checker: text('checker').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.province, t.year] })],
);
