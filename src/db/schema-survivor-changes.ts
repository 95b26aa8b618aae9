import { char, date, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { SurvivorChangePlan, SurvivorEventKind } from '../domain/benefits/survivor-change.ts';

/**
 * Drizzle mirror of migration 0053_benefit_survivor_changes.sql (the source of truth: its checks
 * and unique keys live there): a survivor's pension ends, is suspended or resumes.
 */
export type SurvivorChangeStatus = 'proposed' | 'applied' | 'superseded' | 'rejected';

export const benefitSurvivorChanges = pgTable(
  'benefit_survivor_changes',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    decisionId: text('decision_id').notNull(),
    workerId: text('worker_id').notNull(),
    dependantId: text('dependant_id').notNull(),
    kind: text('kind').$type<SurvivorEventKind>().notNull(),
    eventOn: date('event_on', { mode: 'string' }).notNull(),
    lastPaidMonth: char('last_paid_month', { length: 7 }).notNull(),
    endedEntitlementId: text('ended_entitlement_id'),
    status: text('status').$type<SurvivorChangeStatus>().notNull(),
    reason: text('reason').notNull(),
    evidence: text('evidence').notNull(),
    plan: jsonb('plan').$type<SurvivorChangePlan>().notNull(),
    approvalId: text('approval_id').notNull(),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    appliedOn: date('applied_on', { mode: 'string' }),
    appliedBy: text('applied_by'),
    ledgerTransactionId: text('ledger_transaction_id'),
    paymentId: text('payment_id'),
    overpaymentId: text('overpayment_id'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
