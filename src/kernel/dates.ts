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

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 (UTC). */
export function toDayNumber(date: IsoDate): number {
  invariant(isIsoDate(date), `not an ISO date: ${date}`);
  return Math.round(
    Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000,
  );
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
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
