import { z } from 'zod';
import { invariant } from '../../../kernel/assert.ts';
import { allocateLargestRemainder, type Fen } from '../../../kernel/money.ts';
import { fromDecimal, fromInt, mul, roundToInteger } from '../../../kernel/rational.ts';
import {
  byCode,
  CITIES_MAX,
  checkUniqueCityCodes,
  cityCode,
  nonNegativeFen,
  signedFen,
  unitRate,
  yearEndYear,
} from './pooling-schema.ts';

/**
 * Year-end year-end run of the adjustment-fund (调剂金, 人社部发〔2017〕60号) pooling mode, exactly as
 * issue 4 item 5 states it. Per city c:
 *
 *   remittance = round(remittanceRate × contributionIncome)
 *   reserve    = round(reserveRate × contributionIncome)
 *   closing    = openingBalance + contributionIncome + otherIncome − expenditure − remittance − reserve
 *   if closing < 0: gap = −closing; managementPart = min(managementGap, gap);
 *                   policyPart = gap − managementPart; claim = round(policyGapCoverageShare × policyPart)
 *   available  = adjustmentFundOpening + Σ remittance
 *   Σ claim ≤ available → coverage = claim; else available split over the claims by largest
 *   remainder in fen (ties to the lower city code)
 *   cityGovernmentShare = gap − coverage;  adjustmentFundClosing = available − Σ coverage
 *
 * `round` is half-up to the fen; every intermediate is an exact rational. Example (docs/pooling.md):
 * `settlePooling(parseInput(adjustmentFundSettleInputSchema, json).value)`.
 */

export const adjustmentFundRulesSchema = z.strictObject(
  { remittanceRate: unitRate, reserveRate: unitRate, policyGapCoverageShare: unitRate },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'required: an object { remittanceRate, reserveRate, policyGapCoverageShare } of decimal strings'
        : undefined,
  },
);

export const adjustmentFundCitySchema = z.strictObject({
  code: cityCode,
  contributionIncomeFen: nonNegativeFen,
  otherIncomeFen: nonNegativeFen,
  expenditureFen: nonNegativeFen,
  openingBalanceFen: signedFen,
  managementGapFen: nonNegativeFen,
});

export const adjustmentFundSettleInputSchema = z
  .strictObject({
    mode: z.literal('adjustment_fund', {
      error: 'must be "adjustment_fund" (调剂金) or "unified" (统收统支)',
    }),
    year: yearEndYear,
    rules: adjustmentFundRulesSchema,
    adjustmentFundOpeningFen: nonNegativeFen,
    cities: z
      .array(adjustmentFundCitySchema)
      .min(1, 'give at least one city')
      .max(CITIES_MAX, `at most ${CITIES_MAX} cities`),
  })
  .superRefine(checkUniqueCityCodes);

export type AdjustmentFundSettleInput = z.output<typeof adjustmentFundSettleInputSchema>;
export type AdjustmentFundCityInput = AdjustmentFundSettleInput['cities'][number];

/** One city's year-end run. Cities without a gap report 0 for every gap-related field. */
export type AdjustmentFundCityResult = {
  code: string;
  remittanceFen: Fen;
  reserveFen: Fen;
  /** The formula's `closing`: may be negative (then gapFen = −closingBeforeCoverageFen). */
  closingBeforeCoverageFen: Fen;
  gapFen: Fen;
  managementPartFen: Fen;
  policyPartFen: Fen;
  claimFen: Fen;
  coverageFen: Fen;
  cityGovernmentShareFen: Fen;
  /** closingBeforeCoverage + coverage: what the city's fund shows after the adjustment fund paid. */
  closingAfterCoverageFen: Fen;
};

export type AdjustmentFundTotals = {
  contributionIncomeFen: Fen;
  remittanceFen: Fen;
  reserveFen: Fen;
  gapFen: Fen;
  claimFen: Fen;
  coverageFen: Fen;
  cityGovernmentShareFen: Fen;
};

export type AdjustmentFundYearEnd = {
  mode: 'adjustment_fund';
  year: number;
  rules: AdjustmentFundSettleInput['rules'];
  /** Cities in input order. */
  cities: AdjustmentFundCityResult[];
  adjustmentFundOpeningFen: Fen;
  /** adjustmentFundOpening + Σ remittance. */
  availableFen: Fen;
  /** 'full' when Σ claim ≤ available, else 'prorated' (largest remainder over the claims). */
  coverageBasis: 'full' | 'prorated';
  adjustmentFundClosingFen: Fen;
  totals: AdjustmentFundTotals;
};

function roundHalfUp(rate: string, amountFen: Fen | bigint): bigint {
  return roundToInteger(mul(fromDecimal(rate), fromInt(amountFen)), 'half_up');
}

