import { addDays, type IsoDate } from '../../../kernel/dates.ts';
import { seededRandom } from '../../../kernel/random.ts';
import type { Result } from '../../../kernel/result.ts';
import { makeContext } from '../../../rules/context.ts';
import {
  assessContribution,
  type ContributionRefusalCode,
} from '../../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../../rules/parameters/model.ts';
import { hash32, syntheticCreditCode } from './synthetic-ids.ts';
import { clampBase, STREAM, type SyntheticMonth, type SyntheticPlan } from './synthetic-plan.ts';
import {
  monthFirstDay,
  normalDraw,
  type RosterMember,
  rosterOf,
  type SyntheticEmployer,
  syntheticEmployers,
} from './synthetic-province.ts';

/**
 * Payroll declarations (缴费工资申报) and the tax bureau's collection records (征收) of the
 * synthetic province, employer by employer and month by month. A declaration lists the workers
 * whose spell covers the whole month; the amount due is the rules' own assessment
 * (assessContribution: Σ clamped bases × the class's base rate × the grade's multiplier, rounded
 * once), so a prompt payer's record equals what an assessment of the same declaration will find.
 */

export type DeclarationLine = { idNumber: string; name: string; wageFen: number; baseFen: number };

export type CollectionKind =
  | 'paid'
  | 'late'
  | 'partial'
  | 'unknown_credit_code'
  | 'wrong_month'
  | 'duplicate_voucher';

/** One row of a city's collection file, with what kind of record it is (not written). */
export type CollectionRecord = {
  regionCode: string;
  voucher: string;
  creditCode: string;
  /** 费款所属期 as the record says it, YYYY-MM (wrong for a `wrong_month` error). */
  month: string;
  amountFen: number;
  paidOn: IsoDate;
  kind: CollectionKind;
};

export type EmployerMonth = {
  employer: SyntheticEmployer;
  month: SyntheticMonth;
  lines: DeclarationLine[];
  wageTotalFen: number;
  baseTotalFen: number;
  /** What an assessment at the base grade finds, in fen. */
  dueFen: number;
  collections: CollectionRecord[];
};

/** A worker's declared wage for a month: its level × the average, ± 4 %, to the 10 fen. */
export function declaredWageFen(plan: SyntheticPlan, member: RosterMember, month: SyntheticMonth) {
  const rand = seededRandom(
    hash32(hash32(plan.config.seed, STREAM.wage, member.worker.index), 0, month.index),
  );
  const wage = month.averageWageFen * member.worker.wageLevel * (1 + 0.04 * normalDraw(rand));
  return Math.max(0, Math.round(wage / 10) * 10);
}

function covers(member: RosterMember, month: number): boolean {
  const { startMonth, endMonth } = member.spell;
  return startMonth <= month && (endMonth === null || endMonth >= month);
}

function yuanDigits(month: string): string {
  return month.replace('-', '');
}

function voucherOf(e: SyntheticEmployer, month: SyntheticMonth, ordinal: number): string {
  return `3${e.regionCode.slice(0, 4)}${yuanDigits(month.month)}${String(e.index).padStart(9, '0')}${ordinal}`;
}

/** When and how much a payer of its profile pays for a month's assessment (null: nothing). */
function payment(
  e: SyntheticEmployer,
  month: SyntheticMonth,
  dueFen: number,
  rand: () => number,
): { amountFen: number; paidOn: IsoDate; kind: CollectionKind } | null {
  const dueMonth = addDays(month.lastDay, 1);
  const prompt = addDays(dueMonth, Math.floor(rand() * 15));
  if (e.payer === 'never' || (e.payer === 'stops' && month.index >= e.stopsAt)) return null;
  if (e.payer === 'late')
    return {
      amountFen: dueFen,
      paidOn: addDays(dueMonth, 15 + Math.floor(rand() * 60)),
      kind: 'late',
    };
  if (e.payer === 'partial')
    return {
      amountFen: Math.round(dueFen * (0.5 + rand() * 0.45)),
      paidOn: prompt,
      kind: 'partial',
    };
  return { amountFen: dueFen, paidOn: prompt, kind: 'paid' };
}

