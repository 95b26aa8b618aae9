import fc from 'fast-check';
import {
  floatingGrades,
  industryStandards,
  PAYROLL_FEN_MAX,
  type RateInput,
} from './rate-schema.ts';

/** Regions with rule files of their own (浙江, 河南 and cities of each) and the national fallback. */
export const rateRegions = ['330000', '330100', '330200', '410000', '410100', '000000'] as const;

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** A month from 2010 to 2030: before the tables start (2015-10, 2017-10) as well as after. */
export const periodArb = fc
  .record({ year: fc.integer({ min: 2010, max: 2030 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${twoDigits(month)}`);

/** Payrolls of every size: zero, a small shop, a large employer, the largest accepted. */
export const payrollFenArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 10_000_000 }),
  fc.integer({ min: 0, max: 2_000_000_000_000 }),
  fc.integer({ min: PAYROLL_FEN_MAX - 1_000_000, max: PAYROLL_FEN_MAX }),
);

/**
 * Any well-formed rate input: divisions 00–99 (some unknown, 2017's 79 unclassified), every grade
 * (class 1 down grades refused), periods before and after the tables start. Roughly half compute.
 */
export const rateInputArb: fc.Arbitrary<RateInput> = fc.record({
  region: fc.constantFrom(...rateRegions),
  period: periodArb,
  industry: fc.record({
    standard: fc.constantFrom(...industryStandards),
    division: fc.integer({ min: 0, max: 99 }).map(twoDigits),
  }),
  floatingGrade: fc.constantFrom(...floatingGrades),
  payrollFen: payrollFenArb,
});

/** A body that breaks the schema in one or more ways, or is not an object at all. */
export const malformedRateBodyArb: fc.Arbitrary<unknown> = fc.oneof(
  rateInputArb.chain((input) =>
    fc.constantFrom<unknown>(
      { ...input, region: input.region.slice(1) },
      { ...input, period: `${input.period}-01` },
      { ...input, period: input.period.replace(/-\d\d$/, '-13') },
      { ...input, industry: { ...input.industry, standard: 'GB/T 4754-2002' } },
      { ...input, industry: { ...input.industry, division: `${input.industry.division}1` } },
      { ...input, industry: { ...input.industry, section: 'C' } },
      { ...input, floatingGrade: 'down3' },
      { ...input, payrollFen: -1 - input.payrollFen },
      { ...input, payrollFen: input.payrollFen + 0.5 },
      { ...input, payrollFen: String(input.payrollFen) },
      { ...input, payrollFen: PAYROLL_FEN_MAX + 1 },
      { ...input, employerCategory: 'sme' },
      { region: input.region, period: input.period },
    ),
  ),
  fc.constantFrom<unknown>(null, 42, 'rate', [], {}),
);
