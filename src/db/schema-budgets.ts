import { char, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { int8 } from './int8.ts';

/**
 * Drizzle mirror of migration 0004_fund_budgets.sql (the SQL is the source of truth: its checks
 * and the triggers guarding the status machine live there). Every read and write of budgets goes
 * through src/usecases/fund/budgets/budgets.ts.
 */
export const fundBudgets = pgTable(
  'fund_budgets',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    year: integer('year').notNull(),
    province: char('province', { length: 6 }).notNull(),
    status: text('status').$type<'draft' | 'submitted' | 'consolidated' | 'approved'>().notNull(),
    version: integer('version').notNull(),
    createdBy: text('created_by').notNull(),
    updatedBy: text('updated_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedBy: text('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    consolidationApprovalId: text('consolidation_approval_id'),
    approvalId: text('approval_id'),
    approvedBy: text('approved_by'),
    checkerId: text('checker_id'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.year] }),
    index('fund_budgets_province_year_idx').on(t.province, t.year),
  ],
);

/** One amount per chart code (4xxx income, 5xxx expense), integer fen. */
export const fundBudgetLines = pgTable(
  'fund_budget_lines',
  {
    regionCode: char('region_code', { length: 6 }).notNull(),
    year: integer('year').notNull(),
    account: char('account', { length: 4 }).notNull(),
    amountFen: int8('amount_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.year, t.account] })],
);
