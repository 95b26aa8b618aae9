import { z } from 'zod';
import type { Database } from '../../../db/client.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import { yearEndTransactions } from '../../../domain/fund/pooling/year-end-adjustment-postings.ts';
import type { Actor } from '../../../identity/actor.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import {
  adjustmentFundRulesAt,
  type PoolingParamValue,
  poolingModeAt,
} from '../../../rules/fund/pooling/pooling-params.ts';
import {
  type AdjustmentFundSettleInput,
  type AdjustmentFundYearEnd,
  adjustmentFundRulesSchema,
  adjustmentFundSettleInputSchema,
  settlePooling,
} from '../../../rules/fund/pooling/pooling-settle.ts';
import { writeAdjustmentReports } from './year-end-adjustment-report.ts';
import { type CityFigures, readYearEndFigures } from './year-end-figures.ts';
import {
  decodeStoredRun,
  parseSettleInput,
  runYearEndMode,
  type StoredParams,
  type StoredRunInput,
  type StoredYearEndRun,
  storedFen,
  storedInputSchemaOf,
  storedParamsOf,
  storedYearEndMode,
  type YearEndModeSteps,
  type YearEndRunInput,
  type YearEndRunOutcome,
  type YearEndRunRow,
  yearEndOf,
  yearEndRunResultOf,
} from './year-end-run-store.ts';
import {
  runUnifiedGapSharing,
  type UnifiedRunRefusalCode,
  type UnifiedRunResult,
} from './year-end-unified-run.ts';

/**
 * The real year-end run of the adjustment-fund mode, idempotent by (province, year) and
 * safe to kill at any point (docs/pooling.md, "The run"), on the shared year-end run
 * (year-end-run-store.ts):
 *
 * 1. compute — read each city's figures for the year from the ledger, settle with `settlePooling`,
 *    and store input, result and parameters in `pooling_year_end_runs` (status `computed`) in one
 *    transaction with its audit event. A run already stored is never recomputed: later postings do
 *    not change a year-end run once computed.
 * 2. post — submit the stored result's transactions (ids from province, year, city and kind) in one
 *    atomic batch through the ledger write path; ids already recorded come back as `exists`; then
 *    status `posted`.
 * 3. report — write the per-city Excel and PDF (temp file + rename, fixed dates, byte-deterministic),
 *    then status `reported` with the files' sha256. A rerun of a reported run re-checks the files and
 *    rewrites a missing or altered one.
 *
 * The mode comes from the dated parameter `pooling.mode` on 31 Dec (or from the stored run): a
 * unified year is dispatched to `runUnifiedGapSharing` (year-end-unified-run.ts), same table and
 * steps.
 */
export type { YearEndRunInput };

export type YearEndRunRefusalCode =
  | 'pooling.mode_not_supported'
  | 'pooling.no_cities'
  | 'pooling.figures_invalid'
  | 'pooling.run_conflict'
  | UnifiedRunRefusalCode
  | LedgerRefusalCode;

export type YearEndRunResult = AdjustmentFundRunResult | UnifiedRunResult;

export type AdjustmentFundRunResult = {
  mode: 'adjustment_fund';
} & YearEndRunOutcome<AdjustmentFundYearEnd>;

type StoredInput = StoredRunInput<AdjustmentFundSettleInput, CityFigures>;

type AdjustmentRun = StoredYearEndRun<StoredInput, AdjustmentFundYearEnd>;

const storedInputSchema = storedInputSchemaOf(adjustmentFundSettleInputSchema, {
  contributionIncomeFen: storedFen,
  otherIncomeFen: storedFen,
  expenditureFen: storedFen,
  openingBalanceFen: storedFen,
});

const cityResultSchema = z.object({
  code: z.string(),
  remittanceFen: storedFen,
  reserveFen: storedFen,
  closingBeforeCoverageFen: storedFen,
  gapFen: storedFen,
  managementPartFen: storedFen,
  policyPartFen: storedFen,
  claimFen: storedFen,
  coverageFen: storedFen,
  cityGovernmentShareFen: storedFen,
  closingAfterCoverageFen: storedFen,
});

