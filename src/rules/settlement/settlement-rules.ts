import { createHash } from 'node:crypto';
import { addDays, type IsoDate, nextMonth, toDayNumber } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { compare, div, mul, rational, toDecimalString } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { makeContext, readNumber, readRounding, readText, sourceOf } from '../context.ts';
import type { RuleSet } from '../parameters/model.ts';

/** 住院伙食补助费: share of the daily minimum wage (《浙江省工伤保险条例》第二十四条第一款). */
export const FOOD_SHARE_PATH = 'settlement.food_allowance.minimum_wage_share';
/** Our reading: the monthly minimum wage ÷ this many days is the daily one (status demo). */
export const FOOD_DAYS_PER_MONTH_PATH = 'settlement.food_allowance.days_per_month';
export const MINIMUM_WAGE_PATH = 'wage.minimum_monthly_fen';
/** 责任保证金: share of an institution's monthly payment retained (status demo). */
export const GUARANTEE_SHARE_PATH = 'settlement.guarantee.retained_share';
/** When the guarantee is released (status demo): only `year_end` is known. */
export const GUARANTEE_RELEASE_PATH = 'settlement.guarantee.release';
/** 人工审核抽样比例 (our operational choice, status demo). */
export const REVIEW_SAMPLE_PATH = 'settlement.review.sample_share';

export type HospitalStay = { admittedOn: IsoDate; dischargedOn: IsoDate };

export type FoodAllowance = {
  /** 实际天数: discharge day minus admission day (the night count), at least 1. */
  days: number;
  dailyFen: Fen;
  amountFen: Fen;
  citations: string[];
};

type Missing = 'rules.parameter_missing';

/**
 * 实际天数 of a stay. We count nights, as hospitals count 住院天数 (算入不算出): admitted on the 1st and
 * discharged on the 4th is 3 days; admitted and discharged on the same day is 1 (the worker was in
 * hospital that day, so the allowance cannot be nothing).
 */
export function stayDays(stay: HospitalStay): number {
  return Math.max(1, toDayNumber(stay.dischargedOn) - toDayNumber(stay.admittedOn));
}

/**
 * The inpatient food allowance of a stay: days × the daily standard, where the daily standard is
 * share × (monthly minimum wage ÷ days per month), rounded once to the fen under rounding.money
 * (the daily figure is what the institution bills per day, so it is the amount rounded). Every
 * parameter is read on the admission day: one stay has one standard.
 */
export function foodAllowanceFen(
  rules: RuleSet,
  region: string,
  stay: HospitalStay,
): Result<FoodAllowance, Missing | 'rules.not_applicable'> {
  if (stay.dischargedOn < stay.admittedOn)
    return refuse('rules.not_applicable', 'the discharge day is before the admission day', {
      ...stay,
    });
  const ctx = makeContext(rules, region, {}, false);
  const on = stay.admittedOn;
  const share = readNumber(ctx, FOOD_SHARE_PATH, on);
  if (!share.ok) return share;
  const perMonth = readNumber(ctx, FOOD_DAYS_PER_MONTH_PATH, on);
  if (!perMonth.ok) return perMonth;
  const minimum = readNumber(ctx, MINIMUM_WAGE_PATH, on);
  if (!minimum.ok) return minimum;
  const rule = readRounding(ctx, on);
  if (!rule.ok) return rule;
  const dailyFen = roundFen(mul(share.value, div(minimum.value, perMonth.value)), rule.value);
  const days = stayDays(stay);
  const citations = [FOOD_SHARE_PATH, FOOD_DAYS_PER_MONTH_PATH, MINIMUM_WAGE_PATH]
    .map((path) => sourceOf(ctx, path, on))
    .filter((c): c is string => c !== null);
  return ok({ days, dailyFen, amountFen: days * dailyFen, citations });
}

/** The review sample share in force on `on`. */
export function reviewSampleShareOf(
  rules: RuleSet,
  region: string,
  on: IsoDate,
): Result<string, Missing> {
  const share = readNumber(makeContext(rules, region, {}, false), REVIEW_SAMPLE_PATH, on);
  return share.ok ? ok(toDecimalString(share.value)) : share;
}

/**
 * Whether a settlement falls in the manual-review sample: the first 8 bytes of SHA-256 of its key,
 * as a fraction of 2^64, below the share. Deterministic, so a retried or replayed settlement gets
 * the same answer, and uniform enough that the sample's size tends to the share.
 */
export function inReviewSample(
  rules: RuleSet,
  region: string,
  input: { on: IsoDate; settlementKey: string },
): Result<boolean, Missing> {
  const share = readNumber(makeContext(rules, region, {}, false), REVIEW_SAMPLE_PATH, input.on);
  if (!share.ok) return share;
  const hash = createHash('sha256').update(input.settlementKey).digest();
  const draw = rational(hash.readBigUInt64BE(0), 2n ** 64n);
  return ok(compare(draw, share.value) < 0);
}

/**
 * The guarantee share (责任保证金) of a monthly statement, as a decimal string ("0.05"): the value
 * in force on the month's last day, so a share changed during the month applies to the whole
 * month's payment, which is computed after the month closes.
 */
export function statementGuaranteeShareOf(
  rules: RuleSet,
  region: string,
  month: string,
): Result<string, Missing> {
  const on = addDays(`${nextMonth(month)}-01`, -1);
  const share = readNumber(makeContext(rules, region, {}, false), GUARANTEE_SHARE_PATH, on);
  return share.ok ? ok(toDecimalString(share.value)) : share;
}

/**
 * The day the guarantee retained in `year` is released, from settlement.guarantee.release in force
 * on the year's last day: `year_end` — "what was retained in a calendar year is released on its
 * last day" — gives that day. Another value is a rule this code does not know: not applicable.
 */
export function guaranteeReleaseDayOf(
  rules: RuleSet,
  region: string,
  year: number,
): Result<IsoDate, Missing | 'rules.not_applicable'> {
  const last = `${year}-12-31`;
  const when = readText(makeContext(rules, region, {}, false), GUARANTEE_RELEASE_PATH, last);
  if (!when.ok) return when;
  if (when.value !== 'year_end')
    return refuse('rules.not_applicable', `unknown guarantee release rule ${when.value}`, {
      value: when.value,
    });
  return ok(last);
}
