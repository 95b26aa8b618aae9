import type { Database } from '../../../db/client.ts';
import type { BudgetRefusalCode, BudgetStatus } from '../../../domain/fund/budgets/budget.ts';
import {
  budgetExecution,
  type ExecutionTotals,
  RATIO_PLACES,
  RATIO_ROUNDING,
  type SegmentExecution,
  sumExecutionTotals,
} from '../../../domain/fund/budgets/budget-execution.ts';
import { periodEnd } from '../../../domain/fund/ledger/periods.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { fundScope, readFlows } from '../indicators/indicator-figures.ts';
import { listBudgets } from './budgets.ts';

/**
 * Budget execution against the ledger (issue 4 item 8): for the city, or for the province's own
 * segment and every city, each budget line's monthly plan vs actual postings, variance and variance
 * ratio (docs/budgets.md). Actuals are the account movements of the year's posted transactions.
 */
export type NamedSegmentExecution = SegmentExecution & { name: string; nameEn: string };

export type BudgetExecutionReport = {
  regionCode: string;
  year: number;
  throughMonth: number;
  ratioRounding: { places: number; rule: string };
  segments: NamedSegmentExecution[];
  /** Σ over the segments (transfers between segments are not eliminated here). */
  total: { income: ExecutionTotals; expense: ExecutionTotals };
};

/** Default last month: December for a past or future year, the current month for this year. */
export function defaultThroughMonth(year: number, today: IsoDate): number {
  return Number(today.slice(0, 4)) === year ? Number(today.slice(5, 7)) : 12;
}

export async function budgetExecutionReport(
  db: Database,
  input: { regionCode: string; year: number; throughMonth?: number | undefined; today: IsoDate },
): Promise<Result<BudgetExecutionReport, BudgetRefusalCode>> {
  const scope = await fundScope(db, input.regionCode);
  if (!scope.ok)
    return refuse('budget.segment_unknown', scope.message, { regionCode: input.regionCode });
  const through = input.throughMonth ?? defaultThroughMonth(input.year, input.today);
  const segments = scope.value.segments.filter((s) => s.kind === 'city' || s.kind === 'province');
  const asOf = periodEnd(`${input.year}-${String(through).padStart(2, '0')}`);
  const rows = await readFlows(db, {
    province: scope.value.province,
    segments: segments.map((s) => s.code),
    asOf,
  });
  const budgets = new Map(
    (await listBudgets(db, { regionCode: input.regionCode, year: input.year })).map((b) => [
      b.regionCode,
      b,
    ]),
  );
  const year = String(input.year);
  const out: NamedSegmentExecution[] = [];
  for (const s of segments) {
    const actuals = new Map<string, Fen[]>();
    for (const r of rows) {
      if (r.segment !== s.code || r.period.slice(0, 4) !== year) continue;
      if (r.type !== 'income' && r.type !== 'expense') continue;
      const list = actuals.get(r.chartCode) ?? Array.from({ length: 12 }, () => 0);
      const i = Number(r.period.slice(5, 7)) - 1;
      // Movement on the normal side: income is credit-normal, expense debit-normal.
      list[i] = (list[i] ?? 0) + (r.type === 'income' ? -r.netDebitFen : r.netDebitFen);
      actuals.set(r.chartCode, list);
    }
    const b = budgets.get(s.code);
    const status: BudgetStatus | 'none' = b?.status ?? 'none';
    out.push({
      ...budgetExecution({
        segment: s.code,
        year: input.year,
        throughMonth: through,
        status,
        lines: b?.lines ?? [],
        actuals,
      }),
      name: s.name,
      nameEn: s.nameEn,
    });
  }
  return ok({
    regionCode: input.regionCode,
    year: input.year,
    throughMonth: through,
    ratioRounding: { places: RATIO_PLACES, rule: RATIO_ROUNDING },
    segments: out,
    total: {
      income: sumExecutionTotals(out.map((s) => s.totals.income)),
      expense: sumExecutionTotals(out.map((s) => s.totals.expense)),
    },
  });
}
