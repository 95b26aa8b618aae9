/**
 * The fund API's answers as the pages read them (docs/fund-api.md). Amounts are integer fen;
 * ratios and months are decimal strings, never floats.
 */
export type AlertLevel =
  | 'below'
  | 'watch_low'
  | 'normal'
  | 'watch_high'
  | 'above'
  | 'no_expenditure'
  | 'no_threshold';

export type ThresholdName = 'alert_below' | 'watch_below' | 'watch_above' | 'alert_above';

export type Citation = {
  instrument: string;
  article: string;
  url?: string;
  confidence?: 'V' | 'S' | 'M';
};

export type Threshold = {
  name: ThresholdName;
  months: string;
  status: 'legislated' | 'projected' | 'demo';
  from: string;
  citation: Citation;
  note: string | null;
};

export type MonthFlow = { period: string; incomeFen: number; expenditureFen: number };

export type SegmentKind = 'city' | 'province' | 'adjustment' | 'province_total';

export type SegmentOverview = {
  segment: string;
  kind: SegmentKind;
  name: string;
  nameEn: string;
  balanceFen: number;
  reserveFen: number;
  incomeYtdFen: number;
  expenditureYtdFen: number;
  months: MonthFlow[];
  monthsOfExpenditure: {
    balanceFen: number;
    expenditure12Fen: number;
    windowFrom: string;
    windowTo: string;
    months: string | null;
    monthsExact: string | null;
  };
  alert: { level: AlertLevel; message: string; demoThreshold: boolean };
};

export type FundOverview = {
  regionCode: string;
  scope: 'city' | 'province';
  year: number;
  asOf: string;
  denominator: { value: 'own_expenditure' | 'benefits_only' };
  thresholds: Threshold[];
  total: SegmentOverview;
  segments: SegmentOverview[];
};

export type Side = 'debit' | 'credit';

export type Posting = { segment: string; account: string; side: Side; amountFen: number };

export type JournalEntry = {
  seq: number;
  id: string;
  kind: 'posted' | 'pending';
  resolution: { action: 'post' | 'void'; resolvedAt: string; actor: string } | null;
  effectiveDate: string;
  source: { type: string; id: string };
  parameterSnapshotId: string | null;
  memo: string | null;
  corrects: string | null;
  actor: string;
  recordedAt: string;
  postings: Posting[];
};

export type JournalPage = {
  segment: string;
  entries: JournalEntry[];
  nextBeforeSeq: number | null;
};

export type AccountType = 'asset' | 'liability' | 'reserve' | 'income' | 'expense';

export type TrialBalanceRow = {
  segment: string;
  account: string;
  chartCode: string;
  name: string;
  nameEn: string;
  type: AccountType;
  normalSide: 'D' | 'C';
  debitFen: number;
  creditFen: number;
  balanceFen: number;
};

export type TrialBalance = {
  segment: string;
  asOf: string;
  rows: TrialBalanceRow[];
  totals: { debitFen: number; creditFen: number; balanced: boolean };
};

export type AccountBalance = {
  segment: string;
  account: string;
  name: string;
  nameEn: string;
  type: AccountType;
  normalSide: 'D' | 'C';
  debitPostedFen: number;
  creditPostedFen: number;
  debitPendingFen: number;
  creditPendingFen: number;
  balanceFen: number;
  version: number;
};

export type Balances = { segment: string; balances: AccountBalance[] };

export type BudgetStatus = 'draft' | 'submitted' | 'consolidated' | 'approved';

export type BudgetLineView = {
  account: string;
  amountFen: number;
  name: string;
  nameEn: string;
  type: 'income' | 'expense';
};

export type BudgetView = {
  regionCode: string;
  year: number;
  province: string;
  status: BudgetStatus;
  version: number;
  lines: BudgetLineView[];
  totals: { incomeFen: number; expenseFen: number };
  createdBy: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
  submittedBy: string | null;
  submittedAt: string | null;
  consolidationApprovalId: string | null;
  approvalId: string | null;
  approvedBy: string | null;
  checkerId: string | null;
  approvedAt: string | null;
};

export type BudgetList = { year: number; budgets: BudgetView[] };

