import { addDays, type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { type Rational, toDecimalString } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type RuleContext, readNumber, tracedSince, traceMark } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { TraceItem, TraceParameter } from '../trace.ts';
import type { CalculationItem, ItemCode, ItemResult, Payer } from './item.ts';
import { periodicStartMonth } from './periodic-start.ts';

/**
 * Who pays, per 《社会保险法》第三十八条 (fund) and 《社会保险法》第三十九条 (employer), V. The only
 * item whose payer depends on the case is the monthly 伤残津贴: grades 1–4 fund
 * (《社会保险法》第三十八条第一款第（六）项), grades 5–6 employer (《社会保险法》第三十九条第一款第（二）项).
 * Benefits outside the calculator contract are listed too, so that one table answers the payer
 * question everywhere (停工留薪期 wages: employer, 《社会保险法》第三十九条第一款第（一）项).
 */
export type PayerBasis = { payer: Payer; basis: string };

export const PAYER_BY_ITEM: Readonly<
  Record<Exclude<ItemCode, 'disability_allowance'>, PayerBasis>
> = {
  disability_lump_sum: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（六）项' },
  nursing_allowance: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（五）项' },
  medical_separation_grant: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（七）项' },
  employment_separation_grant: {
    payer: 'employer',
    basis: '《社会保险法》第三十九条第一款第（三）项',
  },
  funeral_grant: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（八）项' },
  survivor_pension: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（八）项' },
  // Only an uninsured employer pays the pension once (《浙江省工伤保险条例》第三十五条第一款).
  survivor_pension_one_off: { payer: 'employer', basis: '《浙江省工伤保险条例》第三十五条第一款' },
  death_lump_sum: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（八）项' },
};

export function allowancePayer(grade: number): PayerBasis {
  return grade <= 4
    ? { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（六）项' }
    : { payer: 'employer', basis: '《社会保险法》第三十九条第一款第（二）项' };
}

/** Benefits the calculator does not return as items, with their payer. */
export const PAYER_OTHER = {
  stop_work_pay: {
    payer: 'employer',
    basis: '《社会保险法》第三十九条第一款第（一）项；《工伤保险条例》第三十三条',
  },
  stop_work_nursing: { payer: 'employer', basis: '《工伤保险条例》第三十三条第三款' },
  missing_worker_wages: { payer: 'employer', basis: '《工伤保险条例》第四十一条' },
  missing_worker_advance: { payer: 'fund', basis: '《工伤保险条例》第四十一条' },
  retirement_top_up: {
    payer: 'fund',
    basis: '《社会保险法》第四十条；《工伤保险条例》第三十五条第一款第（三）项',
  },
  medical_treatment: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（一）项' },
  assistive_devices: { payer: 'fund', basis: '《社会保险法》第三十八条第一款第（四）项' },
} as const satisfies Record<string, PayerBasis>;

/** Who pays when the employer was not insured: every item, by the same standards. */
export const UNINSURED_BASIS = '《工伤保险条例》第六十二条第二款；《社会保险法》第四十一条第一款';
/** Who pays what fell due before a late application: the employer. */
export const LATE_APPLICATION_BASIS = '《工伤保险条例》第十七条第四款';

const DAYS_PATH = 'determination.employer_application_days';
const EXTENDED_CAP_PATH = 'determination.employer_application_extended_max_days';

/** What decides who pays, beyond the item itself (calculator input, defaults applied). */
export type Liability = {
  employerInsured: boolean;
  /** The day the 工伤认定 application was filed, by whoever filed it; null when not given. */
  applicationDate: IsoDate | null;
  /** The last day of the employer's time limit as extended (《工伤保险条例》第十七条第一款), or null. */
  applicationDeadlineExtendedTo: IsoDate | null;
};

/** The dates of a case that fix when each item falls due. */
export type CaseDates = {
  injuryDate: IsoDate;
  decisionDate: IsoDate | null;
  deathDate: IsoDate | null;
  separationDate: IsoDate | null;
};

type Due =
  | { kind: 'once'; date: IsoDate }
  | { kind: 'monthly'; fromMonth: string; parameters: TraceParameter[] };

/**
 * When each item falls due, for 《工伤保险条例》第十七条第四款 ("在此期间发生…的…费用"): a lump sum on
 * the day that fixes it (the appraisal conclusion, the separation, the death); a monthly item from
 * the start month of the region's `payment.periodic_start` counted from the appraisal conclusion or
 * the death (periodic-start.ts: 《河南省工伤保险条例》第三十条第一款 in 河南, a demo convention elsewhere).
 */
function dueOf(
  ctx: RuleContext,
  code: ItemCode,
  dates: CaseDates,
): Result<Due, 'rules.parameter_missing'> {
  const decision = dates.decisionDate ?? dates.injuryDate;
  const death = dates.deathDate ?? dates.injuryDate;
  switch (code) {
    case 'disability_lump_sum':
      return ok({ kind: 'once', date: decision });
    case 'disability_allowance':
    case 'nursing_allowance':
      return monthlyFrom(ctx, decision);
    case 'medical_separation_grant':
    case 'employment_separation_grant':
      return ok({ kind: 'once', date: dates.separationDate ?? decision });
    case 'funeral_grant':
    case 'death_lump_sum':
    case 'survivor_pension_one_off':
      return ok({ kind: 'once', date: death });
    case 'survivor_pension':
      return monthlyFrom(ctx, death);
  }
}

function monthlyFrom(ctx: RuleContext, event: IsoDate): Result<Due, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const fromMonth = periodicStartMonth(ctx, event);
  if (!fromMonth.ok) return fromMonth;
  return ok({ kind: 'monthly', fromMonth: fromMonth.value, parameters: tracedSince(ctx, mark) });
}

