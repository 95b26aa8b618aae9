import { addDays, daysInMonth, type IsoDate, monthOf } from '../../kernel/dates.ts';
import type { RegradePlan } from '../../rules/benefits/regrade-rule.ts';
import { benefitExpenseAccount } from '../fund/ledger/accounts.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import {
  type BenefitDecisionPayload,
  decisionPayload,
  type EntitlementPlan,
} from './decision-payload.ts';
import { BENEFITS_PAYABLE, payableTransactionId } from './ledger-postings.ts';
import { payrollExpenseAccount } from './payroll-lines.ts';
import type { DecisionItem } from './stored-decision.ts';

/**
 * A regrade decision (pure): after a re-appraisal (再次鉴定) or a review (复查鉴定) changed the
 * conclusion an approved benefit decision rests on, the new amounts replace the old from the month
 * the region's rule gives (src/rules/benefits/regrade-rule.ts; in 河南 《河南省工伤保险条例》第三十条第二款).
 * The plan says, for the checker to approve and the apply to carry out:
 * - which active entitlements of the old decision end the day before (or, when the new amounts
 *   start with them, are replaced from their start: ended with no end date, paying nothing more);
 * - the new entitlements;
 * - the 一次性伤残补助金: on `difference` a higher grade's difference is paid, a lower grade's
 *   excess is held for a person (no text held says it is recovered: the system never recovers it);
 *   on `unchanged` nothing;
 * - arrears: for every month of the city's posted payroll runs from the start, what the new
 *   amounts owe minus what the old entitlements' lines paid, per kind the fund pays; a kind's net
 *   above zero is paid with the lump sum, below zero held for a person like the lump sum.
 */
export const BENEFIT_REGRADE_ACTION = 'benefits.regrade';

export type { RegradePlan };
export type RegradePosting = RegradePlan['postings'][number];

export type OldEntitlement = {
  id: string;
  kind: string;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
};

/** A line of the city's posted payroll runs paying an old entitlement (a month line, not a reissue). */
export type PaidLine = { month: string; kind: string; amountFen: number };

/** Entitlements still running on the new start end the day before it, or are replaced whole. */
export function endingsOf(
  old: readonly OldEntitlement[],
  startsOn: IsoDate,
): RegradePlan['endings'] {
  const dayBefore = addDays(startsOn, -1);
  return old
    .filter((e) => e.endsOn === null || e.endsOn >= startsOn)
    .map((e) => ({ id: e.id, kind: e.kind, endsOn: dayBefore >= e.startsOn ? dayBefore : null }));
}

const LUMP_SUM_CODE = 'disability_lump_sum';

function lumpSumOf(items: readonly Pick<DecisionItem, 'code' | 'amountFen' | 'payer'>[]): number {
  return items
    .filter((i) => i.code === LUMP_SUM_CODE && i.payer === 'fund')
    .reduce((s, i) => s + i.amountFen, 0);
}

export function lumpSumAdjustment(
  rule: RegradePlan['rule']['lumpSum'],
  previous: readonly Pick<DecisionItem, 'code' | 'amountFen' | 'payer'>[],
  next: readonly Pick<DecisionItem, 'code' | 'amountFen' | 'payer'>[],
): RegradePlan['lumpSum'] {
  const previousFen = lumpSumOf(previous);
  const newFen = lumpSumOf(next);
  if (rule === 'unchanged') return { previousFen, newFen, differenceFen: 0, outcome: 'unchanged' };
  const differenceFen = newFen - previousFen;
  const outcome = differenceFen > 0 ? 'pay' : differenceFen < 0 ? 'hold' : 'none';
  return { previousFen, newFen, differenceFen, outcome };
}

export function covers(e: Pick<EntitlementPlan, 'startsOn' | 'endsOn'>, m: string): boolean {
  const last = `${m}-${String(daysInMonth(Number(m.slice(0, 4)), Number(m.slice(5, 7))))}`;
  return e.startsOn <= last && (e.endsOn === null || e.endsOn >= `${m}-01`);
}

/**
 * Per posted run month from the start and per kind the fund pays (old or new): owed at the new
 * amounts minus paid at the old. Months are whole (a partial month is owed whole: the new amounts
 * start on a month's first day in every rule held).
 */