function toFen(value: bigint, what: string): Fen {
  const n = Number(value);
  invariant(Number.isSafeInteger(n), `${what} ${value} exceeds the safe integer range`);
  return n;
}

type CityDraft = {
  code: string;
  remittance: bigint;
  reserve: bigint;
  closing: bigint;
  gap: bigint;
  managementPart: bigint;
  policyPart: bigint;
  claim: bigint;
};

function draftCity(
  rules: AdjustmentFundSettleInput['rules'],
  c: AdjustmentFundCityInput,
): CityDraft {
  const remittance = roundHalfUp(rules.remittanceRate, c.contributionIncomeFen);
  const reserve = roundHalfUp(rules.reserveRate, c.contributionIncomeFen);
  const closing =
    BigInt(c.openingBalanceFen) +
    BigInt(c.contributionIncomeFen) +
    BigInt(c.otherIncomeFen) -
    BigInt(c.expenditureFen) -
    remittance -
    reserve;
  if (closing >= 0n)
    return {
      code: c.code,
      remittance,
      reserve,
      closing,
      gap: 0n,
      managementPart: 0n,
      policyPart: 0n,
      claim: 0n,
    };
  const gap = -closing;
  const managementGap = BigInt(c.managementGapFen);
  const managementPart = managementGap < gap ? managementGap : gap;
  const policyPart = gap - managementPart;
  const claim = roundHalfUp(rules.policyGapCoverageShare, policyPart);
  return { code: c.code, remittance, reserve, closing, gap, managementPart, policyPart, claim };
}

/**
 * Coverage per city code: every claim when the fund suffices, else the available amount shared in
 * proportion to the claims by largest remainder, cities ordered by code so ties go to the lower code.
 */
function coverClaims(drafts: readonly CityDraft[], available: bigint): Map<string, bigint> {
  const totalClaim = drafts.reduce((s, d) => s + d.claim, 0n);
  if (totalClaim <= available) return new Map(drafts.map((d) => [d.code, d.claim]));
  const ordered = [...drafts].sort(byCode);
  const shares = allocateLargestRemainder(
    available,
    ordered.map((d) => d.claim),
  );
  return new Map(ordered.map((d, i) => [d.code, shares[i]!]));
}

/** The pure year-end run of the adjustment-fund mode (input already validated). */
export function settlePooling(input: AdjustmentFundSettleInput): AdjustmentFundYearEnd {
  const drafts = input.cities.map((c) => draftCity(input.rules, c));
  const opening = BigInt(input.adjustmentFundOpeningFen);
  const available = opening + drafts.reduce((s, d) => s + d.remittance, 0n);
  const coverage = coverClaims(drafts, available);
  const cities = drafts.map((d): AdjustmentFundCityResult => {
    const covered = coverage.get(d.code) ?? 0n;
    invariant(covered >= 0n && covered <= d.claim, `coverage of ${d.code} outside [0, claim]`);
    return {
      code: d.code,
      remittanceFen: toFen(d.remittance, 'remittance'),
      reserveFen: toFen(d.reserve, 'reserve'),
      closingBeforeCoverageFen: toFen(d.closing, 'closing'),
      gapFen: toFen(d.gap, 'gap'),
      managementPartFen: toFen(d.managementPart, 'management part'),
      policyPartFen: toFen(d.policyPart, 'policy part'),
      claimFen: toFen(d.claim, 'claim'),
      coverageFen: toFen(covered, 'coverage'),
      cityGovernmentShareFen: toFen(d.gap - covered, 'city government share'),
      closingAfterCoverageFen: toFen(d.closing + covered, 'closing after coverage'),
    };
  });
  const sum = (pick: (c: AdjustmentFundCityResult) => Fen): Fen =>
    cities.reduce((s, c) => s + pick(c), 0);
  const totals: AdjustmentFundTotals = {
    contributionIncomeFen: input.cities.reduce((s, c) => s + c.contributionIncomeFen, 0),
    remittanceFen: sum((c) => c.remittanceFen),
    reserveFen: sum((c) => c.reserveFen),
    gapFen: sum((c) => c.gapFen),
    claimFen: sum((c) => c.claimFen),
    coverageFen: sum((c) => c.coverageFen),
    cityGovernmentShareFen: sum((c) => c.cityGovernmentShareFen),
  };
  const closing = available - BigInt(totals.coverageFen);
  invariant(closing >= 0n, 'adjustment fund would close negative');
  return {
    mode: 'adjustment_fund',
    year: input.year,
    rules: input.rules,
    cities,
    adjustmentFundOpeningFen: input.adjustmentFundOpeningFen,
    availableFen: toFen(available, 'available'),
    coverageBasis: BigInt(totals.claimFen) <= available ? 'full' : 'prorated',
    adjustmentFundClosingFen: toFen(closing, 'adjustment fund closing'),
    totals,
  };
}
