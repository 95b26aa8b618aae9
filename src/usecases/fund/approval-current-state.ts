import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { BUDGET_APPROVAL_ACTION } from '../../domain/fund/budgets/budget.ts';
import { provinceOfSegment } from '../../domain/fund/ledger/accounts.ts';
import { todayInChina } from '../../kernel/dates.ts';
import type { PoolingParamSet } from '../../rules/fund/pooling/pooling-params.ts';
import { reserveRuleAt } from '../../rules/fund/reserve/reserve-rule.ts';
import { getBudget } from './budgets/budgets.ts';
import { trialBalance } from './ledger/ledger-read.ts';
import {
  ALLOCATION_ACTION,
  BUDGET_ALLOCATION_ACTION,
  SWEEP_ACTION,
  sweepAmountFen,
} from './pooling/unified-flows.ts';
import { capRatioFor, PREVENTION_CAP_RAISE_ACTION } from './prevention/prevention-spending.ts';
import { RESERVE_REDUCTION_ACTION } from './reserve/reserve-set-aside.ts';

/**
 * What a checker compares an approval's payload with (docs/security.md, "Maker-checker"): the
 * state it would change, read now, next to what the payload makes of it. Null where there is no
 * current state to compare (a year-end run, a period close, an opening balance).
 */
export type ApprovalDiffRow = { field: string; current: unknown; proposed: unknown };
export type ApprovalCurrentState = { description: string; diff: ApprovalDiffRow[] } | null;

const movement = z.object({ city: z.string(), amountFen: z.number().int() });
const sweep = z.object({ city: z.string(), period: z.string(), amountFen: z.number().int() });
const budgets = z.object({
  budgets: z.array(z.object({ segment: z.string(), version: z.number().int() })),
  year: z.number().int(),
});
const reserve = z.object({
  city: z.string(),
  year: z.number().int(),
  reducedTotalRatio: z.string(),
});
const prevention = z.object({ province: z.string(), year: z.number().int(), ratio: z.string() });

async function cashFen(db: Database, segment: string): Promise<number | null> {
  // Everything recorded up to today: what the checker's decision is made against.
  const tb = await trialBalance(db, { segment, asOf: todayInChina() });
  if (!tb.ok) return null;
  return tb.value.rows.find((r) => r.account === '1001')?.balanceFen ?? 0;
}

/** A transfer of `amountFen` between the province's and the city's fiscal accounts (1001). */
async function transferDiff(
  db: Database,
  from: string,
  to: string,
  amountFen: number,
): Promise<ApprovalDiffRow[]> {
  const [a, b] = [await cashFen(db, from), await cashFen(db, to)];
  return [
    { field: `${from} 1001`, current: a, proposed: a === null ? null : a - amountFen },
    { field: `${to} 1001`, current: b, proposed: b === null ? null : b + amountFen },
  ];
}

async function budgetDiff(db: Database, p: z.output<typeof budgets>): Promise<ApprovalDiffRow[]> {
  const rows: ApprovalDiffRow[] = [];
  for (const b of p.budgets) {
    const now = await getBudget(db, { regionCode: b.segment, year: p.year });
    rows.push({
      field: `${b.segment} ${p.year}`,
      current: now.ok ? `${now.value.status} v${now.value.version}` : null,
      proposed: `approved v${b.version}`,
    });
  }
  return rows;
}

/** The current state an approval of `action` would change, or null. */
export async function approvalCurrentState(
  db: Database,
  params: PoolingParamSet,
  approval: { action: string; payload: unknown },
): Promise<ApprovalCurrentState> {
  const { action, payload } = approval;
  if (action === ALLOCATION_ACTION || action === BUDGET_ALLOCATION_ACTION) {
    const p = movement.safeParse(payload);
    if (!p.success) return null;
    const { city, amountFen } = p.data;
    return {
      description: 'fiscal account balances (1001) now, and after the allocation',
      diff: await transferDiff(db, provinceOfSegment(city), city, amountFen),
    };
  }
  if (action === SWEEP_ACTION) {
    const p = sweep.safeParse(payload);
    if (!p.success) return null;
    const { city, period, amountFen } = p.data;
    const incomeNow = await sweepAmountFen(db, city, period);
    return {
      description: `the month's contribution income now (the sweep moves the approved figure)`,
      diff: [
        { field: `${city} ${period} 4101`, current: incomeNow, proposed: amountFen },
        ...(await transferDiff(db, city, provinceOfSegment(city), amountFen)),
      ],
    };
  }
  if (action === BUDGET_APPROVAL_ACTION) {
    const p = budgets.safeParse(payload);
    if (!p.success) return null;
    return {
      description: 'each budget now, and once approved',
      diff: await budgetDiff(db, p.data),
    };
  }
  if (action === RESERVE_REDUCTION_ACTION) {
    const p = reserve.safeParse(payload);
    if (!p.success) return null;
    const { rule } = reserveRuleAt(params, provinceOfSegment(p.data.city), `${p.data.year}-12-31`);
    return {
      description: 'the reserve set-aside ratio',
      diff: [{ field: 'totalRatio', current: rule.totalRatio, proposed: p.data.reducedTotalRatio }],
    };
  }
  if (action === PREVENTION_CAP_RAISE_ACTION) {
    const p = prevention.safeParse(payload);
    if (!p.success) return null;
    const { province, year, ratio } = p.data;
    const cap = await capRatioFor(db, params, province, year, `${year}-12-31`);
    return {
      description: 'the prevention-fee cap ratio',
      diff: [{ field: 'capRatio', current: cap?.ratio ?? null, proposed: ratio }],
    };
  }
  return null;
}
