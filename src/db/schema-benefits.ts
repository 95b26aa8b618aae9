import {
  boolean,
  char,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the benefit decision's tables (migration 0021_benefit_decisions.sql, the
 * source of truth: its checks, the partial unique indexes and the append-only trigger live there).
 */
export type BenefitDecisionStatus = 'proposed' | 'approved' | 'superseded' | 'replaced';
export type BenefitPaymentStatus = 'issued' | 'paid' | 'failed';
export type EntitlementPayer = 'fund' | 'employer';
export type BenefitDecisionKind = 'disability' | 'death' | 'missing';
export type DeathCircumstanceColumn = 'injury' | 'within_suspension' | 'grade1to4_after_suspension';
export type DependantRelationColumn =
  | 'spouse'
  | 'child'
  | 'parent'
  | 'grandparent'
  | 'grandchild'
  | 'sibling';

/** The death facts of a case (migration 0034_death_cases.sql). */
export const caseDeathFacts = pgTable(
  'case_death_facts',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    caseId: text('case_id').notNull(),
    diedOn: date('died_on', { mode: 'string' }).notNull(),
    circumstance: text('circumstance').$type<DeathCircumstanceColumn>().notNull(),
    preDeathMonthlyWageFen: int8('pre_death_monthly_wage_fen'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.caseId] })],
);

/** The 供养亲属 of a death case (migration 0034_death_cases.sql). */
export const caseDependants = pgTable(
  'case_dependants',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    ordinal: smallint('ordinal').notNull(),
    name: text('name').notNull(),
    relation: text('relation').$type<DependantRelationColumn>().notNull(),
    idNumber: char('id_number', { length: 18 }).notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    orphanOrSoleElder: boolean('orphan_or_sole_elder').notNull(),
    adoptive: boolean('adoptive').notNull().default(false),
    status: text('status').$type<'current' | 'replaced'>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const benefitParameterSnapshots = pgTable('benefit_parameter_snapshots', {
  snapshotId: char('snapshot_id', { length: 64 }).primaryKey(),
  content: jsonb('content').$type<unknown>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const benefitDecisions = pgTable(
  'benefit_decisions',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    /** Null for a death decision whose circumstance names no grade (migration 0034). */
    appraisalId: text('appraisal_id'),
    workerId: text('worker_id').notNull(),
    kind: text('kind').$type<BenefitDecisionKind>().notNull().default('disability'),
    /** Death decisions: the death facts and dependants as proposed (migration 0034). */
    death: jsonb('death').$type<unknown>(),
    status: text('status').$type<BenefitDecisionStatus>().notNull(),
    calculationInput: jsonb('calculation_input').$type<unknown>().notNull(),
    calculationResult: jsonb('calculation_result').$type<unknown>().notNull(),
    wageMonths: jsonb('wage_months').$type<unknown>().notNull(),
    wageEvidence: text('wage_evidence'),
    snapshotId: char('snapshot_id', { length: 64 }).notNull(),
    payloadSha256: char('payload_sha256', { length: 64 }).notNull(),
    approvalId: text('approval_id').notNull(),
    ledgerTransactionId: text('ledger_transaction_id'),
    letterId: text('letter_id'),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    approvedBy: text('approved_by'),
    approvedOn: date('approved_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    /** A regrade decision (migration 0036): the decision it replaces and its plan. */
    replacesDecisionId: text('replaces_decision_id'),
    regrade: jsonb('regrade').$type<unknown>(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const benefitPayments = pgTable(
  'benefit_payments',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    decisionId: text('decision_id').notNull(),
    itemCode: text('item_code').notNull(),
    account: text('account').notNull(),
    amountFen: int8('amount_fen').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status').$type<BenefitPaymentStatus>().notNull(),
    payableTransactionId: text('payable_transaction_id').notNull(),
    paidTransactionId: text('paid_transaction_id'),
    reversalTransactionId: text('reversal_transaction_id'),
    bankReference: text('bank_reference'),
    paidOn: date('paid_on', { mode: 'string' }),
    failureReason: text('failure_reason'),
    reissueOf: text('reissue_of'),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/**
 * Months of an entitlement paid outside the payroll (migration 0067): a decision approved after
 * its payroll months ran pays them with the decision; the payment is one per kind.
 */
export const benefitEntitlementArrears = pgTable(
  'benefit_entitlement_arrears',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    entitlementId: text('entitlement_id').notNull(),
    month: char('month', { length: 7 }).notNull(),
    amountFen: int8('amount_fen').notNull(),
    paymentId: text('payment_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.entitlementId, t.month] })],
);

export const benefitEntitlements = pgTable(
  'benefit_entitlements',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    workerId: text('worker_id').notNull(),
    kind: text('kind').notNull(),
    frequency: text('frequency').$type<'monthly'>().notNull(),
    amountFen: int8('amount_fen').notNull(),
    payer: text('payer').$type<EntitlementPayer>().notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    status: text('status').$type<'active' | 'ended'>().notNull(),
    decisionId: text('decision_id').notNull(),
    snapshotId: char('snapshot_id', { length: 64 }).notNull(),
    citation: text('citation').notNull(),
    /** The beneficiary of a survivor's pension (migration 0034); null: the worker's own item. */
    dependantId: text('dependant_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);