export type Consolidation = {
  approvalId: string;
  payloadHash: string;
  payload: {
    action: string;
    province: string;
    year: number;
    budgets: { segment: string; version: number }[];
    totals: { incomeFen: number; expenseFen: number };
  };
};

export type BudgetApproval = {
  year: number;
  approved: string[];
  checkerId: string;
  payloadHash: string;
};

export type Ratio = { value: string; exact: string } | null;

export type ExecutionTotals = {
  annualBudgetFen: number;
  plannedToDateFen: number;
  actualToDateFen: number;
  varianceFen: number;
  varianceRatio: Ratio;
  executionRatio: Ratio;
};

export type ExecutionMonth = {
  period: string;
  plannedFen: number;
  actualFen: number;
  cumulativePlannedFen: number;
  cumulativeActualFen: number;
  varianceFen: number;
  varianceRatio: Ratio;
};

export type ExecutionLine = ExecutionTotals & {
  account: string;
  name: string;
  nameEn: string;
  type: 'income' | 'expense';
  budgeted: boolean;
  months: ExecutionMonth[];
};

export type ExecutionSegment = {
  segment: string;
  name: string;
  nameEn: string;
  year: number;
  throughMonth: number;
  status: BudgetStatus | 'none';
  lines: ExecutionLine[];
  totals: { income: ExecutionTotals; expense: ExecutionTotals };
};

export type BudgetExecution = {
  regionCode: string;
  year: number;
  throughMonth: number;
  segments: ExecutionSegment[];
  total: { income: ExecutionTotals; expense: ExecutionTotals };
};

export type YearEndCity = {
  code: string;
  name: string;
  contributionIncomeFen: number;
  otherIncomeFen: number;
  expenditureFen: number;
  openingBalanceFen: number;
  remittanceFen: number;
  reserveFen: number;
  closingBeforeCoverageFen: number;
  gapFen: number;
  managementPartFen: number;
  policyPartFen: number;
  claimFen: number;
  coverageFen: number;
  cityGovernmentShareFen: number;
  closingAfterCoverageFen: number;
};

type YearEndCommon = {
  province: string;
  year: number;
  status: 'computed' | 'posted' | 'reported';
  computedAt: string | null;
  postedAt: string | null;
  reportedAt: string | null;
  actor: string;
  demoParameters: boolean;
  transactionCount: number;
  reportFiles: { name: string; bytes: number; sha256: string }[];
};

/** 调剂金 years (浙江 2023 in the demo). */
export type AdjustmentFundYearEnd = YearEndCommon & {
  mode: 'adjustment_fund';
  rules: { remittanceRate: string; reserveRate: string; policyGapCoverageShare: string };
  cities: YearEndCity[];
  adjustmentFund: {
    openingFen: number;
    availableFen: number;
    closingFen: number;
    coverageBasis: 'full' | 'prorated';
  } | null;
};

export type UnifiedYearEndCity = {
  code: string;
  name: string;
  budgetType: 'surplus' | 'deficit';
  budgetedIncomeFen: number;
  budgetedExpenditureFen: number;
  actualIncomeFen: number;
  actualExpenditureFen: number;
  budgetedResultFen: number;
  actualResultFen: number;
  gapFen: number;
  managementPartFen: number;
  policyPartFen: number;
  deviationFen: number;
  deviationRatio: string;
  provinceShareFen: number;
  cityGovernmentShareFen: number;
  transfersNetFen: number;
  trueUpFen: number;
};

/** 统收统支 years (浙江 from 2024): banded gap sharing against the approved budgets. */
export type UnifiedYearEnd = YearEndCommon & {
  mode: 'unified';
  rules: {
    bands: { provinceShare: string; deviationAbove: string }[];
    baseProvinceShare: { budgetedDeficit: string; budgetedSurplus: string };
    managementGapCityShare: string;
  };
  cities: UnifiedYearEndCity[];
  totals: { gapFen: number; provinceShareFen: number; cityGovernmentShareFen: number } | null;
};

export type YearEnd = AdjustmentFundYearEnd | UnifiedYearEnd;

export type YearEndRun = YearEnd & { computedNow: boolean; postedNow: number };
