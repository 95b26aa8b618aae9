import { daysInMonth, type IsoDate, isIsoDate, monthOf, nextMonth } from '../../../kernel/dates.ts';

/** A monthly accounting period, written 'YYYY-MM'. */
export type Period = string;

const PERIOD = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): boolean {
  return PERIOD.test(text);
}

/** '2026-03-15' → '2026-03'. */
export function periodOf(date: IsoDate): Period {
  return monthOf(date);
}

/** '2026-03' → '2026-03-01' (the `month` column of ledger_periods). */
export function periodStart(period: Period): IsoDate {
  return `${period}-01`;
}

/** '2026-02' → '2026-02-28'. */
export function periodEnd(period: Period): IsoDate {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError(`not a period: ${period}`);
  const day = daysInMonth(Number(m[1]), Number(m[2]));
  return `${period}-${String(day).padStart(2, '0')}`;
}

/** The period after `period` ('2026-12' → '2027-01'). */
export function nextPeriod(period: Period): Period {
  return nextMonth(period);
}

/** Periods from `from` to `to` inclusive. */
export function periodsBetween(from: Period, to: Period): Period[] {
  const out: Period[] = [];
  for (let p = from; p <= to; p = nextPeriod(p)) out.push(p);
  return out;
}

export function isValidDate(text: string): boolean {
  return isIsoDate(text);
}
