import {
  char,
  date,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of migration 0002_fund_ledger.sql (the SQL is the source of truth). Provisioning,
 * periods and reads go through it; journal writes (transactions, postings, balances, resolutions)
 * stay hand SQL in src/usecases/fund/ledger/ledger-write.ts, the hot path bench/ledger.bench.ts
 * measures.
 */
export const ledgerSegments = pgTable('ledger_segments', {
  id: smallint('id').primaryKey().generatedByDefaultAsIdentity(),
  code: text('code').notNull(),
  kind: text('kind').$type<'province' | 'adjustment' | 'city'>().notNull(),
  region: char('region', { length: 6 }).notNull(),
  province: char('province', { length: 6 }).notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ledgerAccounts = pgTable('ledger_accounts', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  segmentId: smallint('segment_id').notNull(),
  code: text('code').notNull(),
  chartCode: char('chart_code', { length: 4 }).notNull(),
  counterpartySegmentId: smallint('counterparty_segment_id'),
  type: text('type').$type<'asset' | 'liability' | 'reserve' | 'income' | 'expense'>().notNull(),
  normalSide: char('normal_side', { length: 1 }).$type<'D' | 'C'>().notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ledgerBalances = pgTable('ledger_balances', {
  accountId: integer('account_id').primaryKey(),
  segmentId: smallint('segment_id').notNull(),
  debitPosted: int8('debit_posted').notNull().default(0),
  creditPosted: int8('credit_posted').notNull().default(0),
  debitPending: int8('debit_pending').notNull().default(0),
  creditPending: int8('credit_pending').notNull().default(0),
  version: int8('version').notNull().default(0),
});

export const ledgerPeriods = pgTable(
  'ledger_periods',
  {
    segmentId: smallint('segment_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    status: text('status').$type<'open' | 'closed'>().notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    openedBy: text('opened_by').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
    closeApprovalId: text('close_approval_id'),
    closeChecker: text('close_checker'),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.month] })],
);

export const ledgerTransactions = pgTable('ledger_transactions', {
  seq: int8('seq').primaryKey(),
  id: text('id').notNull(),
  requestHash: text('request_hash').notNull(),
  kind: text('kind').$type<'posted' | 'pending'>().notNull(),
  effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
  sourceType: text('source_type').notNull(),
  sourceId: text('source_id').notNull(),
  snapshotId: text('snapshot_id'),
  memo: text('memo'),
  corrects: text('corrects'),
  legCount: integer('leg_count').notNull(),
  totalFen: int8('total_fen').notNull(),
  actor: text('actor').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  // db_xact (xid8) is internal to the balance trigger and not mirrored.
});

export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    txSeq: int8('tx_seq').notNull(),
    seq: smallint('seq').notNull(),
    accountId: integer('account_id').notNull(),
    segmentId: smallint('segment_id').notNull(),
    side: char('side', { length: 1 }).$type<'D' | 'C'>().notNull(),
    amount: int8('amount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.txSeq, t.seq] })],
);

export const ledgerResolutions = pgTable('ledger_resolutions', {
  txSeq: int8('tx_seq').primaryKey(),
  action: text('action').$type<'post' | 'void'>().notNull(),
  actor: text('actor').notNull(),
  memo: text('memo'),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }).notNull().defaultNow(),
});
