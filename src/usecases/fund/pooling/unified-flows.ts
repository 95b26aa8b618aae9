import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { intOf } from '../../../db/rows.ts';
import { ledgerTransactions } from '../../../db/schema-fund.ts';
import { budgetLineType, phaseMonthly } from '../../../domain/fund/budgets/budget.ts';
import {
  TRANSFER_EXPENSE_CODES,
  TRANSFER_INCOME_CODES,
} from '../../../domain/fund/indicators/indicator.ts';
import { provinceOfSegment, segmentKindOf } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import { isPeriod, periodEnd, periodStart } from '../../../domain/fund/ledger/periods.ts';
import {
  ALLOCATION_ID,
  allocationTransactions,
  sweepTransactionId,
  sweepTransactions,
} from '../../../domain/fund/pooling/unified-postings.ts';
import type { Actor } from '../../../identity/actor.ts';
import { type IsoDate, isIsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { type PoolingParamSet, poolingModeAt } from '../../../rules/fund/pooling/pooling-params.ts';
import { type ApprovalRefusal, consumeApproval } from '../../approvals/approvals.ts';
import { getBudget } from '../budgets/budgets.ts';
import { postTransactions } from '../ledger/ledger-write.ts';

/**
 * The in-year flows of the unified mode (统收统支, docs/pooling.md §3): the monthly sweep of a city's
 * contribution income to the province, and allocations from the province to a city for its
 * benefit payments (one by one, or the month's share of the city's approved budget). Both go
 * through the ledger's one write path; ids are derived from the business key, so a repeat posts
 * nothing (postings: src/domain/fund/unified-postings.ts).
 *
 * Each is a money movement under maker-checker (docs/security.md, "Maker-checker"): the call names
 * an approval of its action whose payload is exactly what it posts (`sweepPayload`,
 * `allocationPayload`, `budgetAllocationPayload`), and consumes it in the transaction of the
 * postings, so a refusal posts nothing and an approval moves money once.
 */
export type UnifiedFlowRefusalCode =
  | 'pooling.invalid_request'
  | 'pooling.mode_not_unified'
  | 'pooling.sweep_conflict'
  | 'pooling.budget_not_approved'
  | ApprovalRefusal
  | LedgerRefusalCode;

export const SWEEP_ACTION = 'pooling.sweep';
export const ALLOCATION_ACTION = 'pooling.allocate';
export const BUDGET_ALLOCATION_ACTION = 'pooling.allocate_from_budget';

/** What a checker approves for a sweep: the city, the month and the amount it moves. */
export function sweepPayload(city: string, period: string, amountFen: Fen) {
  return { city, period, amountFen };
}

/** What a checker approves for an allocation: every field the ledger records. */
export function allocationPayload(input: {
  allocationId: string;
  city: string;
  effectiveDate: string;
  amountFen: Fen;
  memo?: string | undefined;
}) {
  return {
    allocationId: input.allocationId,
    city: input.city,
    effectiveDate: input.effectiveDate,
    amountFen: input.amountFen,
    memo: input.memo ?? null,
  };
}

/** What a checker approves for the month's allocation from the budget: city, month, amount. */
export function budgetAllocationPayload(city: string, period: string, amountFen: Fen) {
  return { city, period, amountFen };
}

/** The approval a flow consumes: its id, the action it must be for and the payload it must hold. */
type ApprovalUse = { regionCode: string; approvalId: string; action: string; payload: unknown };

export type UnifiedFlowResult = {
  /** posted = the ledger recorded it now; exists = already recorded; nothing = zero amount. */
  status: 'posted' | 'exists' | 'nothing';
  amountFen: Fen;
  transactionIds: string[];
};

function unifiedAt(
  params: PoolingParamSet,
  province: string,
  date: IsoDate,
): Result<true, 'pooling.mode_not_unified'> {
  const mode = poolingModeAt(params, province, date);
  if (mode.value !== 'unified')
    return refuse(
      'pooling.mode_not_unified',
      `${province} pools by ${mode.value} on ${date}: sweeps and allocations belong to the unified mode (统收统支)`,
      { province, date, mode: mode.value },
    );
  return ok(true);
}

function cityOnly(city: string): Result<true, 'pooling.invalid_request'> {
  if (segmentKindOf(city) !== 'city')
    return refuse('pooling.invalid_request', `${city} is not a city segment`, { city });
  return ok(true);
}

async function post(
  db: Database,
  actor: Actor,
  requests: TransactionRequest[],
  amountFen: Fen,
  auditAction: string,
  approval: ApprovalUse,
): Promise<Result<UnifiedFlowResult, UnifiedFlowRefusalCode>> {
  const r = await postTransactions<ApprovalRefusal>(db, actor, requests, {
    auditAction,
    // Consumed in the write transaction: a refused or failed posting leaves the approval unused.
    guard: async (tx) => {
      const used = await consumeApproval(tx, {
        regionCode: approval.regionCode,
        id: approval.approvalId,
        action: approval.action,
        payload: approval.payload,
      });
      return used.ok ? null : used;
    },
  });
  if (!r.ok) return r;
  return ok({
    status: r.value.some((p) => p.status === 'created') ? 'posted' : 'exists',
    amountFen,
    transactionIds: requests.map((q) => q.id),
  });
}

/**
 * Net movement of chart codes in a segment between two dates inclusive, on the credit side
 * (credits − debits) — posted transactions and pending ones resolved as posted. Hand-written SQL
 * with a typed row mapper: a five-table aggregate with a CASE sum, clearer in SQL than in the
 * query builder.
 */
export async function creditMovement(
  db: Database,
  input: { segment: string; chartCodes: readonly string[]; from: IsoDate; to: IsoDate },
): Promise<Fen> {
  const r = await db.query(
    `SELECT coalesce(sum(CASE WHEN p.side = 'C' THEN p.amount ELSE -p.amount END), 0)::int8 AS net
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.seq = p.tx_seq
       LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = $1 AND a.chart_code = ANY($2::text[])
        AND t.effective_date BETWEEN $3::date AND $4::date
        AND (t.kind = 'posted' OR r.action = 'post')`,
    [input.segment, [...input.chartCodes], input.from, input.to],
  );
  const row = r.rows[0];
  return row === undefined ? 0 : intOf(row, 'net');
}

/**
 * Sweeps the city's contribution cash of `period` (`sweepAmountFen`: net 4101 less the month's
 * increase of receivables 1131) to the province, idempotent by (city, month). A repeat with the same figure posts nothing; if
 * contributions of that month changed after the sweep, the sweep is refused
 * (`pooling.sweep_conflict`, naming both amounts) rather than posted twice.
 */
export async function sweepCityMonth(
  db: Database,
  actor: Actor,
  input: { city: string; period: string; params: PoolingParamSet; approvalId: string },
): Promise<Result<UnifiedFlowResult & { city: string; period: string }, UnifiedFlowRefusalCode>> {
  const { city, period } = input;
  if (!isPeriod(period))
    return refuse('pooling.invalid_request', `period ${period} is not YYYY-MM`, { period });
  const c = cityOnly(city);
  if (!c.ok) return c;
  const province = provinceOfSegment(city);
  const mode = unifiedAt(input.params, province, periodEnd(period));
  if (!mode.ok) return mode;
  const amountFen = await sweepAmountFen(db, city, period);
  const id = sweepTransactionId(city, period);
  const stored = await db.withConnection((ex) =>
    ex.orm
      .select({ totalFen: ledgerTransactions.totalFen })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.id, id)),
  );
  const swept = stored[0] === undefined ? null : stored[0].totalFen / 2;
  if (swept !== null && swept !== amountFen)
    return refuse(
      'pooling.sweep_conflict',
      `${city} ${period} was swept with ${swept} fen; its contribution income is now ${amountFen} fen — post the difference as a correction`,
      { city, period, sweptFen: swept, currentFen: amountFen, differenceFen: amountFen - swept },
    );
  if (amountFen <= 0)
    return ok({ city, period, status: 'nothing', amountFen: 0, transactionIds: [] });
  const r = await post(
    db,
    actor,
    sweepTransactions({ city, period, amountFen }),
    amountFen,
    'pooling.unified.sweep',
    {
      regionCode: province,
      approvalId: input.approvalId,
      action: SWEEP_ACTION,
      payload: sweepPayload(city, period, amountFen),
    },
  );
  if (!r.ok) return r;
  return ok({ city, period, ...r.value });
}