export type ApplicationDeadline = {
  /** The last day the employer could apply (《工伤保险条例》第十七条第一款), extensions and caps applied. */
  lastDay: IsoDate;
  injuryDate: IsoDate;
  /** The statutory time limit in days, and its last day. */
  days: Rational;
  statutory: IsoDate;
  /** The approved extension when it ends after the statutory day, else null. */
  extendedTo: IsoDate | null;
  /** The province's cap when it cut the extension, else null. */
  cap: { days: Rational; lastDay: IsoDate } | null;
  parameters: TraceParameter[];
};

/** What the trace says about how the day was found; built only when a trace is written. */
export function explainDeadline(d: ApplicationDeadline): string {
  let text = `${toDecimalString(d.days)} days after ${d.injuryDate}: ${d.statutory}`;
  if (d.extendedTo !== null) text += `, extended to ${d.extendedTo}`;
  if (d.cap !== null)
    text += `, cut to the provincial cap of ${toDecimalString(d.cap.days)} days: ${d.cap.lastDay}`;
  return text;
}

/**
 * The last day of the employer's time limit (《工伤保险条例》第十七条第一款): the 30th day after the
 * accident or diagnosis, the first day not counted (《民法典》第二百零一条第一款), or the later day of
 * an approved extension, cut to the province's cap where it has one (《河南省工伤保险条例》第十五条第一款:
 * at most 90 days).
 */
export function employerApplicationDeadline(
  ctx: RuleContext,
  injuryDate: IsoDate,
  extendedTo: IsoDate | null,
): Result<ApplicationDeadline, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const days = readNumber(ctx, DAYS_PATH, injuryDate);
  if (!days.ok) return days;
  const statutory = addDays(injuryDate, Number(days.value.num / days.value.den));
  if (extendedTo === null || extendedTo <= statutory)
    return ok({
      lastDay: statutory,
      injuryDate,
      days: days.value,
      statutory,
      extendedTo: null,
      cap: null,
      parameters: tracedSince(ctx, mark),
    });
  let lastDay = extendedTo;
  let cap: ApplicationDeadline['cap'] = null;
  if (lookup(ctx.rules, ctx.region, EXTENDED_CAP_PATH, injuryDate) !== null) {
    const capDays = readNumber(ctx, EXTENDED_CAP_PATH, injuryDate);
    if (!capDays.ok) return capDays;
    const capDay = addDays(injuryDate, Number(capDays.value.num / capDays.value.den));
    if (capDay < lastDay) {
      lastDay = capDay;
      cap = { days: capDays.value, lastDay: capDay };
    }
  }
  return ok({
    lastDay,
    injuryDate,
    days: days.value,
    statutory,
    extendedTo,
    cap,
    parameters: tracedSince(ctx, mark),
  });
}

/**
 * A copy of an item with another payer (and, for a split, months). Built field by field: an object
 * spread per item was the largest single cost of the calculator's no-trace path.
 */
function repaid(
  from: CalculationItem,
  payer: Payer,
  change: { payerBasis?: string; fundMayAdvance?: true; fromMonth?: string; untilMonth?: string },
): CalculationItem {
  const item: CalculationItem = {
    code: from.code,
    amountFen: from.amountFen,
    frequency: from.frequency,
    payer,
    citation: from.citation,
  };
  if (from.dependantIndex !== undefined) item.dependantIndex = from.dependantIndex;
  const payerBasis = change.payerBasis ?? from.payerBasis;
  if (payerBasis !== undefined) item.payerBasis = payerBasis;
  const fundMayAdvance = change.fundMayAdvance ?? from.fundMayAdvance;
  if (fundMayAdvance !== undefined) item.fundMayAdvance = fundMayAdvance;
  const fromMonth = change.fromMonth ?? from.fromMonth;
  if (fromMonth !== undefined) item.fromMonth = fromMonth;
  const untilMonth = change.untilMonth ?? from.untilMonth;
  if (untilMonth !== undefined) item.untilMonth = untilMonth;
  return item;
}

