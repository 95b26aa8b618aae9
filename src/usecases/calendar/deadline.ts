import type { Executor } from '../../db/client.ts';
import { yearOf } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type InputProblem, parseInput } from '../../kernel/validation.ts';
import { deadlineInputSchema } from '../../rules/deadlines/deadline-input.ts';
import { type Period, type PeriodRefusalCode, periodEnd } from '../../rules/deadlines/period.ts';
import { loadWorkCalendar } from './load-work-calendar.ts';

/**
 * One period counted on the database's calendar (`tongchou deadline`): the input validated whole,
 * then the calendar of the years the period can reach loaded and `periodEnd` applied.
 */
export async function computeDeadline(
  ex: Executor,
  input: unknown,
): Promise<
  Result<{ due: string }, 'input.invalid' | PeriodRefusalCode> & { problem?: InputProblem }
> {
  const parsed = parseInput(deadlineInputSchema, input);
  if (!parsed.ok) return parsed;
  const { start, amount, unit } = parsed.value;
  const firstYear = yearOf(start);
  // Capped: a calendar never holds a century of notices ahead, so a longer reach is refused anyway.
  const lastYear = firstYear + Math.min(yearsReached(amount, unit), YEARS_LOADED_MAX);
  const calendar = await loadWorkCalendar(ex, firstYear, lastYear);
  const due = periodEnd(calendar, start, { amount, unit });
  if (!due.ok) return due;
  return ok({ due: due.value });
}

/** The most years past the start a calendar is loaded for. */
const YEARS_LOADED_MAX = 100;

/** Working days in a year: about 250, never fewer than 200 (the longest holidays are a week). */
const WORKING_DAYS_PER_YEAR_MIN = 200;

/**
 * How many years past the start year a period can reach, counting the roll past a holiday at the
 * end (one more year: a period ending on 31 December may end in January).
 */
function yearsReached(amount: number, unit: Period['unit']): number {
  const span =
    unit === 'day'
      ? amount / 365
      : unit === 'workday'
        ? amount / WORKING_DAYS_PER_YEAR_MIN
        : unit === 'month'
          ? amount / 12
          : amount;
  return Math.ceil(span) + 1;
}
