import { invariant } from '../../kernel/assert.ts';
import { addDays, addMonths, type IsoDate } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { makeContext, readNumber, sourceOf } from '../context.ts';
import type { RuleSet } from '../parameters/model.ts';

/**
 * How long a cross-province filing (跨省异地就医备案) stays valid, by its kind (dated parameters,
 * status demo: docs/settlement-cross-province.md). The term is read on the filing's from-date.
 */
export type FilingKind = 'long_term_residence' | 'referral';

export const FILING_KINDS: readonly FilingKind[] = ['long_term_residence', 'referral'];

export const FILING_VALIDITY_PATHS: Readonly<Record<FilingKind, string>> = {
  long_term_residence: 'settlement.cross_province.filing_validity.long_term_residence',
  referral: 'settlement.cross_province.filing_validity.referral',
};

export type FilingValidity = {
  months: number;
  /** The last day covered: the day before the same day `months` later (calendar months). */
  validUntil: IsoDate;
  citation: string;
};

export function filingValidity(
  rules: RuleSet,
  region: string,
  kind: FilingKind,
  fromDate: IsoDate,
): Result<FilingValidity, 'rules.parameter_missing'> {
  const ctx = makeContext(rules, region, {}, false);
  const path = FILING_VALIDITY_PATHS[kind];
  const months = readNumber(ctx, path, fromDate);
  if (!months.ok) return months;
  // The YAML schema holds a months parameter as a whole number; a fraction is a broken file.
  invariant(months.value.den === 1n, `${path} must be a whole number of months`);
  const count = Number(months.value.num);
  return ok({
    months: count,
    validUntil: addDays(addMonths(fromDate, count), -1),
    citation: sourceOf(ctx, path, fromDate) ?? path,
  });
}
