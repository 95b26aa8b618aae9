import { createHash } from 'node:crypto';
import { type IsoDate, laterDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { calculateFromUnknown, type RuleSet } from '../../rules/calculator/index.ts';
import { BENEFITS_PAYABLE } from './ledger-postings.ts';
import {
  coversMonth,
  monthAmountFen,
  monthBounds,
  type PartialMonthRule,
  payrollExpenseAccount,
} from './payroll-lines.ts';
import type { SurvivorEventKind } from './survivor-events.ts';

/**
 * A survivor's pension (供养亲属抚恤金) ends, is suspended or resumes (pure; docs/benefits.md,
 * "Survivors' pensions end"). 《工伤保险条例》第三十九条第一款第（二）项 caps the pensions together:
 * "核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资", and leaves the range of dependants to
 * the ministry ("供养亲属的具体范围由国务院社会保险行政部门规定"): 劳社部令第18号, not held, summarised in
 * domain-spec §2.9 (source class S) — the pension stops when the dependant turns 18 and can work,
 * takes a job or joins the army, remarries (a spouse), is adopted or dies, and is suspended while
 * serving a prison sentence, resuming after release. Our month rule (no held text gives one): the
 * month of the event is paid whole and the pension ends on its last day, the cut of a death or a
 * 第四十二条 stop; whoever remains is recomputed from the first day of the next month by the
 * decision's own calculation (the cap and its proportional split, src/rules/benefits/death.ts) over
 * the dependants left, under the decision's pinned parameters.
 */
export const SURVIVOR_CHANGE_ACTION = 'benefits.survivor_change';

export { SURVIVOR_EVENT_KINDS, type SurvivorEventKind } from './survivor-events.ts';

/**
 * An end for good takes the dependant out of the cap's set; a suspension keeps their share; the
 * 10 % of 孤寡老人或者孤儿 keeps the dependant in the set at a higher rate.
 */
export function endsForGood(kind: SurvivorEventKind): boolean {
  return kind !== 'imprisoned' && kind !== 'released' && kind !== BONUS_EVENT;
}

/**
 * 《工伤保险条例》第三十九条第一款第（二）项: "标准为：配偶每月40%，其他亲属每人每月30%，孤寡老人或者孤儿每人每月在
 * 上述标准的基础上增加10%。" A dependant who becomes an orphan (the other parent dies) or a 孤寡老人
 * after the decision gets the 10 % from the month after the event, as every other change takes
 * effect; the pensions are recomputed under the cap with the dependant's `orphanOrSoleElder` set.
 */
export const BONUS_EVENT = 'orphan_or_sole_elder';

export type SurvivorChangeRefusalCode =
  | 'benefit.dependant_not_found'
  | 'benefit.survivor_event_not_allowed'
  | 'benefit.survivor_age_mismatch'
  | 'benefit.survivor_pension_not_active'
  | 'benefit.survivor_not_suspended'
  | 'benefit.survivor_pension_adjusted'
  | 'benefit.survivor_recompute_failed';

export type SurvivorPension = {
  id: string;
  amountFen: number;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
};

/** A dependant of the decision, as the database reads now. */
export type SurvivorDependant = {
  dependantId: string;
  /** The calculator's dependantIndex in the decision. */
  ordinal: number;
  relation: string;
  /** Out of the cap's set for good (an applied end). */
  endedForGood: boolean;
  /** The pension a suspension ended and no release restarted yet (null: not suspended). */
  suspended: SurvivorPension | null;
  /** The active pension (null: none). */
  pension: SurvivorPension | null;
  /** Raised by an applied `orphan_or_sole_elder` change (the decision's input did not say so). */
  bonusByChange: boolean;
};

/**
 * A line paying one of the decision's pensions: a posted run's month line, or a reissue line (a
 * run's, or an applied reissue batch's) paying a failed one again, for the month it was owed for.
 */
export type SurvivorPaidLine = {
  id: string;
  entitlementId: string;
  month: string;
  paidFen: number;
  status: 'issued' | 'paid' | 'failed';
  /** It pays a failed line again (`reissue_of`): the month's own line is the failed one. */
  reissue: boolean;
};

export type SurvivorEvent = { dependantId: string; kind: SurvivorEventKind; eventOn: IsoDate };

export type SurvivorChangeInput = {
  regionCode: string;
  changeId: string;
  event: SurvivorEvent;
  dependants: readonly SurvivorDependant[];
  /** The decision's stored calculator input (its dependants in ordinal order). */
  calculationInput: unknown;
  /** The decision's pinned parameter snapshot. */
  rules: RuleSet;
  /** The end-age birthday (aged_out only; null otherwise). */
  agedOutOn: IsoDate | null;
  runMonths: readonly string[];
  paid: readonly SurvivorPaidLine[];
  ruleOf: (month: string) => PartialMonthRule;
};

export type SurvivorEnded = {
  entitlementId: string;
  dependantId: string;
  amountFen: number;
  startsOn: IsoDate;
  /** The end recorded before (null: open-ended): a release restarts the pension up to it. */
  endsOnBefore: IsoDate | null;
  /** Null: the pension started after the event's month and pays nothing. */
  endsOn: IsoDate | null;
};

export type SurvivorStarted = {
  id: string;
  /** The pension it follows (a recomputed one's predecessor, or the suspended one). */
  predecessorId: string;
  dependantId: string;
  beforeFen: number;
  amountFen: number;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
};

export type SurvivorMonth = {
  month: string;
  dependantId: string;
  paidFen: number;
  dueFen: number;
  differenceFen: number;
};

export type SurvivorChangePlan = {
  event: SurvivorEvent;
  /** The last month the event's dependant is paid (the event's month, whole). */
  lastPaidMonth: string;
  ended: SurvivorEnded[];
  started: SurvivorStarted[];
  /** Whether the cap's set changed, so the others were recomputed. */
  recomputed: boolean;
  months: SurvivorMonth[];
  arrears: { account: string; amountFen: number } | null;
  overpayment: {
    entitlementId: string;
    dependantId: string;
    amountFen: number;
    months: string[];
    lineIds: string[];
  } | null;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The pensions of the dependants left (by ordinal), computed by the decision's own calculation —
 * the same rates, 本人工资, cap and largest-remainder split as the decision
 * (src/rules/benefits/death.ts `survivorPensions`) — over those dependants only.
 */
export function recomputedAmounts(
  calculationInput: unknown,
  ordinals: readonly number[],
  rules: RuleSet,
): Result<Map<number, number>, 'benefit.survivor_recompute_failed'> {
  const out = new Map<number, number>();
  if (ordinals.length === 0) return ok(out);
  const all = isRecord(calculationInput) ? calculationInput['dependants'] : undefined;
  if (!isRecord(calculationInput) || !Array.isArray(all))
    return refuse('benefit.survivor_recompute_failed', 'the decision stores no death calculation');
  const kept: unknown[] = ordinals.map((o) => all[o]);
  if (kept.some((d) => d === undefined))
    return refuse('benefit.survivor_recompute_failed', 'a dependant is not in the calculation');
  const answer = calculateFromUnknown({ ...calculationInput, dependants: kept }, rules);
  if (!answer.ok)
    return refuse(
      'benefit.survivor_recompute_failed',
      `the decision's calculation refused over the dependants left: ${answer.body.title}`,
    );
  for (const item of answer.body.items) {
    if (item.code !== 'survivor_pension' || item.dependantIndex === undefined) continue;
    const ordinal = ordinals[item.dependantIndex];
    if (ordinal !== undefined) out.set(ordinal, item.amountFen);
  }
  return ok(out);
}

/**
 * The decision's calculator input with `orphanOrSoleElder` set on the dependants (by ordinal) the
 * applied changes raised, and on `also` (the event's dependant, for the plan's after-amounts).
 */
export function withBonuses(
  calculationInput: unknown,
  dependants: readonly SurvivorDependant[],
  also: number | null = null,
): unknown {
  const all = isRecord(calculationInput) ? calculationInput['dependants'] : undefined;
  if (!isRecord(calculationInput) || !Array.isArray(all)) return calculationInput;
  const raised = new Set(dependants.filter((d) => d.bonusByChange).map((d) => d.ordinal));
  if (also !== null) raised.add(also);
  if (raised.size === 0) return calculationInput;
  const flagged = all.map((d: unknown, o) =>
    raised.has(o) && isRecord(d) ? { ...d, orphanOrSoleElder: true } : d,
  );
  return { ...calculationInput, dependants: flagged };
}

/** Whether the decision's input (with the applied raises) gives the dependant the 10 % already. */
function hasBonus(input: SurvivorChangeInput, subject: SurvivorDependant): boolean {
  if (subject.bonusByChange) return true;
  const all = isRecord(input.calculationInput) ? input.calculationInput['dependants'] : undefined;
  const own = Array.isArray(all) ? (all[subject.ordinal] as unknown) : undefined;
  return isRecord(own) && own['orphanOrSoleElder'] === true;
}

type Checked = { subject: SurvivorDependant; lastPaidMonth: string; nextStart: IsoDate };

/** The event's checks, in the order docs/errors.md lists them. */
function checkEvent(input: SurvivorChangeInput): Result<Checked, SurvivorChangeRefusalCode> {
  const { event } = input;
  const subject = input.dependants.find((d) => d.dependantId === event.dependantId);
  if (subject === undefined || subject.endedForGood)
    return refuse(
      'benefit.dependant_not_found',
      `dependant ${event.dependantId} has no pension of this decision that an event can change`,
    );
  if (event.kind === 'remarried' && subject.relation !== 'spouse')
    return refuse(
      'benefit.survivor_event_not_allowed',
      `only a spouse remarries: dependant ${subject.dependantId} is recorded as ${subject.relation}`,
      { relation: subject.relation },
    );
  if (event.kind === BONUS_EVENT && hasBonus(input, subject))
    return refuse(
      'benefit.survivor_event_not_allowed',
      `dependant ${subject.dependantId} already receives the 10 % of 孤寡老人或者孤儿: it is added once`,
      { relation: subject.relation },
    );
  if (event.kind === 'aged_out' && input.agedOutOn !== event.eventOn)
    return refuse(
      'benefit.survivor_age_mismatch',
      `the dependant reaches the end age on ${input.agedOutOn ?? '(no birth date)'}, not ${event.eventOn}`,
      { birthday: input.agedOutOn },
    );
  const lastPaidMonth = monthOf(event.eventOn);
  const last = monthBounds(lastPaidMonth).last;
  if (event.kind === 'released' && subject.suspended === null)
    return refuse(
      'benefit.survivor_not_suspended',
      'the pension is not suspended: nothing to resume',
    );
  if (event.kind !== 'released' && (subject.pension === null || ended(subject.pension, last)))
    return refuse(
      'benefit.survivor_pension_not_active',
      `dependant ${subject.dependantId} has no active pension running after ${lastPaidMonth}`,
    );
  return ok({ subject, lastPaidMonth, nextStart: `${nextMonth(lastPaidMonth)}-01` });
}

function ended(p: SurvivorPension, last: IsoDate): boolean {
  return p.endsOn !== null && p.endsOn <= last;
}

/** Derived from the change and the pension: a replayed apply names the same rows. */
export function survivorSuccessorId(regionCode: string, changeId: string, entitlementId: string) {
  const hex = createHash('sha256').update(`${regionCode}|${changeId}|${entitlementId}|survivor`);
  return `ent_${regionCode}_${hex.digest('hex').slice(0, 16)}`;
}

export function survivorChangeId(regionCode: string, dependantId: string, nonce: string): string {
  const hex = createHash('sha256').update(`${regionCode}|${dependantId}|${nonce}|survivor-change`);
  return `bsc_${hex.digest('hex').slice(0, 20)}`;
}

export function survivorOverpaymentId(regionCode: string, entitlementId: string): string {
  const hex = createHash('sha256').update(`${regionCode}|${entitlementId}|survivor_end`);
  return `ovp_${hex.digest('hex').slice(0, 20)}`;
}

export function survivorPaymentId(regionCode: string, changeId: string): string {
  const hex = createHash('sha256').update(`${regionCode}|${changeId}|arrears`);
  return `bpy_${regionCode}_${hex.digest('hex').slice(0, 16)}`;
}

export function survivorTransactionId(changeId: string): string {
  return `benefit-survivor-change:${changeId}:approved`;
}

/**
 * The cap's set and the calculator input before and after the event, by ordinal: an end for good
 * takes the dependant out of the set; the 10 % raises the dependant's rate in the same set (whose
 * own pension is then recomputed too); a suspension or a release changes neither (null).
 */
function capTerms(input: SurvivorChangeInput, subject: SurvivorDependant) {
  const before = input.dependants.filter((d) => !d.endedForGood).map((d) => d.ordinal);
  const current = withBonuses(input.calculationInput, input.dependants);
  if (input.event.kind === BONUS_EVENT) {
    const raised = withBonuses(input.calculationInput, input.dependants, subject.ordinal);
    return { before, after: before, current, raised, subjectToo: true };
  }
  if (!endsForGood(input.event.kind)) return null;
  const after = before.filter((o) => o !== subject.ordinal);
  return { before, after, current, raised: current, subjectToo: false };
}

/**
 * The others' pensions recomputed over the set left: one whose amount changes ends on the event
 * month's last day and a successor starts on the next month's first day. A pension adjusted since
 * its computation (indexation, a correction) and whose share changes is refused: recomputing the
 * cap over adjusted amounts is not built.
 */
function recompute(
  input: SurvivorChangeInput,
  c: Checked,
): Result<{ ended: SurvivorEnded[]; started: SurvivorStarted[] }, SurvivorChangeRefusalCode> {
  const out = { ended: [] as SurvivorEnded[], started: [] as SurvivorStarted[] };
  const sets = capTerms(input, c.subject);
  if (sets === null) return ok(out);
  const before = recomputedAmounts(sets.current, sets.before, input.rules);
  if (!before.ok) return before;
  const after = recomputedAmounts(sets.raised, sets.after, input.rules);
  if (!after.ok) return after;
  const last = monthBounds(c.lastPaidMonth).last;
  for (const d of input.dependants) {
    const p = d.pension;
    const skipped = d === c.subject && !sets.subjectToo;
    if (skipped || d.endedForGood || p === null || ended(p, last)) continue;
    const was = before.value.get(d.ordinal);
    const now = after.value.get(d.ordinal);
    if (was === undefined || now === undefined || was === now) continue;
    if (p.amountFen !== was)
      return refuse(
        'benefit.survivor_pension_adjusted',
        `the pension ${p.id} is ${p.amountFen} fen, not the ${was} fen its computation gives (adjusted since): recomputing the cap over adjusted amounts is not built`,
        { entitlementId: p.id, amountFen: p.amountFen, computedFen: was, recomputedFen: now },
      );
    const startsOn = laterDate(c.nextStart, p.startsOn);
    out.ended.push({
      entitlementId: p.id,
      dependantId: d.dependantId,
      amountFen: p.amountFen,
      startsOn: p.startsOn,
      endsOnBefore: p.endsOn,
      endsOn: p.startsOn > last ? null : last,
    });
    out.started.push({
      id: survivorSuccessorId(input.regionCode, input.changeId, p.id),
      predecessorId: p.id,
      dependantId: d.dependantId,
      beforeFen: p.amountFen,
      amountFen: now,
      startsOn,
      endsOn: p.endsOn,
    });
  }
  return ok(out);
}

/** Per posted month from each new row's start: what its predecessor's month line paid, what is due. */
function monthsOf(input: SurvivorChangeInput, started: readonly SurvivorStarted[]) {
  const months: SurvivorMonth[] = [];
  for (const s of started) {
    const terms = {
      id: s.id,
      workerId: '',
      kind: 'survivor_pension',
      amountFen: s.amountFen,
      payer: 'fund' as const,
      startsOn: s.startsOn,
      endsOn: s.endsOn,
      status: 'active' as const,
    };
    for (const month of [...new Set(input.runMonths)].sort()) {
      if (month < monthOf(s.startsOn)) continue;
      const m = monthBounds(month);
      const dueFen = coversMonth(terms, m) ? monthAmountFen(terms, m, input.ruleOf(month)) : 0;
      // A failed line counts as paid: its reissue pays the old amount (as a correction reads it).
      // So the reissue lines are left out here, or a month reissued would be paid twice.
      const paidFen = input.paid
        .filter((l) => l.entitlementId === s.predecessorId && l.month === month && !l.reissue)
        .reduce((sum, l) => sum + l.paidFen, 0);
      if (paidFen !== 0 || dueFen !== 0)
        months.push({
          month,
          dependantId: s.dependantId,
          paidFen,
          dueFen,
          differenceFen: dueFen - paidFen,
        });
    }
  }
  return months;
}

/**
 * What the event's dependant was paid (sent or confirmed) for months after the event's month, as a
 * death's overpayment counts it: a failed line pays nothing, its reissue (sent or paid) counts for
 * the month owed, so a month failed and reissued counts once.
 */
function overpaymentOf(input: SurvivorChangeInput, c: Checked): SurvivorChangePlan['overpayment'] {
  const p = c.subject.pension;
  if (input.event.kind === 'released' || input.event.kind === BONUS_EVENT || p === null)
    return null;
  const lines = input.paid
    .filter((l) => l.entitlementId === p.id && l.month > c.lastPaidMonth && l.status !== 'failed')
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.id < b.id ? -1 : 1));
  if (lines.length === 0) return null;
  return {
    entitlementId: p.id,
    dependantId: c.subject.dependantId,
    amountFen: lines.reduce((s, l) => s + l.paidFen, 0),
    months: [...new Set(lines.map((l) => l.month))],
    lineIds: lines.map((l) => l.id),
  };
}

