import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { roundFen } from '../../kernel/money.ts';
import { fromInt, mul, toDecimalString } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type RuleContext, readEntry, readRounding, traceMark } from '../context.ts';
import { percent, yuanEn, yuanZh } from '../trace.ts';
import { finishItem, type ItemResult, settleItem } from './item.ts';
import { minimumWageTopUp, topUpText } from './minimum-wage-top-up.ts';
import { allowancePayer, PAYER_BY_ITEM } from './payers.ts';

const LUMP_ARTICLE: Record<number, { zh: string; en: string }> = {
  1: { zh: '《工伤保险条例》第三十五条', en: 'Art. 35' },
  5: { zh: '《工伤保险条例》第三十六条', en: 'Art. 36' },
  7: { zh: '《工伤保险条例》第三十七条', en: 'Art. 37' },
};

function articleFor(grade: number) {
  return grade <= 4 ? LUMP_ARTICLE[1]! : grade <= 6 ? LUMP_ARTICLE[5]! : LUMP_ARTICLE[7]!;
}

const REG_EN = 'Regulation on Work-Related Injury Insurance';

/**
 * 一次性伤残补助金: 本人工资 × months of the grade, fund, once; months in force on the injury date.
 * 《工伤保险条例》第三十五条第一款第（一）项、第三十六条第一款第（一）项、第三十七条第一款第（一）项.
 */
export function disabilityLumpSum(
  ctx: RuleContext,
  baseWageFen: Fen,
  grade: number,
  injuryDate: IsoDate,
): Result<ItemResult, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const months = readEntry(ctx, 'disability.lump_sum_months', String(grade), injuryDate);
  if (!months.ok) return months;
  const rule = readRounding(ctx, injuryDate);
  if (!rule.ok) return rule;
  const art = articleFor(grade);
  return ok(
    finishItem(ctx, {
      code: 'disability_lump_sum',
      frequency: 'once',
      payer: PAYER_BY_ITEM.disability_lump_sum.payer,
      cite: { zh: art.zh, en: `${REG_EN}, ${art.en}` },
      exact: mul(fromInt(baseWageFen), months.value),
      rule: rule.value,
      mark,
      formula:
        ctx.traced === null
          ? null
          : (a) => ({
              zh: `一次性伤残补助金 = 本人工资 ${yuanZh(baseWageFen)} × ${toDecimalString(months.value)} 个月 = ${yuanZh(a)}`,
              en: `Disability lump sum = own wage ${yuanEn(baseWageFen)} × ${toDecimalString(months.value)} months = ${yuanEn(a)}`,
            }),
      notes:
        ctx.traced === null
          ? null
          : () => [`grade ${grade}; payer basis ${PAYER_BY_ITEM.disability_lump_sum.basis}`],
    }),
  );
}

/**
 * 伤残津贴 (《工伤保险条例》第三十五条第一款第（二）项 grades 1–4, fund;
 * 《工伤保险条例》第三十六条第一款第（二）项 grades 5–6, employer, only when no work is arranged):
 * 本人工资 × rate, topped up to the local minimum wage by the same payer. The top-up compares the
 * allowance, or where a province says so the allowance less the worker's own contributions on it
 * (《河南省工伤保险条例》第二十四条第一款、第二十五条), with the minimum wage (minimumWageTopUp).
 * Rate, minimum wage and contribution rates in force on the decision date (the allowance starts
 * after the appraisal).
 */
export function disabilityAllowance(
  ctx: RuleContext,
  baseWageFen: Fen,
  grade: number,
  decisionDate: IsoDate,
): Result<ItemResult, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const rate = readEntry(ctx, 'disability.allowance_rate', String(grade), decisionDate);
  if (!rate.ok) return rate;
  const rule = readRounding(ctx, decisionDate);
  if (!rule.ok) return rule;
  const exact = mul(fromInt(baseWageFen), rate.value);
  const rounded = roundFen(exact, rule.value);
  const topUp = minimumWageTopUp(ctx, grade, rounded, decisionDate, rule.value);
  if (!topUp.ok) return topUp;
  const t = topUp.value;
  const payer = allowancePayer(grade);
  const art =
    grade <= 4
      ? { zh: '《工伤保险条例》第三十五条', en: 'Art. 35' }
      : { zh: '《工伤保险条例》第三十六条', en: 'Art. 36' };
  const cite = {
    zh: `${art.zh}${t.source === null ? '' : `；${t.source}`}`,
    en: `${REG_EN}, ${art.en}${t.source === null ? '' : `; ${t.source}`}`,
  };
  const head = (baseZh: string, baseEn: string) => ({
    zh: `伤残津贴 = 本人工资 ${yuanZh(baseWageFen)} × ${percent(rate.value)} = ${baseZh}`,
    en: `Disability allowance = own wage ${yuanEn(baseWageFen)} × ${percent(rate.value)} = ${baseEn}`,
  });
  return ok(
    settleItem(
      ctx,
      {
        code: 'disability_allowance',
        frequency: 'monthly',
        payer: payer.payer,
        cite,
        exact,
        mark,
        formula:
          ctx.traced === null
            ? null
            : (a) => {
                const shown = t.topUpFen === 0 ? a : rounded;
                const h = head(yuanZh(shown), yuanEn(shown));
                const tail = topUpText(t, rounded, payer.payer);
                return { zh: `${h.zh}${tail.zh}`, en: `${h.en}${tail.en}` };
              },
        notes:
          ctx.traced === null
            ? null
            : () => [
                `grade ${grade}; payer ${payer.payer} (${payer.basis})`,
                ...(t.comparison === 'gross'
                  ? []
                  : [
                      `minimum wage compared after the worker's own contributions on the allowance (${t.comparison}): net ${yuanEn(t.netFen)} against ${yuanEn(t.minimumFen)}`,
                    ]),
                ...(t.topUpFen > 0
                  ? [`minimum-wage top-up of ${yuanEn(t.topUpFen)} paid by the ${payer.payer}`]
                  : []),
              ],
      },
      t.amountFen,
      rule.value,
    ),
  );
}

/**
 * At retirement (《工伤保险条例》第三十五条第一款第（三）项; 《社会保险法》第四十条) the allowance stops and the pension starts;
 * when the pension is lower the fund pays the difference each month.
 */
export function retirementTopUp(
  allowanceFen: Fen,
  pensionFen: Fen,
): { topUpFen: Fen; payer: 'fund' } {
  return { topUpFen: Math.max(0, allowanceFen - pensionFen), payer: 'fund' };
}
