import { type IsoDate, wholeMonthsBetween } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { fromInt, type Rational } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type RuleContext, readEntry, readRounding, tracedSince, traceMark } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import { yuanEn, yuanZh } from '../trace.ts';
import { finishItem, type ItemResult } from './item.ts';
import { UNINSURED_BASIS } from './payers.ts';

/**
 * One dependant's one-off payment (《浙江省工伤保险条例》第三十五条): the facts the period needs, and
 * what was already received monthly when the dependant converts (第三款). At most one of
 * `monthsReceived` and `receivedFen` (the schema checks it).
 */
export type OneOffPayment = {
  birthDate: IsoDate;
  withoutLabourCapacityOrIncome: boolean;
  monthsReceived?: number | undefined;
  receivedFen?: Fen | undefined;
};

/** The parameter `death.survivor_one_off_period` (years and 周岁), read as whole numbers. */
export type OneOffPeriodRule = {
  minorUntilAge: number;
  incapacityYears: number;
  reductionFromAge: number;
  floorFromAge: number;
  floorYears: number;
};

/**
 * How the period was found: `to_age` (a minor: to the 18th birthday), `incapacity` (20 years),
 * `reduced` (over 60 周岁: a year less per 周岁), `floor` (75 周岁 or more: 5 years).
 */
export type OneOffPeriod = {
  way: 'to_age' | 'incapacity' | 'reduced' | 'floor';
  /** Age at the death in completed months (周岁 = ageMonths ÷ 12, rounded down). */
  ageMonths: number;
  months: number;
};

export const ONE_OFF_PATH = 'death.survivor_one_off_period';

/** Who pays the one-off: the uninsured employer, by the 浙江 article that lets it pay so. */
export const ONE_OFF_PAYER_BASIS = `《浙江省工伤保险条例》第三十五条第一款；${UNINSURED_BASIS}`;

/**
 * The period of 《浙江省工伤保险条例》第三十五条第二款, ages at the death date:
 * - without labour capacity and other income (flagged): 20 years; over 60 周岁 one year less per
 *   周岁 ("超过六十周岁的，年龄每增加一周岁减少一年"); 75 周岁 or more ("以上" includes 75) 5 years. A minor
 *   flagged so takes this rule: it is the only one reaching past 18, and never shorter (≤ 18 years).
 * - under 18 周岁 ("未满十八周岁的，计算到十八周岁"): 18 × 12 months less the age in completed months,
 *   i.e. the months from the death to the 18th birthday with a month begun counted whole, so the
 *   count reaches the birthday; the text names no daily rate to pay a part month by.
 * - otherwise null: the text gives no period for an adult with labour capacity or other income.
 */
export function oneOffPeriod(
  rule: OneOffPeriodRule,
  birthDate: IsoDate,
  deathDate: IsoDate,
  withoutLabourCapacityOrIncome: boolean,
): OneOffPeriod | null {
  const ageMonths = wholeMonthsBetween(birthDate, deathDate);
  const age = Math.floor(ageMonths / 12);
  if (withoutLabourCapacityOrIncome) {
    if (age >= rule.floorFromAge) return { way: 'floor', ageMonths, months: rule.floorYears * 12 };
    const over = Math.max(0, age - rule.reductionFromAge);
    const years = Math.max(rule.floorYears, rule.incapacityYears - over);
    return { way: over > 0 ? 'reduced' : 'incapacity', ageMonths, months: years * 12 };
  }
  if (age >= rule.minorUntilAge) return null;
  return { way: 'to_age', ageMonths, months: rule.minorUntilAge * 12 - ageMonths };
}

/**
 * The amount: the first pension × the months, less what was received (第三款 "一次性待遇总额扣除已经领取的
 * 供养亲属抚恤金后的余额"), never below zero. Exact; the caller rounds once.
 */
export function oneOffExact(pensionFen: Fen, months: number, payment: OneOffPayment): Rational {
  const total = pensionFen * months;
  const received = payment.receivedFen ?? (payment.monthsReceived ?? 0) * pensionFen;
  return fromInt(Math.max(0, total - received));
}

