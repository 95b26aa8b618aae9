import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calendarFileSchema, workCalendarOf } from './calendar-file.ts';
import { type Period, periodEnd, provisionalPeriodEnd } from './period.ts';

/*
 * Hand-computed due dates on the bundled calendar (src/rules/values/calendar/holidays-cn.json).
 * 2025 per 国办发明电〔2024〕12号: days off 01-01, 01-28…02-04, 04-04…04-06, 05-01…05-05,
 * 05-31…06-02, 10-01…10-08 (国庆节、中秋节); make-up working days 01-26 (Sun), 02-08 (Sat),
 * 04-27 (Sun), 09-28 (Sun), 10-11 (Sat). 2027 is statutory-only (no notice yet); 2023 is absent.
 */
const file = calendarFileSchema.parse(
  JSON.parse(readFileSync(new URL('../values/calendar/holidays-cn.json', import.meta.url), 'utf8')),
);
const calendar = workCalendarOf(file);

function due(start: string, amount: number, unit: Period['unit']): string {
  const r = periodEnd(calendar, start, { amount, unit });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

describe('periodEnd (《民法典》第二百零一条至第二百零三条)', () => {
  it('moves a last day inside the 2025 National Day holiday to the day after it ends', () => {
    // 2025-09-20 (Sat) + 15 days: 09-21 is day 1 (《民法典》第二百零一条), 10-05 (Sun) day 15, inside the
    // 10-01…10-08 days off; the holiday ends 10-08, so the last day is 10-09 (Thu) (《民法典》第二百零三条).
    expect(due('2025-09-20', 15, 'day')).toBe('2025-10-09');
  });

  it('counts a make-up Sunday as a working day', () => {
    // 2025-09-18 + 10 days = 09-28, a Sunday worked (调休上班日): it stays the last day.
    expect(due('2025-09-18', 10, 'day')).toBe('2025-09-28');
    // One working day after Friday 09-26: Saturday 09-27 is a rest day, Sunday 09-28 is worked.
    expect(due('2025-09-26', 1, 'workday')).toBe('2025-09-28');
  });

  it('ends a month or year period on the month end when the day does not exist (《民法典》第二百零二条)', () => {
    // 2024-01-31 + 1 month: February 2024 has no 31st; its last day 02-29 (Thu) is worked.
    expect(due('2024-01-31', 1, 'month')).toBe('2024-02-29');
    // 2024-02-29 + 1 year: 2025 has no 29 February; 02-28 (Fri) is worked.
    expect(due('2024-02-29', 1, 'year')).toBe('2025-02-28');
    // 2025-01-31 + 1 month: 2025-02-28 (Fri), worked.
    expect(due('2025-01-31', 1, 'month')).toBe('2025-02-28');
  });

  it('moves a last day on a holiday or at the weekend to the next working day', () => {
    // 2025-04-20 + 11 days = 05-01 (Thu), 劳动节; days off run to 05-05, so 05-06 (Tue).
    expect(due('2025-04-20', 11, 'day')).toBe('2025-05-06');
    // 2025-03-01 + 7 days = 03-08, a Saturday; Monday 03-10 is the next working day.
    expect(due('2025-03-01', 7, 'day')).toBe('2025-03-10');
  });

  it('counts working days across a holiday', () => {
    // After Friday 2025-09-26: 09-28 (make-up Sun) 1, 09-29 (Mon) 2, 09-30 (Tue) 3, then the
    // 10-01…10-08 days off, 10-09 (Thu) 4, 10-10 (Fri) 5.
    expect(due('2025-09-26', 5, 'workday')).toBe('2025-10-10');
    // The make-up Saturday 10-11 is the 6th.
    expect(due('2025-09-26', 6, 'workday')).toBe('2025-10-11');
  });

  it('refuses a year the calendar does not cover, and a statutory-only year', () => {
    // 2026-12-20 + 30 days = 2027-01-19: 2027 holds only statutory dates, no make-up days.
    const statutory = periodEnd(calendar, '2026-12-20', { amount: 30, unit: 'day' });
    expect(statutory).toMatchObject({
      ok: false,
      code: 'deadline.calendar_year_unknown',
      details: { year: 2027, status: 'statutory-only' },
    });
    const missing = periodEnd(calendar, '2023-06-01', { amount: 1, unit: 'workday' });
    expect(missing).toMatchObject({ ok: false, details: { year: 2023, status: 'missing' } });
  });

  it('needs only the years it reads: a period ending in a covered year is not refused', () => {
    // 2026-12-30 (Wed) + 1 day = 12-31 (Thu), worked: 2027 is never read.
    expect(due('2026-12-30', 1, 'day')).toBe('2026-12-31');
  });
});

describe('provisionalPeriodEnd (flag, never refuse, a year without its notice)', () => {
  it('ends a 60-day decision clock accepted on 2026-12-10 in 2027, flagged', () => {
    // 12-10 + 60 days: 12-11 is day 1, 12-31 day 21, 01-31 day 52, 02-08 (Mon) day 60 — a 春节
    // statutory day of 2027 (02-05…02-08); 02-09 (Tue) is the next day not known to be off.
    expect(provisionalPeriodEnd(calendar, '2026-12-10', { amount: 60, unit: 'day' })).toEqual({
      due: '2027-02-09',
      provisional: true,
      years: [2027],
    });
  });

  it('rolls over the 2027 春节 statutory days and the weekend inside them', () => {
    // 2026-12-07 + 60 = 2027-02-05 (Fri), 春节; 02-06/07 weekend, 02-08 (Mon) 春节 → 02-09.
    expect(provisionalPeriodEnd(calendar, '2026-12-07', { amount: 60, unit: 'day' }).due).toBe(
      '2027-02-09',
    );
    // Working days after Thu 2027-02-04: 02-05 and 02-08 are statutory days, 02-06/07 weekend,
    // so the first working day is 02-09 and the second 02-10.
    expect(provisionalPeriodEnd(calendar, '2027-02-04', { amount: 2, unit: 'workday' })).toEqual({
      due: '2027-02-10',
      provisional: true,
      years: [2027],
    });
    // 2026-12-01 + 60 = 2027-01-30 (Sat) → Monday 02-01: weekends are rest days too.
    expect(provisionalPeriodEnd(calendar, '2026-12-01', { amount: 60, unit: 'day' }).due).toBe(
      '2027-02-01',
    );
  });

  it('counts a year the calendar does not list on weekends only', () => {
    // 2027-12-20 + 61 = 2028-02-19 (Sat) → Monday 02-21; 2028 is not listed at all.
    expect(provisionalPeriodEnd(calendar, '2027-12-20', { amount: 61, unit: 'day' })).toEqual({
      due: '2028-02-21',
      provisional: true,
      years: [2028],
    });
    // 2028-02-18 is a Friday: no move.
    expect(provisionalPeriodEnd(calendar, '2027-12-20', { amount: 60, unit: 'day' }).due).toBe(
      '2028-02-18',
    );
  });

  it('is not provisional when every day read is in an official year', () => {
    expect(provisionalPeriodEnd(calendar, '2025-09-20', { amount: 15, unit: 'day' })).toEqual({
      due: '2025-10-09',
      provisional: false,
      years: [],
    });
  });
});
