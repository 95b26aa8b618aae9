import type { IsoDate } from '../../kernel/dates.ts';
import {
  add,
  compare,
  fromInt,
  mul,
  type Rational,
  type RoundingRule,
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

/** What both separation grants share: the wage base, the rounding and the citation. */
type GrantBasis = {
  base: { path: string; zh: string; en: string };
  value: Rational;
  fen: number;
  rule: RoundingRule;
  cite: { zh: string; en: string };
  /** Where the base's parameters start in the trace (the employment grant lists them again). */
  mark: number;
};

type Missing = 'rules.parameter_missing';

/** The citation of a grade's grants: the national article plus the provincial text in force. */
function grantCitation(ctx: RuleContext, grade: number, date: IsoDate): { zh: string; en: string } {
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
  return { zh: `${national.zh}；${provincial}`, en: `${national.en}; ${provincial}` };
}

/**
 * 一次性工伤医疗补助金: base × months of the grade (× 1 + the occupational-disease uplift). Reads
 * its parameters in the order the trace has always listed them (base, months, uplift, rounding).
 */
function medicalGrant(
  ctx: RuleContext,
  grade: number,
  date: IsoDate,
  occupationalDisease: boolean,
): Result<{ item: ItemResult; basis: GrantBasis }, Missing> {
  const mark = traceMark(ctx);
  const baseKind = readText(ctx, 'separation.base', date);
  if (!baseKind.ok) return baseKind;
  const base = BASE_PATH[baseKind.value] ?? BASE_PATH['provincial_average']!;
  const baseValue = readNumber(ctx, base.path, date);
  if (!baseValue.ok) return baseValue;
  const months = readEntry(ctx, 'separation.medical_grant_months', String(grade), date);
  if (!months.ok) return months;
  let uplift = fromInt(0);
  if (occupationalDisease) {
    const u = readNumber(ctx, 'separation.occupational_disease_medical_uplift', date);
    if (!u.ok) return u;
    uplift = u.value;
  }
  const rule = readRounding(ctx, date);
  if (!rule.ok) return rule;
  const basis: GrantBasis = {
    base,
    value: baseValue.value,
    fen: Number(baseValue.value.num / baseValue.value.den),
    rule: rule.value,
    cite: grantCitation(ctx, grade, date),
    mark,
  };
  const hasUplift = compare(uplift, fromInt(0)) > 0;
  const upliftText = hasUplift ? ` × (1 + ${percent(uplift)})` : '';
  const item = finishItem(ctx, {
    code: 'medical_separation_grant',
    frequency: 'once',
    payer: PAYER_BY_ITEM.medical_separation_grant.payer,
    cite: basis.cite,
    exact: mul(mul(basis.value, months.value), add(fromInt(1), uplift)),
    rule: basis.rule,
    mark,
    formula:
      ctx.traced === null
        ? null
        : (a) => ({
            zh: `一次性工伤医疗补助金 = ${base.zh} ${yuanZh(basis.fen)} × ${toDecimalString(months.value)} 个月${upliftText} = ${yuanZh(a)}`,
            en: `Medical separation grant = ${base.en} ${yuanEn(basis.fen)} × ${toDecimalString(months.value)} months${upliftText} = ${yuanEn(a)}`,
          }),
  });
  return ok({ item, basis });
}

/** 一次性伤残就业补助金 (employer): base × months of the grade × the near-retirement factor. */
function employmentGrant(
  ctx: RuleContext,
  grade: number,
  separation: Separation,
  basis: GrantBasis,
): Result<ItemResult, Missing> {
  const { date, yearsToRetirement } = separation;
  const mark = traceMark(ctx);
  const months = readEntry(ctx, 'separation.employment_grant_months', String(grade), date);
  if (!months.ok) return months;
  const threshold = readEntry(ctx, 'separation.near_retirement', 'threshold_years', date);
  if (!threshold.ok) return threshold;
  const step = readEntry(ctx, 'separation.near_retirement', 'step_ratio', date);
  if (!step.ok) return step;
  // The base's two parameters were read once, for the medical grant; this item lists them too.
  if (ctx.traced !== null) ctx.traced.push(...ctx.traced.slice(basis.mark, basis.mark + 2));
  const factor = nearRetirementFactor(yearsToRetirement, threshold.value, step.value);
  const reduced = compare(factor, rational(1n)) < 0;
  const under = toDecimalString(threshold.value);
  return ok(
    finishItem(ctx, {
      code: 'employment_separation_grant',
      frequency: 'once',
      payer: PAYER_BY_ITEM.employment_separation_grant.payer,
      cite: basis.cite,
      exact: mul(mul(basis.value, months.value), factor),
      rule: basis.rule,
      mark,
      formula:
        ctx.traced === null
          ? null
          : (a) => ({
              zh: `一次性伤残就业补助金 = ${basis.base.zh} ${yuanZh(basis.fen)} × ${toDecimalString(months.value)} 个月${reduced ? ` × ${percent(factor)}(距法定退休年龄 ${yearsToRetirement} 年，不足 ${under} 年递减)` : ''} = ${yuanZh(a)}`,
              en: `Employment separation grant = ${basis.base.en} ${yuanEn(basis.fen)} × ${toDecimalString(months.value)} months${reduced ? ` × ${percent(factor)} (${yearsToRetirement} year(s) to retirement, under ${under}: reduced)` : ''} = ${yuanEn(a)}`,
            }),
      notes:
        ctx.traced === null
          ? null
          : () => [`payer basis ${PAYER_BY_ITEM.employment_separation_grant.basis}`],
    }),
  );
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
): Result<[ItemResult, ItemResult], Missing> {
  const medical = medicalGrant(ctx, grade, separation.date, options.occupationalDisease === true);
  if (!medical.ok) return medical;
  const employment = employmentGrant(ctx, grade, separation, medical.value.basis);
  if (!employment.ok) return employment;
  return ok([medical.value.item, employment.value]);
}
