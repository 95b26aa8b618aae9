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
 * Drizzle mirror of direct settlement's reference data (migration 0028_settlement_reference.sql,
 * the source of truth: its checks live there).
 */
export type InstitutionKind = 'hospital' | 'rehabilitation' | 'device';
export type InstitutionLevel = 'tertiary' | 'secondary' | 'primary' | 'none';
export type InstitutionStatus = 'active' | 'suspended' | 'terminated';
export type AgreementScope = 'outpatient' | 'inpatient' | 'rehabilitation' | 'device';
export type CatalogueKind = 'drug' | 'service' | 'rehabilitation' | 'device';

export const settlementInstitutions = pgTable('settlement_institutions', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').$type<InstitutionKind>().notNull(),
  level: text('level').$type<InstitutionLevel>().notNull(),
  managingRegionCode: char('managing_region_code', { length: 6 }).notNull(),
  creditCode: char('credit_code', { length: 18 }),
  status: text('status').$type<InstitutionStatus>().notNull().default('active'),
  statusFrom: date('status_from', { mode: 'string' }).notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const settlementAgreements = pgTable('settlement_agreements', {
  id: text('id').primaryKey(),
  institutionId: text('institution_id').notNull(),
  signedRegionCode: char('signed_region_code', { length: 6 }).notNull(),
  scopes: text('scopes').array().$type<AgreementScope[]>().notNull(),
  validFrom: date('valid_from', { mode: 'string' }).notNull(),
  validTo: date('valid_to', { mode: 'string' }).notNull(),
  crossProvince: boolean('cross_province').notNull().default(false),
  status: text('status').$type<InstitutionStatus>().notNull().default('active'),
  terminatedFrom: date('terminated_from', { mode: 'string' }),
  terminatedReason: text('terminated_reason'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const settlementCatalogueItems = pgTable(
  'settlement_catalogue_items',
  {
    code: text('code').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    kind: text('kind').$type<CatalogueKind>().notNull(),
    name: text('name').notNull(),
    drugClass: text('drug_class').$type<'A' | 'B'>(),
    unit: text('unit').notNull(),
    priceCapFen: int8('price_cap_fen'),
    quantityLimit: integer('quantity_limit'),
    importId: text('import_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.code, t.validFrom] })],
);

export const settlementCatalogueImports = pgTable('settlement_catalogue_imports', {
  id: text('id').primaryKey(),
  fileSha256: char('file_sha256', { length: 64 }).notNull(),
  fileName: text('file_name').notNull(),
  rows: integer('rows').notNull(),
  accepted: integer('accepted').notNull(),
  rejected: integer('rejected').notNull(),
  report: jsonb('report').$type<unknown>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const settlementCodeMaps = pgTable(
  'settlement_code_maps',
  {
    institutionId: text('institution_id').notNull(),
    ownCode: text('own_code').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    catalogueCode: text('catalogue_code').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.ownCode, t.validFrom] })],
);
