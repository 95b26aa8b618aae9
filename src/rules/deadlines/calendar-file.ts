import { z } from 'zod';
import { addDays, type IsoDate, isIsoDate, toDayNumber } from '../../kernel/dates.ts';
import {
  type CalendarDay,
  type CalendarYearStatus,
  makeWorkCalendar,
  type WorkCalendar,
} from './calendar.ts';

/**
 * The calendar file (src/rules/values/calendar/holidays-cn.json, and the files an administrator
 * imports): per year either the State Council's notice (holiday ranges and make-up working days)
 * or, before the notice is out, the statutory holiday dates only. Validated here once for the
 * bundled sync and the import, every problem reported with its path.
 */
const isoDate = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');
const holidayName = z.string().min(1).max(100);

const officialYear = z.strictObject({
  status: z.literal('official').optional(),
  notice: z.string().min(1).max(200),
  issued: isoDate.optional(),
  source: z.string().min(1).max(500).optional(),
  note: z.string().max(2000).optional(),
  /** [name, first day off, last day off], both inclusive. */
  holidays: z
    .array(z.tuple([holidayName, isoDate, isoDate]))
    .min(1)
    .max(40),
  workdays: z.array(isoDate).max(40),
});

const statutoryYear = z.strictObject({
  status: z.literal('statutory-only'),
  note: z.string().max(2000).optional(),
  source: z.string().min(1).max(500).optional(),
  statutoryHolidays: z.array(z.tuple([holidayName, z.array(isoDate).min(1).max(10)])).max(40),
});

const yearEntry = z.union([officialYear, statutoryYear]);

/** A notice's longest run of days off (the 2025 National Day and Mid-Autumn run was 8 days). */
const HOLIDAY_RUN_MAX_DAYS = 10;

export const calendarFileSchema = z
  .looseObject({
    years: z.record(z.string().regex(/^(19[5-9]\d|2[01]\d\d)$/, 'a year 1950…2199'), yearEntry),
  })
  .superRefine((file, ctx) => {
    for (const [year, entry] of Object.entries(file.years)) {
      for (const problem of yearProblems(Number(year), entry))
        ctx.addIssue({
          code: 'custom',
          path: ['years', year, ...problem.path],
          message: problem.message,
        });
    }
  });

export type CalendarFile = z.output<typeof calendarFileSchema>;
type YearEntry = z.output<typeof yearEntry>;

export type CalendarYearRecord = {
  year: number;
  status: CalendarYearStatus;
  notice: string | null;
  issuedOn: IsoDate | null;
  source: string | null;
  note: string | null;
};

export type CalendarDayRecord = CalendarDay & { year: number };

type Problem = { path: (string | number)[]; message: string };

function isWeekend(date: IsoDate): boolean {
  const day = (((toDayNumber(date) + 4) % 7) + 7) % 7;
  return day === 0 || day === 6;
}

/** A notice names days of its own year, or around New Year of the adjacent ones. */
function nearYear(date: IsoDate, year: number): boolean {
  return date >= `${year - 1}-12-01` && date <= `${year + 1}-01-31`;
}

function yearProblems(year: number, entry: YearEntry): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<IsoDate, string>();
  const note = (date: IsoDate, path: (string | number)[]) => {
    if (!nearYear(date, year))
      problems.push({ path, message: `${date} is not in or next to ${year}` });
    const before = seen.get(date);
    if (before !== undefined)
      problems.push({ path, message: `${date} is listed twice (also ${before})` });
    seen.set(date, path.join('.'));
  };
  for (const day of daysOf(year, entry)) {
    if (day.kind === 'workday' && !isWeekend(day.date))
      problems.push({
        path: day.path,
        message: `${day.date} is a weekday: a make-up working day is a Saturday or Sunday`,
      });
    note(day.date, day.path);
  }
  if (!('holidays' in entry)) return problems;
  entry.holidays.forEach(([, from, until], i) => {
    if (!isIsoDate(from) || !isIsoDate(until)) return;
    const length = toDayNumber(until) - toDayNumber(from) + 1;
    if (length < 1 || length > HOLIDAY_RUN_MAX_DAYS)
      problems.push({
        path: ['holidays', i],
        message: `${from}…${until} must run 1…${HOLIDAY_RUN_MAX_DAYS} days in order`,
      });
  });
  return problems;
}

/** Every listed day of a year entry, with the path it came from; ranges expanded. */
function daysOf(
  year: number,
  entry: YearEntry,
): (CalendarDayRecord & { path: (string | number)[] })[] {
  const days: (CalendarDayRecord & { path: (string | number)[] })[] = [];
  if ('holidays' in entry) {
    entry.holidays.forEach(([name, from, until], i) => {
      if (!isIsoDate(from) || !isIsoDate(until) || until < from) return;
      if (toDayNumber(until) - toDayNumber(from) >= HOLIDAY_RUN_MAX_DAYS) return;
      for (let d = from; d <= until; d = addDays(d, 1))
        days.push({ year, date: d, kind: 'holiday', name, path: ['holidays', i] });
    });
    entry.workdays.forEach((date, i) => {
      if (isIsoDate(date))
        days.push({ year, date, kind: 'workday', name: '', path: ['workdays', i] });
    });
  } else {
    entry.statutoryHolidays.forEach(([name, dates], i) => {
      dates.forEach((date, j) => {
        if (isIsoDate(date))
          days.push({ year, date, kind: 'holiday', name, path: ['statutoryHolidays', i, 1, j] });
      });
    });
  }
  return days;
}

/** The rows a validated file stands for: one per year, one per listed day. */
export function calendarFileRecords(file: CalendarFile): {
  years: CalendarYearRecord[];
  days: CalendarDayRecord[];
} {
  const years: CalendarYearRecord[] = [];
  const days: CalendarDayRecord[] = [];
  for (const [key, entry] of Object.entries(file.years).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const year = Number(key);
    const official = 'holidays' in entry;
    years.push({
      year,
      status: official ? 'official' : 'statutory-only',
      notice: official ? entry.notice : null,
      issuedOn: official ? (entry.issued ?? null) : null,
      source: entry.source ?? null,
      note: entry.note ?? null,
    });
    for (const { path: _path, ...day } of daysOf(year, entry)) days.push(day);
  }
  return { years, days };
}

/** The working-day calendar a validated file stands for (tests, tools without a database). */
export function workCalendarOf(file: CalendarFile): WorkCalendar {
  const { years, days } = calendarFileRecords(file);
  return makeWorkCalendar(years, days);
}
