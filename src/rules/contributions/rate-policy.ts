import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { compare, fromInt, mul, type Rational, toDecimalString } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type RuleContext, readEntry, readNumber, readRounding, readText } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';

/** Floating grades (人社部发〔2015〕71号): class 1 may only move up; classes 2–8 both ways. */
export type FloatGrade = 'down2' | 'down1' | 'base' | 'up1' | 'up2';
export type IndustryStandard = 'GB/T 4754-2011' | 'GB/T 4754-2017';
/**
 * The employer kinds of the 2020 relief (人社部发〔2020〕11号 一): 中小微企业, 大型企业等其他参保单位,
 * 机关事业单位 (not relieved).
 */
export type EmployerCategory = 'sme' | 'large' | 'public_body';

export type ContributionRefusalCode =
  | 'rules.parameter_missing'
  | 'contribution.division_unknown'
  | 'contribution.division_unclassified'
  | 'contribution.grade_not_allowed';

/** The province's dated temporary cut of the rate (a factor; national value 1 = no cut). */
export const RATE_CUT_PATH = 'contribution.rate_cut_factor';

const TABLE_BY_STANDARD: Record<IndustryStandard, string> = {
  'GB/T 4754-2011': 'contribution.division_class_gbt4754_2011',
  'GB/T 4754-2017': 'contribution.division_class_gbt4754_2017',
};

/** The parameter holding the division → risk class table of a standard version (for its citation). */
export function riskClassTablePath(standard: IndustryStandard): string {
  return TABLE_BY_STANDARD[standard];
}

/** The risk class (1–8) of a GB/T 4754 division (大类, two digits) under the given standard version. */
export function riskClassOf(
  ctx: RuleContext,
  standard: IndustryStandard,
  division: string,
  date: IsoDate,
): Result<number, ContributionRefusalCode> {
  if (!/^\d{2}$/.test(division)) {
    return refuse(
      'contribution.division_unknown',
      `division ${JSON.stringify(division)} is not a two-digit GB/T 4754 大类 code`,
    );
  }
  const path = TABLE_BY_STANDARD[standard];
  const found = lookup(ctx.rules, ctx.region, path, date);
  if (found === null) {
    return refuse(
      'rules.parameter_missing',
      `no ${standard} risk-class table is in force for region ${ctx.region} on ${date}`,
      { path, date },
    );
  }
  const entry = found.value.table?.get(division);
  if (entry === undefined)
    return refuse(
      'contribution.division_unknown',
      `division ${division} does not exist in ${standard}`,
    );
  if (entry === null) {
    return refuse(
      'contribution.division_unclassified',
      `division ${division} of ${standard} has no risk class in force on ${date}: ${found.value.nullReason ?? 'unassigned'}`,
      { division, standard, date },
    );
  }
  return ok(Number(entry.num / entry.den));
}

/**
 * The temporary cut factor (人社部发〔2018〕25号 三 … 〔2023〕19号 二): 0.5 when the pooling fund covers
 * ≥ 24 months of spending, 0.8 for 18–23 months, else 1, and only where the area applied the cut:
 * the notices say an area "可以" cut its rate, so `contribution.temporary_reduction_applies`
 * (national default `not_applied`, a province's own value otherwise) decides. Omit
 * `monthsCoverable` to apply no cut.
 */
function reductionFactor(
  ctx: RuleContext,
  monthsCoverable: number | undefined,
  date: IsoDate,
): Result<Rational, 'rules.parameter_missing'> {
  if (monthsCoverable === undefined || monthsCoverable < 18) return ok(fromInt(1));
  const applies = readText(ctx, 'contribution.temporary_reduction_applies', date);
  if (!applies.ok) return applies;
  if (applies.value !== 'applied') return ok(fromInt(1));
  return readEntry(
    ctx,
    'contribution.temporary_reduction',
    monthsCoverable >= 24 ? 'months_24_plus' : 'months_18_23',
    date,
  );
}

/**
 * The province's dated temporary cut (阶段性降低费率, `contribution.rate_cut_factor`): 1 (no cut)
 * nationally, a province lists the periods it cut with their factor. Read untraced and traced only
 * while a cut is in force, so outside a cut the rate's citations are exactly as without it.
 */
