import { z } from 'zod';
import { MAX_LINE_FEN } from '../../../domain/fund/budgets/budget.ts';
import { approvalId, regionParams } from '../../common.ts';
import { ratioResponse, yearParams } from '../fund-params.ts';

export const budgetListParams = regionParams;
export const budgetListQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100),
});
export const budgetParams = yearParams;
const budgetLine = z.strictObject({
  account: z.string().regex(/^[45]\d{3}$/, 'an income (4xxx) or expense (5xxx) chart code'),
  amountFen: z.number().int('integer fen').min(0).max(MAX_LINE_FEN),
});
export const budgetSaveBody = z.strictObject({
  lines: z.array(budgetLine).max(100),
  expectedVersion: z.number().int().min(1).max(1_000_000).optional(),
});
export const budgetReturnBody = z.strictObject({
  reason: z.string().trim().min(2, 'say why (at least 2 characters)').max(500),
});
export const budgetApproveBody = z.strictObject({ approvalId });
export const executionQuery = z.strictObject({
  through: z.coerce.number().int().min(1).max(12).optional(),
});

const budgetStatus = z.enum(['draft', 'submitted', 'consolidated', 'approved']);
const lineType = z.enum(['income', 'expense']);
const incomeExpense = z.object({ incomeFen: z.number().int(), expenseFen: z.number().int() });

export const budgetLineResponse = z.object({
  account: z.string(),
  amountFen: z.number().int(),
  name: z.string(),
  nameEn: z.string(),
  type: lineType,
});

export const budgetResponse = z.object({
  regionCode: z.string(),
  year: z.number().int(),
  province: z.string(),
  status: budgetStatus,
  version: z.number().int(),
  lines: z.array(budgetLineResponse),
  totals: incomeExpense,
  createdBy: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  submittedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  consolidationApprovalId: z.string().nullable(),
  approvalId: z.string().nullable(),
  approvedBy: z.string().nullable(),
  checkerId: z.string().nullable(),
  approvedAt: z.string().nullable(),
});

export const budgetListResponse = z.object({
  year: z.number().int(),
  budgets: z.array(budgetResponse),
});

export const budgetSaveResponse = budgetResponse.extend({ changed: z.boolean() });

export const consolidationResponse = z.object({
  approvalId: z.string(),
  payloadHash: z.string(),
  payload: z.object({
    action: z.literal('fund.budget.approve'),
    province: z.string(),
    year: z.number().int(),
    budgets: z.array(
      z.object({
        segment: z.string(),
        version: z.number().int(),
        lines: z.array(z.object({ account: z.string(), amountFen: z.number().int() })),
      }),
    ),
    totals: incomeExpense,
  }),
});

export const budgetApprovalResponse = z.object({
  year: z.number().int(),
  approved: z.array(z.string()),
  checkerId: z.string(),
  payloadHash: z.string(),
});

export const executionTotalsResponse = z.object({
  annualBudgetFen: z.number().int(),
  plannedToDateFen: z.number().int(),
  actualToDateFen: z.number().int(),
  varianceFen: z.number().int(),
  varianceRatio: ratioResponse,
  executionRatio: ratioResponse,
});

export const executionMonthResponse = z.object({
  period: z.string(),
  plannedFen: z.number().int(),
  actualFen: z.number().int(),
  cumulativePlannedFen: z.number().int(),
  cumulativeActualFen: z.number().int(),
  varianceFen: z.number().int(),
  varianceRatio: ratioResponse,
});

export const executionLineResponse = executionTotalsResponse.extend({
  account: z.string(),
  name: z.string(),
  nameEn: z.string(),
  type: lineType,
  /** False for an account with postings but no budget line (planned 0). */
  budgeted: z.boolean(),
  months: z.array(executionMonthResponse),
});

const incomeExpenseTotals = z.object({
  income: executionTotalsResponse,
  expense: executionTotalsResponse,
});

export const executionSegmentResponse = z.object({
  segment: z.string(),
  year: z.number().int(),
  throughMonth: z.number().int(),
  status: z.union([budgetStatus, z.literal('none')]),
  lines: z.array(executionLineResponse),
  totals: incomeExpenseTotals,
  name: z.string(),
  nameEn: z.string(),
});

export const executionResponse = z.object({
  regionCode: z.string(),
  year: z.number().int(),
  throughMonth: z.number().int(),
  ratioRounding: z.object({ places: z.number().int(), rule: z.string() }),
  segments: z.array(executionSegmentResponse),
  total: incomeExpenseTotals,
});
