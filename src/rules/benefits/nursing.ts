import type { IsoDate } from '../../kernel/dates.ts';
import { mul } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type RuleContext, readEntry, readNumber, readRounding, traceMark } from '../context.ts';
import { percent, yuanEn, yuanZh } from '../trace.ts';
import { finishItem, type ItemResult } from './item.ts';
import { PAYER_BY_ITEM } from './payers.ts';

export type NursingLevel = 'complete' | 'mostly' | 'partly';

const LEVEL_ZH: Record<NursingLevel, string> = {
  complete: '生活完全不能自理',
  mostly: '生活大部分不能自理',
  partly: '生活部分不能自理',
};

/**
 * 生活护理费 (《工伤保险条例》第三十四条): fund, monthly, the pooling-area previous-year average
 * monthly wage × 50 / 40 / 30 % (第二款). The average in force on the decision date
 * (《河南省工伤保险条例》第二十三条 says so expressly; 浙江 re-bases yearly,
 * 《浙江省工伤保险条例》第三十七条第三款, which is 《工伤保险条例》第四十条 indexation, not this first
 * amount).
 */
export function nursingAllowance(
  ctx: RuleContext,
  level: NursingLevel,
  decisionDate: IsoDate,
): Result<ItemResult, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const average = readNumber(ctx, 'wage.average_monthly_fen', decisionDate);
  if (!average.ok) return average;
  const rate = readEntry(ctx, 'nursing.rate', level, decisionDate);
  if (!rate.ok) return rate;
  const rule = readRounding(ctx, decisionDate);
  if (!rule.ok) return rule;
  const avgFen = Number(average.value.num / average.value.den);
  return ok(
    finishItem(ctx, {
      code: 'nursing_allowance',
      frequency: 'monthly',
      payer: PAYER_BY_ITEM.nursing_allowance.payer,
      cite: {
        zh: '《工伤保险条例》第三十四条',
        en: 'Regulation on Work-Related Injury Insurance, Art. 34',
      },
      exact: mul(average.value, rate.value),
      rule: rule.value,
      mark,
      formula:
        ctx.traced === null
          ? null
          : (a) => ({
              zh: `生活护理费(${LEVEL_ZH[level]}) = 统筹地区上年度职工月平均工资 ${yuanZh(avgFen)} × ${percent(rate.value)} = ${yuanZh(a)}`,
              en: `Nursing allowance (${level}) = pooling-area average monthly wage ${yuanEn(avgFen)} × ${percent(rate.value)} = ${yuanEn(a)}`,
            }),
    }),
  );
}
