import { z } from 'zod';
import { CITIES_PER_PROVINCE_MAX } from '../../../kernel/region-codes.ts';
import { approvalId } from '../../common.ts';
import { yearParams } from '../fund-params.ts';

export const yearEndParams = yearParams;
export const yearEndReportParams = yearParams.extend({ format: z.enum(['xlsx', 'pdf']) });
/** 管理性缺口 per city from the province's assessment (fen); default none. */
export const managementGapsFen = z
  .record(
    z.string().regex(/^\d{6}$/, 'a 6-digit city code'),
    z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  )
  // The run stores and hashes the request: a body of 50 000 invented cities stays out.
  .refine(
    (gaps) => Object.keys(gaps).length <= CITIES_PER_PROVINCE_MAX,
    `at most ${CITIES_PER_PROVINCE_MAX} cities (a province has fewer)`,
  );
export const yearEndRunBody = z.strictObject({
  managementGapsFen: managementGapsFen.optional(),
  /** The approved approval of this run (action pooling.year_end_run, the same gaps). */
  approvalId,
});

const fen = z.number().int();

/** What both kinds of year-end run show besides their rules and cities. */
const yearEndCommon = {
  province: z.string(),
  year: z.number().int(),
  status: z.enum(['computed', 'posted', 'reported']),
  computedAt: z.string(),
  postedAt: z.string().nullable(),
  reportedAt: z.string().nullable(),
  actor: z.string(),
  demoParameters: z.boolean(),
  transactionCount: z.number().int(),
  reportFiles: z.array(z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string() })),
};

export const yearEndCityResponse = z.object({
  code: z.string(),
  remittanceFen: fen,
  reserveFen: fen,
  closingBeforeCoverageFen: fen,
  gapFen: fen,
  managementPartFen: fen,
  policyPartFen: fen,
  claimFen: fen,
  coverageFen: fen,
  cityGovernmentShareFen: fen,
  closingAfterCoverageFen: fen,
  name: z.string(),
  contributionIncomeFen: fen,
  otherIncomeFen: fen,
  expenditureFen: fen,
  openingBalanceFen: fen,
});

/** 调剂金 years (浙江 2023 in the demo). */
export const adjustmentFundYearEndResponse = z.object({
  ...yearEndCommon,
  mode: z.literal('adjustment_fund'),
  rules: z.object({
    remittanceRate: z.string(),
    reserveRate: z.string(),
    policyGapCoverageShare: z.string(),
  }),
  cities: z.array(yearEndCityResponse),
  /** Province only (null for a city's view). */
  adjustmentFund: z
    .object({
      openingFen: fen,
      availableFen: fen,
      closingFen: fen,
      coverageBasis: z.enum(['full', 'prorated']),
    })
    .nullable(),
});

export const unifiedYearEndCityResponse = z.object({
  code: z.string(),
  budgetedIncomeFen: fen,
  budgetedExpenditureFen: fen,
  actualIncomeFen: fen,
  actualExpenditureFen: fen,
  transfersNetFen: fen,
  trueUpFen: fen,
  budgetType: z.enum(['surplus', 'deficit']),
  budgetedResultFen: fen,
  actualResultFen: fen,
  gapFen: fen,
  managementPartFen: fen,
  policyPartFen: fen,
  deviationFen: fen,
  deviationRatio: z.string(),
  layers: z.array(z.object({ band: z.string(), provinceShare: z.string(), amountFen: fen })),
  provinceShareFen: fen,
  cityGovernmentShareFen: fen,
  name: z.string(),
});

/** 统收统支 years (浙江 from 2024): banded gap sharing against the approved budgets. */
export const unifiedYearEndResponse = z.object({
  ...yearEndCommon,
  mode: z.literal('unified'),
  rules: z.object({
    baseProvinceShare: z.object({ budgetedSurplus: z.string(), budgetedDeficit: z.string() }),
    bands: z.array(z.object({ deviationAbove: z.string(), provinceShare: z.string() })),
    managementGapCityShare: z.string(),
  }),
  cities: z.array(unifiedYearEndCityResponse),
  /** Province only (null for a city's view). */
  totals: z.object({ gapFen: fen, provinceShareFen: fen, cityGovernmentShareFen: fen }).nullable(),
});

export const yearEndResponse = z.discriminatedUnion('mode', [
  adjustmentFundYearEndResponse,
  unifiedYearEndResponse,
]);

const runNow = { computedNow: z.boolean(), postedNow: z.number().int() };

export const yearEndRunResponse = z.discriminatedUnion('mode', [
  adjustmentFundYearEndResponse.extend(runNow),
  unifiedYearEndResponse.extend(runNow),
]);