function readRule(
  ctx: RuleContext,
  date: IsoDate,
): Result<OneOffPeriodRule, 'rules.parameter_missing'> {
  const entry = (key: string): Result<number, 'rules.parameter_missing'> => {
    const v = readEntry(ctx, ONE_OFF_PATH, key, date);
    return v.ok ? ok(Number(v.value.num / v.value.den)) : v;
  };
  const minorUntilAge = entry('minor_until_age');
  if (!minorUntilAge.ok) return minorUntilAge;
  const incapacityYears = entry('incapacity_years');
  if (!incapacityYears.ok) return incapacityYears;
  const reductionFromAge = entry('reduction_from_age');
  if (!reductionFromAge.ok) return reductionFromAge;
  const floorFromAge = entry('floor_from_age');
  if (!floorFromAge.ok) return floorFromAge;
  const floorYears = entry('floor_years');
  if (!floorYears.ok) return floorYears;
  return ok({
    minorUntilAge: minorUntilAge.value,
    incapacityYears: incapacityYears.value,
    reductionFromAge: reductionFromAge.value,
    floorFromAge: floorFromAge.value,
    floorYears: floorYears.value,
  });
}

type OneOffRefusal = 'rules.parameter_missing' | 'rules.not_applicable';

/** Where no period is loaded (outside 浙江, or 浙江 before 2018-01-01), the input is refused. */
function notLoaded(ctx: RuleContext, index: number, deathDate: IsoDate) {
  return refuse(
    'rules.not_applicable',
    `dependants.${index}.oneOffPayment: no one-off period of survivor pensions is loaded for region ${ctx.region} on ${deathDate} (${ONE_OFF_PATH}: 《浙江省工伤保险条例》第三十五条第二款, 浙江 from 2018-01-01 only); leave it out and the pension is monthly`,
    { path: ONE_OFF_PATH, region: ctx.region, date: deathDate, dependantIndex: index },
  );
}

/**
 * 供养亲属抚恤金一次性支付 (《浙江省工伤保险条例》第三十五条第二款, 第三款 after monthly payments): the
 * dependant's monthly pension as first determined (after the cap of 《工伤保险条例》第三十九条第一款第（二）项)
 * × the period, less what was received; one employer-paid item replacing the monthly one.
 */
export function survivorOneOff(
  ctx: RuleContext,
  pension: ItemResult,
  payment: OneOffPayment,
  deathDate: IsoDate,
): Result<ItemResult, OneOffRefusal> {
  const index = pension.item.dependantIndex ?? 0;
  if (lookup(ctx.rules, ctx.region, ONE_OFF_PATH, deathDate) === null)
    return notLoaded(ctx, index, deathDate);
  const mark = traceMark(ctx);
  const rule = readRule(ctx, deathDate);
  if (!rule.ok) return rule;
  const rounding = readRounding(ctx, deathDate);
  if (!rounding.ok) return rounding;
  const period = oneOffPeriod(
    rule.value,
    payment.birthDate,
    deathDate,
    payment.withoutLabourCapacityOrIncome,
  );
  if (period === null)
    return refuse(
      'rules.not_applicable',
      `dependants.${index}: ${Math.floor(wholeMonthsBetween(payment.birthDate, deathDate) / 12)} 周岁 at the death and not withoutLabourCapacityOrIncome: 《浙江省工伤保险条例》第三十五条第二款 gives a period only for a dependant under ${rule.value.minorUntilAge} 周岁 or without labour capacity and other income`,
      { path: ONE_OFF_PATH, region: ctx.region, date: deathDate, dependantIndex: index },
    );
  const converted = payment.monthsReceived !== undefined || payment.receivedFen !== undefined;
  const base = pension.item.amountFen;
  const text = ctx.traced === null ? null : { base, period, payment, pension };
  const result = finishItem(ctx, {
    code: 'survivor_pension_one_off',
    frequency: 'once',
    payer: 'employer',
    cite: converted
      ? {
          zh: '《浙江省工伤保险条例》第三十五条第二款、第三款',
          en: 'Zhejiang Regulation on Work-Related Injury Insurance, Art. 35 ¶2, ¶3',
        }
      : {
          zh: '《浙江省工伤保险条例》第三十五条第二款',
          en: 'Zhejiang Regulation on Work-Related Injury Insurance, Art. 35 ¶2',
        },
    exact: oneOffExact(base, period.months, payment),
    rule: rounding.value,
    dependantIndex: index,
    mark,
    parameters: [...(pension.trace?.parameters ?? []), ...tracedSince(ctx, mark)],
    formula: text === null ? null : (a) => oneOffFormula(text, a),
    notes: text === null ? null : () => oneOffNotes(text),
  });
  result.item.payerBasis = ONE_OFF_PAYER_BASIS;
  return ok(result);
}

