import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { citationText } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { ParameterStatus, RuleSet } from '../parameters/model.ts';
import type { Period } from './period.ts';

/**
 * The statutory periods of an injury case (src/rules/values/000000/deadlines.yaml, parameter
 * `period.<code>`, with a province's own value where its text differs: 330000/deadlines.yaml). The
 * case parts count them with `periodEnd` on the working-day calendar.
 */
export const CASE_PERIOD_CODES = [
  'application.employer',
  'application.worker',
  'determination.acceptance',
  'determination.decision',
  'determination.decision_clear',
  'appraisal.conclusion',
  'appraisal.extension',
  're_appraisal.application',
  'review.after',
] as const;

export type CasePeriodCode = (typeof CASE_PERIOD_CODES)[number];

/**
 * Periods only some provinces set, with no national value to fall back on: 浙江's three days to
 * refuse an application whose supplied materials still fall short (《浙江省工伤保险条例》第十六条第二款).
 * Elsewhere casePeriod refuses them (`rules.parameter_missing`), and the case has no such limit.
 */
export const PROVINCIAL_CASE_PERIOD_CODES = ['determination.refusal_after_materials'] as const;

export type ProvincialCasePeriodCode = (typeof PROVINCIAL_CASE_PERIOD_CODES)[number];

export type CasePeriod = Period & {
  unit: 'day' | 'workday' | 'year';
  /** 《工伤保险条例》第十七条第一款 (or the placeholder of a demo value). */
  citation: string;
  status: ParameterStatus;
};

/**
 * The parameter unit → the period unit periodEnd counts. `workdays` is a count of working days
 * (《浙江省工伤保险条例》第十六条第一款 "五个工作日内"), walked on the same calendar as `tongchou deadline --unit workday`.
 */
const UNITS = { days: 'day', workdays: 'workday', years: 'year' } as const;

/**
 * The period `code` in force on `onDate` (the day the period starts, as the law in force that day
 * governs it), read for `region` with the province and national fallback. No value that day (a
 * date before the 2011 text) is a refusal, like any missing parameter.
 */
export function casePeriod(
  rules: RuleSet,
  code: CasePeriodCode | ProvincialCasePeriodCode,
  onDate: IsoDate,
  region = '000000',
): Result<CasePeriod, 'rules.parameter_missing'> {
  const path = `period.${code}`;
  const found = lookup(rules, region, path, onDate);
  if (found === null)
    return refuse(
      'rules.parameter_missing',
      `no value of ${path} is in force for region ${region} on ${onDate}`,
      { path, region, date: onDate },
    );
  const unit =
    found.unit === 'days' || found.unit === 'workdays' || found.unit === 'years'
      ? UNITS[found.unit]
      : undefined;
  const scalar = found.value.scalar;
  if (unit === undefined || scalar === undefined || scalar.den !== 1n)
    throw new Error(
      `${path}: a period is a whole number of days, working days or years (${found.unit})`,
    );
  return ok({
    amount: Number(scalar.num),
    unit,
    citation: citationText(found.value),
    status: found.value.status,
  });
}
