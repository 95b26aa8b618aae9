import { and, asc, gte, lte } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { calendarDays, calendarYears } from '../../db/schema-calendar.ts';
import { invariant } from '../../kernel/assert.ts';
import { makeWorkCalendar, type WorkCalendar } from '../../rules/deadlines/calendar.ts';

/**
 * The working-day calendar of the years `fromYear`…`toYear` as the database holds it (the bundled
 * notices plus an administrator's imports). A year of the range the database lacks is simply not
 * covered: `periodEnd` refuses a day of it. Load a year or two past the last start date: a period
 * that ends near 31 December may roll into January.
 */
export async function loadWorkCalendar(
  ex: Executor,
  fromYear: number,
  toYear: number,
): Promise<WorkCalendar> {
  invariant(
    Number.isInteger(fromYear) && Number.isInteger(toYear) && fromYear <= toYear,
    `loadWorkCalendar: bad year range ${fromYear}…${toYear}`,
  );
  invariant(toYear - fromYear <= 200, `loadWorkCalendar: range too long ${fromYear}…${toYear}`);
  const years = await ex.orm
    .select({ year: calendarYears.year, status: calendarYears.status })
    .from(calendarYears)
    .where(and(gte(calendarYears.year, fromYear), lte(calendarYears.year, toYear)))
    .orderBy(asc(calendarYears.year));
  const days = await ex.orm
    .select({ date: calendarDays.day, kind: calendarDays.kind, name: calendarDays.name })
    .from(calendarDays)
    // By the day's own year, not the notice's: a notice may list a day of the year before
    // (元旦 2023 ran from 2022-12-31).
    .where(
      and(gte(calendarDays.day, `${fromYear}-01-01`), lte(calendarDays.day, `${toYear}-12-31`)),
    )
    .orderBy(asc(calendarDays.day));
  return makeWorkCalendar(
    years.map((y) => ({ year: y.year, status: y.status })),
    days.map((d) => ({ date: d.date, kind: d.kind, name: d.name })),
  );
}
