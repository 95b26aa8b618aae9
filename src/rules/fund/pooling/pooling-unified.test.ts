import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculatePoolingYearEnd } from './pooling-calculate.ts';
import { settleUnifiedGapSharing, type UnifiedSettleInput } from './pooling-unified.ts';

const anhui: UnifiedSettleInput['rules'] = {
  baseProvinceShare: { budgetedSurplus: '0.9', budgetedDeficit: '0.8' },
  bands: [
    { deviationAbove: '0.05', provinceShare: '0.6' },
    { deviationAbove: '0.10', provinceShare: '0.4' },
  ],
  managementGapCityShare: '1',
};

const city = (over: Partial<UnifiedSettleInput['cities'][number]> = {}) => ({
  code: '340100',
  budgetedIncomeFen: 1_000_000,
  budgetedExpenditureFen: 1_000_000,
  actualIncomeFen: 1_000_000,
  actualExpenditureFen: 1_000_000,
  managementGapFen: 0,
  ...over,
});

const one = (c: ReturnType<typeof city>, rules = anhui) =>
  settleUnifiedGapSharing({ mode: 'unified', year: 2024, rules, cities: [c] }).cities[0]!;

describe('unified (统收统支) banded gap sharing: surplus bands', () => {
  it('a balanced budget counts as a budgeted surplus; deviation within 5 % keeps 9 : 1', () => {
    // Balanced budget, actual deficit 40 000 = 4 % of budgeted expenditure.
    const r = one(city({ actualExpenditureFen: 1_040_000 }));
    expect(r).toMatchObject({
      budgetType: 'surplus',
      gapFen: 40_000,
      deviationFen: 40_000,
      provinceShareFen: 36_000,
      cityGovernmentShareFen: 4_000,
    });
  });

  it('deviation of 8 %: 5 % at the base ratio, the excess 3 % at 60 / 40', () => {
    const r = one(city({ actualExpenditureFen: 1_080_000 }));
    // base 50 000 × 0.9 = 45 000; band0 30 000 × 0.6 = 18 000.
    expect(r.layers.map((l) => l.amountFen)).toEqual([50_000, 30_000, 0]);
    expect(r.provinceShareFen).toBe(63_000);
    expect(r.cityGovernmentShareFen).toBe(17_000);
  });

  it('deviation of 15 %: 5 % base, 5 % at 60 / 40, 5 % at 40 / 60', () => {
    const r = one(city({ actualExpenditureFen: 1_150_000 }));
    expect(r.layers.map((l) => l.amountFen)).toEqual([50_000, 50_000, 50_000]);
    expect(r.provinceShareFen).toBe(45_000 + 30_000 + 20_000);
  });

  it('a management gap is 100 % the city’s and is not counted as deviation', () => {
    const r = one(city({ actualExpenditureFen: 1_150_000, managementGapFen: 100_000 }));
    expect(r).toMatchObject({
      managementPartFen: 100_000,
      policyPartFen: 50_000,
      deviationFen: 50_000,
    });
    expect(r.provinceShareFen).toBe(45_000);
    expect(r.cityGovernmentShareFen).toBe(105_000);
  });
});

describe('unified (统收统支) gap sharing: deficits, empty budgets, bad tables', () => {
  it('a budgeted deficit uses 8 : 2 on the budgeted part', () => {
    const r = one(city({ budgetedExpenditureFen: 1_100_000, actualExpenditureFen: 1_100_000 }));
    expect(r).toMatchObject({
      budgetType: 'deficit',
      gapFen: 100_000,
      deviationFen: 0,
      provinceShareFen: 80_000,
    });
  });

  it('nothing budgeted: every deviation falls in the top band; ratio is "n/a"', () => {
    const r = one(
      city({
        budgetedIncomeFen: 0,
        budgetedExpenditureFen: 0,
        actualIncomeFen: 0,
        actualExpenditureFen: 10,
      }),
    );
    expect(r.deviationRatio).toBe('n/a');
    expect(r.layers.map((l) => l.amountFen)).toEqual([0, 0, 10]);
    expect(r.provinceShareFen).toBe(4);
  });

  it('bands must ascend; the problem names the band', () => {
    const r = calculatePoolingYearEnd({
      mode: 'unified',
      year: 2024,
      rules: { ...anhui, bands: [anhui.bands[1], anhui.bands[0]] },
      cities: [city()],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.errors.map((e) => e.path)).toEqual(['rules.bands.1.deviationAbove']);
  });

  const share = fc
    .integer({ min: 0, max: 100 })
    .map((n) => (n === 100 ? '1' : `0.${String(n).padStart(2, '0')}`));
  const rules = fc.record({
    baseProvinceShare: fc.record({ budgetedSurplus: share, budgetedDeficit: share }),
    bands: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 3 }).chain((ts) =>
      fc.tuple(
        ...[...ts]
          .sort((a, b) => a - b)
          .map((t) =>
            share.map((p) => ({
              deviationAbove: `0.${String(t).padStart(2, '0')}`,
              provinceShare: p,
            })),
          ),
      ),
    ),
    managementGapCityShare: share,
  });
  const amount = fc.integer({ min: 0, max: 10_000_000 });
  const cityArb = fc.record({
    code: fc.constant('340100'),
    budgetedIncomeFen: amount,
    budgetedExpenditureFen: amount,
    actualIncomeFen: amount,
    actualExpenditureFen: amount,
    managementGapFen: amount,
  });

  it('property: province + city = gap, both ≥ 0, layers sum to the policy part', () => {
    fc.assert(
      fc.property(rules, cityArb, (r, c) => {
        const out = one(c, r as UnifiedSettleInput['rules']);
        expect(out.provinceShareFen + out.cityGovernmentShareFen).toBe(out.gapFen);
        expect(out.provinceShareFen).toBeGreaterThanOrEqual(0);
        expect(out.cityGovernmentShareFen).toBeGreaterThanOrEqual(0);
        expect(out.layers.reduce((s, l) => s + l.amountFen, 0)).toBe(out.policyPartFen);
        for (const l of out.layers) expect(l.amountFen).toBeGreaterThanOrEqual(0);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
