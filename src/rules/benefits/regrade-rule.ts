import { z } from 'zod';
import { type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { citationText } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { ParameterStatus, RuleSet } from '../parameters/model.ts';

/**
 * What a changed appraisal conclusion (再次鉴定 re-appraisal, 复查鉴定 review) does to the benefits
 * already decided: from which month the new amounts run, and whether the 一次性伤残补助金 is adjusted.
 * Parameters `payment.regrade_start.<kind>` and `payment.regrade_lump_sum.<kind>`: in 河南
 * 《河南省工伤保险条例》第三十条第二款 ("工伤职工经再次鉴定，鉴定结论发生变化的，应当按再次鉴定结论享受相应待遇，享受待遇的起始时间为原鉴定时间的次月。工伤职工复查鉴定结论发生变化的，应当自复查鉴定结论作出的次月起，按照复查鉴定结论享受有关待遇，但一次性伤残补助金不再调整。");
 * elsewhere `demo` values (values/000000/regrade.yaml says why). Read on the new conclusion's date.
 */
export type RevisitKind = 're_appraisal' | 'review';

const START_RULES = ['month_after_original_conclusion', 'month_after_new_conclusion'] as const;
const LUMP_SUM_RULES = ['difference', 'unchanged'] as const;
export type RegradeStartRule = (typeof START_RULES)[number];
export type RegradeLumpSumRule = (typeof LUMP_SUM_RULES)[number];

export type RegradeRule = {
  start: RegradeStartRule;
  lumpSum: RegradeLumpSumRule;
  /** Both citations, start first (the same article in 河南). */
  citation: string;
  /** `demo` when either value is a working convention, not a text. */
  status: ParameterStatus;
};

function word<W extends string>(words: readonly W[], text: string, path: string): W {
  const found = words.find((w) => w === text);
  if (found === undefined) throw new Error(`${path}: unknown value ${JSON.stringify(text)}`);
  return found;
}

function read(rules: RuleSet, region: string, path: string, on: IsoDate) {
  const found = lookup(rules, region, path, on);
  const text = found?.value.text;
  if (found === null || text === undefined) return null;
  return { text, citation: citationText(found.value), status: found.value.status };
}

/** The rule of `region` for a changed conclusion of `kind` concluded on `on`. */
export function regradeRule(
  rules: RuleSet,
  region: string,
  kind: RevisitKind,
  on: IsoDate,
): Result<RegradeRule, 'rules.parameter_missing'> {
  const startPath = `payment.regrade_start.${kind}`;
  const lumpPath = `payment.regrade_lump_sum.${kind}`;
  const start = read(rules, region, startPath, on);
  const lumpSum = read(rules, region, lumpPath, on);
  if (start === null || lumpSum === null)
    return refuse(
      'rules.parameter_missing',
      `no value of ${start === null ? startPath : lumpPath} is in force for region ${region} on ${on}`,
      { path: start === null ? startPath : lumpPath, region, date: on },
    );
  const citations = [...new Set([start.citation, lumpSum.citation])];
  return ok({
    start: word(START_RULES, start.text, startPath),
    lumpSum: word(LUMP_SUM_RULES, lumpSum.text, lumpPath),
    citation: citations.join('; '),
    status: start.status === 'demo' || lumpSum.status === 'demo' ? 'demo' : start.status,
  });
}

/** The first day of the first month at the new amounts. */
export function regradeStartsOn(
  rule: RegradeStartRule,
  conclusions: { originalOn: IsoDate; newOn: IsoDate },
): IsoDate {
  const event =
    rule === 'month_after_original_conclusion' ? conclusions.originalOn : conclusions.newOn;
  return `${nextMonth(monthOf(event))}-01`;
}

/**
 * The plan of a regrade decision as stored (benefit_decisions.regrade) and approved: built by
 * src/domain/benefits/regrade.ts, read back through this schema so a row that no longer parses is
 * a broken invariant (the parse throws), never a silently mistyped value.
 */
const planDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const month = z.string().regex(/^\d{4}-\d{2}$/);

export const regradePlanSchema = z.strictObject({
  kind: z.enum(['re_appraisal', 'review']),
  replacesDecisionId: z.string(),
  previousAppraisalId: z.string(),
  originalConcludedOn: planDate,
  newConcludedOn: planDate,
  startsOn: planDate,
  rule: z.strictObject({
    start: z.enum(['month_after_original_conclusion', 'month_after_new_conclusion']),
    lumpSum: z.enum(['difference', 'unchanged']),
    citation: z.string(),
    status: z.enum(['legislated', 'projected', 'demo']),
  }),
  endings: z.array(
    z.strictObject({ id: z.string(), kind: z.string(), endsOn: planDate.nullable() }),
  ),
  entitlements: z.array(
    z.strictObject({
      kind: z.string(),
      amountFen: z.number().int(),
      payer: z.enum(['fund', 'employer']),
      startsOn: planDate,
      endsOn: planDate.nullable(),
      citation: z.string(),
      /** A survivor's pension's dependant (death decisions); a regrade's items are the worker's. */
      dependantIndex: z.number().int().nonnegative().nullable(),
    }),
  ),
  lumpSum: z.strictObject({
    previousFen: z.number().int(),
    newFen: z.number().int(),
    differenceFen: z.number().int(),
    outcome: z.enum(['pay', 'hold', 'none', 'unchanged']),
  }),
  arrears: z.array(
    z.strictObject({
      month,
      kind: z.string(),
      dueFen: z.number().int(),
      paidFen: z.number().int(),
      differenceFen: z.number().int(),
    }),
  ),
  postings: z.array(
    z.strictObject({
      code: z.string(),
      account: z.string(),
      amountFen: z.number().int().positive(),
    }),
  ),
  held: z.array(
    z.strictObject({
      code: z.string(),
      amountFen: z.number().int().positive(),
      reason: z.enum(['lump_sum_above_new_grade', 'months_paid_above_new_amount']),
    }),
  ),
  fundTotalFen: z.number().int().nonnegative(),
});
export type RegradePlan = z.infer<typeof regradePlanSchema>;
