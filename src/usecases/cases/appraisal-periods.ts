import type { Executor } from '../../db/client.ts';
import type { PeriodRefusal } from '../../domain/cases/appraisal-procedure.ts';
import { invariant } from '../../kernel/assert.ts';
import { addDays, addMonths, type IsoDate, yearOf } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type CasePeriodCode, casePeriod } from '../../rules/deadlines/case-periods.ts';
import { provisionalPeriodEnd } from '../../rules/deadlines/period.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { loadWorkCalendar } from '../calendar/load-work-calendar.ts';
import type { DueFlag } from './case-clock.ts';

/**
 * The appraisal's statutory periods as days, from the dated parameters `period.*` (deadlines.yaml)
 * counted on the working-day calendar (provisionalPeriodEnd: 《民法典》第二百零一条至第二百零三条; a day
 * in a year without its holiday notice is counted provisionally and flagged, see `noted`):
 * - the conclusion within 60 days of the application, extendable by 30 (《工伤保险条例》第二十五条第二款:
 *   "应当自收到劳动能力鉴定申请之日起60日内作出劳动能力鉴定结论，必要时，作出劳动能力鉴定结论的期限可以延长30日"), counted
 *   from the 60th day; re-appraisals and reviews alike (第二十九条);
 * - a re-appraisal applied for "在收到该鉴定结论之日起15日内" (第二十六条): the last day;
 * - a review "自劳动能力鉴定结论作出之日起1年后" (第二十八条): a waiting period, not a time to act, so its year
 *   ends on the corresponding day without the holiday roll of 第二百零三条 (which extends a time to
 *   act) and a review may be applied for from the day after.
 */
export type DayOf = (start: IsoDate) => Result<IsoDate, PeriodRefusal>;

export type AppraisalPeriods = {
  conclusionDueOn: DayOf;
  extendedDueOn: DayOf;
  reAppraisalLastDayOn: DayOf;
  reviewEarliestOn: DayOf;
  /** How a last day these periods counted was counted (provisional or not); undefined otherwise. */
  noted(on: IsoDate): DueFlag | undefined;
};

/**
 * The periods of a region's appraisals, on the calendar of the years around `onDate` (the day of
 * the action): three years back (a conclusion served long ago) to one ahead (a due day in January).
 */
export async function appraisalPeriods(
  ex: Executor,
  rules: RuleSet,
  regionCode: string,
  onDate: IsoDate,
): Promise<AppraisalPeriods> {
  const year = yearOf(onDate);
  const calendar = await loadWorkCalendar(ex, year - 3, year + 1);
  const notes = new Map<IsoDate, DueFlag>();
  const lastDay =
    (code: CasePeriodCode): DayOf =>
    (start) => {
      const period = casePeriod(rules, code, start, regionCode);
      if (!period.ok) return period;
      const { amount, unit } = period.value;
      const end = provisionalPeriodEnd(calendar, start, { amount, unit });
      if (end.provisional || !notes.has(end.due))
        notes.set(end.due, {
          provisional: end.provisional,
          basis: end.provisional ? { start, amount, unit } : null,
        });
      return ok(end.due);
    };
  return {
    noted: (on) => notes.get(on),
    conclusionDueOn: lastDay('appraisal.conclusion'),
    extendedDueOn: lastDay('appraisal.extension'),
    reAppraisalLastDayOn: lastDay('re_appraisal.application'),
    reviewEarliestOn: (concludedOn) => {
      const period = casePeriod(rules, 'review.after', concludedOn, regionCode);
      if (!period.ok) return period;
      invariant(period.value.unit === 'year', 'period.review.after is counted in years');
      return ok(addDays(addMonths(concludedOn, 12 * period.value.amount), 1));
    },
  };
}
