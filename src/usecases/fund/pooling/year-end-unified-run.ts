import { z } from 'zod';
import type { Database } from '../../../db/client.ts';
import { intOf, textOf } from '../../../db/rows.ts';
import { TRANSFER_INCOME_CODES } from '../../../domain/fund/indicators/indicator.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import {
  gapSharingTransactions,
  unifiedTrueUpFen,
} from '../../../domain/fund/pooling/unified-postings.ts';
import type { Actor } from '../../../identity/actor.ts';
import { provinceOf } from '../../../kernel/region-codes.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import {
  type PoolingParamValue,
  poolingModeAt,
  unifiedRulesAt,
} from '../../../rules/fund/pooling/pooling-params.ts';
import {
  settleUnifiedGapSharing,
  type UnifiedCityResult,
  type UnifiedSettleInput,
  type UnifiedYearEnd,
  unifiedRulesSchema,
  unifiedSettleInputSchema,
} from '../../../rules/fund/pooling/pooling-unified.ts';
import type { ApprovalRefusal } from '../../approvals/approvals.ts';
import { type BudgetView, listBudgets } from '../budgets/budgets.ts';
import { budgetedOwnExpenditureFen, budgetedOwnIncomeFen } from './unified-flows.ts';
import { type CitySegment, readCitySegments } from './year-end-figures.ts';
import {
  decodeStoredRun,
  loadYearEndRun,
  parseSettleInput,
  runFilesView,
  runStateView,
  runYearEndMode,
  type StoredParams,
  type StoredRunInput,
  type StoredYearEndRun,
  storedFen,
  storedInputSchemaOf,
  storedParamsOf,
  type YearEndModeSteps,
  type YearEndRunInput,
  type YearEndRunOutcome,
  type YearEndRunRow,
  yearEndOf,
  yearEndRunResultOf,
} from './year-end-run-store.ts';
import { type UnifiedCityFigures, writeUnifiedReports } from './year-end-unified-report.ts';

export { storedYearEndMode } from './year-end-run-store.ts';

/**
 * The year-end gap sharing of the unified mode (统收统支) as a ledger run, idempotent by
 * (province, year) and resumable like the adjustment-fund run (the shared year-end run of
 * year-end-run-store.ts: table `pooling_year_end_runs`, mode `unified`, statuses computed → posted
 * → reported):
 *
 * 1. compute — per city, from the ledger for the year: actual income = own income lines (4101,
 *    4102, 4103, 4106: not the transfers 4104/4105), actual expenditure = own expense lines (every
 *    5xxx but 5301/5302), transfersNet = 4104 + 4105 − 5301 − 5302 (allocations received minus
 *    sweeps); from the city's **approved** budget of the year the same own lines; management gaps
 *    from the province's assessment. `settleUnifiedGapSharing` with `unified.gap_sharing` in force on
 *    31 Dec gives each city's province and city-government shares. Stored once, with its audit
 *    event; never recomputed.
 * 2. post — per city `city_share` (receivable from the city government: 1132 / 4102) and `true_up`
 *    (the year-end 清算 that closes the city's year at zero, so the province bears exactly its
 *    share) in one atomic batch (src/domain/fund/pooling/unified-postings.ts).
 * 3. report — per-city Excel and PDF (year-end-unified-report.ts).
 */
export type UnifiedRunInput = YearEndRunInput;

export type UnifiedRunRefusalCode =
  | 'pooling.mode_not_unified'
  | 'pooling.no_cities'
  | 'pooling.budget_not_approved'
  | 'pooling.figures_invalid'
  | 'pooling.run_conflict'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type UnifiedRunResult = { mode: 'unified' } & YearEndRunOutcome<UnifiedYearEnd> & {
    figures: UnifiedCityFigures[];
  };

type StoredInput = StoredRunInput<UnifiedSettleInput, UnifiedCityFigures>;

type UnifiedRun = StoredYearEndRun<StoredInput, UnifiedYearEnd>;

const storedInputSchema = storedInputSchemaOf(unifiedSettleInputSchema, {
  budgetedIncomeFen: storedFen,
  budgetedExpenditureFen: storedFen,
  actualIncomeFen: storedFen,
  actualExpenditureFen: storedFen,
  transfersNetFen: storedFen,
  trueUpFen: storedFen,
});

const cityResultSchema = z.object({
  code: z.string(),
  budgetType: z.enum(['surplus', 'deficit']),
  budgetedResultFen: storedFen,
  actualResultFen: storedFen,
  gapFen: storedFen,
  managementPartFen: storedFen,
  policyPartFen: storedFen,
  deviationFen: storedFen,
  deviationRatio: z.string(),
  layers: z.array(z.object({ band: z.string(), provinceShare: z.string(), amountFen: storedFen })),
  provinceShareFen: storedFen,
  cityGovernmentShareFen: storedFen,
});

const yearEndSchema = z.object({
  mode: z.literal('unified'),
  year: z.number().int(),
  rules: unifiedRulesSchema,
  cities: z.array(cityResultSchema),
  totals: z.object({
    gapFen: storedFen,
    provinceShareFen: storedFen,
    cityGovernmentShareFen: storedFen,
  }),
});