/** The trace with the payer's parameters and a note added (only called when there is a trace). */
function withNote(
  trace: TraceItem,
  parameters: readonly TraceParameter[],
  note: string,
): TraceItem {
  return {
    ...trace,
    parameters: [...trace.parameters, ...parameters],
    notes: [...trace.notes, note],
  };
}

const UNINSURED_NOTE = `payer: employer, which was not insured (${UNINSURED_BASIS}: "由该用人单位按照本条例规定的工伤保险待遇项目和标准支付费用"); if it does not pay, the fund pays first and recovers from it ("用人单位不支付的，从工伤保险基金中先行支付")`;

/**
 * 《工伤保险条例》第六十二条第二款: the uninsured employer pays what the fund would have paid;
 * 《社会保险法》第四十一条第一款 lets the fund pay first.
 */
function uninsured(r: ItemResult): ItemResult {
  if (r.item.payer === 'employer') return r;
  const item = repaid(r.item, 'employer', { payerBasis: UNINSURED_BASIS, fundMayAdvance: true });
  return { item, trace: r.trace === null ? null : withNote(r.trace, [], UNINSURED_NOTE) };
}

type Late = { applicationDate: IsoDate; deadline: ApplicationDeadline };

function lateWhy(late: Late): string {
  return `the application of ${late.applicationDate}, filed after the employer's time limit ended (${explainDeadline(late.deadline)})`;
}

/**
 * 《工伤保险条例》第十七条第四款: what fell due before a late application is the employer's; a monthly
 * item is split. The notes are written only when the item carries a trace: the no-trace path of
 * the calculator builds no text.
 */
function lateApplication(
  ctx: RuleContext,
  r: ItemResult,
  late: Late,
  dates: CaseDates,
): Result<ItemResult[], 'rules.parameter_missing'> {
  if (r.item.payer === 'employer') return ok([r]);
  const found = dueOf(ctx, r.item.code, dates);
  if (!found.ok) return found;
  const due = found.value;
  if (due.kind === 'once') {
    if (due.date >= late.applicationDate) return ok([r]);
    const item = repaid(r.item, 'employer', { payerBasis: LATE_APPLICATION_BASIS });
    if (r.trace === null) return ok([{ item, trace: null }]);
    const note = `payer: employer: due on ${due.date}, before ${lateWhy(late)}; ${LATE_APPLICATION_BASIS}`;
    return ok([{ item, trace: withNote(r.trace, late.deadline.parameters, note) }]);
  }
  return ok(splitMonthly(r, late, due));
}

/** A monthly item whose first months began before the late application: split at the application. */
function splitMonthly(
  r: ItemResult,
  late: Late,
  due: Extract<Due, { kind: 'monthly' }>,
): ItemResult[] {
  const params = [...late.deadline.parameters, ...due.parameters];
  // A month is owed from its first day: the months that began before the application are the employer's.
  const lastEmployerMonth = monthOf(addDays(late.applicationDate, -1));
  if (due.fromMonth > lastEmployerMonth) return [r];
  const fundFrom = nextMonth(lastEmployerMonth);
  const employerPart = repaid(r.item, 'employer', {
    payerBasis: LATE_APPLICATION_BASIS,
    fromMonth: due.fromMonth,
    untilMonth: lastEmployerMonth,
  });
  const fundPart = repaid(r.item, r.item.payer, { fromMonth: fundFrom });
  if (r.trace === null)
    return [
      { item: employerPart, trace: null },
      { item: fundPart, trace: null },
    ];
  const employerNote = `payer: employer for ${due.fromMonth} … ${lastEmployerMonth}, the months that began before ${lateWhy(late)}; ${LATE_APPLICATION_BASIS}`;
  const fundNote = `payer: fund from ${fundFrom}, the month after the employer's part`;
  return [
    { item: employerPart, trace: withNote(r.trace, params, employerNote) },
    { item: fundPart, trace: withNote(r.trace, params, fundNote) },
  ];
}

/**
 * Sets the payer of every item for the case's insurance and application facts, after the items are
 * computed (the amounts never change, only who pays and for which months). Insured and no
 * application date given: the items are returned as they are (《社会保险法》第三十八条、第三十九条).
 */
export function assignPayers(
  ctx: RuleContext,
  results: ItemResult[],
  liability: Liability,
  dates: CaseDates,
): Result<ItemResult[], 'rules.parameter_missing'> {
  if (!liability.employerInsured) return ok(results.map(uninsured));
  const applicationDate = liability.applicationDate;
  if (applicationDate === null) return ok(results);
  const deadline = employerApplicationDeadline(
    ctx,
    dates.injuryDate,
    liability.applicationDeadlineExtendedTo,
  );
  if (!deadline.ok) return deadline;
  if (applicationDate <= deadline.value.lastDay) return ok(results);
  const late = { applicationDate, deadline: deadline.value };
  const out: ItemResult[] = [];
  for (const r of results) {
    const parts = lateApplication(ctx, r, late, dates);
    if (!parts.ok) return parts;
    out.push(...parts.value);
  }
  return ok(out);
}
