import {
  char,
  customType,
  date,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { LetterType } from '../domain/letters/letter-types.ts';

/**
 * Drizzle mirror of the letters tables (migration 0018_letters.sql, the source of truth: the checks,
 * the series foreign key and the append-only trigger live there).
 */

/** bytea as a Buffer on both backends (node-postgres gives a Buffer, PGlite a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
  toDriver: (value) => value,
});

export const letterSeries = pgTable(
  'letter_series',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    letterType: text('letter_type').$type<LetterType>().notNull(),
    year: smallint('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.letterType, t.year] })],
);

export const letters = pgTable(
  'letters',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    letterType: text('letter_type').$type<LetterType>().notNull(),
    year: smallint('year').notNull(),
    number: integer('number').notNull(),
    documentNumber: text('document_number').notNull(),
    caseId: text('case_id'),
    title: text('title').notNull(),
    recipient: text('recipient').notNull(),
    issuer: text('issuer').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    pdf: bytea('pdf').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    issuedBy: text('issued_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
