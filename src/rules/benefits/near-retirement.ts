import { addMonths, type IsoDate, wholeYearsBetween } from '../../kernel/dates.ts';
import { compare, fromInt, mul, type Rational, sub } from '../../kernel/rational.ts';
import { percent } from '../trace.ts';

/**
 * How a provincial text counts the years near retirement (parameter
 * `separation.near_retirement_counting`):
 * - `years_left`: the time left from the separation date to the retirement date, in whole years
 *   (《河南省工伤保险条例》第二十七条第二款 "距正常退休年龄不足五年的，每减少一年…递减百分之二十").
 * - `age_completed`: the years of age (周岁) the worker has added since the age five years before
 *   retirement (《浙江省工伤保险条例》第二十七条第二款 "按照职工每增加一周岁递减百分之二十").
 */
export type RetirementCounting = 'years_left' | 'age_completed';

/** A statutory retirement age; months because the 2025 reform raises ages by months (63, 55 + 4). */
export type RetirementAge = { years: number; months: number };

/** The three ways the calculator is told how far the worker is from retirement. */
export type RetirementTiming =
  | { way: 'years'; yearsToRetirement: number }
  | { way: 'retirement_date'; retirementDate: IsoDate }
  | { way: 'birth'; birthDate: IsoDate; retirementAge: RetirementAge };

/** The parameters of the rule: `separation.near_retirement` and its counting. */
export type NearRetirementRule = {
  counting: RetirementCounting;
  /** Years to retirement at or above which the grant is paid in full (5). */
  thresholdYears: number;
  /** The reduction per year fewer or per 周岁 added (0.2). */
  step: Rational;
  /** The share paid with under one year left (河南 10 %), or null when the text has none. */
  underOneYear: Rational | null;
};

/** What was counted and the share of the grant that follows, for the amount and the trace. */
export type RetirementCount = {
  timing: RetirementTiming;
  separationDate: IsoDate;
  /** Known from the dates; null when only whole years were given. */
  retirementDate: IsoDate | null;
  /** Whole years from the separation date to the retirement date, rounded down. */
  wholeYearsLeft: number;
  /** 周岁 at the separation date; null unless the birth date was given. */
  ageYears: number | null;
  /** Steps of `step` taken off: years fewer than the threshold, or 周岁 added past the mark. */
  steps: number;
  band: 'full' | 'reduced' | 'under_one_year';
  share: Rational;
};

const ONE = fromInt(1);
const ZERO = fromInt(0);

/** The statutory retirement date: birth date + the age in years and months (《民法典》第二百零二条). */
export function retirementDateOf(birthDate: IsoDate, age: RetirementAge): IsoDate {
  return addMonths(birthDate, age.years * 12 + age.months);
}

/** The retirement date (when the dates give it) and the whole years left to it from separation. */
function yearsLeftOf(
  separationDate: IsoDate,
  timing: RetirementTiming,
): { retirementDate: IsoDate | null; wholeYearsLeft: number } {
  if (timing.way === 'years')
    return { retirementDate: null, wholeYearsLeft: timing.yearsToRetirement };
  const retirementDate =
    timing.way === 'retirement_date'
      ? timing.retirementDate
      : retirementDateOf(timing.birthDate, timing.retirementAge);
  return { retirementDate, wholeYearsLeft: wholeYearsBetween(separationDate, retirementDate) };
}

/**
 * 周岁 added past the five-year mark (浙江). With the birth date: the worker's 周岁 at separation
 * minus the 周岁 at the mark (retirement years − threshold; the age's months do not change it).
 * With only the retirement date: the anniversaries of that date passed since the mark, i.e. the
 * birthday is taken to fall on the retirement date's month and day (true for whole-year ages).
 * With whole years only: threshold − years, the meaning `yearsToRetirement` always had.
 */
function ageStepsAdded(
  separationDate: IsoDate,
  timing: RetirementTiming,
  wholeYearsLeft: number,
  threshold: number,
): number {
  if (timing.way === 'birth') {
    const ageYears = wholeYearsBetween(timing.birthDate, separationDate);
    return Math.max(0, ageYears - (timing.retirementAge.years - threshold));
  }
  if (timing.way === 'retirement_date') {
    const onAnniversary = addMonths(separationDate, wholeYearsLeft * 12) === timing.retirementDate;
    return Math.max(0, threshold - wholeYearsLeft - (onAnniversary ? 0 : 1));
  }
  return Math.max(0, threshold - wholeYearsLeft);
}

/**
 * The share of the 一次性伤残就业补助金 paid near retirement, counted as the province's text says:
 * full at `thresholdYears` or more whole years left; otherwise 1 − step × steps (never below 0),
 * where steps are the whole years fewer than the threshold (河南: 4 years and 3 months left is
 * one year fewer → 80 %) or the 周岁 added (浙江: 55 周岁 and 9 months before a retirement at 60
 * → none added yet → full); under one year left, the province's own share when it has one
 * (河南 10 %). Pure; the separation date must precede the retirement date (the schema checks it).
 *
 * @example countNearRetirement('2025-03-01', { way: 'birth', birthDate: '1966-05-10',
 *   retirementAge: { years: 60, months: 0 } }, 浙江) // → 58 周岁, 3 steps, share 0.4
 */
