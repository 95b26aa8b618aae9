import type { Executor } from '../../db/client.ts';
import { addDays, addMonths, type IsoDate } from '../../kernel/dates.ts';

/**
 * The appraisal's statutory periods, as dates:
 * - the conclusion within 60 days of the application, extendable by 30 (《工伤保险条例》第二十五条第二款:
 *   "应当自收到劳动能力鉴定申请之日起60日内作出劳动能力鉴定结论，必要时，作出劳动能力鉴定结论的期限可以延长30日");
 *   re-appraisals and reviews alike (第二十九条);
 * - a re-appraisal applied for "在收到该鉴定结论之日起15日内" (第二十六条);
 * - a review "自劳动能力鉴定结论作出之日起1年后" (第二十八条).
 */
export type AppraisalPeriods = {
  conclusionDueOn: (appliedOn: IsoDate) => IsoDate;
  extendedDueOn: (dueOn: IsoDate) => IsoDate;
  reAppraisalLastDayOn: (servedOn: IsoDate) => IsoDate;
  reviewEarliestOn: (concludedOn: IsoDate) => IsoDate;
};

/**
 * The periods counted from `from` (the earliest start a caller needs). Interim: calendar days and
 * months by 《民法典》第二百零一条、第二百零二条 (the first day not counted; a month's missing day is its last);
 * the holiday shift of 第二百零三条 arrives with the work calendar of the deadlines part.
 */
export async function appraisalPeriods(_ex: Executor, _from: IsoDate): Promise<AppraisalPeriods> {
  return {
    conclusionDueOn: (appliedOn) => addDays(appliedOn, 60),
    extendedDueOn: (dueOn) => addDays(dueOn, 30),
    reAppraisalLastDayOn: (servedOn) => addDays(servedOn, 15),
    reviewEarliestOn: (concludedOn) => addDays(addMonths(concludedOn, 12), 1),
  };
}
