import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../../runtime/testing.ts';
import { computeReserveSetAside, type ReserveRule, reserveRuleAt } from './reserve-rule.ts';

describe('reserve set-aside (《河南省工伤保险条例》第十条第一款)', () => {
  const { rule, used } = reserveRuleAt(testRuleBook().pooling, '410000', '2024-01-01');

  it('reads the dated 河南 rule; the reduced ratio is a demo value', () => {
    expect(rule).toEqual({
      totalRatio: '0.07',
      provinceRatio: '0.02',
      cityRatio: '0.05',
      reductionThreshold: '0.5',
      reducedTotalRatio: '0',
    });
    expect(used.filter((u) => u.status === 'demo').map((u) => u.path)).toEqual([
      'reserve.reduced_total_ratio',
    ]);
  });

  it('7 % of the collection: 2 % to the province, 5 % kept at the city', () => {
    const r = computeReserveSetAside(rule, {
      collectionFen: 10_000_000,
      fundIncomeFen: 12_000_000,
      reserveBalanceFen: 6_000_000, // exactly 50 %: not above, so no reduction
    });
    expect(r).toMatchObject({
      provinceFen: 200_000,
      cityFen: 500_000,
      totalFen: 700_000,
      reduced: false,
    });
  });

  it('each part is rounded half-up on its own (2 % and 5 % of 1 234 567)', () => {
    const r = computeReserveSetAside(rule, {
      collectionFen: 1_234_567,
      fundIncomeFen: 2_000_000,
      reserveBalanceFen: 0,
    });
    // 24 691.34 → 24 691; 61 728.35 → 61 728.
    expect(r).toMatchObject({ provinceFen: 24_691, cityFen: 61_728, totalFen: 86_419 });
  });

  it('above 50 % of the year’s fund income the reduced ratio applies and needs approval', () => {
    const r = computeReserveSetAside(rule, {
      collectionFen: 10_000_000,
      fundIncomeFen: 12_000_000,
      reserveBalanceFen: 6_000_001,
    });
    expect(r).toMatchObject({
      totalFen: 0,
      provinceFen: 0,
      cityFen: 0,
      reduced: true,
      reductionNeedsApproval: true,
    });
  });

  it('an approved reduced ratio splits 2 : 5 by largest remainder', () => {
    const approved: ReserveRule = { ...rule, reducedTotalRatio: '0.035' };
    const r = computeReserveSetAside(approved, {
      collectionFen: 1_000_001,
      fundIncomeFen: 1,
      reserveBalanceFen: 1,
    });
    // 0.035 × 1 000 001 = 35 000.035 → 35 000; 2/7 = 10 000, 5/7 = 25 000.
    expect(r).toMatchObject({ totalFen: 35_000, provinceFen: 10_000, cityFen: 25_000 });
  });

  it('property: parts are non-negative and add up to the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.constantFrom('0', '0.01', '0.035'),
        (collectionFen, fundIncomeFen, reserveBalanceFen, reduced) => {
          const r = computeReserveSetAside(
            { ...rule, reducedTotalRatio: reduced },
            { collectionFen, fundIncomeFen, reserveBalanceFen },
          );
          expect(r.provinceFen + r.cityFen).toBe(r.totalFen);
          expect(r.provinceFen).toBeGreaterThanOrEqual(0);
          expect(r.cityFen).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
