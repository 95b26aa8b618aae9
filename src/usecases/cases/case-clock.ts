import type { Executor } from '../../db/client.ts';
import type { DeterminationClock } from '../../domain/cases/index.ts';
import { addDays, type IsoDate, yearOf } from '../../kernel/dates.ts';
import type { WorkCalendar } from '../../rules/deadlines/calendar.ts';
import { type CasePeriodCode, casePeriod } from '../../rules/deadlines/case-periods.ts';
import {
  type DueBasis,
  PERIOD_AMOUNT_MAX,
  type Period,
  provisionalPeriodEnd,
} from '../../rules/deadlines/period.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { loadWorkCalendar } from '../calendar/load-work-calendar.ts';

/**
 * The due dates of a case's statutory periods: the period's length from the dated parameters
 * (casePeriod: 《工伤保险条例》第十七条 for the application, 第二十条 for the decision, 《工伤认定办法》
 * for acceptance — demo — or in 浙江 five working days, 《浙江省工伤保险条例》第十六条第一款), counted by
 * provisionalPeriodEnd on the working-day calendar
 * (《民法典》第二百零一条至第二百零三条: a last day on a holiday moves to the next working day).
 *
 * A due date that reads a year without its State Council notice is counted with that year's
 * statutory holidays and weekends as rest days (weekends only for a year not listed) and flagged
 * provisional: `noted` gives the flag and the basis to store, and the calendar import recomputes
 * the stored date when the notice arrives (provisional-dues.ts).
 */
export type CaseClock = DeterminationClock & {
  dueOf(code: CasePeriodCode, start: IsoDate): IsoDate;
  /** How a due date this clock counted was counted; undefined for a date it did not count. */
  noted(on: IsoDate): DueFlag | undefined;
};

/** A due date's flag and, when provisional, what it is recomputed from. */
export type DueFlag = { provisional: boolean; basis: DueBasis | null };

export function caseClockOf(rules: RuleSet, calendar: WorkCalendar, region: string): CaseClock {
  const notes = new Map<IsoDate, DueFlag>();
  const count = (start: IsoDate, period: Period): IsoDate => {
    const end = provisionalPeriodEnd(calendar, start, period);
    // A date counted twice keeps the provisional note: one provisional count is enough to recheck.
    if (end.provisional || !notes.has(end.due))
      notes.set(end.due, {
        provisional: end.provisional,
        basis: end.provisional ? { start, amount: period.amount, unit: period.unit } : null,
      });
    return end.due;
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
    refusalAfterMaterialsDue: (start) => {
      const period = casePeriod(rules, 'determination.refusal_after_materials', start, region);
      // Only some provinces set the limit (PROVINCIAL_CASE_PERIOD_CODES): none is not an error.
      return period.ok ? count(start, period.value) : null;
    },
    noted: (on) => notes.get(on),
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
