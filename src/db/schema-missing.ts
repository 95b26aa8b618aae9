import { char, date, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { MissingGround } from '../domain/benefits/missing.ts';
import type { StoppedEntitlement } from '../domain/benefits/stop.ts';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of migration 0044_benefit_missing.sql (the source of truth: its checks and unique
 * keys live there): a worker missing after an accident (下落不明, 《工伤保险条例》第四十一条).
 */
export const benefitMissing = pgTable(
  'benefit_missing',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    workerId: text('worker_id').notNull(),
    decisionId: text('decision_id').notNull(),
    ground: text('ground').$type<MissingGround>().notNull(),
    accidentDate: date('accident_date', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    monthlyWageFen: int8('monthly_wage_fen').notNull(),
    employerWageMonths: jsonb('employer_wage_months').$type<string[]>().notNull(),
    pensionsStartOn: date('pensions_start_on', { mode: 'string' }).notNull(),
    deathLumpSumFen: int8('death_lump_sum_fen').notNull(),
    funeralGrantFen: int8('funeral_grant_fen').notNull(),
    advanceMaxFen: int8('advance_max_fen').notNull(),
    ended: jsonb('ended').$type<StoppedEntitlement[]>().notNull(),
    approvalId: text('approval_id').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    advanceFen: int8('advance_fen'),
    advanceReason: text('advance_reason'),
    advanceApprovalId: text('advance_approval_id'),
    advancePaymentId: text('advance_payment_id'),
    advanceOn: date('advance_on', { mode: 'string' }),
    advanceBy: text('advance_by'),
    declaredDeadOn: date('declared_dead_on', { mode: 'string' }),
    declaredReason: text('declared_reason'),
    declaredApprovalId: text('declared_approval_id'),
    declaredOn: date('declared_on', { mode: 'string' }),
    declaredBy: text('declared_by'),
    reappearedOn: date('reappeared_on', { mode: 'string' }),
    reappearedEvidence: text('reappeared_evidence'),
    reappearedApprovalId: text('reappeared_approval_id'),
    reappearedRecordedOn: date('reappeared_recorded_on', { mode: 'string' }),
    reappearedBy: text('reappeared_by'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
