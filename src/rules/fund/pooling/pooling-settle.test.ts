import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calculatePoolingYearEnd, type PoolingYearEnd } from './pooling-calculate.ts';

const fixtureDir = new URL('../../../../tests/fixtures/pooling/', import.meta.url);
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as unknown;

function settle(data: unknown): PoolingYearEnd & { adjustmentFundClosingFen?: number } {
  const r = calculatePoolingYearEnd(data);
  if (!r.ok) throw new Error(`unexpected problem: ${r.problem.detail}`);
  return r.value;
}

function problemPaths(data: unknown): string[] {
  const r = calculatePoolingYearEnd(data);
  if (r.ok) throw new Error('expected the input to be refused');
  return r.problem.errors.map((e) => e.path);
}

const base = {
  mode: 'adjustment_fund',
  year: 2025,
  rules: { remittanceRate: '0.05', reserveRate: '0.02', policyGapCoverageShare: '0.8' },
  adjustmentFundOpeningFen: 0,
  cities: [
    {
      code: '330100',
      contributionIncomeFen: 1000,
      otherIncomeFen: 0,
      expenditureFen: 0,
      openingBalanceFen: 0,
      managementGapFen: 0,
    },
  ],
};

describe('pooling settle: worked examples computed by hand (tests/fixtures/pooling/README.md)', () => {
  for (const name of [
    '01-sufficient',
    '02-insufficient-tie',
    '03-half-up-edges',
    '04-unified-anhui',
  ]) {
    it(name, () => {
      const expected = fixture(`${name}.expected.json`) as { cities: unknown[] };
      const actual = settle(fixture(`${name}.input.json`));
      expect(actual).toMatchObject(expected);
      expect(actual.cities).toHaveLength(expected.cities.length);
    });
  }

  it('02: the tie of equal remainders goes to the lowest city code, not the first in input order', () => {
    const r = settle(fixture('02-insufficient-tie.input.json'));
    const byCode = new Map(r.cities.map((c) => [c.code, c]));
    expect(r.cities[0]!.code).toBe('330700'); // output keeps the input order
    expect((byCode.get('330500') as { coverageFen: number }).coverageFen).toBe(2_100_001);
    expect((byCode.get('330700') as { coverageFen: number }).coverageFen).toBe(2_100_000);
  });

  it('a city without a gap reports zeros for every gap field and keeps its positive closing', () => {
    const r = settle(base);
    expect(r.cities[0]).toEqual({
      code: '330100',
      remittanceFen: 50,
      reserveFen: 20,
      closingBeforeCoverageFen: 930,
      gapFen: 0,
      managementPartFen: 0,
      policyPartFen: 0,
      claimFen: 0,
      coverageFen: 0,
      cityGovernmentShareFen: 0,
      closingAfterCoverageFen: 930,
    });
  });

  it('an empty adjustment fund covers nothing: the city government carries the whole gap', () => {
    const r = settle({
      ...base,
      rules: { ...base.rules, remittanceRate: '0' },
      cities: [{ ...base.cities[0]!, expenditureFen: 2000 }],
    });
    expect(r.cities[0]).toMatchObject({
      gapFen: 1020,
      claimFen: 816,
      coverageFen: 0,
      cityGovernmentShareFen: 1020,
    });
    expect(r.adjustmentFundClosingFen).toBe(0);
  });
});

describe('pooling settle: input problems, all reported at once by path', () => {
  it('the invalid fixture lists every bad field', () => {
    expect(problemPaths(fixture('05-invalid.input.json')).sort()).toEqual(
      [
        'adjustmentFundOpeningFen',
        'cities.0.contributionIncomeFen',
        'cities.1',
        'cities.1.code',
        'cities.1.otherIncomeFen',
        'rules',
        'rules.remittanceRate',
        'rules.reserveRate',
      ].sort(),
    );
  });

  it('duplicate city codes are refused with a message naming the first occurrence', () => {
    const r = calculatePoolingYearEnd({ ...base, cities: [base.cities[0], base.cities[0]] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.errors).toEqual([
      {
        path: 'cities.1.code',
        code: 'custom',
        message:
          'duplicate city code 330100 (already given at cities.0.code); each city appears once',
      },
    ]);
  });

  it.each([
    ['-0.1', 'must be between "0" and "1" inclusive'],
    ['1.0001', 'must be between "0" and "1" inclusive'],
    ['5%', 'must be a decimal string such as "0.05"'],
    [' 0.5', 'must be a decimal string such as "0.05"'],
  ])('rate %j is refused', (rate, message) => {
    const r = calculatePoolingYearEnd({ ...base, rules: { ...base.rules, reserveRate: rate } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.errors).toContainEqual({ path: 'rules.reserveRate', code: 'custom', message });
  });

  it('rates "0" and "1" are accepted', () => {
    const r = settle({
      ...base,
      rules: { remittanceRate: '0', reserveRate: '1', policyGapCoverageShare: '1' },
    });
    expect(r.cities[0]).toMatchObject({ remittanceFen: 0, reserveFen: 1000, gapFen: 0 });
  });

  it('negative amounts are refused where meaningless; a negative opening balance (old deficit) is allowed', () => {
    const city = {
      ...base.cities[0]!,
      expenditureFen: -1,
      managementGapFen: -1,
      openingBalanceFen: -500,
    };
    expect(problemPaths({ ...base, cities: [city] })).toEqual([
      'cities.0.expenditureFen',
      'cities.0.managementGapFen',
    ]);
  });

  it('an unknown mode, unknown top-level fields and missing fields are all reported', () => {
    const { cities: _c, ...rest } = base;
    expect(problemPaths({ ...rest, mode: 'city', extra: true })).toEqual([
      'mode',
      'cities',
      '(root)',
    ]);
  });

  it('non-object input is one problem at the root', () => {
    expect(problemPaths([1, 2])).toEqual(['(root)']);
  });
});
