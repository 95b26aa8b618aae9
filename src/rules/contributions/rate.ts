import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { inputProblem } from '../../kernel/validation.ts';
import { fieldErrors } from '../calculator/calculate.ts';
import { makeContext, type RuleContext, sourceOf } from '../context.ts';
import type { RuleSet } from '../parameters/model.ts';
import { type RefusalProblem, type RulesResponse, refusalResponse } from '../problems.ts';
import {
  assessContribution,
  type ContributionRefusalCode,
  riskClassOf,
  riskClassTablePath,
} from './rate-policy.ts';
import { type RateInput, type RateResult, rateInputSchema } from './rate-schema.ts';

/**
 * The contribution rate calculator (issue 10, docs/contributions.md): the API route
 * `POST /api/v1/contributions/rate` and `tongchou contributions rate` both call `rateFromUnknown`,
 * so the same body gives the same bytes.
 */

/**
 * The formula the amount rests on: "用人单位缴纳工伤保险费的数额为本单位职工工资总额乘以单位缴费费率之积。"
 * (《工伤保险条例》第十条第二款). Always the first citation of a result.
 */
export const RATE_FORMULA_CITATION = '《工伤保险条例》第十条第二款';

/** The day a period's parameters are read on: its first day ("2024-06" → "2024-06-01"). */
export function periodDate(period: string): IsoDate {
  return `${period}-01`;
}

/** The citations of the parameters read, in the order read, each once; the rounding rule is policy, not law. */
function citationsOf(ctx: RuleContext, input: RateInput, date: IsoDate): string[] {
  const out = [RATE_FORMULA_CITATION];
  const table = sourceOf(ctx, riskClassTablePath(input.industry.standard), date);
  if (table !== null) out.push(table);
  for (const read of ctx.traced ?? [])
    if (read.path.startsWith('contribution.')) out.push(read.citation);
  return [...new Set(out)];
}

/**
 * The risk class of the division, the class's base rate, the grade's multiplier, their product and
 * payroll × rate rounded once under `rounding.money` (by `assessContribution`), all read on the
 * first day of the period. The rate is the class rate of the grade, times the province's dated cut
 * (`contribution.rate_cut_factor`) inside one; no months-of-cover cut and no 2020 relief
 * (docs/contributions.md).
 */
export function rateOf(
  input: RateInput,
  ruleSet: RuleSet,
): Result<RateResult, ContributionRefusalCode> {
  const date = periodDate(input.period);
  // Traced, so the citations of exactly the values read can be listed.
  const ctx = makeContext(ruleSet, input.region, {}, true);
  const riskClass = riskClassOf(ctx, input.industry.standard, input.industry.division, date);
  if (!riskClass.ok) return riskClass;
  const assessed = assessContribution(ctx, {
    payrollFen: input.payrollFen,
    riskClass: riskClass.value,
    grade: input.floatingGrade,
    date,
  });
  if (!assessed.ok) return assessed;
  // Built in the order of rateResultSchema, so the API's schema serializer and the CLI's
  // JSON.stringify write the same bytes.
  return ok({
    riskClass: riskClass.value,
    baseRate: assessed.value.baseRate,
    multiplier: assessed.value.multiplier,
    rate: assessed.value.rate,
    amountFen: assessed.value.amountFen,
    citations: citationsOf(ctx, input, date),
  });
}

/** RFC 9457 problem for a refusal of the rate calculator (HTTP 422, CLI exit 3). */
export type RateRefusalProblem = RefusalProblem<ContributionRefusalCode>;

export type RateResponse = RulesResponse<RateResult, ContributionRefusalCode>;

const REFUSAL_TITLES: Record<ContributionRefusalCode, string> = {
  'rules.parameter_missing': '缺少适用的参数 / No parameter in force',
  'contribution.division_unknown': '行业代码不存在 / No such industry division',
  'contribution.division_unclassified': '行业未划分风险类别 / Division has no risk class',
  'contribution.grade_not_allowed': '一类行业不得下浮 / Class 1 floats upward only',
};

/**
 * Parses an untrusted body and computes the rate: the one entry point the API route and the CLI
 * share. Never throws on bad input: 400 with every bad field by path, or 422 with the refusal.
 *
 * @example rateFromUnknown({ region: '330100', period: '2024-06',
 *   industry: { standard: 'GB/T 4754-2017', division: '47' }, floatingGrade: 'up1',
 *   payrollFen: 123_456_789 }, book.benefits) // → class 6, 0.013 × 1.2 = 0.0156, 1,925,926 fen
 */
export function rateFromUnknown(body: unknown, ruleSet: RuleSet): RateResponse {
  const parsed = rateInputSchema.safeParse(body);
  if (!parsed.success)
    return { ok: false, status: 400, body: inputProblem(fieldErrors(parsed.error.issues)) };
  const result = rateOf(parsed.data, ruleSet);
  if (result.ok) return { ok: true, status: 200, body: result.value };
  return refusalResponse(result, REFUSAL_TITLES);
}
