import {
  boolean,
  char,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { Permission, Role, ScopeKind } from '../identity/roles.ts';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of the plain-SQL migrations in ./migrations (the SQL is the source of truth; the
 * schema test checks that every table and column here exists in the migrated database).
 */
export const regions = pgTable('regions', {
  code: char('code', { length: 6 }).primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  level: text('level').$type<'province' | 'city'>().notNull(),
  parentCode: char('parent_code', { length: 6 }),
  insuredEmployers: integer('insured_employers').notNull().default(0),
  insuredWorkers: integer('insured_workers').notNull().default(0),
});

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role').$type<Role>().notNull(),
  scopeKind: text('scope_kind').$type<ScopeKind>().notNull(),
  scopeCode: text('scope_code'),
  regionCode: char('region_code', { length: 6 }).notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  guesses: integer('guesses').notNull().default(0),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
  totpSecret: text('totp_secret'),
  totpConfirmedAt: timestamp('totp_confirmed_at', { withTimezone: true }),
  totpLastStep: int8('totp_last_step'),
});

export const loginThrottles = pgTable(
  'login_throttles',
  {
    username: text('username').notNull(),
    address: text('address').notNull(),
    failures: integer('failures').notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
    throttledUntil: timestamp('throttled_until', { withTimezone: true }),
    latestThrottled: boolean('latest_throttled').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.username, t.address] })],
);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  secondFactorPending: boolean('second_factor_pending').notNull().default(false),
});

export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  userId: text('user_id').notNull(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  permissions: text('permissions').array().$type<Permission[]>().notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedBy: text('revoked_by'),
});

export const approvals = pgTable(
  'approvals',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    action: text('action').notNull(),
    payloadHash: text('payload_hash').notNull(),
    makerId: text('maker_id').notNull(),
    checkerId: text('checker_id'),
    status: text('status').$type<ApprovalStatus>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    // 0009: the canonical payload shown to the checker; the maker's role (set by trigger from
    // users); expiry; one or two checkers (amount tier); the amount the tier was chosen by.
    payload: jsonb('payload').$type<unknown>().notNull(),
    makerRole: text('maker_role').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    requiredCheckers: integer('required_checkers').notNull().default(1),
    amountFen: int8('amount_fen'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export type ApprovalStatus =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'consumed'
  | 'expired'
  | 'withdrawn';

/** One checker's decision on an approval (0009); the trigger refuses the maker and the maker's role. */
export const approvalDecisions = pgTable(
  'approval_decisions',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    approvalId: text('approval_id').notNull(),
    checkerId: text('checker_id').notNull(),
    // Filled by the trigger from users; the value inserted is overwritten.
    checkerRole: text('checker_role').notNull(),
    decision: text('decision').$type<'approved' | 'rejected'>().notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.approvalId, t.checkerId] })],
);

export const persons = pgTable(
  'persons',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    idNumber: char('id_number', { length: 18 }).notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    registeredBy: text('registered_by'),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

/** A registrant's own handle on a person registered before (migration 0007). */
export const personAliases = pgTable(
  'person_aliases',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    id: text('id').notNull(),
    personId: text('person_id').notNull(),
    name: text('name').notNull(),
    registeredBy: text('registered_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] })],
);

export const auditEvents = pgTable('audit_events', {
  seq: int8('seq').primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  actor: text('actor'),
  role: text('role'),
  scope: text('scope'),
  action: text('action').notNull(),
  object: text('object'),
  result: text('result').$type<'ok' | 'denied' | 'refused' | 'error'>().notNull(),
  requestId: text('request_id').notNull(),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  sourceAddress: text('source_address'),
  userAgent: text('user_agent'),
});

export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: int8('seq').primaryKey(),
  headHash: text('head_hash').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});

export const auditChainHead = pgTable('audit_chain_head', {
  id: integer('id').primaryKey(),
  seq: int8('seq').notNull(),
  hash: text('hash').notNull(),
});
export * from './schema-appraisal.ts';
export * from './schema-benefits.ts';
export * from './schema-budgets.ts';
export * from './schema-calendar.ts';
// Only the dashboard's counts: caseDetermination is a second view of `cases`, whose listed mirror
// is schema-cases.ts's.
export { caseDueCounts } from './schema-case-determination.ts';
export * from './schema-cases.ts';
export * from './schema-change-letters.ts';
export * from './schema-contributions.ts';
export * from './schema-contributions-assessment.ts';
export * from './schema-corrections.ts';
export * from './schema-floating.ts';
export * from './schema-fund.ts';
export * from './schema-indexation.ts';
export * from './schema-indexation-notices.ts';
export * from './schema-letters.ts';
export * from './schema-materials.ts';
export * from './schema-missing.ts';
export * from './schema-payroll.ts';
export * from './schema-pooling.ts';
export * from './schema-projects.ts';
export * from './schema-recoveries.ts';
export * from './schema-refund-bank.ts';
export * from './schema-registry.ts';
export * from './schema-retirements.ts';
export * from './schema-separation.ts';
export * from './schema-settlement.ts';
export * from './schema-settlement-cross-province.ts';
export * from './schema-settlement-reference.ts';
export * from './schema-stops.ts';
export * from './schema-survivor-changes.ts';
