import { char, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * Drizzle mirror of the change letters' links (migration 0057_benefit_change_letters.sql, the
 * source of truth: the checks, the one-letter-per-event-and-case key and the append-only triggers
 * live there).
 */
export type ChangeEventKind =
  | 'stop'
  | 'resume'
  | 'correction'
  | 'retirement'
  | 'survivor'
  | 'reappeared';

export const benefitChangeLetters = pgTable(
  'benefit_change_letters',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    letterId: text('letter_id').notNull(),
    eventKind: text('event_kind').$type<ChangeEventKind>().notNull(),
    eventId: text('event_id').notNull(),
    caseId: text('case_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.letterId] })],
);
