/**
 * The fund API's answers as the pages read them (docs/fund-api.md), derived from the server's
 * contract schemas (src/contract/fund/…): a field changed there changes here, and a page reading a
 * field the server no longer sends fails the typecheck. Types only: zod stays out of the bundle.
 * Amounts are integer fen; ratios and months are decimal strings, never floats.
 */
import type { z } from 'zod';
import type {
  budgetApprovalResponse,
  budgetLineResponse,
  budgetListResponse,
  budgetResponse,
  budgetSaveResponse,
  consolidationResponse,
  executionLineResponse,
  executionMonthResponse,
  executionResponse,
  executionSegmentResponse,
  executionTotalsResponse,
} from '../../../contract/fund/budgets/budgets-contract.ts';
import type { monthFlowResponse, ratioResponse } from '../../../contract/fund/fund-params.ts';
import type {
  alertResponse,
  citationResponse,
  indicatorsResponse,
  thresholdResponse,
} from '../../../contract/fund/indicators/indicators-contract.ts';
import type {
  accountBalanceResponse,
  balancesResponse,
  journalEntryResponse,
  journalPageResponse,
  periodsResponse,
  postingResponse,
  trialBalanceResponse,
  trialBalanceRowResponse,
} from '../../../contract/fund/ledger/ledger-contract.ts';
import type {
  overviewResponse,
  segmentOverviewResponse,
} from '../../../contract/fund/overview/overview-contract.ts';
import type {
  adjustmentFundYearEndResponse,
  unifiedYearEndCityResponse,
  unifiedYearEndResponse,
  yearEndCityResponse,
  yearEndResponse,
  yearEndRunResponse,
} from '../../../contract/fund/pooling/year-end-contract.ts';

export type AlertLevel = z.infer<typeof alertResponse>['level'];
export type Citation = z.infer<typeof citationResponse>;
export type Threshold = z.infer<typeof thresholdResponse>;
export type ThresholdName = Threshold['name'];
export type MonthFlow = z.infer<typeof monthFlowResponse>;
export type SegmentOverview = z.infer<typeof segmentOverviewResponse>;
export type SegmentKind = SegmentOverview['kind'];
export type FundOverview = z.infer<typeof overviewResponse>;
export type FundIndicators = z.infer<typeof indicatorsResponse>;

export type Posting = z.infer<typeof postingResponse>;
export type Side = Posting['side'];
export type JournalEntry = z.infer<typeof journalEntryResponse>;
export type JournalPage = z.infer<typeof journalPageResponse>;
export type TrialBalanceRow = z.infer<typeof trialBalanceRowResponse>;
export type AccountType = TrialBalanceRow['type'];
export type TrialBalance = z.infer<typeof trialBalanceResponse>;
export type AccountBalance = z.infer<typeof accountBalanceResponse>;
export type Balances = z.infer<typeof balancesResponse>;
export type Periods = z.infer<typeof periodsResponse>;

export type BudgetView = z.infer<typeof budgetResponse>;
export type BudgetStatus = BudgetView['status'];
export type BudgetLineView = z.infer<typeof budgetLineResponse>;
export type BudgetList = z.infer<typeof budgetListResponse>;
export type SavedBudget = z.infer<typeof budgetSaveResponse>;
export type Consolidation = z.infer<typeof consolidationResponse>;
export type BudgetApproval = z.infer<typeof budgetApprovalResponse>;
export type Ratio = z.infer<typeof ratioResponse>;
export type ExecutionTotals = z.infer<typeof executionTotalsResponse>;
export type ExecutionMonth = z.infer<typeof executionMonthResponse>;
export type ExecutionLine = z.infer<typeof executionLineResponse>;
export type ExecutionSegment = z.infer<typeof executionSegmentResponse>;
export type BudgetExecution = z.infer<typeof executionResponse>;

export type YearEndCity = z.infer<typeof yearEndCityResponse>;
/** 调剂金 years (浙江 2023 in the demo). */
export type AdjustmentFundYearEnd = z.infer<typeof adjustmentFundYearEndResponse>;
export type UnifiedYearEndCity = z.infer<typeof unifiedYearEndCityResponse>;
/** 统收统支 years (浙江 from 2024): banded gap sharing against the approved budgets. */
export type UnifiedYearEnd = z.infer<typeof unifiedYearEndResponse>;
export type YearEnd = z.infer<typeof yearEndResponse>;
export type YearEndRun = z.infer<typeof yearEndRunResponse>;
