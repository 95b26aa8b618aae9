import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundFen } from '../../kernel/money.ts';
import type { RoundingRule } from '../../kernel/rational.ts';
import {
  compare,
  div,
  fromDecimal,
  fromInt,
  mul,
  type Rational,
  toDecimalString,
} from '../../kernel/rational.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { lookup } from '../parameters/lookup.ts';
import { payrollFenArb, periodArb, rateInputArb, rateRegions } from './arbitraries.ts';
import { periodDate, RATE_FORMULA_CITATION, rateFromUnknown } from './rate.ts';
import { riskClassTablePath } from './rate-policy.ts';
import { floatingGrades, type RateInput, rateResultSchema } from './rate-schema.ts';

const rules = testRuleBook().benefits;
const SEED = 20_260_110;
const REFUSALS = [
  'rules.parameter_missing',
  'contribution.division_unknown',
  'contribution.division_unclassified',
  'contribution.grade_not_allowed',
];

/** The class of a division as the table in force says, read here independently of rateOf. */
function tableClass(input: RateInput): number | null | undefined {
  const found = lookup(
    rules,
    input.region,
    riskClassTablePath(input.industry.standard),
    periodDate(input.period),
  );
  const entry = found?.value.table?.get(input.industry.division);
  return entry === undefined || entry === null ? entry : Number(entry.num / entry.den);
}

/** The divisions the standard's table puts in class 1, read from the rule files (not a copy). */
function classOneDivisions(standard: RateInput['industry']['standard']): string[] {
  const table = lookup(rules, '000000', riskClassTablePath(standard), '2024-01-01')?.value.table;
  return [...(table ?? new Map())].filter(([, c]) => c !== null && c.num === c.den).map(([d]) => d);
}

/** The province's dated cut in force for the period (contribution.rate_cut_factor), read independently. */
function cutOf(input: RateInput): Rational {
  const found = lookup(
    rules,
    input.region,
    'contribution.rate_cut_factor',
    periodDate(input.period),
  );
  return found?.value.scalar ?? fromInt(1);
}

describe('rate calculator properties', () => {
  it('answers every well-formed input with a result matching the contract or a listed refusal', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(rateInputArb, (input) => {
        const out = rateFromUnknown(input, rules);
        const kind = out.ok ? 'ok' : out.body.code;
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
        if (!out.ok) {
          expect(out.status).toBe(422);
          if (out.status === 422) expect(REFUSALS).toContain(out.body.code);
          return;
        }
        expect(rateResultSchema.parse(out.body)).toEqual(out.body);
        expect(out.body.riskClass).toBe(tableClass(input));
        expect(out.body.citations[0]).toBe(RATE_FORMULA_CITATION);
        expect(new Set(out.body.citations).size).toBe(out.body.citations.length);
      }),
      { numRuns: 2000, seed: SEED },
    );
    // The generator reaches results and every refusal, not only one kind of answer.
    expect([...seen.keys()].sort()).toEqual(['ok', ...REFUSALS].sort());
    expect(seen.get('ok')).toBeGreaterThan(500);
  });

  it('never floats class 1 down: down grades are refused, the others multiply by at least 1', () => {
    const classOne = fc
      .constantFrom(...(['GB/T 4754-2011', 'GB/T 4754-2017'] as const))
      .chain((standard) =>
        fc.record({
          region: fc.constantFrom(...rateRegions),
          period: periodArb.filter((p) => p >= '2017-10'),
          industry: fc.record({
            standard: fc.constant(standard),
            division: fc.constantFrom(...classOneDivisions(standard)),
          }),
          floatingGrade: fc.constantFrom(...floatingGrades),
          payrollFen: payrollFenArb,
        }),
      );
    let refused = 0;
    let computed = 0;
    fc.assert(
      fc.property(classOne, (input) => {
        const out = rateFromUnknown(input, rules);
        if (input.floatingGrade === 'down1' || input.floatingGrade === 'down2') {
          refused += 1;
          expect(out.ok ? null : out.body.code).toBe('contribution.grade_not_allowed');
          return;
        }
        expect(out.ok, JSON.stringify(out.body)).toBe(true);
        if (!out.ok) return;
        computed += 1;
        expect(out.body.riskClass).toBe(1);
        expect(compare(fromDecimal(out.body.multiplier), fromInt(1))).toBeGreaterThanOrEqual(0);
        // The grade never lowers class 1; only a province's dated cut does (rate = base × multiplier × cut).
        const uncut = div(fromDecimal(out.body.rate), cutOf(input));
        expect(compare(uncut, fromDecimal(out.body.baseRate))).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000, seed: SEED },
    );
    expect(refused).toBeGreaterThan(100);
    expect(computed).toBeGreaterThan(100);
  });
});