/** The suspended pension restarts, the same amount, from the month after the release. */
function resumed(input: SurvivorChangeInput, c: Checked): SurvivorStarted[] {
  const s = c.subject.suspended;
  if (input.event.kind !== 'released' || s === null) return [];
  const startsOn = laterDate(c.nextStart, s.startsOn);
  if (s.endsOn !== null && s.endsOn < startsOn) return [];
  return [
    {
      id: survivorSuccessorId(input.regionCode, input.changeId, s.id),
      predecessorId: s.id,
      dependantId: c.subject.dependantId,
      beforeFen: 0,
      amountFen: s.amountFen,
      startsOn,
      endsOn: s.endsOn,
    },
  ];
}

/** The plan of one event (hand-checkable: docs/benefits.md gives worked examples). */
export function survivorChangePlan(
  input: SurvivorChangeInput,
): Result<SurvivorChangePlan, SurvivorChangeRefusalCode> {
  const checked = checkEvent(input);
  if (!checked.ok) return checked;
  const c = checked.value;
  const others = recompute(input, c);
  if (!others.ok) return others;
  const last = monthBounds(c.lastPaidMonth).last;
  const p = c.subject.pension;
  // A raise ends the dependant's pension only as the recomputation does (in `others`).
  const own: SurvivorEnded[] =
    input.event.kind === 'released' || input.event.kind === BONUS_EVENT || p === null
      ? []
      : [
          {
            entitlementId: p.id,
            dependantId: c.subject.dependantId,
            amountFen: p.amountFen,
            startsOn: p.startsOn,
            endsOnBefore: p.endsOn,
            endsOn: p.startsOn > last ? null : last,
          },
        ];
  const started = [...resumed(input, c), ...others.value.started];
  const months = monthsOf(input, started);
  const lowered = months.find((m) => m.differenceFen < 0);
  if (lowered !== undefined)
    return refuse(
      'benefit.survivor_recompute_failed',
      `the recomputation lowers dependant ${lowered.dependantId}'s pension for ${lowered.month}, a month already paid (the cap binds): lowering a paid month of another survivor is not built; record the event before the month's run`,
      { dependantId: lowered.dependantId, month: lowered.month },
    );
  const netFen = months.reduce((s, m) => s + m.differenceFen, 0);
  if (netFen < 0)
    return refuse(
      'benefit.survivor_recompute_failed',
      `the event would lower what was paid by ${-netFen} fen: a pension falling when the set shrinks is not built`,
    );
  const account = payrollExpenseAccount('survivor_pension');
  return ok({
    event: input.event,
    lastPaidMonth: c.lastPaidMonth,
    ended: [...own, ...others.value.ended],
    started,
    recomputed: others.value.started.length > 0,
    months,
    arrears: netFen > 0 && account !== null ? { account, amountFen: netFen } : null,
    overpayment: overpaymentOf(input, c),
  });
}

/** Arrears made payable as a correction's are: Dr 5111 / Cr 2102 in the city's segment. */
export function survivorPayableTransaction(input: {
  changeId: string;
  segment: string;
  effectiveDate: IsoDate;
  arrears: NonNullable<SurvivorChangePlan['arrears']>;
}) {
  return {
    id: survivorTransactionId(input.changeId),
    effectiveDate: input.effectiveDate,
    source: { type: 'benefit.survivor_change', id: input.changeId },
    memo: '供养亲属抚恤金重新核定补发 arrears of survivors recomputed after a change',
    postings: [
      {
        segment: input.segment,
        account: input.arrears.account,
        side: 'debit' as const,
        amountFen: input.arrears.amountFen,
      },
      {
        segment: input.segment,
        account: BENEFITS_PAYABLE,
        side: 'credit' as const,
        amountFen: input.arrears.amountFen,
      },
    ],
  };
}
