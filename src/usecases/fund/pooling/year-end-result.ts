import type { Database } from '../../../db/client.ts';
import { provinceOf } from '../../../kernel/region-codes.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import type {
  AdjustmentFundCityResult,
  AdjustmentFundYearEnd,
} from '../../../rules/fund/pooling/pooling-settle.ts';
import { decodeAdjustmentRun } from './year-end-adjustment-run.ts';
import { loadYearEndRun, runFilesView, runStateView } from './year-end-run-store.ts';

/**
 * The stored year-end run of a province (written by year-end-adjustment-run.ts, table
 * pooling_year_end_runs), as the year-end run page shows it: per city for the province, the city's
 * own row for a city. Read-only.
 */
export type YearEndCityView = AdjustmentFundCityResult & {
  name: string;
  contributionIncomeFen: number;
  otherIncomeFen: number;
  expenditureFen: number;
  openingBalanceFen: number;
};

export type YearEndView = {
  province: string;
  year: number;
  mode: 'adjustment_fund' | 'unified';
  status: 'computed' | 'posted' | 'reported';
  computedAt: string;
  postedAt: string | null;
  reportedAt: string | null;
  actor: string;
  demoParameters: boolean;
  rules: AdjustmentFundYearEnd['rules'];
  cities: YearEndCityView[];
  /** Province only (null for a city's view). */
  adjustmentFund: {
    openingFen: number;
    availableFen: number;
    closingFen: number;
    coverageBasis: 'full' | 'prorated';
  } | null;
  transactionCount: number;
  reportFiles: { name: string; bytes: number; sha256: string }[];
};

export async function yearEndResult(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<Result<YearEndView, 'fund.year_end_not_found'>> {
  const province = provinceOf(input.regionCode);
  const stored = await loadYearEndRun(db, province, input.year);
  if (!stored)
    return refuse(
      'fund.year_end_not_found',
      `no ${input.year} year-end run has been run for ${province}`,
      { province, year: input.year },
    );
  const row = decodeAdjustmentRun(stored);
  const isProvince = input.regionCode === province;
  const figures = new Map(row.input.figures.map((f) => [f.code, f]));
  const cities = row.result.cities
    .filter((c) => isProvince || c.code === input.regionCode)
    .map((c) => {
      const f = figures.get(c.code);
      return {
        ...c,
        name: row.input.cityNames[c.code] ?? c.code,
        contributionIncomeFen: f?.contributionIncomeFen ?? 0,
        otherIncomeFen: f?.otherIncomeFen ?? 0,
        expenditureFen: f?.expenditureFen ?? 0,
        openingBalanceFen: f?.openingBalanceFen ?? 0,
      };
    });
  return ok({
    province,
    year: input.year,
    mode: row.mode,
    ...runStateView(row),
    rules: row.result.rules,
    cities,
    adjustmentFund: isProvince
      ? {
          openingFen: row.result.adjustmentFundOpeningFen,
          availableFen: row.result.availableFen,
          closingFen: row.result.adjustmentFundClosingFen,
          coverageBasis: row.result.coverageBasis,
        }
      : null,
    ...runFilesView(row),
  });
}
