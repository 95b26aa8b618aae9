import { z } from 'zod';
import { invariant } from '../../../kernel/assert.ts';
import type { Fen } from '../../../kernel/money.ts';
import {
  add,
  compare,
  div,
  fromDecimal,
  fromInt,
  mul,
  type Rational,
  roundToInteger,
  sub,
  toDecimalString,
} from '../../../kernel/rational.ts';
import {
  CITIES_MAX,
  checkUniqueCityCodes,
  cityCode,
  nonNegativeFen,
  unitRate,
  yearEndYear,
} from './pooling-schema.ts';

/**
 * Year-end gap sharing under 统收统支 (`unified` mode, 人社部发〔2022〕86号): the province pays every
 * city's spending from one fund; at year end each city's actual gap is shared between the province
 * and the city government under a banded rule.
 *
 * Known (domain-spec §5.6, S — 安徽日报 2025-01-15, official 安徽 text not read): base shares
 * province : city 9 : 1 when a current-year surplus was budgeted, 8 : 2 when a deficit was budgeted;
 * deviation from budget ≤ 5 % keeps the base ratio; 5–10 %: 60 / 40 "on the excess"; > 10 %: 40 / 60;
 * a 管理性缺口 (non-compliant under-collection or over-payment) is 100 % the city's.
 *
 * Unknown, decided here as documented interpretations (docs/pooling.md, "unified"):
 * - the gap is the city's actual current-year deficit, max(0, expenditure − income);
 * - the management part min(managementGap, gap) is taken out first and shared by
 *   `managementGapCityShare` (安徽: "1");
 * - deviation = how far the result fell short of the budgeted result, after the management part:
 *   max(0, budgetedResult − (actualResult + managementPart)), measured against the budgeted
 *   expenditure; band thresholds are rounded half-up to the fen;
 * - bands are marginal ("on the excess"): the part of the deviation above each threshold is shared
 *   at that band's ratio, and the policy gap is attributed to the highest bands first;
 * - a balanced budget (budgeted result 0) counts as a budgeted surplus.
 * The province's total share is rounded half-up to the fen once; the city government takes the rest.
 */

const bandSchema = z.strictObject({
  /** The band applies to the part of the deviation above this share of budgeted expenditure. */
  deviationAbove: unitRate,
  provinceShare: unitRate,
});

export const unifiedRulesSchema = z
  .strictObject({
    baseProvinceShare: z.strictObject({ budgetedSurplus: unitRate, budgetedDeficit: unitRate }),
    bands: z.array(bandSchema).max(10, 'at most 10 bands'),
    managementGapCityShare: unitRate,
  })
  .superRefine((rules, ctx) => {
    rules.bands.forEach((band, i) => {
      const prev = rules.bands[i - 1];
      if (prev === undefined) return;
      const ok = (() => {
        try {
          return compare(fromDecimal(band.deviationAbove), fromDecimal(prev.deviationAbove)) > 0;
        } catch {
          return true; // the field's own check reports a malformed decimal
        }
      })();
      if (!ok)
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'deviationAbove'],
          message: `must be greater than bands.${i - 1}.deviationAbove (${prev.deviationAbove}); list bands in ascending order`,
        });
    });
  });

export const unifiedCitySchema = z.strictObject({
  code: cityCode,
  budgetedIncomeFen: nonNegativeFen,
  budgetedExpenditureFen: nonNegativeFen,
  actualIncomeFen: nonNegativeFen,
  actualExpenditureFen: nonNegativeFen,
  managementGapFen: nonNegativeFen,
});

export const unifiedSettleInputSchema = z
  .strictObject({
    mode: z.literal('unified'),
    year: yearEndYear,
    rules: unifiedRulesSchema,
    cities: z
      .array(unifiedCitySchema)
      .min(1, 'give at least one city')
      .max(CITIES_MAX, `at most ${CITIES_MAX} cities`),
  })
  .superRefine(checkUniqueCityCodes);

export type UnifiedSettleInput = z.output<typeof unifiedSettleInputSchema>;
export type UnifiedRules = UnifiedSettleInput['rules'];
export type UnifiedCityInput = UnifiedSettleInput['cities'][number];

/** One slice of the policy gap and the province's share of it. */
export type GapLayer = {
  /** 'base' or 'band<i>' (index into rules.bands). */
  band: string;
  provinceShare: string;
  amountFen: Fen;
};

export type UnifiedCityResult = {
  code: string;
  budgetType: 'surplus' | 'deficit';
  budgetedResultFen: Fen;
  actualResultFen: Fen;
  gapFen: Fen;
  managementPartFen: Fen;
  policyPartFen: Fen;
  deviationFen: Fen;
  /** deviation ÷ budgeted expenditure, exact ("0.12", or "n/a" when nothing was budgeted). */
  deviationRatio: string;
  layers: GapLayer[];
  provinceShareFen: Fen;
  cityGovernmentShareFen: Fen;
};

