import type { Executor } from '../../db/client.ts';
import type { DeterminationClock } from '../../domain/cases/index.ts';
import { addDays, addMonths, type IsoDate, yearOf } from '../../kernel/dates.ts';
import type { WorkCalendar } from '../../rules/deadlines/calendar.ts';
import { type CasePeriodCode, casePeriod } from '../../rules/deadlines/case-periods.ts';
import { PERIOD_AMOUNT_MAX, type Period, periodEnd } from '../../rules/deadlines/period.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { loadWorkCalendar } from '../calendar/load-work-calendar.ts';

/**
 * The due dates of a case's statutory periods: the period's length from the dated parameters
 * (casePeriod: 《工伤保险条例》第十七条 for the application, 第二十条 for the decision, 《工伤认定办法》
 * for acceptance — demo), counted by periodEnd on the working-day calendar (《民法典》第二百零一条至
 * 第二百零三条: a last day on a holiday moves to the next working day).
 *
 * A last day in a year the calendar does not cover (its holiday notice is not yet published) is
 * counted in calendar days and not moved: the case still gets a due date, and the ADR
 * (docs/adr/0012-injury-cases.md) says such dates are provisional.
 */
export type CaseClock = DeterminationClock & {
  dueOf(code: CasePeriodCode, start: IsoDate): IsoDate;
};

function unrolled(start: IsoDate, period: Period): IsoDate {
  if (period.unit === 'month') return addMonths(start, period.amount);
  if (period.unit === 'year') return addMonths(start, period.amount * 12);
  return addDays(start, period.amount);
}

export function caseClockOf(rules: RuleSet, calendar: WorkCalendar, region: string): CaseClock {
  const count = (start: IsoDate, period: Period): IsoDate => {
    const end = periodEnd(calendar, start, period);
    return end.ok ? end.value : unrolled(start, period);
  };
  const dueOf = (code: CasePeriodCode, start: IsoDate): IsoDate => {
    const period = casePeriod(rules, code, start, region);
    // The 2011 texts are in force for every date a case can carry; a gap is broken rules data.
    if (!period.ok) throw new Error(`case clock: ${period.message}`);
    return count(start, period.value);
  };
  return {
    dueOf,
    due: dueOf,
    // The days a clock stood still (中止) are added in calendar days, then rolled like any last day.
    extend: (due, stoppedDays) =>
      stoppedDays > PERIOD_AMOUNT_MAX
        ? addDays(due, stoppedDays)
        : count(due, { amount: stoppedDays, unit: 'day' }),
  };
}

/** The clock of a case, with the calendar around the dates it will count from. */
export async function loadCaseClock(
  ex: Executor,
  rules: RuleSet,
  region: string,
  around: IsoDate,
): Promise<CaseClock> {
  const year = yearOf(around);
  const calendar = await loadWorkCalendar(ex, year - 1, year + 2);
  return caseClockOf(rules, calendar, region);
}