export function countNearRetirement(
  separationDate: IsoDate,
  timing: RetirementTiming,
  rule: NearRetirementRule,
): RetirementCount {
  const { retirementDate, wholeYearsLeft } = yearsLeftOf(separationDate, timing);
  const ageYears =
    timing.way === 'birth' ? wholeYearsBetween(timing.birthDate, separationDate) : null;
  // Built once, without spreads: this runs for every separation on the calculator's hot path.
  let steps = 0;
  let band: RetirementCount['band'] = 'full';
  let share = ONE;
  if (wholeYearsLeft < rule.thresholdYears) {
    if (wholeYearsLeft < 1 && rule.underOneYear !== null) {
      band = 'under_one_year';
      share = rule.underOneYear;
    } else {
      steps =
        rule.counting === 'years_left'
          ? rule.thresholdYears - wholeYearsLeft
          : ageStepsAdded(separationDate, timing, wholeYearsLeft, rule.thresholdYears);
      if (steps > 0) {
        band = 'reduced';
        const reduced = sub(ONE, mul(fromInt(steps), rule.step));
        share = compare(reduced, ZERO) < 0 ? ZERO : reduced;
      }
    }
  }
  return { timing, separationDate, retirementDate, wholeYearsLeft, ageYears, steps, band, share };
}

type Words = { zh: string; en: string };

/** The quantity measured: whole years given, or the dates and what they give. */
function describeYearsLeft(c: RetirementCount): Words {
  const n = c.wholeYearsLeft;
  const t = c.timing;
  if (t.way === 'years')
    return {
      zh: `距退休年龄 ${n} 整年（输入的整年数）`,
      en: `${n} whole year(s) to retirement (given as whole years)`,
    };
  if (t.way === 'retirement_date')
    return {
      zh: `${c.separationDate} 至退休日期 ${t.retirementDate} 满 ${n} 整年`,
      en: `${n} whole year(s) from ${c.separationDate} to the retirement date ${t.retirementDate}`,
    };
  const { years, months } = t.retirementAge;
  return {
    zh: `出生日期 ${t.birthDate} + 退休年龄 ${years} 岁${months > 0 ? ` ${months} 个月` : ''} = 退休日期 ${c.retirementDate}；${c.separationDate} 时 ${c.ageYears} 周岁，距退休满 ${n} 整年`,
    en: `birth date ${t.birthDate} + retirement age ${years} years${months > 0 ? ` ${months} months` : ''} = retirement date ${c.retirementDate}; on ${c.separationDate} aged ${c.ageYears} (周岁), ${n} whole year(s) to retirement`,
  };
}

/** 周岁 counting (浙江) below the threshold: what was counted as years of age added. */
function describeAgeSteps(c: RetirementCount, rule: NearRetirementRule): Words {
  const t = c.timing;
  const share = percent(c.share);
  if (t.way === 'birth') {
    const mark = t.retirementAge.years - rule.thresholdYears;
    return {
      zh: `比 ${mark} 周岁增加 ${c.steps} 周岁 → ${share}`,
      en: `${c.steps} year(s) of age added past ${mark} → ${share}`,
    };
  }
  if (t.way === 'retirement_date')
    return {
      zh: `未给出生日期，按退休日期的周年计周岁：增加 ${c.steps} 周岁 → ${share}`,
      en: `no birth date: years of age counted on the retirement date's anniversaries, ${c.steps} added → ${share}`,
    };
  return {
    zh: `整年数视为增加 ${c.steps} 周岁 → ${share}`,
    en: `whole years read as ${c.steps} year(s) of age added → ${share}`,
  };
}

/**
 * How the years were counted, in words, for the trace. Example (河南, dates): "2025-03-01 至退休
 * 日期 2027-04-10 满 2 整年，不足 5 年，每减少一年递减 20%：少 3 年 → 40%".
 */
export function describeCount(c: RetirementCount, rule: NearRetirementRule): Words {
  const left = describeYearsLeft(c);
  const threshold = rule.thresholdYears;
  const step = percent(rule.step);
  let verdict: Words;
  if (c.wholeYearsLeft >= threshold)
    verdict = { zh: `，${threshold} 年以上：全额支付`, en: `: ${threshold} or more, paid in full` };
  else if (c.band === 'under_one_year')
    verdict = {
      zh: `，不足一年：按 ${percent(c.share)} 支付`,
      en: `: under one year, ${percent(c.share)} paid`,
    };
  else if (rule.counting === 'years_left')
    verdict = {
      zh: `，不足 ${threshold} 年，每减少一年递减 ${step}：少 ${c.steps} 年 → ${percent(c.share)}`,
      en: `: under ${threshold}, ${step} less for each year fewer: ${c.steps} year(s) fewer → ${percent(c.share)}`,
    };
  else {
    const steps = describeAgeSteps(c, rule);
    verdict = {
      zh: `，不足 ${threshold} 年，每增加一周岁递减 ${step}：${steps.zh}`,
      en: `: under ${threshold}, ${step} less for each year of age added: ${steps.en}`,
    };
  }
  return { zh: `${left.zh}${verdict.zh}`, en: `${left.en}${verdict.en}` };
}
