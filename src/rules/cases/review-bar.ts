import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { citationText } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { RuleSet } from '../parameters/model.ts';

/**
 * When a committee no longer receives an application for a review (复查鉴定): parameter
 * `appraisal.review_bar`. `none` (《工伤保险条例》第二十八条 names no end of the right, values/000000/appraisal.yaml);
 * `relation_ended` in 浙江, 《浙江省工伤保险条例》第二十二条: "工伤职工有下列情形之一的，工伤保险关系终止，劳动能力鉴定委员会不再受理复查鉴定申请"
 * (values/330000/appraisal.yaml). Read on the day the review is applied for.
 */
const BARS = ['none', 'relation_ended'] as const;
export type ReviewBar = (typeof BARS)[number];

export type ReviewBarRule = { bar: ReviewBar; citation: string };

export function reviewBarRule(
  rules: RuleSet,
  region: string,
  on: IsoDate,
): Result<ReviewBarRule, 'rules.parameter_missing'> {
  const path = 'appraisal.review_bar';
  const found = lookup(rules, region, path, on);
  const text = found?.value.text;
  if (found === null || text === undefined)
    return refuse(
      'rules.parameter_missing',
      `no value of ${path} is in force for region ${region} on ${on}`,
      { path, region, date: on },
    );
  const bar = BARS.find((b) => b === text);
  if (bar === undefined) throw new Error(`${path}: unknown value ${JSON.stringify(text)}`);
  return ok({ bar, citation: citationText(found.value) });
}