function provinceCutFactor(
  ctx: RuleContext,
  date: IsoDate,
): Result<Rational | null, 'rules.parameter_missing'> {
  const found = lookup(ctx.rules, ctx.region, RATE_CUT_PATH, date);
  const scalar = found?.value.scalar;
  if (scalar === undefined || compare(scalar, fromInt(1)) === 0) return ok(null);
  return readNumber(ctx, RATE_CUT_PATH, date);
}

/**
 * The 2020 relief (人社部发〔2020〕11号 一, 〔2020〕49号 一): the share of the contribution still due
 * for the period `date` falls in (0 = 免征, 0.5 = 减半). Omit the category to apply none.
 */
function reliefFactor(
  ctx: RuleContext,
  category: EmployerCategory | undefined,
  date: IsoDate,
): Result<Rational, 'rules.parameter_missing'> {
  if (category === undefined) return ok(fromInt(1));
  return readEntry(ctx, 'contribution.covid_relief_factor', category, date);
}

export type Assessment = {
  amountFen: Fen;
  /** The class's base rate as read, exact (e.g. "0.007"). */
  baseRate: string;
  /** The grade's multiplier as read, exact (e.g. "0.8"). */
  multiplier: string;
  /** The effective rate, exact (e.g. "0.0056"). */
  rate: string;
  formula: string;
};

/**
 * Whether a class may take a grade: class 1 floats upward only (人社部发〔2015〕71号); the
 * assessment and the register's grade change both ask here.
 */
export function gradeAllowed(
  riskClass: number,
  grade: FloatGrade,
): Result<true, 'contribution.grade_not_allowed'> {
  if (riskClass === 1 && (grade === 'down1' || grade === 'down2'))
    return refuse(
      'contribution.grade_not_allowed',
      'class 1 rates float upward only (人社部发〔2015〕71号)',
      { riskClass, grade },
    );
  return ok(true);
}

/**
 * 工伤保险费 (《工伤保险条例》第十条第二款; 《社会保险法》第三十五条): payroll × base rate of the class × grade multiplier
 * (× the province's dated cut in force, or else × the temporary cut when the fund's months of cover
 * are given; × the 2020 relief when the employer's
 * category is given), rounded once under the named rule. `date` is in the period assessed.
 */
export function assessContribution(
  ctx: RuleContext,
  input: {
    payrollFen: Fen;
    riskClass: number;
    grade: FloatGrade;
    date: IsoDate;
    monthsCoverable?: number;
    employerCategory?: EmployerCategory;
  },
): Result<Assessment, ContributionRefusalCode> {
  const { riskClass, grade, date } = input;
  const allowed = gradeAllowed(riskClass, grade);
  if (!allowed.ok) return allowed;
  const base = readEntry(ctx, 'contribution.base_rate', String(riskClass), date);
  if (!base.ok) return base;
  const multiplier = readEntry(
    ctx,
    riskClass === 1
      ? 'contribution.float_multiplier_class1'
      : 'contribution.float_multiplier_class2_8',
    grade,
    date,
  );
  if (!multiplier.ok) return multiplier;
  const provinceCut = provinceCutFactor(ctx, date);
  if (!provinceCut.ok) return provinceCut;
  // A province's listed cut replaces the months-of-cover rule: never both.
  const cut =
    provinceCut.value === null
      ? reductionFactor(ctx, input.monthsCoverable, date)
      : ok(provinceCut.value);
  if (!cut.ok) return cut;
  const relief = reliefFactor(ctx, input.employerCategory, date);
  if (!relief.ok) return relief;
  const rule = readRounding(ctx, date);
  if (!rule.ok) return rule;
  const rate = mul(mul(mul(base.value, multiplier.value), cut.value), relief.value);
  const amountFen = roundFen(mul(fromInt(input.payrollFen), rate), rule.value);
  const reliefText =
    input.employerCategory === undefined ? '' : ` × ${toDecimalString(relief.value)}`;
  return ok({
    amountFen,
    baseRate: toDecimalString(base.value),
    multiplier: toDecimalString(multiplier.value),
    rate: toDecimalString(rate),
    formula: `${input.payrollFen} fen × ${toDecimalString(base.value)} × ${toDecimalString(multiplier.value)} × ${toDecimalString(cut.value)}${reliefText} = ${amountFen} fen (${rule.value})`,
  });
}
