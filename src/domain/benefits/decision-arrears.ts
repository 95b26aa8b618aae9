import { invariant } from '../../kernel/assert.ts';
import type { DecisionArrears, EntitlementPlan } from './decision-payload.ts';
import { payrollExpenseAccount } from './payroll-lines.ts';
import { arrearsOf, covers } from './regrade.ts';

/**
 * The months a new decision's monthly items are owed for that the city's payroll already ran
 * without them (pure; docs/benefits.md, "Months run before the decision"). The items start from
 * the appraisal's conclusion or the death (`payment.periodic_start`), and a decision is often
 * approved months later: the payroll of those months ran before the entitlements existed, so no
 * run pays them and the next run pays only its own month. They are owed in full — the items are
 * the law's from their start (《工伤保险条例》第三十五条、第三十六条、第三十九条), and 《社会保险法》第七十三条第二款
 * ("社会保险经办机构应当按时足额支付社会保险待遇。") admits no month left out — and are paid with the decision: posted as payable with its lump
 * sums, one payment per kind, bound in the approval's payload like them.
 *
 * Per posted run month from the start and per kind the fund pays, what the entitlements owe
 * (nothing of them was paid: they did not exist). A month is whole: the items start on a month's
 * first day and end on a month's last day (entitlementsOf).
 */
export function decisionArrearsOf(input: {
  runMonths: readonly string[];
  entitlements: readonly Pick<
    EntitlementPlan,
    'kind' | 'amountFen' | 'payer' | 'startsOn' | 'endsOn'
  >[];
}): DecisionArrears | null {
  const starts = input.entitlements.filter((e) => e.payer === 'fund').map((e) => e.startsOn);
  const first = [...starts].sort()[0];
  if (first === undefined) return null;
  const owed = arrearsOf({
    startsOn: first,
    runMonths: input.runMonths,
    paid: [],
    entitlements: input.entitlements,
  }).filter((a) => a.dueFen > 0);
  if (owed.length === 0) return null;
  const sums = new Map<string, number>();
  for (const a of owed) sums.set(a.kind, (sums.get(a.kind) ?? 0) + a.dueFen);
  const byKind = [...sums]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, amountFen]) => {
      const account = payrollExpenseAccount(kind);
      invariant(account !== null, `a monthly item the fund pays has no expense account: ${kind}`);
      return { kind, account, amountFen };
    });
  return {
    months: owed.map((a) => ({ month: a.month, kind: a.kind, dueFen: a.dueFen })),
    byKind,
    totalFen: byKind.reduce((s, k) => s + k.amountFen, 0),
  };
}

/**
 * The arrears per entitlement and month, for the record of months paid outside the payroll
 * (benefit_entitlement_arrears): each fund entitlement's amount in each month it covers. Their
 * sums per month and kind are the arrears' months (asserted: one computation, two views).
 */
export function arrearsByEntitlement(
  arrears: DecisionArrears,
  entitlements: readonly (Pick<
    EntitlementPlan,
    'kind' | 'amountFen' | 'payer' | 'startsOn' | 'endsOn'
  > & { id: string })[],
): { entitlementId: string; kind: string; month: string; amountFen: number }[] {
  const out: { entitlementId: string; kind: string; month: string; amountFen: number }[] = [];
  for (const m of arrears.months) {
    const mine = entitlements.filter(
      (e) => e.payer === 'fund' && e.kind === m.kind && covers(e, m.month),
    );
    const sum = mine.reduce((s, e) => s + e.amountFen, 0);
    invariant(sum === m.dueFen, `arrears of ${m.kind} in ${m.month}: ${sum} ≠ ${m.dueFen}`);
    for (const e of mine)
      out.push({ entitlementId: e.id, kind: e.kind, month: m.month, amountFen: e.amountFen });
  }
  return out;
}
