import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../../kernel/dates.ts';
import { type OneOffPayment, oneOffExact, oneOffPeriod } from './survivor-one-off.ts';

const ZJ = {
  minorUntilAge: 18,
  incapacityYears: 20,
  reductionFromAge: 60,
  floorFromAge: 75,
  floorYears: 5,
};
const pensionFen = fc.integer({ min: 0, max: 10_000_000 });
const months = fc.integer({ min: 0, max: 1_200 });
const payment = fc.record({
  monthsReceived: fc.option(fc.integer({ min: 0, max: 1_200 }), { nil: undefined }),
  receivedFen: fc.option(fc.integer({ min: 0, max: 100_000_000_000 }), { nil: undefined }),
});
const fenOf = (pension: number, m: number, p: OneOffPayment) => {
  const r = oneOffExact(pension, m, p);
  return Number(r.num / r.den);
};

describe('one-off amount (《浙江省工伤保险条例》第三十五条第二款、第三款)', () => {
  it('is never negative and never falls as the period grows', () => {
    fc.assert(
      fc.property(pensionFen, months, months, payment, (pension, a, b, received) => {
        const p = { birthDate: '2000-01-01', withoutLabourCapacityOrIncome: false, ...received };
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(fenOf(pension, shorter, p)).toBeGreaterThanOrEqual(0);
        expect(fenOf(pension, longer, p)).toBeGreaterThanOrEqual(fenOf(pension, shorter, p));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a minor to the 18th birthday, and never longer than 20 years otherwise', () => {
    const day = fc.integer({ min: 0, max: 80 * 366 });
    fc.assert(
      fc.property(day, fc.boolean(), (daysOld, flag) => {
        const death = '2025-06-10';
        const birth = new Date(Date.UTC(2025, 5, 10) - daysOld * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const period = oneOffPeriod(ZJ, birth, death, flag);
        if (period === null) {
          expect(flag).toBe(false);
          return;
        }
        expect(period.months).toBeGreaterThan(0);
        expect(period.months).toBeLessThanOrEqual(240);
        if (period.way !== 'to_age') return;
        // The count reaches the birthday: death + months is on or after it, one month less is before.
        const eighteen = addMonths(birth, 216);
        expect(addMonths(death, period.months) >= eighteen).toBe(true);
        expect(addMonths(death, period.months - 1) < eighteen).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
