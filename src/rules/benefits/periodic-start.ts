import { type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { citationText, type RuleContext, readText } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { ParameterStatus, RuleSet } from '../parameters/model.ts';

/**
 * The month a monthly benefit (伤残津贴, 生活护理费, 供养亲属抚恤金) starts, from its event: the
 * appraisal conclusion or the death. Parameter `payment.periodic_start`: in 河南 the month after
 * the event, 《河南省工伤保险条例》第三十条第一款 ("伤残津贴、生活护理费等长期待遇自劳动能力鉴定结论作出的次月起支付。供养亲属抚恤金自职工死亡的次月起支付。");
 * elsewhere the same month as a demo convention, since neither the national nor the 浙江 text held
 * names one (values/000000/periodic-start.yaml). Read on the day of the event.
 */
export const PERIODIC_START_PATH = 'payment.periodic_start';

const RULES = { month_after_event: (event: IsoDate) => nextMonth(monthOf(event)) } as const;

function startMonth(rule: string, event: IsoDate): string {
  if (rule !== 'month_after_event')
    throw new Error(`${PERIODIC_START_PATH}: unknown start rule ${JSON.stringify(rule)}`);
  return RULES[rule](event);
}

/** The start month ("YYYY-MM") through a calculation's context (traced like any parameter). */
export function periodicStartMonth(
  ctx: RuleContext,
  event: IsoDate,
): Result<string, 'rules.parameter_missing'> {
  const rule = readText(ctx, PERIODIC_START_PATH, event);
  if (!rule.ok) return rule;
  return ok(startMonth(rule.value, event));
}

export type PeriodicStart = {
  /** The first day of the first month owed ("YYYY-MM-01"). */
  startsOn: IsoDate;
  /** 《河南省工伤保险条例》第三十条第一款, or the placeholder of the demo convention. */
  citation: string;
  status: ParameterStatus;
};

/** The start of a region's monthly benefits for an event, outside a calculation (a decision). */
export function periodicStart(
  rules: RuleSet,
  region: string,
  event: IsoDate,
): Result<PeriodicStart, 'rules.parameter_missing'> {
  const found = lookup(rules, region, PERIODIC_START_PATH, event);
  const rule = found?.value.text;
  if (found === null || rule === undefined)
    return refuse(
      'rules.parameter_missing',
      `no value of ${PERIODIC_START_PATH} is in force for region ${region} on ${event}`,
      { path: PERIODIC_START_PATH, region, date: event },
    );
  return ok({
    startsOn: `${startMonth(rule, event)}-01`,
    citation: citationText(found.value),
    status: found.value.status,
  });
}
