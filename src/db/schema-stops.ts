import { char, date, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { StopGround, StoppedEntitlement } from '../domain/benefits/stop.ts';

/**
 * Drizzle mirror of migration 0041_benefit_stops.sql (the source of truth: its checks and unique
 * keys live there): the stops of a worker's benefits under 《工伤保险条例》第四十二条.
 */
export const benefitStops = pgTable(
  'benefit_stops',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    workerId: text('worker_id').notNull(),
    ground: text('ground').$type<StopGround>().notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    approvalId: text('approval_id').notNull(),
    ended: jsonb('ended').$type<StoppedEntitlement[]>().notNull(),
    stoppedBy: text('stopped_by').notNull(),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }).notNull().defaultNow(),
    resumedOn: date('resumed_on', { mode: 'string' }),
    resumeReason: text('resume_reason'),
    resumeApprovalId: text('resume_approval_id'),
    resumedBy: text('resumed_by'),
    resumedAt: timestamp('resumed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
