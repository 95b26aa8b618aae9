import { z } from 'zod';

/**
 * The rate calculator's request and answer (docs/contributions.md), fixed by issue 10 because
 * other tools check against it. They live on the rules floor, beside the function that reads them,
 * so that `rateFromUnknown` (rules) can validate a body; src/contract/contributions/ re-exports them
 * for the API, the OpenAPI document and the web, as the benefit calculator's contract does.
 */

/**
 * The largest payroll accepted, in fen: 10 000 亿元 (10^15 fen). A province's whole monthly payroll
 * is far below it, and the exact product with any rate stays well inside a safe integer.
 */
export const PAYROLL_FEN_MAX = 1_000_000_000_000_000;

export const industryStandards = ['GB/T 4754-2011', 'GB/T 4754-2017'] as const;
export const floatingGrades = ['down2', 'down1', 'base', 'up1', 'up2'] as const;

/** A calendar month written YYYY-MM; the rules read it on its first day (YYYY-MM-01). */
const period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM, such as 2024-06')
  .describe('缴费所属期 (a month, YYYY-MM); the parameters in force on its first day apply');

export const rateInputSchema = z
  .strictObject({
    region: z
      .string()
      .regex(/^\d{6}$/, 'must be a 6-digit region code such as 330000')
      .describe(
        '统筹地区 行政区划代码 (province or city); parameters: the region, its province, 000000',
      ),
    period,
    industry: z
      .strictObject({
        standard: z
          .enum(industryStandards)
          .describe('国民经济行业分类 标准版本: GB/T 4754-2011 or GB/T 4754-2017'),
        division: z
          .string()
          .regex(/^\d{2}$/, 'must be a two-digit GB/T 4754 大类 code such as 06')
          .describe('行业大类 (two digits) in that standard'),
      })
      .describe('所属行业'),
    floatingGrade: z
      .enum(floatingGrades)
      .describe(
        '费率浮动档次, two steps down or up from the base rate; class 1 floats upward only',
      ),
    payrollFen: z
      .number()
      .int('must be an integer number of fen')
      .nonnegative('a payroll cannot be negative')
      .max(PAYROLL_FEN_MAX, `at most ${PAYROLL_FEN_MAX} fen`)
      .describe('职工工资总额 of the period, in fen (分)'),
  })
  .describe('工伤保险费率计算 / contribution rate calculation');

export type RateInput = z.output<typeof rateInputSchema>;

/** An exact decimal written as text ("0.0024"), never a float. */
const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'an exact decimal such as 0.0024');

export const rateResultSchema = z
  .strictObject({
    riskClass: z.number().int().min(1).max(8).describe('行业风险类别 (一类 … 八类)'),
    baseRate: decimalText.describe('行业基准费率 of the class'),
    multiplier: decimalText.describe('浮动档次 multiplier of the grade'),
    rate: decimalText.describe('单位缴费费率 = baseRate × multiplier'),
    amountFen: z
      .number()
      .int()
      .nonnegative()
      .describe('应缴工伤保险费 = payrollFen × rate, rounded once to the fen by rounding.money'),
    citations: z
      .array(z.string())
      .min(1)
      .describe('the legal basis: the formula, then the class table, base rate and grade cited'),
  })
  .describe('工伤保险费率计算结果 / contribution rate result');

export type RateResult = z.output<typeof rateResultSchema>;
