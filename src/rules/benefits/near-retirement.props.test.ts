import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, wholeYearsBetween } from '../../kernel/dates.ts';
import { compare, fromDecimal, fromInt } from '../../kernel/rational.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import { nearRetirementRule } from './separation.ts';

function committedRule(region: string): NearRetirementRule {
  const r = nearRetirementRule(
    makeContext(testRuleBook().benefits, region, {}, false),
    '2025-03-01',
  );
  if (!r.ok) throw new Error(r.message);
  return r.value;
}
const HENAN = committedRule('410000');
const ZHEJIANG = committedRule('330000');

import {
  countNearRetirement,
  type NearRetirementRule,
  retirementDateOf,
} from './near-retirement.ts';

const day = fc
  .date({ min: new Date('2011-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const age = fc.record({
  years: fc.integer({ min: 45, max: 65 }),
  months: fc.integer({ min: 0, max: 11 }),
});

const anyRule: fc.Arbitrary<NearRetirementRule> = fc.record({
  counting: fc.constantFrom('years_left', 'age_completed'),
  thresholdYears: fc.integer({ min: 1, max: 10 }),
  step: fc.constantFrom('0.1', '0.2', '0.25', '0.5', '1').map(fromDecimal),
  underOneYear: fc.option(fc.constantFrom('0', '0.1', '0.5', '1').map(fromDecimal)),
});

describe('near-retirement share: properties', () => {
  it('is a share between 0 and 1 under any rule and any way of counting', () => {
    fc.assert(
      fc.property(
        anyRule,
        day,
        fc.integer({ min: 1, max: 20 * 366 }),
        age,
        (rule, sep, ahead, a) => {
          const retirementDate = addDays(sep, ahead);
          const birthDate = addMonths(retirementDate, -(a.years * 12 + a.months));
          // Going back by months may clamp to a month's end, so the birth date's own retirement
          // date can fall a few days earlier: the worker must still be below it (schema.ts checks).
          fc.pre(retirementDateOf(birthDate, a) > sep);
          for (const timing of [
            { way: 'years', yearsToRetirement: wholeYearsBetween(sep, retirementDate) },
            { way: 'retirement_date', retirementDate },
            { way: 'birth', birthDate, retirementAge: a },
          ] as const) {
            const { share } = countNearRetirement(sep, timing, rule);
            expect(compare(share, fromInt(0))).toBeGreaterThanOrEqual(0);
            expect(compare(share, fromInt(1))).toBeLessThanOrEqual(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never grows as less time is left (河南 and 浙江, every way of counting)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(HENAN, ZHEJIANG),
        day,
        age,
        fc.integer({ min: 1, max: 6 * 366 }),
        fc.integer({ min: 1, max: 400 }),
        (rule, retirementDate, a, ahead, later) => {
          const early = addDays(retirementDate, -ahead - later);
          const late = addDays(retirementDate, -ahead);
          const birthDate = addMonths(retirementDate, -(a.years * 12 + a.months));
          fc.pre(retirementDateOf(birthDate, a) > late);
          for (const timing of [
            { way: 'retirement_date', retirementDate },
            { way: 'birth', birthDate, retirementAge: a },
          ] as const) {
            const first = countNearRetirement(early, timing, rule).share;
            const second = countNearRetirement(late, timing, rule).share;
            expect(compare(first, second)).toBeGreaterThanOrEqual(0);
          }
          const moreYears = wholeYearsBetween(early, retirementDate);
          const fewerYears = wholeYearsBetween(late, retirementDate);
          const byYears = (n: number) =>
            countNearRetirement(late, { way: 'years', yearsToRetirement: n }, rule).share;
          expect(compare(byYears(moreYears), byYears(fewerYears))).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('near-retirement share: the ways of counting agree', () => {
  it('河南: the dates give the share of the whole years they leave', () => {
    fc.assert(
      fc.property(day, age, fc.integer({ min: 30 * 12, max: 70 * 12 }), (sep, a, monthsOld) => {
        const birthDate = addMonths(sep, -monthsOld);
        const retirementDate = retirementDateOf(birthDate, a);
        fc.pre(retirementDate > sep);
        const n = wholeYearsBetween(sep, retirementDate);
        const timing = { way: 'birth', birthDate, retirementAge: a } as const;
        const byBirth = countNearRetirement(sep, timing, HENAN);
        const byYears = countNearRetirement(sep, { way: 'years', yearsToRetirement: n }, HENAN);
        expect(byBirth.share).toEqual(byYears.share);
      }),
      { numRuns: 300 },
    );
  });

  it('浙江: for whole-year ages the retirement date alone gives the 周岁 the birth date gives', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 45, max: 65 }),
        fc.integer({ min: 1, max: 7 * 366 }),
        (sep, years, ahead) => {
          const retirementDate = addDays(sep, ahead);
          const birthDate = addMonths(retirementDate, -years * 12);
          // A 29 February birthday has no anniversary in most years: the two ways may differ by a day.
          fc.pre(!birthDate.endsWith('-02-29') && !retirementDate.endsWith('-02-29'));
          const retirementAge = { years, months: 0 };
          const byBirth = countNearRetirement(
            sep,
            { way: 'birth', birthDate, retirementAge },
            ZHEJIANG,
          );
          const byDate = countNearRetirement(
            sep,
            { way: 'retirement_date', retirementDate },
            ZHEJIANG,
          );
          expect(byDate.share).toEqual(byBirth.share);
        },
      ),
      { numRuns: 400 },
    );
  });
});
