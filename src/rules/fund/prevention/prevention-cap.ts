import { type Fen, formatYuan } from '../../../kernel/money.ts';
import { compare, fromDecimal, fromInt, mul, roundToInteger } from '../../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';

/**
 * The 工伤预防费 cap (人社部规〔2017〕13号第五条, S): prevention spending in a year may not exceed
 * `capRatio` (3 %) of the previous year's contribution income (上年度工伤保险基金征缴收入); a province
 * may approve a higher ratio (maker-checker), never above its ceiling. Pure: the check compares
 * exactly (spent + requested ≤ ratio × income, no rounding); the cap shown in fen is rounded down.
 */
export type PreventionCapInput = {
  prevYearContributionIncomeFen: Fen;
  /** Prevention spending already recorded in the year (fen). */
  spentFen: Fen;
  requestedFen: Fen;
  /** The ratio in force: the national cap or a province's approved higher ratio. */
  capRatio: string;
};

export type PreventionCapOk = { capFen: Fen; spentFen: Fen; requestedFen: Fen; remainingFen: Fen };

export function checkPreventionCap(
  input: PreventionCapInput,
): Result<PreventionCapOk, 'fund.prevention_cap_exceeded'> {
  const capExact = mul(fromDecimal(input.capRatio), fromInt(input.prevYearContributionIncomeFen));
  const capFen = Number(roundToInteger(capExact, 'down'));
  const after = input.spentFen + input.requestedFen;
  if (compare(fromInt(after), capExact) > 0)
    return refuse(
      'fund.prevention_cap_exceeded',
      `工伤预防费超过上限：上限 ${formatYuan(capFen)} 元（上年征缴收入 ${formatYuan(input.prevYearContributionIncomeFen)} 元 × ${input.capRatio}），已支出 ${formatYuan(input.spentFen)} 元，本次申请 ${formatYuan(input.requestedFen)} 元 / prevention spending above the cap: cap ${capFen} fen, spent ${input.spentFen} fen, requested ${input.requestedFen} fen`,
      {
        capFen,
        capRatio: input.capRatio,
        prevYearContributionIncomeFen: input.prevYearContributionIncomeFen,
        spentFen: input.spentFen,
        requestedFen: input.requestedFen,
        overFen: after - capFen,
      },
    );
  return ok({
    capFen,
    spentFen: input.spentFen,
    requestedFen: input.requestedFen,
    remainingFen: capFen - after,
  });
}

/** A province's higher ratio must be above the national cap and not above its ceiling. */
export function checkRaisedRatio(
  ratio: string,
  nationalCap: string,
  ceiling: string,
): Result<string, 'fund.prevention_ratio_invalid'> {
  const r = fromDecimal(ratio);
  if (compare(r, fromDecimal(nationalCap)) <= 0 || compare(r, fromDecimal(ceiling)) > 0)
    return refuse(
      'fund.prevention_ratio_invalid',
      `a raised prevention cap must be above ${nationalCap} and at most ${ceiling}; got ${ratio}`,
      { ratio, nationalCap, ceiling },
    );
  return ok(ratio);
}
