import type { Executor } from '../../db/client.ts';
import type { ApplicationPeriod, DeterminationClock } from '../../domain/cases/index.ts';
import { addDays, addMonths, type IsoDate } from '../../kernel/dates.ts';

/**
 * The due dates of a case's statutory periods. Every period's length and legal source is listed
 * here; the counting follows 《民法典》第二百零一条 ("开始的当日不计入，自下一日开始计算": the last day
 * is `start + n` days, or the corresponding day n months/years later).
 *
 * The working-day calendar (第二百零三条: a period ending on a holiday ends on the next working
 * day) is the deadlines part's (issue 11 part A: periodEnd / loadWorkCalendar / casePeriod); until
 * it is merged the clock counts calendar days only and says so in docs/adr/0012-injury-cases.md.
 */
export type CasePeriodCode =
  | ApplicationPeriod
  | 'determination.acceptance'
  | 'determination.decision'
  | 'determination.decision_clear';

type Period = { amount: number; unit: 'day' | 'month' | 'year' };

/**
 * - application.employer: 《工伤保险条例》第十七条第一款 "…之日起30日内，向统筹地区社会保险行政部门提出工伤认定申请".
 * - application.worker: 第十七条第二款 "…在事故伤害发生之日或者被诊断、鉴定为职业病之日起1年内，可以直接…提出".
 * - determination.acceptance: 15 days, 《工伤认定办法》第八条 (text not held: demo).
 * - determination.decision: 第二十条第一款 "自受理工伤认定申请之日起60日内作出工伤认定的决定".
 * - determination.decision_clear: 第二十条第二款 "事实清楚、权利义务明确的…应当在15日内作出工伤认定的决定".
 */
export const casePeriods: Record<CasePeriodCode, Period> = {
  'application.employer': { amount: 30, unit: 'day' },
  'application.worker': { amount: 1, unit: 'year' },
  'determination.acceptance': { amount: 15, unit: 'day' },
  'determination.decision': { amount: 60, unit: 'day' },
  'determination.decision_clear': { amount: 15, unit: 'day' },
};

function periodEnd(start: IsoDate, period: Period): IsoDate {
  if (period.unit === 'day') return addDays(start, period.amount);
  return addMonths(start, period.unit === 'year' ? period.amount * 12 : period.amount);
}

export type CaseClock = DeterminationClock & {
  dueOf(code: CasePeriodCode, start: IsoDate): IsoDate;
};

/** The clock for a case's use case; reads the calendar it needs within the caller's executor. */
export async function loadCaseClock(_ex: Executor): Promise<CaseClock> {
  return {
    dueOf: (code, start) => periodEnd(start, casePeriods[code]),
    due: (code, start) => periodEnd(start, casePeriods[code]),
    extend: (due, stoppedDays) => addDays(due, stoppedDays),
  };
}
