import { invariant } from '../../kernel/assert.ts';
import { addDays, addMonths, type IsoDate, isIsoDate } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import {
  type CalendarRefusalCode,
  isProvisionalWorkingDay,
  isWorkingDay,
  type WorkCalendar,
} from './calendar.ts';

/**
 * 期间计算 of 《民法典》第十章 (《民法典》第二百零一条至第二百零三条), on the working-day calendar:
 *
 * - 《民法典》第二百零一条第一款 "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"
 * - 《民法典》第二百零二条 "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。"
 * - 《民法典》第二百零三条第一款 "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。"
 *
 * 《民法典》第二百零一条第二款 (hours) and 《民法典》第二百零三条第二款 (the last day ends at 24:00, or when business
 * stops) concern the time of day and are not modelled: a due date here is a whole day.
 */
export type PeriodUnit = 'day' | 'workday' | 'month' | 'year';

export type Period = { amount: number; unit: PeriodUnit };

/** What a due date is counted from: the start day (itself not counted) and the period. */
export type DueBasis = Period & { start: IsoDate };

export type PeriodRefusalCode = CalendarRefusalCode;

/**
 * Periods longer than this are a caller's mistake (the longest statutory period of a case is one
 * year); the bound keeps the day-by-day walks of 'workday' and of the roll-forward finite.
 */
export const PERIOD_AMOUNT_MAX = 3660;

/** A roll past rest days longer than this means a calendar listing a month of days off: broken data. */
const ROLL_FORWARD_MAX_DAYS = 31;

/**
 * The last day of `period` counted from `start` (the day of the event, itself not counted).
 * 'day', 'month' and 'year' find the last day by 《民法典》第二百零一条 and 《民法典》第二百零二条, then, when it is not
 * a working day, move it to the next working day (《民法典》第二百零三条; rest days count as 休假日 there, and a
 * make-up working day is a working day). 'workday' counts working days after `start`.
 * A day in a year the calendar does not cover is refused: never guessed as Monday to Friday.
 * Example: periodEnd(cal, '2025-09-20', { amount: 15, unit: 'day' }) = '2025-10-09' (10-05 falls in the
 * 国庆节、中秋节 holiday 10-01…10-08).
 */
export function periodEnd(
  calendar: WorkCalendar,
  start: IsoDate,
  period: Period,
): Result<IsoDate, PeriodRefusalCode> {
  return countPeriod((day) => isWorkingDay(calendar, day), start, period);
}

/**
 * A due day that may rest on a year whose working days are not known yet: `provisional` and the
 * `years` that made it so (ascending). Empty `years` means every day read was in an official year.
 */
export type ProvisionalDue = { due: IsoDate; provisional: boolean; years: number[] };

/**
 * periodEnd for the case flows, which must flag, not refuse (the calendar data file: "A year not
 * listed (or with status statutory-only) is unknown: a deadline calculator must refuse or flag it,
 * never assume Monday–Friday."). Official years count exactly as periodEnd. In a statutory-only year the
 * statutory holidays and the weekends are rest days (no make-up working day is known); in a year
 * the calendar does not list, the weekends only. Such a due day is returned flagged provisional
 * with the years it read, and is recomputed when the year's notice is imported.
 * Example: provisionalPeriodEnd(cal, '2026-12-10', { amount: 60, unit: 'day' }) =
 * { due: '2027-02-09', provisional: true, years: [2027] } (02-08 is a 春节 statutory day).
 */
export function provisionalPeriodEnd(
  calendar: WorkCalendar,
  start: IsoDate,
  period: Period,
): ProvisionalDue {
  const years = new Set<number>();
  const end = countPeriod(
    (day) => {
      const working = isProvisionalWorkingDay(calendar, day);
      if (working.unknownYear !== null) years.add(working.unknownYear);
      return ok(working.working);
    },
    start,
    period,
  );
  invariant(end.ok, 'provisionalPeriodEnd: the provisional day rule never refuses');
  const read = [...years].sort((a, b) => a - b);
  return { due: end.value, provisional: read.length > 0, years: read };
}

type DayRule = (day: IsoDate) => Result<boolean, PeriodRefusalCode>;

function countPeriod(
  working: DayRule,
  start: IsoDate,
  period: Period,
): Result<IsoDate, PeriodRefusalCode> {
  invariant(isIsoDate(start), `periodEnd: start is not a date: ${start}`);
  invariant(
    Number.isInteger(period.amount) && period.amount >= 1 && period.amount <= PERIOD_AMOUNT_MAX,
    `periodEnd: amount must be an integer 1…${PERIOD_AMOUNT_MAX}: ${period.amount}`,
  );
  switch (period.unit) {
    case 'workday':
      return countWorkingDays(working, start, period.amount);
    case 'day':
      return rollToWorkingDay(working, addDays(start, period.amount));
    case 'month':
      return rollToWorkingDay(working, addMonths(start, period.amount));
    case 'year':
      return rollToWorkingDay(working, addMonths(start, period.amount * 12));
  }
}

/** The `amount`-th working day after `start` (start not counted). */
function countWorkingDays(
  isWorking: DayRule,
  start: IsoDate,
  amount: number,
): Result<IsoDate, PeriodRefusalCode> {
  let day = start;
  let counted = 0;
  while (counted < amount) {
    day = addDays(day, 1);
    const working = isWorking(day);
    if (!working.ok) return working;
    if (working.value) counted++;
  }
  return ok(day);
}

/** `last` when it is a working day, else the first working day after it. */
function rollToWorkingDay(isWorking: DayRule, last: IsoDate): Result<IsoDate, PeriodRefusalCode> {
  let day = last;
  for (let step = 0; step <= ROLL_FORWARD_MAX_DAYS; step++) {
    const working = isWorking(day);
    if (!working.ok) return working;
    if (working.value) return ok(day);
    day = addDays(day, 1);
  }
  throw new Error(`periodEnd: no working day within ${ROLL_FORWARD_MAX_DAYS} days after ${last}`);
}
