import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { fromInt, mul, toDecimalString } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import {
  makeContext,
  type RuleContext,
  readEntry,
  readNumber,
  readRounding,
  sourceOf,
} from '../context.ts';
import type { RuleSet } from '../parameters/model.ts';
import {
  type ContributionRefusalCode,
  type IndustryStandard,
  riskClassOf,
  riskClassTablePath,
} from './rate-policy.ts';

/**
 * 按项目参保 (construction projects insured per project): a one-off contribution = contract value ×
 * labour share × the base rate of the project's risk class, rounded once under `rounding.money`.
 * 《浙江省工伤保险条例》第十条第二款 leaves the method to "国家和省有关规定"; the labour share is a dated
 * provincial parameter (`contribution.project_labour_share`, demo where the notice is not held). No
 * floating grade: a project is insured once, for its duration.
 */
export type ProjectContributionInput = {
  region: string;
  contractValueFen: Fen;
  industry: { standard: IndustryStandard; division: string };
  /** The project's registration date: the parameters in force on it apply. */
  date: IsoDate;
};

export type ProjectContribution = {
  riskClass: number;
  labourShare: string;
  baseRate: string;
  amountFen: Fen;
  formula: string;
  citations: string[];
};

export const PROJECT_METHOD_CITATION = '《浙江省工伤保险条例》第十条第二款';

export function projectContribution(
  rules: RuleSet,
  input: ProjectContributionInput,
): Result<ProjectContribution, ContributionRefusalCode> {
  const ctx: RuleContext = makeContext(rules, input.region, {}, true);
  const { date } = input;
  const riskClass = riskClassOf(ctx, input.industry.standard, input.industry.division, date);
  if (!riskClass.ok) return riskClass;
  const share = readNumber(ctx, 'contribution.project_labour_share', date);
  if (!share.ok) return share;
  const base = readEntry(ctx, 'contribution.base_rate', String(riskClass.value), date);
  if (!base.ok) return base;
  const rule = readRounding(ctx, date);
  if (!rule.ok) return rule;
  const amountFen = roundFen(
    mul(mul(fromInt(input.contractValueFen), share.value), base.value),
    rule.value,
  );
  const labourShare = toDecimalString(share.value);
  const baseRate = toDecimalString(base.value);
  const table = sourceOf(ctx, riskClassTablePath(input.industry.standard), date);
  const citations = [
    PROJECT_METHOD_CITATION,
    ...(table === null ? [] : [table]),
    ...(ctx.traced ?? []).map((t) => t.citation),
  ];
  return ok({
    riskClass: riskClass.value,
    labourShare,
    baseRate,
    amountFen,
    formula: `${input.contractValueFen} fen × ${labourShare} × ${baseRate} = ${amountFen} fen (${rule.value})`,
    citations: [...new Set(citations)],
  });
}