export type UnifiedYearEnd = {
  mode: 'unified';
  year: number;
  rules: UnifiedRules;
  cities: UnifiedCityResult[];
  totals: { gapFen: Fen; provinceShareFen: Fen; cityGovernmentShareFen: Fen };
};

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function thresholdFen(ratio: string, baseFen: bigint): bigint {
  return roundToInteger(mul(fromDecimal(ratio), fromInt(baseFen)), 'half_up');
}

/** Splits the policy gap into layers, highest band first (marginal bands "on the excess"). */
function layersFor(
  rules: UnifiedRules,
  baseShare: string,
  policyPart: bigint,
  deviation: bigint,
  budgetedExpenditure: bigint,
): { band: string; provinceShare: string; amount: bigint }[] {
  const thresholds = rules.bands.map((b) => thresholdFen(b.deviationAbove, budgetedExpenditure));
  const out: { band: string; provinceShare: string; amount: bigint }[] = [];
  let left = policyPart;
  for (let i = rules.bands.length - 1; i >= 0; i--) {
    const lower = thresholds[i]!;
    const upper = thresholds[i + 1];
    const inBand = deviation > lower ? deviation - lower : 0n;
    const width = upper === undefined ? inBand : minBig(inBand, upper - lower);
    const amount = minBig(left, width);
    left -= amount;
    out.unshift({ band: `band${i}`, provinceShare: rules.bands[i]!.provinceShare, amount });
  }
  out.unshift({ band: 'base', provinceShare: baseShare, amount: left });
  return out;
}

function settleCity(rules: UnifiedRules, c: UnifiedCityInput): UnifiedCityResult {
  const budgetedResult = BigInt(c.budgetedIncomeFen) - BigInt(c.budgetedExpenditureFen);
  const actualResult = BigInt(c.actualIncomeFen) - BigInt(c.actualExpenditureFen);
  const budgetType = budgetedResult >= 0n ? 'surplus' : 'deficit';
  const baseShare =
    budgetType === 'surplus'
      ? rules.baseProvinceShare.budgetedSurplus
      : rules.baseProvinceShare.budgetedDeficit;
  const gap = actualResult < 0n ? -actualResult : 0n;
  const managementPart = minBig(BigInt(c.managementGapFen), gap);
  const policyPart = gap - managementPart;
  const shortfall = budgetedResult - (actualResult + managementPart);
  const deviation = shortfall > 0n ? shortfall : 0n;
  const budgetedExpenditure = BigInt(c.budgetedExpenditureFen);
  const layers = layersFor(rules, baseShare, policyPart, deviation, budgetedExpenditure);
  let provinceExact: Rational = mul(
    sub(fromInt(1), fromDecimal(rules.managementGapCityShare)),
    fromInt(managementPart),
  );
  for (const layer of layers)
    provinceExact = add(
      provinceExact,
      mul(fromDecimal(layer.provinceShare), fromInt(layer.amount)),
    );
  const province = roundToInteger(provinceExact, 'half_up');
  invariant(province >= 0n && province <= gap, `province share of ${c.code} outside [0, gap]`);
  return {
    code: c.code,
    budgetType,
    budgetedResultFen: Number(budgetedResult),
    actualResultFen: Number(actualResult),
    gapFen: Number(gap),
    managementPartFen: Number(managementPart),
    policyPartFen: Number(policyPart),
    deviationFen: Number(deviation),
    deviationRatio:
      budgetedExpenditure === 0n
        ? 'n/a'
        : toDecimalString(div(fromInt(deviation), fromInt(budgetedExpenditure))),
    layers: layers.map((l) => ({
      band: l.band,
      provinceShare: l.provinceShare,
      amountFen: Number(l.amount),
    })),
    provinceShareFen: Number(province),
    cityGovernmentShareFen: Number(gap - province),
  };
}

/** The pure year-end gap sharing of the unified mode (input already validated). */
export function settleUnifiedGapSharing(input: UnifiedSettleInput): UnifiedYearEnd {
  const cities = input.cities.map((c) => settleCity(input.rules, c));
  const sum = (pick: (c: UnifiedCityResult) => Fen): Fen => cities.reduce((s, c) => s + pick(c), 0);
  return {
    mode: 'unified',
    year: input.year,
    rules: input.rules,
    cities,
    totals: {
      gapFen: sum((c) => c.gapFen),
      provinceShareFen: sum((c) => c.provinceShareFen),
      cityGovernmentShareFen: sum((c) => c.cityGovernmentShareFen),
    },
  };
}