/** The stored unified run with its input and result checked (this module wrote them). */
function decodeUnifiedRun(row: YearEndRunRow): UnifiedRun {
  return decodeStoredRun(row, { input: storedInputSchema, result: yearEndSchema });
}

function transactionsOf(province: string, run: Pick<UnifiedRun, 'input' | 'result' | 'params'>) {
  const shares = new Map(run.result.cities.map((c) => [c.code, c.cityGovernmentShareFen]));
  return gapSharingTransactions({
    province,
    year: run.result.year,
    parameterSnapshotId: run.params.snapshotId,
    cities: run.input.figures.map((f) => ({
      code: f.code,
      cityGovernmentShareFen: shares.get(f.code) ?? 0,
      trueUpFen: f.trueUpFen,
    })),
  });
}

type CityFlows = { ownIncome: number; ownExpenditure: number; transfersNet: number };

/**
 * Each city's own income, own expenditure and transfers of the year, one query. Hand-written SQL
 * with a typed row mapper: a five-table aggregate with a CASE sum, clearer in SQL than in the
 * query builder, and read once per run.
 */
async function readYearFlows(
  db: Database,
  province: string,
  year: number,
): Promise<Map<string, CityFlows>> {
  const r = await db.query(
    `SELECT s.code AS segment, a.chart_code, a.type,
            sum(CASE WHEN p.side = 'C' THEN p.amount ELSE -p.amount END)::int8 AS net
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.seq = p.tx_seq
       LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.province = $1 AND s.kind = 'city' AND a.type IN ('income', 'expense')
        AND t.effective_date BETWEEN $2::date AND $3::date
        AND (t.kind = 'posted' OR r.action = 'post')
      GROUP BY 1, 2, 3`,
    [province, `${year}-01-01`, `${year}-12-31`],
  );
  const out = new Map<string, CityFlows>();
  for (const row of r.rows) {
    const segment = textOf(row, 'segment');
    const f = out.get(segment) ?? { ownIncome: 0, ownExpenditure: 0, transfersNet: 0 };
    out.set(segment, f);
    const code = textOf(row, 'chart_code').trim();
    const net = intOf(row, 'net');
    if (code === '5301' || code === '5302' || TRANSFER_INCOME_CODES.has(code))
      f.transfersNet += net;
    else if (textOf(row, 'type') === 'income') f.ownIncome += net;
    else f.ownExpenditure -= net;
  }
  return out;
}

/** The cities' approved budgets of the year, or the refusal naming every city without one. */
async function approvedBudgets(
  db: Database,
  province: string,
  year: number,
  cities: readonly CitySegment[],
): Promise<Result<Map<string, BudgetView>, 'pooling.budget_not_approved'>> {
  const budgets = new Map(
    (await listBudgets(db, { regionCode: province, year })).map((b) => [b.regionCode, b]),
  );
  const unapproved = cities
    .map((c) => ({ city: c.code, status: budgets.get(c.code)?.status ?? null }))
    .filter((c) => c.status !== 'approved');
  if (unapproved.length > 0)
    return refuse(
      'pooling.budget_not_approved',
      `the gap is shared against each city's approved ${year} budget; not approved: ${unapproved.map((c) => `${c.city} (${c.status ?? 'none'})`).join(', ')}`,
      { province, year, cities: unapproved },
    );
  return ok(budgets);
}

type FiguresIn = Omit<UnifiedCityFigures, 'trueUpFen'>;

function figuresOf(
  cities: readonly CitySegment[],
  budgets: ReadonlyMap<string, BudgetView>,
  flows: ReadonlyMap<string, CityFlows>,
): FiguresIn[] {
  return cities.map((c) => {
    const lines = budgets.get(c.code)?.lines ?? [];
    const f = flows.get(c.code) ?? { ownIncome: 0, ownExpenditure: 0, transfersNet: 0 };
    return {
      code: c.code,
      budgetedIncomeFen: budgetedOwnIncomeFen(lines),
      budgetedExpenditureFen: budgetedOwnExpenditureFen(lines),
      actualIncomeFen: f.ownIncome,
      actualExpenditureFen: f.ownExpenditure,
      transfersNetFen: f.transfersNet,
    };
  });
}

/** The settle input of the figures, or the refusal naming what the ledger figures break. */
function settleInputOf(
  province: string,
  year: number,
  rules: unknown,
  figuresIn: readonly FiguresIn[],
  managementGapsFen: Record<string, number>,
): Result<UnifiedSettleInput, 'pooling.figures_invalid'> {
  return parseSettleInput(
    unifiedSettleInputSchema,
    {
      mode: 'unified',
      year,
      rules,
      cities: figuresIn.map((f) => ({
        code: f.code,
        budgetedIncomeFen: f.budgetedIncomeFen,
        budgetedExpenditureFen: f.budgetedExpenditureFen,
        actualIncomeFen: f.actualIncomeFen,
        actualExpenditureFen: f.actualExpenditureFen,
        managementGapFen: managementGapsFen[f.code] ?? 0,
      })),
    },
    { province, year },
  );
}

