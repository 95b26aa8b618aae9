import { char, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * Drizzle mirror of the indexation notices' links (migration 0063_benefit_indexation_notices.sql,
 * the source of truth: the one-notice-per-batch key and the append-only triggers live there).
 */
export const benefitIndexationNotices = pgTable(
  'benefit_indexation_notices',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    batchId: text('batch_id').notNull(),
    letterId: text('letter_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.batchId] })],
);