/**
 * What a city's monthly sweep moves: the contribution cash of the month, i.e. its contribution
 * income (4101, net credit) less what of it is still receivable (1131, net debit). Income booked
 * by an assessment (Dr 1131 / Cr 4101, ADR 0010) is swept only when the tax bureau's collection
 * settles it (Dr 1001 / Cr 1131), so the sweep never draws cash the city has not received; where
 * no receivable is booked (contributions posted straight to cash) it is the month's 4101.
 */
export function sweepAmountFen(db: Database, city: string, period: string): Promise<Fen> {
  return creditMovement(db, {
    segment: city,
    chartCodes: ['4101', '1131'],
    from: periodStart(period),
    to: periodEnd(period),
  });
}

/** Allocates `amountFen` from the province to the city, idempotent by `allocationId`. */
export async function allocateToCity(
  db: Database,
  actor: Actor,
  input: {
    allocationId: string;
    city: string;
    effectiveDate: IsoDate;
    amountFen: Fen;
    memo?: string | undefined;
    params: PoolingParamSet;
    approvalId: string;
  },
): Promise<Result<UnifiedFlowResult & { allocationId: string }, UnifiedFlowRefusalCode>> {
  return allocate(db, actor, input, {
    regionCode: provinceOfSegment(input.city),
    approvalId: input.approvalId,
    action: ALLOCATION_ACTION,
    payload: allocationPayload(input),
  });
}

