import { char, date, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of cross-province care (migration 0031_settlement_cross_province.sql, the source
 * of truth: its checks live there). docs/settlement-cross-province.md.
 */
export type XpFilingKind = 'long_term_residence' | 'referral';
export type XpFilingStatus = 'active' | 'revoked';
export type XpCategory = 'medical' | 'rehabilitation' | 'device';

export const settlementXpFilings = pgTable(
  'settlement_xp_filings',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    kind: text('kind').$type<XpFilingKind>().notNull(),
    province: char('province', { length: 6 }).notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    validityCitation: text('validity_citation').notNull(),
    status: text('status').$type<XpFilingStatus>().notNull(),
    revokedOn: date('revoked_on', { mode: 'string' }),
    revokedReason: text('revoked_reason'),
    revokedBy: text('revoked_by'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const settlementXpAdvances = pgTable(
  'settlement_xp_advances',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    amountFen: int8('amount_fen').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    approvalId: text('approval_id').notNull(),
    ledgerTransactionId: text('ledger_transaction_id').notNull(),
    paidBy: text('paid_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const settlementXpClearings = pgTable(
  'settlement_xp_clearings',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    fileSha256: char('file_sha256', { length: 64 }).notNull(),
    fileName: text('file_name').notNull(),
    clearedOn: date('cleared_on', { mode: 'string' }).notNull(),
    rowCount: integer('row_count').notNull(),
    clearedFen: int8('cleared_fen').notNull(),
    importedBy: text('imported_by').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const settlementXpClearingRows = pgTable(
  'settlement_xp_clearing_rows',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    treatingProvince: char('treating_province', { length: 6 }).notNull(),
    serial: text('serial').notNull(),
    clearingRegionCode: char('clearing_region_code', { length: 6 }).notNull(),
    clearingId: text('clearing_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    caseId: text('case_id').notNull(),
    filingId: text('filing_id').notNull(),
    institutionName: text('institution_name').notNull(),
    category: text('category').$type<XpCategory>().notNull(),
    amountFen: int8('amount_fen').notNull(),
    settledOn: date('settled_on', { mode: 'string' }).notNull(),
    rowSha256: char('row_sha256', { length: 64 }).notNull(),
    ledgerTransactionId: text('ledger_transaction_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.treatingProvince, t.serial] })],
);
