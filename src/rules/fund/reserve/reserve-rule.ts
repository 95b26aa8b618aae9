import { invariant } from '../../../kernel/assert.ts';
import { allocateLargestRemainder, type Fen } from '../../../kernel/money.ts';
import { compare, fromDecimal, fromInt, mul, roundToInteger } from '../../../kernel/rational.ts';
import type { PoolingParamSet, PoolingParamValue } from '../pooling/pooling-params.ts';
import { ratioAt } from '../pooling/pooling-params.ts';

/**
 * The yearly reserve (储备金) set-aside of a pooling area (pure). Encodes
 * 《河南省工伤保险条例》第十条第一款 (2007 text, V): 7 % of the year's collection
 * (当年本地工伤保险基金征缴总额), 2 % remitted to the provincial reserve and 5 % kept as the city
 * reserve; "当工伤保险储备金滚存总额超过当年工伤保险基金收入的百分之五十时 … 应当减少储备金提留比例，
 * 并报省…同意后实施".
 *
 * Verified: the 7 / 2 / 5 ratios and the 50 % threshold. Not stated, so `demo` in the parameters:
 * the reduced ratio (default "0": the set-aside stops until the province approves a ratio) and how a
 * reduced set-aside splits (here in the 2 : 5 proportion, by largest remainder, province first).
 * Interpretation: the threshold is tested on the rolling reserve before this year's set-aside,
 * strictly greater ("超过"); the province and city parts are each rounded half-up to the fen.
 */
export type ReserveRule = {
  totalRatio: string;
  provinceRatio: string;
  cityRatio: string;
  reductionThreshold: string;
  reducedTotalRatio: string;
};

export type ReserveInput = {
  /** 当年征缴总额 (fen). */
  collectionFen: Fen;
  /** 当年工伤保险基金收入 (fen): every income of the year, the threshold's base. */
  fundIncomeFen: Fen;
  /** 储备金滚存总额 before this year's set-aside (fen). */
  reserveBalanceFen: Fen;
};

export type ReserveSetAside = {
  totalFen: Fen;
  provinceFen: Fen;
  cityFen: Fen;
  /** True when the rolling reserve exceeded the threshold, so the reduced ratio applied. */
  reduced: boolean;
  /** The reduced ratio needs the province's approval (《河南省工伤保险条例》第十条第一款): the caller records it. */
  reductionNeedsApproval: boolean;
  explanation: string[];
};

export function reserveRuleAt(
  params: PoolingParamSet,
  region: string,
  date: string,
): { rule: ReserveRule; used: PoolingParamValue<string>[] } {
  const used = [
    ratioAt(params, region, 'reserve.total_ratio', date),
    ratioAt(params, region, 'reserve.province_ratio', date),
    ratioAt(params, region, 'reserve.city_ratio', date),
    ratioAt(params, region, 'reserve.reduction_threshold', date),
    ratioAt(params, region, 'reserve.reduced_total_ratio', date),
  ];
  const [total, province, city, threshold, reduced] = used.map((u) => u.value) as [
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    rule: {
      totalRatio: total,
      provinceRatio: province,
      cityRatio: city,
      reductionThreshold: threshold,
      reducedTotalRatio: reduced,
    },
    used,
  };
}

function halfUp(ratio: string, fen: Fen): bigint {
  return roundToInteger(mul(fromDecimal(ratio), fromInt(fen)), 'half_up');
}

export function computeReserveSetAside(rule: ReserveRule, input: ReserveInput): ReserveSetAside {
  invariant(input.collectionFen >= 0 && input.fundIncomeFen >= 0, 'negative collection or income');
  invariant(
    compare(fromDecimal(rule.provinceRatio), fromInt(0)) >= 0 &&
      compare(fromDecimal(rule.cityRatio), fromInt(0)) >= 0,
    'negative reserve ratio',
  );
  const thresholdExact = mul(fromDecimal(rule.reductionThreshold), fromInt(input.fundIncomeFen));
  const reduced = compare(fromInt(input.reserveBalanceFen), thresholdExact) > 0;
  if (!reduced) {
    const province = halfUp(rule.provinceRatio, input.collectionFen);
    const city = halfUp(rule.cityRatio, input.collectionFen);
    return {
      totalFen: Number(province + city),
      provinceFen: Number(province),
      cityFen: Number(city),
      reduced: false,
      reductionNeedsApproval: false,
      explanation: [
        `储备金滚存 ${input.reserveBalanceFen} ≤ ${rule.reductionThreshold} × 当年基金收入 ${input.fundIncomeFen}: full ratio`,
        `上解省级 ${rule.provinceRatio} × ${input.collectionFen} = ${province}`,
        `留存市级 ${rule.cityRatio} × ${input.collectionFen} = ${city}`,
      ],
    };
  }
  const total = halfUp(rule.reducedTotalRatio, input.collectionFen);
  const weights = [fromDecimal(rule.provinceRatio), fromDecimal(rule.cityRatio)];
  // Integer weights with a common denominator: p/d and c/d → p·(D/d), c·(D/d).
  const den = weights[0]!.den * weights[1]!.den;
  const [province, city] = allocateLargestRemainder(total, [
    weights[0]!.num * (den / weights[0]!.den),
    weights[1]!.num * (den / weights[1]!.den),
  ]) as [bigint, bigint];
  return {
    totalFen: Number(total),
    provinceFen: Number(province),
    cityFen: Number(city),
    reduced: true,
    reductionNeedsApproval: true,
    explanation: [
      `储备金滚存 ${input.reserveBalanceFen} > ${rule.reductionThreshold} × 当年基金收入 ${input.fundIncomeFen}: reduced ratio ${rule.reducedTotalRatio} (needs provincial approval)`,
      `提留 ${rule.reducedTotalRatio} × ${input.collectionFen} = ${total}, split ${rule.provinceRatio} : ${rule.cityRatio} → ${province} + ${city}`,
    ],
  };
}
