import { type IsoDate, toDayNumber, yearOf } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * How far the State Council's notice for a year is known. `official`: the 国务院办公厅 notice of that
 * year's holidays (放假) and make-up working days (调休上班日) is held. `statutory-only`: only the
 * statutory holiday dates are known, not the make-up days, so no working day of that year can be told.
 */
export type CalendarYearStatus = 'official' | 'statutory-only';

/**
 * The working-day calendar deadlines are counted on: which years it covers and, in them, the days
 * off on a weekday (法定休假日 and the days moved around them) and the make-up working days on a
 * weekend. Every other day is a working day Monday to Friday and a rest day on Saturday and Sunday.
 * Built by `makeWorkCalendar`; read only through `isWorkingDay` and `coversYear`.
 */
export type WorkCalendar = {
  readonly years: ReadonlyMap<number, CalendarYearStatus>;
  /** Day off → the holiday's name ("国庆节、中秋节"); may fall on a weekend. */
  readonly holidays: ReadonlyMap<IsoDate, string>;
  /** Make-up working day (调休上班日) → the holiday it makes up for, or '' when not named. */
  readonly makeUpWorkdays: ReadonlyMap<IsoDate, string>;
};

export type CalendarDay = {
  date: IsoDate;
  kind: 'holiday' | 'workday';
  name: string;
};

export type CalendarYearFacts = { year: number; status: CalendarYearStatus };

export type CalendarRefusalCode = 'deadline.calendar_year_unknown';

/**
 * The calendar of the given years and days. A day may lie in a year not listed (a notice can
 * name a day of the year before); it is kept but, its year not being covered, never read.
 */
export function makeWorkCalendar(
  years: readonly CalendarYearFacts[],
  days: readonly CalendarDay[],
): WorkCalendar {
  const yearMap = new Map<number, CalendarYearStatus>();
  for (const y of years) yearMap.set(y.year, y.status);
  const holidays = new Map<IsoDate, string>();
  const makeUpWorkdays = new Map<IsoDate, string>();
  for (const d of days) {
    if (d.kind === 'holiday') holidays.set(d.date, d.name);
    else makeUpWorkdays.set(d.date, d.name);
  }
  for (const date of holidays.keys())
    if (makeUpWorkdays.has(date))
      throw new Error(`makeWorkCalendar: ${date} is both a holiday and a make-up working day`);
  return { years: yearMap, holidays, makeUpWorkdays };
}

/** True when the calendar knows every working day of `year` (the year's notice is held). */
export function coversYear(calendar: WorkCalendar, year: number): boolean {
  return calendar.years.get(year) === 'official';
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 (day 0) was a Thursday. */
function weekday(date: IsoDate): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

/**
 * Whether `date` is a working day. A make-up working day counts as one even on a weekend; a day
 * off (放假) is not one even on a weekday. A year without its official notice is refused, never
 * guessed as Monday to Friday: a deadline counted on a guess could fall on a holiday.
 */
export function isWorkingDay(
  calendar: WorkCalendar,
  date: IsoDate,
): Result<boolean, CalendarRefusalCode> {
  const year = yearOf(date);
  if (!coversYear(calendar, year)) return unknownYear(calendar, year);
  if (calendar.makeUpWorkdays.has(date)) return ok(true);
  if (calendar.holidays.has(date)) return ok(false);
  const day = weekday(date);
  return ok(day !== 0 && day !== 6);
}

function unknownYear(calendar: WorkCalendar, year: number): Result<never, CalendarRefusalCode> {
  const status = calendar.years.get(year);
  return refuse(
    'deadline.calendar_year_unknown',
    status === 'statutory-only'
      ? `the working days of ${year} are not known: only its statutory holidays are recorded, not the State Council's notice of make-up working days`
      : `the calendar holds no notice of the holidays of ${year}`,
    { year, status: status ?? 'missing' },
  );
}

/**
 * The provisional rule of `provisionalPeriodEnd`, never refusing: an official year as
 * `isWorkingDay`; a statutory-only year with its statutory holidays and weekends as rest days (its
 * make-up working days are not known); a year the calendar does not list with weekends only.
 * `unknownYear` names the year when the answer is such a guess, else null.
 */
export function isProvisionalWorkingDay(
  calendar: WorkCalendar,
  date: IsoDate,
): { working: boolean; unknownYear: number | null } {
  const year = yearOf(date);
  const known = isWorkingDay(calendar, date);
  if (known.ok) return { working: known.value, unknownYear: null };
  const day = weekday(date);
  const holiday = calendar.years.get(year) === 'statutory-only' && calendar.holidays.has(date);
  return { working: !holiday && day !== 0 && day !== 6, unknownYear: year };
}