const yearEndSchema = z.object({
  mode: z.literal('adjustment_fund'),
  year: z.number().int(),
  rules: adjustmentFundRulesSchema,
  cities: z.array(cityResultSchema),
  adjustmentFundOpeningFen: storedFen,
  availableFen: storedFen,
  coverageBasis: z.enum(['full', 'prorated']),
  adjustmentFundClosingFen: storedFen,
  totals: z.object({
    contributionIncomeFen: storedFen,
    remittanceFen: storedFen,
    reserveFen: storedFen,
    gapFen: storedFen,
    claimFen: storedFen,
    coverageFen: storedFen,
    cityGovernmentShareFen: storedFen,
  }),
});

/** The stored adjustment-fund run with its input and result checked (this module wrote them). */
export function decodeAdjustmentRun(row: YearEndRunRow): AdjustmentRun {
  return decodeStoredRun(row, { input: storedInputSchema, result: yearEndSchema });
}

/** Step compute of the adjustment-fund mode: the ledger figures settled by `settlePooling`. */
async function computeAdjustment(
  db: Database,
  input: YearEndRunInput,
  managementGapsFen: Record<string, number>,
): Promise<
  Result<
    { input: StoredInput; result: AdjustmentFundYearEnd; params: StoredParams },
    YearEndRunRefusalCode
  >
> {
  const { province, year } = input;
  const params = input.params;
  const mode = poolingModeAt(params, province, yearEndOf(year));
  if (mode.value !== 'adjustment_fund')
    return refuse(
      'pooling.mode_not_supported',
      `${province} pools by ${mode.value} in ${year}; this step settles the adjustment_fund mode only (runYearEnd dispatches unified years to runUnifiedGapSharing)`,
      { province, year, mode: mode.value },
    );
  const figures = await readYearEndFigures(db, province, year);
  if (figures.cities.length === 0)
    return refuse('pooling.no_cities', `no city segment is provisioned for ${province}`, {
      province,
    });
  const { rules, used } = adjustmentFundRulesAt(params, province, yearEndOf(year));
  const parsed = parseSettleInput(
    adjustmentFundSettleInputSchema,
    {
      mode: 'adjustment_fund',
      year,
      rules,
      adjustmentFundOpeningFen: figures.adjustmentFundOpeningFen,
      cities: figures.cities.map((c) => ({
        code: c.code,
        contributionIncomeFen: c.contributionIncomeFen,
        otherIncomeFen: c.otherIncomeFen,
        expenditureFen: c.expenditureFen,
        openingBalanceFen: c.openingBalanceFen,
        managementGapFen: managementGapsFen[c.code] ?? 0,
      })),
    },
    input,
  );
  if (!parsed.ok) return parsed;
  return ok({
    input: {
      request: { managementGapsFen },
      settleInput: parsed.value,
      figures: figures.cities,
      cityNames: figures.cityNames,
    },
    result: settlePooling(parsed.value),
    params: storedParamsOf([mode as PoolingParamValue, ...used]),
  });
}

function adjustmentSteps(
  db: Database,
  input: YearEndRunInput,
): YearEndModeSteps<StoredInput, AdjustmentFundYearEnd, YearEndRunRefusalCode> {
  return {
    mode: 'adjustment_fund',
    compute: (gaps) => computeAdjustment(db, input, gaps),
    auditDetails: (result) => ({ adjustmentFundClosingFen: result.adjustmentFundClosingFen }),
    decode: decodeAdjustmentRun,
    transactions: (province, run) =>
      yearEndTransactions({
        province,
        yearEnd: run.result,
        effectiveDate: yearEndOf(run.result.year),
        parameterSnapshotId: run.params.snapshotId,
      }),
    writeReports: writeAdjustmentReports,
  };
}

/** Runs (or resumes) the year-end run of `province` for `year`, in the year's mode. */
export async function runYearEnd(
  db: Database,
  actor: Actor,
  input: YearEndRunInput,
): Promise<Result<YearEndRunResult, YearEndRunRefusalCode>> {
  const { province, year } = input;
  const mode =
    (await storedYearEndMode(db, province, year)) ??
    poolingModeAt(input.params, province, yearEndOf(year)).value;
  if (mode === 'unified') return runUnifiedGapSharing(db, actor, input);
  const r = await runYearEndMode(db, actor, input, adjustmentSteps(db, input));
  if (!r.ok) return r;
  return ok({ mode: 'adjustment_fund', ...yearEndRunResultOf(input, r.value) });
}
