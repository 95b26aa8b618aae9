import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  chinaInstant,
  todayInChina,
  wholeMonthsBetween,
  wholeYearsBetween,
} from './dates.ts';

describe('addMonths (民法典 第二百零二条: no corresponding day → the last day of the month)', () => {
  it.each([
    ['2025-03-01', 1, '2025-04-01'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['1966-05-10', 60 * 12, '2026-05-10'],
    ['1970-08-31', 55 * 12 + 4, '2025-12-31'],
    ['2025-03-01', -14, '2024-01-01'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('wholeYearsBetween (周岁, whole years left)', () => {
  it.each([
    ['1966-05-10', '2025-03-01', 58],
    ['1966-05-10', '2025-05-09', 58],
    ['1966-05-10', '2025-05-10', 59],
    ['2025-03-01', '2029-06-01', 4],
    ['2025-03-01', '2030-03-01', 5],
    ['2025-03-01', '2025-12-31', 0],
    ['2024-02-29', '2025-02-28', 1],
  ])('%s → %s: %i', (from, to, years) => {
    expect(wholeYearsBetween(from, to)).toBe(years);
  });

  it('is the largest n with from + n years not after to', () => {
    const date = fc
      .date({ min: new Date('1940-01-01'), max: new Date('2080-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, date, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const n = wholeYearsBetween(from, to);
        expect(n).toBeGreaterThanOrEqual(0);
        expect(addMonths(from, n * 12) <= to).toBe(true);
        expect(addMonths(from, (n + 1) * 12) > to).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('wholeMonthsBetween (age in completed months)', () => {
  it.each([
    ['2015-02-10', '2025-06-10', 124],
    ['2015-02-10', '2025-06-09', 123],
    ['2015-01-31', '2015-02-28', 1],
    ['2015-03-31', '2015-04-29', 0],
    ['2025-06-10', '2025-06-10', 0],
  ])('%s → %s: %i', (from, to, months) => {
    expect(wholeMonthsBetween(from, to)).toBe(months);
  });

  it('is the largest n with from + n months not after to', () => {
    const date = fc
      .date({ min: new Date('1940-01-01'), max: new Date('2080-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, date, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const n = wholeMonthsBetween(from, to);
        expect(addMonths(from, n) <= to).toBe(true);
        expect(addMonths(from, n + 1) > to).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('todayInChina', () => {
  it('is the Beijing date, a day ahead of UTC from 16:00 UTC', () => {
    expect(todayInChina(Date.parse('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
    expect(todayInChina(Date.parse('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
    expect(todayInChina(Date.parse('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });
});

describe('chinaInstant', () => {
  it('is China’s wall clock with +08:00, across midnight', () => {
    expect(chinaInstant(Date.parse('2026-03-31T17:30:00Z'))).toBe('2026-04-01T01:30:00+08:00');
    expect(chinaInstant(Date.parse('2026-03-31T15:59:59.999Z'))).toBe('2026-03-31T23:59:59+08:00');
  });
});
