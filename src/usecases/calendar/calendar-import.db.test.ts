import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDays, calendarYears } from '../../db/schema-calendar.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { systemActor } from '../../identity/actor.ts';
import { periodEnd } from '../../rules/deadlines/period.ts';
import { readBundledCalendar } from '../../runtime/calendar-file.ts';
import { importCalendarFile, showCalendarYear, syncBundledCalendar } from './calendar-import.ts';
import { loadWorkCalendar } from './load-work-calendar.ts';

let t: TestDatabase;
const admin = systemActor('test-calendar');

beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.cleanup();
});

async function counts() {
  const years = await t.db.withConnection((ex) => ex.orm.select().from(calendarYears));
  const days = await t.db.withConnection((ex) => ex.orm.select().from(calendarDays));
  return { years: years.length, days: days.length };
}

/** 2027 as its notice might read: 元旦 and a make-up Saturday before it (invented for the test). */
const notice2027 = {
  years: {
    '2027': {
      notice: '国办发明电〔2026〕99号 (test)',
      holidays: [['元旦', '2027-01-01', '2027-01-03']],
      workdays: ['2027-01-09'],
    },
  },
};

describe('the working-day calendar in the database', () => {
  it('syncs the bundled file into a fresh database once', async () => {
    const added = await syncBundledCalendar(t.db, readBundledCalendar());
    expect(added).toEqual([2024, 2025, 2026, 2027]);
    const first = await counts();
    // 2025: 1 + 8 + 3 + 5 + 3 + 8 days off and 5 make-up days, all listed.
    const y2025 = await t.db.withConnection((ex) => showCalendarYear(ex, 2025));
    expect(y2025.ok && y2025.value.days.length).toBe(28 + 5);
    expect(await syncBundledCalendar(t.db, readBundledCalendar())).toEqual([]);
    expect(await counts()).toEqual(first);
  });

  it('counts a period on the loaded calendar and refuses the statutory-only year', async () => {
    const cal = await t.db.withConnection((ex) => loadWorkCalendar(ex, 2025, 2027));
    // 2025-09-20 + 15 days = 10-05, inside the 10-01…10-08 holiday: 10-09.
    expect(periodEnd(cal, '2025-09-20', { amount: 15, unit: 'day' })).toEqual({
      ok: true,
      value: '2025-10-09',
    });
    expect(periodEnd(cal, '2026-12-20', { amount: 30, unit: 'day' })).toMatchObject({
      ok: false,
      code: 'deadline.calendar_year_unknown',
    });
  });

  it('refuses a bad file whole, with every problem, and changes nothing', async () => {
    const before = await counts();
    const bad = {
      years: {
        '2027': {
          notice: 'x',
          holidays: [['元旦', '2027-01-01', '2027-13-01']],
          workdays: ['2027-01-06'],
        },
        '2028': { status: 'statutory-only', statutoryHolidays: [['元旦', ['2029-05-01']]] },
      },
    };
    const r = await importCalendarFile(t.db, admin, bad);
    expect(r.ok).toBe(false);
    const paths = r.problem?.errors.map((e) => e.path) ?? [];
    // The bad month, the weekday "make-up" day (a Wednesday) and the date far from 2028.
    expect(paths).toEqual(
      expect.arrayContaining([
        'years.2027.holidays.0.2',
        'years.2027.workdays.0',
        'years.2028.statutoryHolidays.0.1.0',
      ]),
    );
    expect(await counts()).toEqual(before);
  });

  it('keeps an imported year across a re-sync of the bundled file', async () => {
    const r = await importCalendarFile(t.db, admin, notice2027);
    expect(r).toMatchObject({
      ok: true,
      value: { years: [{ year: 2027, replaced: true, days: 4 }] },
    });
    await syncBundledCalendar(t.db, readBundledCalendar());
    const y = await t.db.withConnection((ex) => showCalendarYear(ex, 2027));
    expect(y).toMatchObject({ ok: true, value: { status: 'official', origin: 'import' } });
    // The statutory-only 春节 days of the bundled file did not come back.
    expect(y.ok && y.value.days.map((d) => d.date)).toEqual([
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-01-09',
    ]);
    const cal = await t.db.withConnection((ex) => loadWorkCalendar(ex, 2026, 2027));
    // Now 2027 counts: 2026-12-20 + 12 days = 2027-01-01, off to 01-03 (Sun); 01-04 (Mon).
    expect(periodEnd(cal, '2026-12-20', { amount: 12, unit: 'day' })).toEqual({
      ok: true,
      value: '2027-01-04',
    });
  });

  it('shows no year it does not hold', async () => {
    const r = await t.db.withConnection((ex) => showCalendarYear(ex, 2031));
    expect(r).toMatchObject({ ok: false, code: 'calendar.year_not_found' });
  });
});