async function allocate(
  db: Database,
  actor: Actor,
  input: {
    allocationId: string;
    city: string;
    effectiveDate: IsoDate;
    amountFen: Fen;
    memo?: string | undefined;
    params: PoolingParamSet;
  },
  approval: ApprovalUse,
): Promise<Result<UnifiedFlowResult & { allocationId: string }, UnifiedFlowRefusalCode>> {
  const { allocationId, city, effectiveDate, amountFen } = input;
  if (!ALLOCATION_ID.test(allocationId))
    return refuse(
      'pooling.invalid_request',
      'allocationId must be 1–100 letters, digits or . _ : -',
      { allocationId },
    );
  if (!isIsoDate(effectiveDate))
    return refuse('pooling.invalid_request', `effectiveDate ${effectiveDate} is not YYYY-MM-DD`);
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    return refuse('pooling.invalid_request', 'amountFen must be an integer > 0', { amountFen });
  const c = cityOnly(city);
  if (!c.ok) return c;
  const mode = unifiedAt(input.params, provinceOfSegment(city), effectiveDate);
  if (!mode.ok) return mode;
  const r = await post(
    db,
    actor,
    allocationTransactions({ allocationId, city, effectiveDate, amountFen, memo: input.memo }),
    amountFen,
    'pooling.unified.allocate',
    approval,
  );
  if (!r.ok) return r;
  return ok({ allocationId, ...r.value });
}

/**
 * The month's allocation from the city's approved budget: the city's own expense lines (every
 * expense line except the transfers 5301 / 5302) phased evenly over 12 months by the
 * largest-remainder method (docs/budgets.md), allocation id `budget:<city>:<YYYY-MM>`, effective
 * the first day of the month.
 */
export async function allocateMonthFromBudget(
  db: Database,
  actor: Actor,
  input: { city: string; period: string; params: PoolingParamSet; approvalId: string },
): Promise<Result<UnifiedFlowResult & { allocationId: string }, UnifiedFlowRefusalCode>> {
  const { city, period } = input;
  const month = await budgetMonthFen(db, city, period);
  if (!month.ok) return month;
  const { allocationId, monthFen } = month.value;
  if (monthFen <= 0)
    return ok({ allocationId, status: 'nothing', amountFen: 0, transactionIds: [] });
  return allocate(
    db,
    actor,
    {
      allocationId,
      city,
      effectiveDate: periodStart(period),
      amountFen: monthFen,
      memo: `${period} 按预算拨付 ${city}`,
      params: input.params,
    },
    {
      regionCode: provinceOfSegment(city),
      approvalId: input.approvalId,
      action: BUDGET_ALLOCATION_ACTION,
      payload: budgetAllocationPayload(city, period, monthFen),
    },
  );
}

/** The month's share of the city's approved budget (what its allocation from the budget moves). */
export async function budgetMonthFen(
  db: Database,
  city: string,
  period: string,
): Promise<
  Result<
    { allocationId: string; monthFen: Fen },
    'pooling.invalid_request' | 'pooling.budget_not_approved'
  >
> {
  if (!isPeriod(period))
    return refuse('pooling.invalid_request', `period ${period} is not YYYY-MM`, { period });
  const year = Number(period.slice(0, 4));
  const budget = await getBudget(db, { regionCode: city, year });
  if (!budget.ok || budget.value.status !== 'approved')
    return refuse(
      'pooling.budget_not_approved',
      `${city} has no approved ${year} budget to allocate from`,
      { city, year, status: budget.ok ? budget.value.status : null },
    );
  const annualFen = budgetedOwnExpenditureFen(budget.value.lines);
  const monthFen = phaseMonthly(annualFen)[Number(period.slice(5, 7)) - 1] ?? 0;
  return ok({ allocationId: `budget:${city}:${period}`, monthFen });
}

/** Σ expense lines of a budget, without the transfers between segments (5301, 5302). */
/** The budget's own income: every income line but the transfers 4104 / 4105. */
export function budgetedOwnIncomeFen(lines: readonly { account: string; amountFen: Fen }[]): Fen {
  return lines
    .filter((l) => budgetLineType(l.account) === 'income' && !TRANSFER_INCOME_CODES.has(l.account))
    .reduce((s, l) => s + l.amountFen, 0);
}

export function budgetedOwnExpenditureFen(
  lines: readonly { account: string; amountFen: Fen }[],
): Fen {
  return lines
    .filter(
      (l) => budgetLineType(l.account) === 'expense' && !TRANSFER_EXPENSE_CODES.has(l.account),
    )
    .reduce((s, l) => s + l.amountFen, 0);
}
