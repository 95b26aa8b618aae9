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
import type { RetirementPlan } from '../domain/benefits/retirement.ts';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of migrations 0043_benefit_retirements.sql and 0061 (the source of truth: its checks and
 * unique keys live there): the retirement of a worker with a 伤残津贴 under 《工伤保险条例》第三十五条第一款第（三）项.
 */
export const benefitRetirements = pgTable(
  'benefit_retirements',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    workerId: text('worker_id').notNull(),
    retiredOn: date('retired_on', { mode: 'string' }).notNull(),
    pensionFen: int8('pension_fen').notNull(),
    evidence: text('evidence').notNull(),
    approvalId: text('approval_id').notNull(),
    plan: jsonb('plan').$type<RetirementPlan>().notNull(),
    topUpFen: int8('top_up_fen').notNull(),
    // Migration 0061: 《浙江省工伤保险条例》第二十六条第二款 (no monthly pension) and a back-dated one.
    variant: text('variant', { enum: ['monthly_pension', 'no_monthly_pension'] })
      .notNull()
      .default('monthly_pension'),
    accountBalanceFen: int8('account_balance_fen'),
    monthlyOffsetFen: int8('monthly_offset_fen'),
    offsetMonths: integer('offset_months'),
    overpaymentId: text('overpayment_id'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
