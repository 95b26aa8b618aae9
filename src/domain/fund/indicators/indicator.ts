import { daysInMonth, type IsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import {
  compare,
  fromDecimal,
  type Rational,
  type RoundingRule,
  rational,
  toDecimalString,
} from '../../../kernel/rational.ts';
import { decimalRatio } from '../budgets/budget-execution.ts';
import { TRANSFER_EXPENSE_CODES, TRANSFER_INCOME_CODES } from '../ledger/accounts.ts';

export { TRANSFER_EXPENSE_CODES, TRANSFER_INCOME_CODES };

import {
  type IndicatorParamSet,
  type IndicatorParamValue,
  lookupIndicatorParam,
} from '../../../rules/fund/indicators/indicator-params.ts';

/**
 * Months of expenditure (可支付月数, domain-spec §5.7), pure:
 *
 *   months = balance ÷ (expenditure of the last 12 months ÷ 12) = 12 × balance ÷ expenditure12
 *
 * exact on rationals; shown with MONTHS_PLACES decimals by MONTHS_ROUNDING. "The last 12 months" =
 * effective dates in (asOf − 1 year, asOf]. The alert compares the exact value with the dated
 * thresholds (src/rules/values/pooling/indicators/).
 */
export const MONTHS_PLACES = 2;
export const MONTHS_ROUNDING: RoundingRule = 'half_up';

export type Denominator = 'own_expenditure' | 'benefits_only';

export function countsInDenominator(chartCode: string, d: Denominator): boolean {
  if (!/^5/.test(chartCode)) return false;
  if (d === 'benefits_only') return /^51(0[1-9]|1[0-2])$/.test(chartCode);
  return !TRANSFER_EXPENSE_CODES.has(chartCode);
}

/** The first day of the 12-month window ending on `asOf` (the day after asOf one year earlier). */
export function windowStart(asOf: IsoDate): IsoDate {
  const y = Number(asOf.slice(0, 4)) - 1;
  const m = Number(asOf.slice(5, 7));
  const d = Math.min(Number(asOf.slice(8, 10)), daysInMonth(y, m));
  const t = Date.UTC(y, m - 1, d) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export type MonthsOfExpenditure = {
  balanceFen: Fen;
  expenditure12Fen: Fen;
  windowFrom: IsoDate;
  windowTo: IsoDate;
  /** Shown value ("14.23"), null when nothing was spent in the window. */
  months: string | null;
  /** The exact value: a finite decimal or "num/den". */
  monthsExact: string | null;
  rounding: { places: number; rule: RoundingRule };
};

export function monthsOfExpenditure(input: {
  balanceFen: Fen;
  expenditure12Fen: Fen;
  asOf: IsoDate;
}): { view: MonthsOfExpenditure; exact: Rational | null } {
  const exact =
    input.expenditure12Fen > 0
      ? rational(12n * BigInt(input.balanceFen), BigInt(input.expenditure12Fen))
      : null;
  return {
    exact,
    view: {
      balanceFen: input.balanceFen,
      expenditure12Fen: input.expenditure12Fen,
      windowFrom: windowStart(input.asOf),
      windowTo: input.asOf,
      months: exact ? decimalRatio(exact, MONTHS_PLACES, MONTHS_ROUNDING) : null,
      monthsExact: exact ? toDecimalString(exact) : null,
      rounding: { places: MONTHS_PLACES, rule: MONTHS_ROUNDING },
    },
  };
}

export type AlertLevel =
  | 'below'
  | 'watch_low'
  | 'normal'
  | 'watch_high'
  | 'above'
  | 'no_expenditure'
  | 'no_threshold';

export type Thresholds = {
  alertBelow: IndicatorParamValue | null;
  watchBelow: IndicatorParamValue | null;
  watchAbove: IndicatorParamValue | null;
  alertAbove: IndicatorParamValue | null;
};

const PATH = 'indicators.months_of_expenditure';

export function thresholdsAt(params: IndicatorParamSet, region: string, date: IsoDate): Thresholds {
  const get = (k: string) => lookupIndicatorParam(params, region, `${PATH}.${k}`, date) ?? null;
  return {
    alertBelow: get('alert_below'),
    watchBelow: get('watch_below'),
    watchAbove: get('watch_above'),
    alertAbove: get('alert_above'),
  };
}

export function denominatorAt(
  params: IndicatorParamSet,
  region: string,
  date: IsoDate,
): { value: Denominator; param: IndicatorParamValue | null } {
  const p = lookupIndicatorParam(params, region, `${PATH}.denominator`, date) ?? null;
  return { value: p?.value === 'benefits_only' ? 'benefits_only' : 'own_expenditure', param: p };
}

export type Alert = {
  level: AlertLevel;
  message: string;
  /** True when a threshold that decided the level is a demo placeholder. */
  demoThreshold: boolean;
};

/**
 * Classifies the exact months against the thresholds: below alert_below → `below`; below
 * watch_below → `watch_low`; at or above alert_above → `above`; at or above watch_above →
 * `watch_high`; otherwise `normal`. Missing thresholds are skipped; none at all → `no_threshold`.
 */
export function classify(months: Rational | null, t: Thresholds): Alert {
  if (months === null)
    return {
      level: 'no_expenditure',
      message: '近12个月无支出，无法计算可支付月数 / no expenditure in the last 12 months',
      demoThreshold: false,
    };
  const all = [t.alertBelow, t.watchBelow, t.watchAbove, t.alertAbove];
  if (all.every((x) => x === null))
    return {
      level: 'no_threshold',
      message: '该日期无适用的预警阈值 / no threshold in force on that date',
      demoThreshold: false,
    };
  const lt = (p: IndicatorParamValue | null) =>
    p !== null && compare(months, fromDecimal(p.value)) < 0;
  const ge = (p: IndicatorParamValue | null) =>
    p !== null && compare(months, fromDecimal(p.value)) >= 0;
  const demo = (p: IndicatorParamValue | null) => p?.status === 'demo';
  if (lt(t.alertBelow))
    return {
      level: 'below',
      message: `可支付月数低于 ${t.alertBelow!.value} 个月，应考虑调整费率 / below ${t.alertBelow!.value} months: adjust`,
      demoThreshold: demo(t.alertBelow),
    };
  if (lt(t.watchBelow))
    return {
      level: 'watch_low',
      message: `可支付月数低于 ${t.watchBelow!.value} 个月，需关注 / below ${t.watchBelow!.value} months: watch`,
      demoThreshold: demo(t.watchBelow),
    };
  if (ge(t.alertAbove))
    return {
      level: 'above',
      message: `可支付月数达到 ${t.alertAbove!.value} 个月以上，结余偏高 / ${t.alertAbove!.value} months or more: balance high`,
      demoThreshold: demo(t.alertAbove),
    };
  if (ge(t.watchAbove))
    return {
      level: 'watch_high',
      message: `可支付月数达到 ${t.watchAbove!.value} 个月以上，需关注 / ${t.watchAbove!.value} months or more: watch`,
      demoThreshold: demo(t.watchAbove),
    };
  return { level: 'normal', message: '正常 / normal', demoThreshold: false };
}
