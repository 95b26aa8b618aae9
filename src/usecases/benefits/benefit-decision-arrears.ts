import { and, asc, eq, gte } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { numberOf, rowsOf, textOf } from '../../db/rows.ts';
import { payrollRuns } from '../../db/schema.ts';
import { decisionArrearsOf } from '../../domain/benefits/decision-arrears.ts';
import type { DecisionArrears, EntitlementPlan } from '../../domain/benefits/decision-payload.ts';
import { monthOf } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { POSTED_RUN_STATUSES } from './payroll-store.ts';

/**
 * The months of a decision's entitlements that the city's payroll already ran (decision-arrears.ts):
 * read by the proposal for the payload, and again under the locks by the approval. Both refuse
 * while a run covering one of those months is computing or computed and not approved — it was
 * computed without the entitlements, and counting its month as paid or as owed would be wrong
 * once it is approved or recomputed.
 */
export type DecisionArrearsCode = 'benefit.decision_run_pending';

async function runsFrom(ex: Executor, regionCode: string, month: string) {
  return ex.orm
    .select({ id: payrollRuns.id, month: payrollRuns.month, status: payrollRuns.status })
    .from(payrollRuns)
    .where(and(eq(payrollRuns.regionCode, regionCode), gte(payrollRuns.month, month)))
    .orderBy(asc(payrollRuns.month));
}

const POSTED = new Set<string>(POSTED_RUN_STATUSES);

export async function decisionArrearsNow(
  ex: Executor,
  input: {
    regionCode: string;
    entitlements: readonly Pick<
      EntitlementPlan,
      'kind' | 'amountFen' | 'payer' | 'startsOn' | 'endsOn'
    >[];
  },
): Promise<Result<DecisionArrears | null, DecisionArrearsCode>> {
  const first = input.entitlements
    .filter((e) => e.payer === 'fund')
    .map((e) => e.startsOn)
    .sort()[0];
  if (first === undefined) return ok(null);
  const runs = await runsFrom(ex, input.regionCode, monthOf(first));
  const pending = runs.find((r) => !POSTED.has(r.status));
  if (pending !== undefined)
    return refuse(
      'benefit.decision_run_pending',
      `the payroll run of ${pending.month} is ${pending.status} and was computed without this decision's monthly items: approve the run first, then propose or approve the decision, which pays that month with the other months already run`,
      { runId: pending.id, month: pending.month, status: pending.status },
    );
  return ok(
    decisionArrearsOf({
      runMonths: runs.filter((r) => POSTED.has(r.status)).map((r) => r.month),
      entitlements: input.entitlements,
    }),
  );
}

/**
 * The months of these entitlements paid outside the payroll (benefit_entitlement_arrears, a
 * decision's arrears), from `fromMonth` on: a plan comparing what each month paid with what it
 * owes reads them with the payroll's lines, or it would pay such a month again.
 */
export async function arrearsPaidOf(
  ex: Executor,
  input: { regionCode: string; entitlementIds: readonly string[]; fromMonth?: string },
): Promise<
  { entitlementId: string; kind: string; month: string; amountFen: number; paymentId: string }[]
> {
  if (input.entitlementIds.length === 0) return [];
  const r = await ex.query(
    `SELECT a.entitlement_id, e.kind, a.month::text AS month, a.amount_fen, a.payment_id
     FROM benefit_entitlement_arrears a
     JOIN benefit_entitlements e ON e.region_code = a.region_code AND e.id = a.entitlement_id
     WHERE a.region_code = $1 AND a.entitlement_id = ANY($2::text[]) AND a.month >= $3
     ORDER BY a.month, a.entitlement_id`,
    [input.regionCode, [...input.entitlementIds], input.fromMonth ?? '0000-00'],
  );
  return rowsOf(r, (row) => ({
    entitlementId: textOf(row, 'entitlement_id'),
    kind: textOf(row, 'kind'),
    month: textOf(row, 'month'),
    amountFen: numberOf(row, 'amount_fen'),
    paymentId: textOf(row, 'payment_id'),
  }));
}
