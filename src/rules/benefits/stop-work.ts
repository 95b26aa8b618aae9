import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { compare, fromInt } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type RuleContext, readNumber } from '../context.ts';
import { PAYER_OTHER } from './payers.ts';

/**
 * 停工留薪期 (《工伤保险条例》第三十三条): the worker keeps the original wage and benefits, paid
 * monthly by the employer (《社会保险法》第三十九条第一款第（一）项); ordinarily ≤ 12 months,
 * extendable by ≤ 12 more when the city appraisal committee confirms (第二款). Returns the monthly
 * pay and its payer, or refuses a period the law does not allow.
 */
export function stopWorkPay(
  ctx: RuleContext,
  input: {
    injuryDate: IsoDate;
    originalMonthlyWageFen: Fen;
    months: number;
    extensionMonths: number;
  },
): Result<
  { monthlyFen: Fen; months: number; payer: 'employer'; basis: string },
  'rules.parameter_missing' | 'rules.not_applicable'
> {
  const max = readNumber(ctx, 'stop_work.max_months', input.injuryDate);
  if (!max.ok) return max;
  const ext = readNumber(ctx, 'stop_work.extension_max_months', input.injuryDate);
  if (!ext.ok) return ext;
  if (compare(fromInt(input.months), max.value) > 0) {
    return refuse(
      'rules.not_applicable',
      `停工留薪期 of ${input.months} months exceeds the ordinary maximum; record the excess as an extension`,
      { field: 'months' },
    );
  }
  if (compare(fromInt(input.extensionMonths), ext.value) > 0) {
    return refuse(
      'rules.not_applicable',
      `an extension of ${input.extensionMonths} months exceeds the 12 months 《工伤保险条例》第三十三条第二款 allows`,
      { field: 'extensionMonths' },
    );
  }
  return ok({
    monthlyFen: input.originalMonthlyWageFen,
    months: input.months + input.extensionMonths,
    payer: PAYER_OTHER.stop_work_pay.payer,
    basis: PAYER_OTHER.stop_work_pay.basis,
  });
}

/**
 * 工伤复发 (《工伤保险条例》第三十八条): a confirmed recurrence re-opens medical treatment
 * (《工伤保险条例》第三十条), assistive devices (《工伤保险条例》第三十二条) and 停工留薪期
 * (《工伤保险条例》第三十三条).
 */
export function recurrenceEntitlements(): ReadonlyArray<{
  benefit: string;
  article: string;
  payer: 'fund' | 'employer';
}> {
  return [
    {
      benefit: 'medical_treatment',
      article: '《工伤保险条例》第三十条',
      payer: PAYER_OTHER.medical_treatment.payer,
    },
    {
      benefit: 'assistive_devices',
      article: '《工伤保险条例》第三十二条',
      payer: PAYER_OTHER.assistive_devices.payer,
    },
    {
      benefit: 'stop_work_pay',
      article: '《工伤保险条例》第三十三条',
      payer: PAYER_OTHER.stop_work_pay.payer,
    },
  ];
}

/** 停止享受待遇 (《工伤保险条例》第四十二条; 《社会保险法》第四十三条): the three grounds on which all benefits stop. */
export type StoppingGround = 'no_longer_eligible' | 'refused_appraisal' | 'refused_treatment';

export const STOPPING_GROUNDS: Readonly<Record<StoppingGround, string>> = {
  no_longer_eligible: '《工伤保险条例》第四十二条第一款第（一）项 丧失享受待遇条件',
  refused_appraisal: '《工伤保险条例》第四十二条第一款第（二）项 拒不接受劳动能力鉴定',
  refused_treatment: '《工伤保险条例》第四十二条第一款第（三）项 拒绝治疗',
};

/** Refuses any further payment when a stopping ground is recorded; otherwise lets it through. */
export function benefitsContinue(
  grounds: readonly StoppingGround[],
): Result<true, 'rules.benefits_stopped'> {
  const first = grounds[0];
  if (first === undefined) return ok(true);
  return refuse('rules.benefits_stopped', `benefits stop: ${STOPPING_GROUNDS[first]}`, {
    grounds: [...grounds],
  });
}
