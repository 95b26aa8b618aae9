import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import {
  add,
  compare,
  fromInt,
  mul,
  type Rational,
  type RoundingRule,
  toDecimalString,
} from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  citationText,
  type RuleContext,
  readEntry,
  readNumber,
  readOptionalEntry,
  readRounding,
  readText,
  sourceOf,
  traceMark,
} from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { RuleSet } from '../parameters/model.ts';
import { percent, yuanEn, yuanZh } from '../trace.ts';
import { type Cite, finishItem, type ItemResult } from './item.ts';
import {
  countNearRetirement,
  describeCount,
  type NearRetirementRule,
  type RetirementCounting,
  type RetirementTiming,
} from './near-retirement.ts';
import { PAYER_BY_ITEM } from './payers.ts';

/**
 * A grade 5–10 worker's separation: its date and exactly one way of telling the time to the
 * statutory retirement age (the calculator's schema enforces "exactly one"): whole years, the
 * retirement date, or the birth date with the retirement age.
 */
export type Separation = {
  date: IsoDate;
  yearsToRetirement?: number | undefined;
  retirementDate?: IsoDate | undefined;
  birthDate?: IsoDate | undefined;
  retirementAge?: { years: number; months: number } | undefined;
};

/** The one way given; more than one or none is a schema error, so reaching here is a bug. */
export function retirementTimingOf(separation: Separation): RetirementTiming {
  const { yearsToRetirement, retirementDate, birthDate, retirementAge } = separation;
  if (yearsToRetirement !== undefined) return { way: 'years', yearsToRetirement };
  if (retirementDate !== undefined) return { way: 'retirement_date', retirementDate };
  invariant(
    birthDate !== undefined && retirementAge !== undefined,
    'separation needs yearsToRetirement, retirementDate, or birthDate with retirementAge',
  );
  return { way: 'birth', birthDate, retirementAge };
}

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

/** What both separation grants share: the wage base, the rounding and the citation. */
type GrantBasis = {
  base: { path: string; zh: string; en: string };
  value: Rational;
  fen: number;
  rule: RoundingRule;
  national: Cite;
  /** Where the base's parameters start in the trace (the employment grant lists them again). */
  mark: number;
};

type Missing = 'rules.parameter_missing';

/**
 * The national article a grade's grants rest on: 《工伤保险条例》第三十六条第二款 (grades 5–6) or
 * 《工伤保险条例》第三十七条第一款第（二）项 (grades 7–10; the article's one paragraph holds the items).
 */
function nationalCitation(grade: number): Cite {
  return grade <= 6
    ? {
        zh: '《工伤保险条例》第三十六条第二款',
        en: 'Regulation on Work-Related Injury Insurance, Art. 36 ¶2',
      }
    : {
        zh: '《工伤保险条例》第三十七条第一款第（二）项',
        en: 'Regulation on Work-Related Injury Insurance, Art. 37 ¶1 (2)',
      };
}

