import { addMonths, type IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { citationText } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { ParameterStatus, RuleSet } from '../parameters/model.ts';

/**
 * The age a dependant able to work stops receiving 供养亲属抚恤金 (`survivors.end_age`,
 * values/000000/survivor-end.yaml). The ministry rule 《工伤保险条例》第三十九条第一款第（二）项 delegates to
 * ("供养亲属的具体范围由国务院社会保险行政部门规定"), 劳社部令第18号, is not held: the value is `demo`.
 */
export const SURVIVOR_END_AGE_PATH = 'survivors.end_age';

export type SurvivorEndAge = { years: number; citation: string; status: ParameterStatus };

/** The end age in force on a day (the birthday's, so a change of the rule applies from its date). */
export function survivorEndAge(
  rules: RuleSet,
  region: string,
  on: IsoDate,
): Result<SurvivorEndAge, 'rules.parameter_missing'> {
  const found = lookup(rules, region, SURVIVOR_END_AGE_PATH, on);
  const scalar = found?.value.scalar;
  if (found === null || scalar === undefined || scalar.den !== 1n)
    return refuse(
      'rules.parameter_missing',
      `no whole-year value of ${SURVIVOR_END_AGE_PATH} is in force for region ${region} on ${on}`,
      { path: SURVIVOR_END_AGE_PATH, region, date: on },
    );
  return ok({
    years: Number(scalar.num),
    citation: citationText(found.value),
    status: found.value.status,
  });
}

/**
 * The birthday on which a dependant reaches the end age in force on `on` (the day the end is
 * looked at: the event's date, or the last day of the month the ageing-out job checks): the
 * anniversary by `addMonths`, so a 29 February birth reaches it on 28 February, as ages in 周岁 are
 * counted elsewhere (kernel/dates.ts).
 */
export function endAgeBirthday(
  rules: RuleSet,
  region: string,
  birthDate: IsoDate,
  on: IsoDate,
): Result<{ on: IsoDate; age: SurvivorEndAge }, 'rules.parameter_missing'> {
  const age = survivorEndAge(rules, region, on);
  if (!age.ok) return age;
  return ok({ on: addMonths(birthDate, age.value.years * 12), age: age.value });
}