export function arrearsOf(input: {
  startsOn: IsoDate;
  runMonths: readonly string[];
  paid: readonly PaidLine[];
  entitlements: readonly Pick<
    EntitlementPlan,
    'kind' | 'amountFen' | 'payer' | 'startsOn' | 'endsOn'
  >[];
}): RegradePlan['arrears'] {
  const fundNew = input.entitlements.filter((e) => e.payer === 'fund');
  const kinds = [
    ...new Set([...fundNew.map((e) => e.kind), ...input.paid.map((l) => l.kind)]),
  ].sort();
  const out: RegradePlan['arrears'] = [];
  const months = [...new Set(input.runMonths)].filter((m) => m >= monthOf(input.startsOn)).sort();
  for (const m of months)
    for (const kind of kinds) {
      const dueFen = fundNew
        .filter((e) => e.kind === kind && covers(e, m))
        .reduce((s, e) => s + e.amountFen, 0);
      const paidFen = input.paid
        .filter((l) => l.kind === kind && l.month === m)
        .reduce((s, l) => s + l.amountFen, 0);
      if (dueFen !== paidFen)
        out.push({ month: m, kind, dueFen, paidFen, differenceFen: dueFen - paidFen });
    }
  return out;
}

/** What moves money (postings) and what waits for a person (held), from the lump sum and arrears. */
export function moneyOf(
  lumpSum: RegradePlan['lumpSum'],
  arrears: RegradePlan['arrears'],
): Pick<RegradePlan, 'postings' | 'held' | 'fundTotalFen'> {
  const postings: RegradePosting[] = [];
  const held: RegradePlan['held'] = [];
  if (lumpSum.outcome === 'pay')
    postings.push({
      code: LUMP_SUM_CODE,
      account: benefitExpenseAccount.disability_lump_sum,
      amountFen: lumpSum.differenceFen,
    });
  if (lumpSum.outcome === 'hold')
    held.push({
      code: LUMP_SUM_CODE,
      amountFen: -lumpSum.differenceFen,
      reason: 'lump_sum_above_new_grade',
    });
  const byKind = new Map<string, number>();
  for (const a of arrears) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + a.differenceFen);
  for (const [kind, net] of [...byKind].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const account = payrollExpenseAccount(kind);
    if (net > 0 && account !== null) postings.push({ code: kind, account, amountFen: net });
    if (net < 0) held.push({ code: kind, amountFen: -net, reason: 'months_paid_above_new_amount' });
  }
  return { postings, held, fundTotalFen: postings.reduce((s, p) => s + p.amountFen, 0) };
}

/**
 * What the checker approves: the decision as a first decision shows it (wage months, 本人工资,
 * items, snapshot) and the plan. Rebuilt at apply from the stored row and a plan computed again
 * from the database, so a payroll month paid or an entitlement changed since makes it not fit.
 */
export type RegradePayload = BenefitDecisionPayload & { plan: RegradePlan };

export function regradePayload(
  decision: Parameters<typeof decisionPayload>[0],
  plan: RegradePlan,
): RegradePayload {
  return { ...decisionPayload(decision), plan };
}

/**
 * Approved: Dr 51xx / Cr 2102 per posting, the same two-phase shape and id as a first decision
 * (`benefit-decision:<id>:approved`), so a retried apply posts nothing twice; null: nothing moves.
 */
export function regradePayableTransaction(input: {
  decisionId: string;
  segment: string;
  effectiveDate: IsoDate;
  snapshotId: string;
  postings: readonly RegradePosting[];
}): TransactionRequest | null {
  if (input.postings.length === 0) return null;
  return {
    id: payableTransactionId(input.decisionId),
    effectiveDate: input.effectiveDate,
    source: { type: 'benefit.decision', id: input.decisionId },
    parameterSnapshotId: input.snapshotId,
    memo: '工伤保险待遇重新核定 benefit regrade approved',
    postings: input.postings.flatMap((p) => [
      {
        segment: input.segment,
        account: p.account,
        side: 'debit' as const,
        amountFen: p.amountFen,
      },
      {
        segment: input.segment,
        account: BENEFITS_PAYABLE,
        side: 'credit' as const,
        amountFen: p.amountFen,
      },
    ]),
  };
}
