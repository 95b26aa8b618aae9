import type { Database } from '../../../db/client.ts';
import {
  dateOf,
  dateOrNullOf,
  oneOfReader,
  ownedJsonOf,
  type Row,
  textArrayOf,
  textOf,
  withColumns,
} from '../../../db/rows.ts';
import type {
  AdjustmentFundCityResult,
  AdjustmentFundYearEnd,
} from '../../../domain/fund/pooling/pooling-settle.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';

/**
 * The stored year-end run of a province (written by year-end-run.ts, table
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

type RunRow = {
  input: {
    figures: {
      code: string;
      contributionIncomeFen: number;
      otherIncomeFen: number;
      expenditureFen: number;
      openingBalanceFen: number;
    }[];
    cityNames: Record<string, string>;
  };
  result: AdjustmentFundYearEnd;
  params: { used: { status: string }[] };
  report_files: { name: string; bytes: number; sha256: string }[] | null;
};

const runSpec = {
  mode: oneOfReader(['adjustment_fund', 'unified']),
  status: oneOfReader(['computed', 'posted', 'reported']),
  input: (r: Row, n: string) => ownedJsonOf<RunRow['input']>(r, n),
  result: (r: Row, n: string) => ownedJsonOf<RunRow['result']>(r, n),
  params: (r: Row, n: string) => ownedJsonOf<RunRow['params']>(r, n),
  transaction_ids: textArrayOf,
  report_files: (r: Row, n: string) => ownedJsonOf<RunRow['report_files']>(r, n),
  actor: textOf,
  computed_at: dateOf,
  posted_at: dateOrNullOf,
  reported_at: dateOrNullOf,
};

export async function yearEndResult(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<Result<YearEndView, 'fund.year_end_not_found'>> {
  const province = `${input.regionCode.slice(0, 2)}0000`;
  const raw = await db.query(
    `SELECT mode, status, input, result, params, transaction_ids, report_files, actor,
            computed_at, posted_at, reported_at
       FROM pooling_year_end_runs WHERE province = $1 AND year = $2`,
    [province, input.year],
  );
  const r = withColumns(raw, runSpec);
  const row = r.rows[0];
  if (!row)
    return refuse(
      'fund.year_end_not_found',
      `no ${input.year} year-end run has been run for ${province}`,
      { province, year: input.year },
    );
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
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return ok({
    province,
    year: input.year,
    mode: row.mode,
    status: row.status,
    computedAt: iso(row.computed_at)!,
    postedAt: iso(row.posted_at),
    reportedAt: iso(row.reported_at),
    actor: row.actor,
    demoParameters: row.params.used.some((u) => u.status === 'demo'),
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
    transactionCount: row.transaction_ids.length,
    reportFiles: (row.report_files ?? []).map((f) => ({
      name: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
    })),
  });
}
