import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromDayNumber, type IsoDate, toDayNumber } from '../../kernel/dates.ts';
import { isWorkingDay } from './calendar.ts';
import { calendarFileSchema, workCalendarOf } from './calendar-file.ts';
import { type PeriodUnit, periodEnd, provisionalPeriodEnd } from './period.ts';

/** Properties on the bundled calendar (2024–2026 official, 2027 statutory-only). */
const calendar = workCalendarOf(
  calendarFileSchema.parse(
    JSON.parse(
      readFileSync(new URL('../values/calendar/holidays-cn.json', import.meta.url), 'utf8'),
    ),
  ),
);

const start = fc
  .integer({ min: toDayNumber('2023-12-01'), max: toDayNumber('2026-12-31') })
  .map(fromDayNumber);
const unit = fc.constantFrom<PeriodUnit>('day', 'workday', 'month', 'year');
const amount = fc.integer({ min: 1, max: 400 });

function working(date: IsoDate): boolean {
  const r = isWorkingDay(calendar, date);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('periodEnd properties', () => {
  it('ends after the start, on a working day, or refuses a year the calendar lacks', () => {
    fc.assert(
      fc.property(start, amount, unit, (s, n, u) => {
        const r = periodEnd(calendar, s, { amount: n, unit: u });
        if (!r.ok) {
          expect(r.code).toBe('deadline.calendar_year_unknown');
          // Only a year without its notice is refused: never one of the three official years.
          expect([2024, 2025, 2026]).not.toContain(r.details?.['year']);
          return;
        }
        expect(r.value > s).toBe(true);
        expect(working(r.value)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('moves a day period no further than the first working day at or after its nominal end', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 300 }), (s, n) => {
        const r = periodEnd(calendar, s, { amount: n, unit: 'day' });
        if (!r.ok) return;
        for (let d = addDays(s, n); d < r.value; d = addDays(d, 1)) expect(working(d)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone in the amount', () => {
    fc.assert(
      fc.property(start, amount, amount, unit, (s, a, b, u) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = periodEnd(calendar, s, { amount: lo, unit: u });
        const y = periodEnd(calendar, s, { amount: hi, unit: u });
        if (x.ok && y.ok) expect(x.value <= y.value).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('counts exactly `amount` working days after the start for a workday period', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 60 }), (s, n) => {
        const r = periodEnd(calendar, s, { amount: n, unit: 'workday' });
        if (!r.ok) return;
        let counted = 0;
        for (let d = addDays(s, 1); d <= r.value; d = addDays(d, 1)) if (working(d)) counted++;
        expect(counted).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('provisionalPeriodEnd equals periodEnd wherever periodEnd answers, and flags only where it refuses', () => {
    fc.assert(
      fc.property(start, amount, unit, (s, n, u) => {
        const exact = periodEnd(calendar, s, { amount: n, unit: u });
        const flagged = provisionalPeriodEnd(calendar, s, { amount: n, unit: u });
        if (exact.ok) expect(flagged).toEqual({ due: exact.value, provisional: false, years: [] });
        else {
          expect(flagged.provisional).toBe(true);
          expect(flagged.years).toContain(exact.details?.['year']);
          expect(flagged.due > s).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
