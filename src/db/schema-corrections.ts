import { char, date, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { CorrectionPlan } from '../domain/benefits/correction.ts';

/**
 * Drizzle mirror of migration 0050_benefit_corrections.sql (the source of truth: its checks and
 * unique keys live there): manual corrections of an entitlement recorded wrong.
 */
export type BenefitCorrectionStatus = 'proposed' | 'applied' | 'superseded';

export const benefitCorrections = pgTable(
  'benefit_corrections',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    entitlementId: text('entitlement_id').notNull(),
    workerId: text('worker_id').notNull(),
    decisionId: text('decision_id').notNull(),
    status: text('status').$type<BenefitCorrectionStatus>().notNull(),
    reason: text('reason').notNull(),
    evidence: text('evidence').notNull(),
    plan: jsonb('plan').$type<CorrectionPlan>().notNull(),
    approvalId: text('approval_id').notNull(),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    appliedOn: date('applied_on', { mode: 'string' }),
    appliedBy: text('applied_by'),
    correctedEntitlementId: text('corrected_entitlement_id'),
    ledgerTransactionId: text('ledger_transaction_id'),
    paymentId: text('payment_id'),
    overpaymentId: text('overpayment_id'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
