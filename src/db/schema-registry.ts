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

/**
 * Drizzle mirror of the register of migration 0010_registry.sql (the SQL is the source of truth:
 * the checks, the append-only trigger of employer_events and the trigger refusing overlapping
 * spells live there). The unions repeat the SQL checks; the db floor imports no rules types.
 */
export type EmployerStatus = 'registered' | 'suspended' | 'cancelled';
export type EmployerEventKind = 'registered' | 'status' | 'floating_grade';
export type IndustryStandardText = 'GB/T 4754-2011' | 'GB/T 4754-2017';
export type FloatingGradeText = 'down2' | 'down1' | 'base' | 'up1' | 'up2';
export type EmployerCategoryText = 'sme' | 'large' | 'public_body';

export const employers = pgTable(
  'employers',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    creditCode: char('credit_code', { length: 18 }).notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    industryStandard: text('industry_standard').$type<IndustryStandardText>().notNull(),
    industryDivision: char('industry_division', { length: 2 }).notNull(),
    category: text('category').$type<EmployerCategoryText>().notNull(),
    registeredOn: date('registered_on', { mode: 'string' }).notNull(),
    status: text('status').$type<EmployerStatus>().notNull(),
    statusFrom: date('status_from', { mode: 'string' }).notNull(),
    floatingGrade: text('floating_grade').$type<FloatingGradeText>().notNull(),
    floatingGradeFrom: date('floating_grade_from', { mode: 'string' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const employerEvents = pgTable(
  'employer_events',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    employerId: text('employer_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<EmployerEventKind>().notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    data: jsonb('data').$type<Record<string, string>>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.employerId, t.seq] })],
);

/** One row per 公民身份号码 for the whole province (no region_code: a person belongs to no city). */
export const workers = pgTable('workers', {
  id: text('id').primaryKey(),
  idNumber: char('id_number', { length: 18 }).notNull(),
  name: text('name').notNull(),
  sex: text('sex').$type<'male' | 'female'>().notNull(),
  birthDate: date('birth_date', { mode: 'string' }).notNull(),
  registeredBy: text('registered_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const employmentSpells = pgTable(
  'employment_spells',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    employerId: text('employer_id').notNull(),
    workerId: text('worker_id').notNull(),
    workerName: text('worker_name').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    hiredBy: text('hired_by').notNull(),
    leftBy: text('left_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
