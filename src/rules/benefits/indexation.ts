import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { div, fromInt, mul } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type RuleContext, readNumber, readRounding } from '../context.ts';

export type IndexedBenefit = 'disability_allowance' | 'survivor_pension' | 'nursing_allowance';

/**
 * 《工伤保险条例》第四十条: 伤残津贴, 供养亲属抚恤金 and 生活护理费 are adjusted by the province from time to time.
 * Each adjustment is a dated cumulative index level (indexation.<benefit>), so an amount awarded on
 * `awardDate` is worth amount × level(asOf) ÷ level(award) on `asOf`, rounded once.
 */
export function indexedAmount(
  ctx: RuleContext,
  benefit: IndexedBenefit,
  amountFen: Fen,
  awardDate: IsoDate,
  asOfDate: IsoDate,
): Result<Fen, 'rules.parameter_missing'> {
  const path = `indexation.${benefit}`;
  const atAward = readNumber(ctx, path, awardDate);
  if (!atAward.ok) return atAward;
  const atAsOf = readNumber(ctx, path, asOfDate);
  if (!atAsOf.ok) return atAsOf;
  const rule = readRounding(ctx, asOfDate);
  if (!rule.ok) return rule;
  return ok(roundFen(mul(fromInt(amountFen), div(atAsOf.value, atAward.value)), rule.value));
}