type Computed = { input: StoredInput; result: UnifiedYearEnd; params: StoredParams };

/** Step compute of the unified mode: ledger flows against approved budgets, gap shared. */
async function computeUnified(
  db: Database,
  input: UnifiedRunInput,
  managementGapsFen: Record<string, number>,
): Promise<Result<Computed, UnifiedRunRefusalCode>> {
  const { province, year } = input;
  const params = input.params;
  const yearEnd = yearEndOf(year);
  const mode = poolingModeAt(params, province, yearEnd);
  if (mode.value !== 'unified')
    return refuse(
      'pooling.mode_not_unified',
      `${province} pools by ${mode.value} in ${year}, not unified`,
      { province, year, mode: mode.value },
    );
  const cities = await readCitySegments(db, province);
  if (cities.length === 0)
    return refuse('pooling.no_cities', `no city segment is provisioned for ${province}`, {
      province,
    });
  const budgets = await approvedBudgets(db, province, year, cities);
  if (!budgets.ok) return budgets;
  const flows = await readYearFlows(db, province, year);
  const { rules, used } = unifiedRulesAt(params, province, yearEnd);
  const figuresIn = figuresOf(cities, budgets.value, flows);
  const settleInput = settleInputOf(province, year, rules, figuresIn, managementGapsFen);
  if (!settleInput.ok) return settleInput;
  const outcome = settleUnifiedGapSharing(settleInput.value);
  const shareOf = new Map(outcome.cities.map((c) => [c.code, c.cityGovernmentShareFen]));
  const figures: UnifiedCityFigures[] = figuresIn.map((f) => ({
    ...f,
    trueUpFen: unifiedTrueUpFen({ ...f, cityGovernmentShareFen: shareOf.get(f.code) ?? 0 }),
  }));
  return ok({
    input: {
      request: { managementGapsFen },
      settleInput: settleInput.value,
      figures,
      cityNames: Object.fromEntries(cities.map((c) => [c.code, c.name])),
    },
    result: outcome,
    params: storedParamsOf([mode as PoolingParamValue, ...used]),
  });
}

function unifiedSteps(
  db: Database,
  input: UnifiedRunInput,
): YearEndModeSteps<StoredInput, UnifiedYearEnd, UnifiedRunRefusalCode> {
  return {
    mode: 'unified',
    compute: (gaps) => computeUnified(db, input, gaps),
    auditDetails: (result) => ({ mode: 'unified', ...result.totals }),
    decode: decodeUnifiedRun,
    transactions: transactionsOf,
    writeReports: writeUnifiedReports,
  };
}

/** Runs (or resumes) the unified-mode year-end gap sharing of `province` for `year`. */
export async function runUnifiedGapSharing(
  db: Database,
  actor: Actor,
  input: UnifiedRunInput,
): Promise<Result<UnifiedRunResult, UnifiedRunRefusalCode>> {
  const r = await runYearEndMode(db, actor, input, unifiedSteps(db, input));
  if (!r.ok) return r;
  return ok({
    mode: 'unified',
    ...yearEndRunResultOf(input, r.value),
    figures: r.value.run.input.figures,
  });
}

/** The stored unified run as the year-end run page shows it (province: every city; a city: its own). */
export type UnifiedYearEndView = {
  province: string;
  year: number;
  mode: 'unified';
  status: 'computed' | 'posted' | 'reported';
  computedAt: string;
  postedAt: string | null;
  reportedAt: string | null;
  actor: string;
  demoParameters: boolean;
  rules: UnifiedYearEnd['rules'];
  cities: (UnifiedCityResult & UnifiedCityFigures & { name: string })[];
  /** Province only (null for a city's view). */
  totals: UnifiedYearEnd['totals'] | null;
  transactionCount: number;
  reportFiles: { name: string; bytes: number; sha256: string }[];
};

export async function unifiedYearEndResult(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<Result<UnifiedYearEndView, 'fund.year_end_not_found'>> {
  const province = provinceOf(input.regionCode);
  const row = await loadYearEndRun(db, province, input.year);
  if (row?.mode !== 'unified')
    return refuse(
      'fund.year_end_not_found',
      `no ${input.year} unified year-end run has been run for ${province}`,
      { province, year: input.year },
    );
  const run = decodeUnifiedRun(row);
  const isProvince = input.regionCode === province;
  const figures = new Map(run.input.figures.map((f) => [f.code, f]));
  return ok({
    province,
    year: input.year,
    mode: 'unified',
    ...runStateView(run),
    rules: run.result.rules,
    cities: run.result.cities
      .filter((c) => isProvince || c.code === input.regionCode)
      .map((c) => ({
        ...figures.get(c.code)!,
        ...c,
        name: run.input.cityNames[c.code] ?? c.code,
      })),
    totals: isProvince ? run.result.totals : null,
    ...runFilesView(run),
  });
}