describe('rate calculator properties: the amount', () => {
  it('is monotone non-decreasing in payroll, everything else fixed', () => {
    let compared = 0;
    fc.assert(
      fc.property(rateInputArb, payrollFenArb, payrollFenArb, (input, a, b) => {
        const low = rateFromUnknown({ ...input, payrollFen: Math.min(a, b) }, rules);
        const high = rateFromUnknown({ ...input, payrollFen: Math.max(a, b) }, rules);
        // Payroll never decides a refusal: both compute or both are refused alike.
        expect(high.ok).toBe(low.ok);
        if (!low.ok || !high.ok) return;
        compared += 1;
        expect(low.body.amountFen).toBeLessThanOrEqual(high.body.amountFen);
      }),
      { numRuns: 2000, seed: SEED },
    );
    expect(compared).toBeGreaterThan(500);
  });

  it('computes amount = round(payroll × rate) once under rounding.money, rate = base × multiplier', () => {
    fc.assert(
      fc.property(rateInputArb, (input) => {
        const out = rateFromUnknown(input, rules);
        if (!out.ok) return;
        const date = periodDate(input.period);
        const rule = lookup(rules, input.region, 'rounding.money', date)?.value
          .text as RoundingRule;
        const base = lookup(rules, input.region, 'contribution.base_rate', date)?.value.table?.get(
          String(out.body.riskClass),
        );
        expect(base && toDecimalString(base)).toBe(out.body.baseRate);
        const rate = mul(
          mul(fromDecimal(out.body.baseRate), fromDecimal(out.body.multiplier)),
          cutOf(input),
        );
        expect(compare(rate, fromDecimal(out.body.rate))).toBe(0);
        expect(out.body.amountFen).toBe(roundFen(mul(fromInt(input.payrollFen), rate), rule));
      }),
      { numRuns: 2000, seed: SEED },
    );
  });
});

describe('rate calculator properties: the temporary cut', () => {
  const cutPeriodArb = fc.constantFrom(
    '2025-05',
    '2025-06',
    '2025-07',
    '2025-09',
    '2025-12',
    '2026-01',
  );
  it('never raises the amount: with the cut ≤ round(payroll × base × multiplier), lower inside it', () => {
    let inside = 0;
    fc.assert(
      fc.property(rateInputArb, cutPeriodArb, (drawn, period) => {
        const input = { ...drawn, period };
        const out = rateFromUnknown(input, rules);
        if (!out.ok) return;
        const rule = lookup(rules, input.region, 'rounding.money', periodDate(period))?.value
          .text as RoundingRule;
        const uncut = mul(fromDecimal(out.body.baseRate), fromDecimal(out.body.multiplier));
        const without = roundFen(mul(fromInt(input.payrollFen), uncut), rule);
        expect(out.body.amountFen).toBeLessThanOrEqual(without);
        if (compare(cutOf(input), fromInt(1)) < 0) {
          inside += 1;
          expect(compare(fromDecimal(out.body.rate), uncut)).toBe(-1);
        } else expect(out.body.rate).toBe(toDecimalString(uncut));
      }),
      { numRuns: 1000, seed: SEED },
    );
    expect(inside).toBeGreaterThan(100);
  });
});
