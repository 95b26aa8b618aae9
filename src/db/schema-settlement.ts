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
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of direct settlement's transactions (migration 0029_settlement_transactions.sql,
 * the source of truth: its checks and partial unique indexes live there).
 */
export type SettlementTxCode =
  | '9001'
  | '9002'
  | '1101'
  | '2201'
  | '2202'
  | '2203'
  | '2204'
  | '2205'
  | '2206'
  | '2207'
  | '2208'
  | '2209'
  | '1320'
  | '1321'
  | '2301'
  | '2302'
  | '2303'
  | '1301'
  | '9103'
  | '9104'
  | '9105';
export type SettlementMessageStatus = 'done' | 'reversed' | 'reversed_unseen';
export type SettlementVisitStatus = 'open' | 'settled' | 'cancelled';
export type SettlementVisitKindColumn = 'outpatient' | 'inpatient' | 'rehabilitation' | 'device';
export type SettlementCategoryColumn = 'medical' | 'rehabilitation' | 'device';

export const caseInjuryDiagnoses = pgTable(
  'case_injury_diagnoses',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    caseId: text('case_id').notNull(),
    code: text('code').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.caseId, t.code] })],
);

export const settlementSignIns = pgTable('settlement_sign_ins', {
  id: text('id').primaryKey(),
  institutionId: text('institution_id').notNull(),
  operator: text('operator').notNull(),
  signedInAt: timestamp('signed_in_at', { withTimezone: true }).notNull().defaultNow(),
  signedOutAt: timestamp('signed_out_at', { withTimezone: true }),
});

export const settlementMessages = pgTable(
  'settlement_messages',
  {
    institutionId: text('institution_id').notNull(),
    txCode: text('tx_code').$type<SettlementTxCode>().notNull(),
    serial: text('serial').notNull(),
    requestSha256: char('request_sha256', { length: 64 }),
    response: jsonb('response').$type<unknown>(),
    status: text('status').$type<SettlementMessageStatus>().notNull(),
    reversedBy: text('reversed_by'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.txCode, t.serial] })],
);

export const settlementVisits = pgTable(
  'settlement_visits',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    institutionId: text('institution_id').notNull(),
    hisVisitNo: text('his_visit_no').notNull(),
    caseId: text('case_id').notNull(),
    workerId: text('worker_id').notNull(),
    agreementId: text('agreement_id').notNull(),
    kind: text('kind').$type<SettlementVisitKindColumn>().notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    diagnosisCode: text('diagnosis_code').notNull(),
    status: text('status').$type<SettlementVisitStatus>().notNull(),
    openedSerial: text('opened_serial').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const settlementFeeLines = pgTable(
  'settlement_fee_lines',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    visitId: text('visit_id').notNull(),
    lineNo: integer('line_no').notNull(),
    ownCode: text('own_code').notNull(),
    name: text('name').notNull(),
    servedOn: date('served_on', { mode: 'string' }).notNull(),
    quantityMilli: int8('quantity_milli').notNull(),
    unitPriceFen: int8('unit_price_fen').notNull(),
    amountFen: int8('amount_fen').notNull(),
    status: text('status').$type<'active' | 'cancelled'>().notNull(),
    uploadedSerial: text('uploaded_serial').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.visitId, t.lineNo] })],
);

export const settlementSettlements = pgTable(
  'settlement_settlements',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    visitId: text('visit_id').notNull(),
    institutionId: text('institution_id').notNull(),
    kind: text('kind').$type<'settlement' | 'reversal'>().notNull(),
    reverses: text('reverses'),
    serial: text('serial').notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true }).notNull().defaultNow(),
    accountingMonth: char('accounting_month', { length: 7 }).notNull(),
    lineCount: integer('line_count').notNull(),
    claimedFen: int8('claimed_fen').notNull(),
    fundFen: int8('fund_fen').notNull(),
    foodAllowanceFen: int8('food_allowance_fen').notNull().default(0),
    rejectedFen: int8('rejected_fen').notNull(),
    status: text('status').$type<'active' | 'reversed'>().notNull(),
    sampled: boolean('sampled').notNull().default(false),
    ledgerTransactionId: text('ledger_transaction_id'),
    snapshotId: text('snapshot_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const settlementLineResults = pgTable(
  'settlement_line_results',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    settlementId: text('settlement_id').notNull(),
    lineNo: integer('line_no').notNull(),
    catalogueCode: text('catalogue_code'),
    category: text('category').$type<SettlementCategoryColumn>().notNull(),
    outcome: text('outcome').$type<'payable' | 'partial' | 'rejected'>().notNull(),
    claimedFen: int8('claimed_fen').notNull(),
    payableFen: int8('payable_fen').notNull(),
    reasons: text('reasons').array().$type<string[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.settlementId, t.lineNo] })],
);