/**
 * The month's records: the payment (if any), and now and then an error the import must catch —
 * a code no employer has (0.4 %), the wrong 费款所属期 (0.4 %), the same voucher sent twice (0.3 %).
 */
function collectionsOf(
  plan: SyntheticPlan,
  e: SyntheticEmployer,
  month: SyntheticMonth,
  dueFen: number,
) {
  const rand = seededRandom(
    hash32(hash32(plan.config.seed, STREAM.collection, e.index), 1, month.index),
  );
  const paid = payment(e, month, dueFen, rand);
  const out: CollectionRecord[] = [];
  const base = { regionCode: e.regionCode, creditCode: e.creditCode, month: month.month };
  const error = rand();
  if (paid && error < 0.004) {
    const month12Before = monthFirstDay(plan, month.index - 12).slice(0, 7);
    out.push({
      ...base,
      voucher: voucherOf(e, month, 0),
      ...paid,
      month: month12Before,
      kind: 'wrong_month',
    });
    return out;
  }
  if (paid) out.push({ ...base, voucher: voucherOf(e, month, 0), ...paid });
  if (paid && error < 0.007)
    out.push({ ...base, voucher: voucherOf(e, month, 0), ...paid, kind: 'duplicate_voucher' });
  else if (error > 0.996) {
    const stranger = syntheticCreditCode(
      e.regionCode,
      'MY',
      e.index * plan.config.months + month.index,
    );
    out.push({
      ...base,
      creditCode: stranger,
      voucher: voucherOf(e, month, 2),
      amountFen: dueFen + 100,
      paidOn: addDays(month.lastDay, 5),
      kind: 'unknown_credit_code',
    });
  }
  return out;
}

function dueOf(
  rules: RuleSet,
  e: SyntheticEmployer,
  month: SyntheticMonth,
  baseTotalFen: number,
): Result<{ amountFen: number }, ContributionRefusalCode> {
  const ctx = makeContext(rules, e.regionCode, {}, false);
  return assessContribution(ctx, {
    payrollFen: baseTotalFen,
    riskClass: e.riskClass,
    grade: 'base',
    date: month.firstDay,
  });
}

/** One employer's declared months (those with at least one worker on the roster all month). */
export function* employerMonths(
  plan: SyntheticPlan,
  rules: RuleSet,
  employer: SyntheticEmployer,
): Generator<EmployerMonth> {
  const roster = rosterOf(plan, employer);
  for (const month of plan.months) {
    if (month.index < employer.registeredMonth) continue;
    const lines: DeclarationLine[] = [];
    let wageTotalFen = 0;
    let baseTotalFen = 0;
    for (const member of roster) {
      if (!covers(member, month.index)) continue;
      const wageFen = declaredWageFen(plan, member, month);
      const baseFen = clampBase(wageFen, month.clamp);
      lines.push({
        idNumber: member.worker.idNumber,
        name: member.spell.workerName,
        wageFen,
        baseFen,
      });
      wageTotalFen += wageFen;
      baseTotalFen += baseFen;
    }
    if (lines.length === 0) continue;
    const due = dueOf(rules, employer, month, baseTotalFen);
    if (!due.ok) throw new Error(`synthetic assessment refused: ${due.message}`);
    const dueFen = due.value.amountFen;
    const collections = collectionsOf(plan, employer, month, dueFen);
    yield { employer, month, lines, wageTotalFen, baseTotalFen, dueFen, collections };
  }
}

/** Every employer's declared months, employer by employer. */
export function* syntheticEmployerMonths(
  plan: SyntheticPlan,
  rules: RuleSet,
): Generator<EmployerMonth> {
  for (const employer of syntheticEmployers(plan)) yield* employerMonths(plan, rules, employer);
}
