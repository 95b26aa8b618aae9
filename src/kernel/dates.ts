import { invariant } from './assert.ts';

/**
 * Calendar dates as ISO strings "YYYY-MM-DD". Lexicographic order is date order, so comparisons
 * need no parsing; arithmetic goes through UTC day numbers (integers, never money).
 * Example: `addDays('2024-02-28', 2) === '2024-03-01'`.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as YYYY-MM-DD (rejects 2023-02-29, 2024-13-01). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** Proleptic Gregorian leap years, as `Date` counts them. */
function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/*
 * Day numbers are computed with integer arithmetic on the proleptic Gregorian calendar (the
 * "days from civil" algorithm of H. Hinnant, eras of 400 years = 146 097 days) rather than through
 * `Date`: the calculator turns dates into day numbers and back on every case, and a `Date` plus
 * `toISOString` per call was a tenth of its time. dates.props.test.ts checks both ways against `Date`.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days since 1970-01-01 (UTC). */
export function toDayNumber(date: IsoDate): number {
  invariant(isIsoDate(date), `not an ISO date: ${date}`);
  return daysFromCivil(+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10));
}

export function fromDayNumber(day: number): IsoDate {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  invariant(y >= 0 && y <= 9999, `day number ${day} is outside the years 0000–9999`);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * The date `months` calendar months after `date` (negative: before). A day the target month lacks
 * becomes its last day, as 《民法典》第二百零二条 counts periods of months and years ("没有对应日的，
 * 月末日为期间的最后一日"): `addMonths('2024-02-29', 12) === '2025-02-28'`.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  invariant(isIsoDate(date) && Number.isInteger(months), `addMonths(${date}, ${months})`);
  const index = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Whole years from `from` to `to` (not before `from`), counted on anniversaries by `addMonths`:
 * an age in 周岁 is `wholeYearsBetween(birthDate, date)`. Example: 1966-05-10 → 2025-03-01 = 58.
 */
export function wholeYearsBetween(from: IsoDate, to: IsoDate): number {
  invariant(from <= to, `wholeYearsBetween: ${to} is before ${from}`);
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return addMonths(from, years * 12) <= to ? years : years - 1;
}

/**
 * Whole months from `from` to `to` (not before `from`), counted on monthly anniversaries by
 * `addMonths`: an age in completed months is `wholeMonthsBetween(birthDate, date)`.
 * Example: 2015-02-10 → 2025-06-10 = 124 (10 years 4 months); → 2025-06-09 = 123.
 */
export function wholeMonthsBetween(from: IsoDate, to: IsoDate): number {
  invariant(from <= to, `wholeMonthsBetween: ${to} is before ${from}`);
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7));
  return addMonths(from, months) <= to ? months : months - 1;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Inclusive range test; `until` undefined means open-ended. */
export function inRange(date: IsoDate, from: IsoDate, until: IsoDate | undefined): boolean {
  return date >= from && (until === undefined || date <= until);
}

/** The later of two ISO dates (string comparison is date order). */
export function laterDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/** The calendar month of a date, written 'YYYY-MM' ('2026-03-15' → '2026-03'). */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** The month after a 'YYYY-MM' month ('2026-12' → '2027-01'). */
export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * Today's date in China, the date every record of the system is dated by. Not the UTC date: from
 * 00:00 to 08:00 Beijing time the UTC date is still yesterday.
 * Example: `todayInChina(Date.parse('2026-03-31T17:30:00Z')) === '2026-04-01'`.
 */
export function todayInChina(nowMs: number = Date.now()): IsoDate {
  return new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * An instant as China's wall clock with its offset, to the second (FHIR `dateTime`, answers that a
 * person in China reads). Example: `chinaInstant(Date.parse('2026-03-31T17:30:00Z'))` is
 * `'2026-04-01T01:30:00+08:00'`.
 */
export function chinaInstant(nowMs: number = Date.now()): string {
  return `${new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
