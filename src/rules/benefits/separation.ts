import type { IsoDate } from '../../kernel/dates.ts';
import {
  add,
  compare,
  fromInt,
  mul,
  type Rational,
  rational,
  toDecimalString,
} from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import {
  type RuleContext,
  readEntry,
  readNumber,
  readRounding,
  readText,
  sourceOf,
  traceMark,
} from '../context.ts';
import { percent, yuanEn, yuanZh } from '../trace.ts';
import { finishItem, type ItemResult } from './item.ts';
import { PAYER_BY_ITEM } from './payers.ts';

export type Separation = { date: IsoDate; yearsToRetirement: number };

const BASE_PATH: Record<string, { path: string; zh: string; en: string }> = {
  provincial_average: {
    path: 'wage.provincial_average_monthly_fen',
    zh: '上年度全省职工月平均工资',
    en: 'provincial previous-year average monthly wage',
  },
  average_monthly: {
    path: 'wage.average_monthly_fen',
    zh: '统筹地区上年度职工月平均工资',
    en: 'pooling-area previous-year average monthly wage',
  },
};

/**
 * The near-retirement factor of the employment grant: 1 when at least `threshold` whole years are
 * left, else years × step (浙江 Art. 27: −20 % for each year of age past the five-year mark), never
 * below 0. A threshold of 0 means the province has no reduction (河南 2007).
 */
export function nearRetirementFactor(
  yearsToRetirement: number,
  threshold: Rational,
  step: Rational,
): Rational {
  const years = fromInt(yearsToRetirement);
  if (compare(years, threshold) >= 0) return fromInt(1);
  const f = mul(years, step);
  return compare(f, fromInt(0)) < 0 ? fromInt(0) : compare(f, fromInt(1)) > 0 ? fromInt(1) : f;
}

/**
 * 一次性工伤医疗补助金 (fund) and 一次性伤残就业补助金 (employer) when a grade 5–10 worker's labour
 * relationship ends (条例 Art. 36 ¶2, Art. 37 (二)); amounts are provincial (浙江 2020 Art. 27,
 * 河南 2007 Art. 27), read on the separation date.
 */
export function separationGrants(
  ctx: RuleContext,
  grade: number,
  separation: Separation,
  options: { occupationalDisease?: boolean } = {},
): Result<[ItemResult, ItemResult], 'rules.parameter_missing'> {
  const date = separation.date;
  const markMedical = traceMark(ctx);
  const baseKind = readText(ctx, 'separation.base', date);
  if (!baseKind.ok) return baseKind;
  const base = BASE_PATH[baseKind.value] ?? BASE_PATH['provincial_average']!;
  const baseValue = readNumber(ctx, base.path, date);
  if (!baseValue.ok) return baseValue;
  const medicalMonths = readEntry(ctx, 'separation.medical_grant_months', String(grade), date);
  if (!medicalMonths.ok) return medicalMonths;
  let uplift = fromInt(0);
  if (options.occupationalDisease === true) {
    const u = readNumber(ctx, 'separation.occupational_disease_medical_uplift', date);
    if (!u.ok) return u;
    uplift = u.value;
  }
  const rule = readRounding(ctx, date);
  if (!rule.ok) return rule;
  const baseFen = Number(baseValue.value.num / baseValue.value.den);
  const provincial = sourceOf(ctx, 'separation.medical_grant_months', date) ?? '';
  const national =
    grade <= 6
      ? {
          zh: '《工伤保险条例》第三十六条第二款',
          en: 'Regulation on Work-Related Injury Insurance, Art. 36 ¶2',
        }
      : {
          zh: '《工伤保险条例》第三十七条第（二）项',
          en: 'Regulation on Work-Related Injury Insurance, Art. 37 (2)',
        };
  const cite = { zh: `${national.zh}；${provincial}`, en: `${national.en}; ${provincial}` };
  const hasUplift = compare(uplift, fromInt(0)) > 0;
  const medical = finishItem(ctx, {
    code: 'medical_separation_grant',
    frequency: 'once',
    payer: PAYER_BY_ITEM.medical_separation_grant.payer,
    cite,
    exact: mul(mul(baseValue.value, medicalMonths.value), add(fromInt(1), uplift)),
    rule: rule.value,
    mark: markMedical,
    formula:
      ctx.traced === null
        ? null
        : (a) => ({
            zh: `一次性工伤医疗补助金 = ${base.zh} ${yuanZh(baseFen)} × ${toDecimalString(medicalMonths.value)} 个月${hasUplift ? ` × (1 + ${percent(uplift)})` : ''} = ${yuanZh(a)}`,
            en: `Medical separation grant = ${base.en} ${yuanEn(baseFen)} × ${toDecimalString(medicalMonths.value)} months${hasUplift ? ` × (1 + ${percent(uplift)})` : ''} = ${yuanEn(a)}`,
          }),
  });

  const markEmployment = traceMark(ctx);
  const employmentMonths = readEntry(
    ctx,
    'separation.employment_grant_months',
    String(grade),
    date,
  );
  if (!employmentMonths.ok) return employmentMonths;
  const threshold = readEntry(ctx, 'separation.near_retirement', 'threshold_years', date);
  if (!threshold.ok) return threshold;
  const step = readEntry(ctx, 'separation.near_retirement', 'step_ratio', date);
  if (!step.ok) return step;
  if (ctx.traced !== null) ctx.traced.push(...ctx.traced.slice(markMedical, markMedical + 2));
  const factor = nearRetirementFactor(separation.yearsToRetirement, threshold.value, step.value);
  const reduced = compare(factor, rational(1n)) < 0;
  const employment = finishItem(ctx, {
    code: 'employment_separation_grant',
    frequency: 'once',
    payer: PAYER_BY_ITEM.employment_separation_grant.payer,
    cite,
    exact: mul(mul(baseValue.value, employmentMonths.value), factor),
    rule: rule.value,
    mark: markEmployment,
    formula:
      ctx.traced === null
        ? null
        : (a) => ({
            zh: `一次性伤残就业补助金 = ${base.zh} ${yuanZh(baseFen)} × ${toDecimalString(employmentMonths.value)} 个月${reduced ? ` × ${percent(factor)}(距法定退休年龄 ${separation.yearsToRetirement} 年，不足 ${toDecimalString(threshold.value)} 年递减)` : ''} = ${yuanZh(a)}`,
            en: `Employment separation grant = ${base.en} ${yuanEn(baseFen)} × ${toDecimalString(employmentMonths.value)} months${reduced ? ` × ${percent(factor)} (${separation.yearsToRetirement} year(s) to retirement, under ${toDecimalString(threshold.value)}: reduced)` : ''} = ${yuanEn(a)}`,
          }),
    notes:
      ctx.traced === null
        ? null
        : () => [`payer basis ${PAYER_BY_ITEM.employment_separation_grant.basis}`],
  });
  return ok([medical, employment]);
}