type OneOffText = { base: Fen; period: OneOffPeriod; payment: OneOffPayment; pension: ItemResult };

function receivedText(t: OneOffText): { fen: Fen; zh: string; en: string } | null {
  const { receivedFen, monthsReceived } = t.payment;
  if (receivedFen !== undefined)
    return { fen: receivedFen, zh: yuanZh(receivedFen), en: yuanEn(receivedFen) };
  if (monthsReceived === undefined) return null;
  const fen = monthsReceived * t.base;
  return {
    fen,
    zh: `${monthsReceived} 个月 × ${yuanZh(t.base)} = ${yuanZh(fen)}`,
    en: `${monthsReceived} months × ${yuanEn(t.base)} = ${yuanEn(fen)}`,
  };
}

function oneOffFormula(t: OneOffText, a: Fen): { zh: string; en: string } {
  const total = t.base * t.period.months;
  const zh = `供养亲属抚恤金一次性支付 = 初次核定的供养亲属抚恤金 ${yuanZh(t.base)} × ${t.period.months} 个月`;
  const en = `One-off survivor pension = first monthly pension ${yuanEn(t.base)} × ${t.period.months} months`;
  const received = receivedText(t);
  if (received === null) return { zh: `${zh} = ${yuanZh(a)}`, en: `${en} = ${yuanEn(a)}` };
  const floored = received.fen > total;
  return {
    zh: `${zh} = ${yuanZh(total)}，扣除已经领取的供养亲属抚恤金 ${received.zh}，余额 ${yuanZh(a)}${floored ? '（不低于零）' : ''}`,
    en: `${en} = ${yuanEn(total)}, less the pensions received ${received.en}: balance ${yuanEn(a)}${floored ? ' (not below zero)' : ''}`,
  };
}

const WAY_TEXT: Record<OneOffPeriod['way'], string> = {
  to_age: 'under 18 周岁: 216 months less the age in completed months (a month begun counts whole)',
  incapacity: 'without labour capacity and other income, not over 60 周岁: 20 years',
  reduced: 'without labour capacity and other income, over 60 周岁: one year less per 周岁 over 60',
  floor: 'without labour capacity and other income, 75 周岁 or more: 5 years',
};

function oneOffNotes(t: OneOffText): string[] {
  const { ageMonths, months, way } = t.period;
  const notes = [
    `period: born ${t.payment.birthDate}, ${Math.floor(ageMonths / 12)} 周岁 ${ageMonths % 12} months at the death; ${WAY_TEXT[way]} → ${months} months`,
    'payer: the employer, which was not insured and pays the pension once instead of monthly (《浙江省工伤保险条例》第三十五条第一款 "由用人单位按月或者一次性支付"); the item replaces the monthly survivor pension of this dependant',
  ];
  if (t.pension.trace !== null) notes.push(`base: ${t.pension.trace.formula.en}`);
  if (t.payment.monthsReceived !== undefined)
    notes.push(
      'received counted as months × the first pension: give receivedFen when indexation (《浙江省工伤保险条例》第三十七条第四款) changed the amounts paid',
    );
  return notes;
}
