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
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the indexation (待遇调整) tables (migration 0040_benefit_indexation.sql, the
 * source of truth: its checks and unique keys live there; 0058 dropped the lines' foreign keys).
 */
export type IndexationBatchStatus = 'proposed' | 'applied';

export const benefitIndexationBatches = pgTable(
  'benefit_indexation_batches',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    year: integer('year').notNull(),
    status: text('status').$type<IndexationBatchStatus>().notNull(),
    snapshotId: char('snapshot_id', { length: 64 }).notNull(),
    payload: jsonb('payload').notNull(),
    payloadSha256: char('payload_sha256', { length: 64 }).notNull(),
    approvalId: text('approval_id').notNull(),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    appliedBy: text('applied_by'),
    approvedBy: text('approved_by'),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const benefitIndexationLines = pgTable(
  'benefit_indexation_lines',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    batchId: text('batch_id').notNull(),
    entitlementId: text('entitlement_id').notNull(),
    newEntitlementId: text('new_entitlement_id').notNull(),
    workerId: text('worker_id').notNull(),
    dependantId: text('dependant_id'),
    decisionId: text('decision_id').notNull(),
    kind: text('kind').notNull(),
    payer: text('payer').$type<'fund' | 'employer'>().notNull(),
    ruleKey: text('rule_key').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    beforeFen: int8('before_fen').notNull(),
    afterFen: int8('after_fen').notNull(),
    citation: text('citation').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.batchId, t.entitlementId] })],
);
