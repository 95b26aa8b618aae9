import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { compare, mul, type Rational, rational } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type RuleContext, readNumber, readRounding, tracedSince, traceMark } from '../context.ts';
import { exactYuan, type Trace, yuanEn, yuanZh } from '../trace.ts';

export type BaseWage = { baseWageFen: Fen; trace: Trace['baseWage'] | null };

const CITE = {
  zh: '《工伤保险条例》第六十四条第二款',
  en: 'Regulation on Work-Related Injury Insurance, Art. 64 ¶2',
};

/** The exact average of the monthly wages given (not clamped): 本人工资 before the bounds of 《工伤保险条例》第六十四条第二款. */
export function averageMonthlyWage(monthlyWagesFen: readonly number[]): Rational {
  let sum = 0n;
  for (const w of monthlyWagesFen) sum += BigInt(w);
  return rational(sum, BigInt(monthlyWagesFen.length));
}

/**
 * 本人工资 (《工伤保险条例》第六十四条第二款): the average monthly contribution wage of the months
 * given (1–12, the months before the injury), clamped to [60 %, 300 %] of the pooling-area average
 * wage in force on the injury date, rounded once to the fen. Every later amount multiplies this
 * rounded figure, as a decision letter states it.
 */
export function baseWage(
  ctx: RuleContext,
  monthlyWagesFen: readonly number[],
  injuryDate: IsoDate,
): Result<BaseWage, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const average = readNumber(ctx, 'wage.average_monthly_fen', injuryDate);
  if (!average.ok) return average;
  const lowRatio = readNumber(ctx, 'wage.clamp_low_ratio', injuryDate);
  if (!lowRatio.ok) return lowRatio;
  const highRatio = readNumber(ctx, 'wage.clamp_high_ratio', injuryDate);
  if (!highRatio.ok) return highRatio;
  const rule = readRounding(ctx, injuryDate);
  if (!rule.ok) return rule;
  const own = averageMonthlyWage(monthlyWagesFen);
  const low = mul(average.value, lowRatio.value);
  const high = mul(average.value, highRatio.value);
  let exact: Rational = own;
  let clamped: 'low' | 'high' | null = null;
  if (compare(own, low) < 0) {
    exact = low;
    clamped = 'low';
  } else if (compare(own, high) > 0) {
    exact = high;
    clamped = 'high';
  }
  const baseWageFen = roundFen(exact, rule.value);
  if (ctx.traced === null) return ok({ baseWageFen, trace: null });
  const n = monthlyWagesFen.length;
  const ownText = exactYuan(own);
  const lowFen = roundFen(low, rule.value);
  const highFen = roundFen(high, rule.value);
  const tail =
    clamped === 'low'
      ? '低于下限，按下限'
      : clamped === 'high'
        ? '高于上限，按上限'
        : '在上下限之间';
  const tailEn =
    clamped === 'low'
      ? 'below the floor, so the floor'
      : clamped === 'high'
        ? 'above the ceiling, so the ceiling'
        : 'within the bounds';
  return ok({
    baseWageFen,
    trace: {
      citation: CITE.zh,
      formula: {
        zh: `本人工资 = 受伤前 ${n} 个月平均月缴费工资 ${ownText} 元，${tail}（下限 ${yuanZh(lowFen)}，上限 ${yuanZh(highFen)}）= ${yuanZh(baseWageFen)}(${CITE.zh})`,
        en: `Own wage = average monthly contribution wage of ${n} month(s) before the injury ${ownText} yuan, ${tailEn} (floor ${yuanEn(lowFen)}, ceiling ${yuanEn(highFen)}) = ${yuanEn(baseWageFen)} (${CITE.en})`,
      },
      parameters: tracedSince(ctx, mark),
      rounding: { rule: rule.value, exact: exactYuan(exact), resultFen: baseWageFen },
      notes:
        n < 12
          ? [
              `${n} month(s) given: averaged over the months given (provincial rules on short records vary)`,
            ]
          : [],
    },
  });
}
