import { date, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Drizzle mirror of the working-day calendar of migration 0017_work_calendar.sql (the SQL is the
 * source of truth: its checks live there). The unions repeat the SQL checks.
 */
export type CalendarYearStatusText = 'official' | 'statutory-only';
export type CalendarYearOriginText = 'bundled' | 'import';
export type CalendarDayKindText = 'holiday' | 'workday';

export const calendarYears = pgTable('calendar_years', {
  year: smallint('year').primaryKey(),
  status: text('status').$type<CalendarYearStatusText>().notNull(),
  notice: text('notice'),
  issuedOn: date('issued_on', { mode: 'string' }),
  source: text('source'),
  note: text('note'),
  origin: text('origin').$type<CalendarYearOriginText>().notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  year: smallint('year').notNull(),
  kind: text('kind').$type<CalendarDayKindText>().notNull(),
  name: text('name').notNull(),
});
