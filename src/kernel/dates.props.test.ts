import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysInMonth, fromDayNumber, isIsoDate, toDayNumber } from './dates.ts';

/** The day arithmetic is integer-only; `Date` (UTC, proleptic Gregorian) is the oracle it must match. */
// setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
const utc = (y: number, monthIndex: number, day: number) => {
  const t = new Date(0);
  t.setUTCFullYear(y, monthIndex, day);
  return t;
};
const viaDate = {
  toDay: (d: string) =>
    utc(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)).getTime() / 86_400_000,
  fromDay: (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10),
};

// 0001-01-01 … 9999-12-31 as day numbers since 1970-01-01.
const dayArb = fc.integer({ min: -719_162, max: 2_932_896 });

describe('day numbers', () => {
  it('match Date both ways over the years 0001–9999', () => {
    fc.assert(
      fc.property(dayArb, (n) => {
        const d = fromDayNumber(n);
        expect(d).toBe(viaDate.fromDay(n));
        expect(isIsoDate(d)).toBe(true);
        expect(toDayNumber(d)).toBe(n);
        expect(viaDate.toDay(d)).toBe(n);
      }),
      { numRuns: 20_000 },
    );
  });
  it('count month lengths and leap years as Date does, every month of 0001–9999', () => {
    for (let y = 1; y <= 9999; y++)
      for (let m = 1; m <= 12; m++)
        if (daysInMonth(y, m) !== utc(y, m, 0).getUTCDate())
          expect(`${y}-${m}: ${daysInMonth(y, m)}`).toBe(`${y}-${m}: ${utc(y, m, 0).getUTCDate()}`);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
  });
  it('cross month, year and century edges', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('1970-01-01', -1)).toBe('1969-12-31');
    expect(toDayNumber('1970-01-01')).toBe(0);
  });
});