/** The medical grant's citation: the national article and the provincial months' paragraph. */
function medicalCitation(ctx: RuleContext, national: Cite, date: IsoDate): Cite {
  const provincial = sourceOf(ctx, 'separation.medical_grant_months', date) ?? '';
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
    national: nationalCitation(grade),
    mark,
  };
  const hasUplift = compare(uplift, fromInt(0)) > 0;
  const upliftText = hasUplift ? ` × (1 + ${percent(uplift)})` : '';
  const item = finishItem(ctx, {
    code: 'medical_separation_grant',
    frequency: 'once',
    payer: PAYER_BY_ITEM.medical_separation_grant.payer,
    cite: medicalCitation(ctx, basis.national, date),
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

const COUNTINGS: readonly RetirementCounting[] = ['years_left', 'age_completed'];

/**
 * The near-retirement rule in force: `separation.near_retirement` (threshold, step, under-one-year
 * share) and `separation.near_retirement_counting` (《河南省工伤保险条例》第二十七条第二款 "每减少一年",
 * 《浙江省工伤保险条例》第二十七条第二款 "每增加一周岁").
 */
export function nearRetirementRule(
  ctx: RuleContext,
  date: IsoDate,
): Result<NearRetirementRule, Missing> {
  const threshold = readEntry(ctx, 'separation.near_retirement', 'threshold_years', date);
  if (!threshold.ok) return threshold;
  const step = readEntry(ctx, 'separation.near_retirement', 'step_ratio', date);
  if (!step.ok) return step;
  const under = readOptionalEntry(ctx, 'separation.near_retirement', 'under_one_year_ratio', date);
  if (!under.ok) return under;
  const counting = readText(ctx, 'separation.near_retirement_counting', date);
  if (!counting.ok) return counting;
  const known = COUNTINGS.find((c) => c === counting.value);
  const years = threshold.value;
  if (known === undefined || years.den !== 1n)
    return refuse(
      'rules.parameter_missing',
      `separation.near_retirement_counting must be one of ${COUNTINGS.join(', ')} and threshold_years whole; got ${counting.value}, ${toDecimalString(years)}`,
      { path: 'separation.near_retirement_counting', region: ctx.region, date },
    );
  return ok({
    counting: known,
    thresholdYears: Number(years.num),
    step: step.value,
    underOneYear: under.value,
  });
}

/**
 * The employment grant's citation: the national article, the months' provincial paragraph and the
 * near-retirement paragraph when it is another one (《河南省工伤保险条例》第二十七条第一款、第二款). Of two
 * citations where one only extends the other (《河南省工伤保险条例》第二十七条 → 《河南省工伤保险条例》第二十七条第二款), the longer is kept.
 */
function employmentCitation(ctx: RuleContext, basis: GrantBasis, date: IsoDate): Cite {
  const months = sourceOf(ctx, 'separation.employment_grant_months', date);
  const near = sourceOf(ctx, 'separation.near_retirement', date);
  const zh = [basis.national.zh];
  const en = [basis.national.en];
  for (const source of provincialSources(months, near)) {
    zh.push(source);
    en.push(source);
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

function provincialSources(months: string | null, near: string | null): string[] {
  if (months === null) return near === null ? [] : [near];
  if (near === null || months.startsWith(near)) return [months];
  return near.startsWith(months) ? [near] : [months, near];
}

/**
 * 一次性伤残就业补助金 (employer): base × months of the grade × the near-retirement share, counted
 * as the province's text says (`countNearRetirement`); the trace says how the years were counted.
 */
function employmentGrant(
  ctx: RuleContext,
  grade: number,
  separation: Separation,
  basis: GrantBasis,
): Result<ItemResult, Missing> {
  const date = separation.date;
  const mark = traceMark(ctx);
  const months = readEntry(ctx, 'separation.employment_grant_months', String(grade), date);
  if (!months.ok) return months;
  const rule = nearRetirementRule(ctx, date);
  if (!rule.ok) return rule;
  // The base's two parameters were read once, for the medical grant; this item lists them too.
  if (ctx.traced !== null) ctx.traced.push(...ctx.traced.slice(basis.mark, basis.mark + 2));
  const count = countNearRetirement(date, retirementTimingOf(separation), rule.value);
  return ok(
    finishItem(ctx, {
      code: 'employment_separation_grant',
      frequency: 'once',
      payer: PAYER_BY_ITEM.employment_separation_grant.payer,
      cite: employmentCitation(ctx, basis, date),
      exact: mul(mul(basis.value, months.value), count.share),
      rule: basis.rule,
      mark,
      formula:
        ctx.traced === null
          ? null
          : (a) => {
              const words = describeCount(count, rule.value);
              const shareText = count.band === 'full' ? '' : ` × ${percent(count.share)}`;
              return {
                zh: `一次性伤残就业补助金 = ${basis.base.zh} ${yuanZh(basis.fen)} × ${toDecimalString(months.value)} 个月${shareText} = ${yuanZh(a)}；计年：${words.zh}`,
                en: `Employment separation grant = ${basis.base.en} ${yuanEn(basis.fen)} × ${toDecimalString(months.value)} months${shareText} = ${yuanEn(a)}; years counted: ${words.en}`,
              };
            },
      notes:
        ctx.traced === null
          ? null
          : () => [`payer basis ${PAYER_BY_ITEM.employment_separation_grant.basis}`],
    }),
  );
}

/**
 * 一次性工伤医疗补助金 (fund) and 一次性伤残就业补助金 (employer) when a grade 5–10 worker's labour
 * relationship ends (《工伤保险条例》第三十六条第二款, 第三十七条第一款第（二）项); amounts are
 * provincial (《浙江省工伤保险条例》第二十七条第二款, 《河南省工伤保险条例》第二十七条第一款 and
 * 第二款), read on the separation date. `occupationalDisease` raises the medical grant by the
 * province's uplift (《河南省工伤保险条例》第二十七条第一款 "增发百分之三十"; 浙江 has none).
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

/**
 * Which periodic items a separation ends (`separation.ends_periodic_items`): `all` where the
 * province's text ends the insurance relationship with the separation (《河南省工伤保险条例》第二十七条第二款,
 * 《浙江省工伤保险条例》第二十二条第一款第（二）项), so a fund-paid 生活护理费 ends too; `allowance` where only
 * the 伤残津贴 paid while the relationship is kept ends with it.
 */
export type SeparationEnds = 'all' | 'allowance';

export function separationEndsOf(
  ctx: RuleContext,
  date: IsoDate,
): Result<SeparationEnds, 'rules.parameter_missing'> {
  const path = 'separation.ends_periodic_items';
  const v = readText(ctx, path, date);
  if (!v.ok) return v;
  if (v.value === 'all' || v.value === 'allowance') return ok(v.value);
  return refuse('rules.parameter_missing', `${path} must be all or allowance; got ${v.value}`, {
    path,
    region: ctx.region,
    date,
  });
}

/**
 * How a province grants the separation of a worker injured more than once at one employer
 * (`separation.multiple_injuries`): `highest_grade_once` in 浙江, 《浙江省工伤保险条例》第二十八条
 * "一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发"; null where no held text says (each case
 * decided alone). Read on the separation's date.
 */
export function multipleInjuriesRule(
  rules: RuleSet,
  region: string,
  on: IsoDate,
): { rule: 'highest_grade_once'; citation: string; quote: string } | null {
  const path = 'separation.multiple_injuries';
  const found = lookup(rules, region, path, on);
  if (found === null) return null;
  invariant(found.value.text === 'highest_grade_once', `${path}: unknown value`);
  // The letter quotes the article the grants follow; the parameter holds its words.
  const quote = found.value.citation?.quote;
  return {
    rule: 'highest_grade_once',
    citation: citationText(found.value),
    quote: typeof quote === 'string' ? quote : (quote ?? []).join(''),
  };
}
