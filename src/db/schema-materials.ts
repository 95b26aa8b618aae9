import { char, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of a case's materials (the case-materials migration, the source of truth: the
 * checks and the append-only triggers live there).
 */
export type MaterialMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export const caseMaterials = pgTable(
  'case_materials',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    itemCode: text('item_code').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').$type<MaterialMediaType>().notNull(),
    byteSize: int8('byte_size').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    /** The 供养亲属 a `dependant_…` paper belongs to (survivors' evidence, migration 0049). */
    dependantId: text('dependant_id'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const caseMaterialWithdrawals = pgTable(
  'case_material_withdrawals',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    materialId: text('material_id').notNull(),
    reason: text('reason').notNull(),
    withdrawnBy: text('withdrawn_by').notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.materialId] })],
);
