import { describe, expect, it } from 'vitest';
import { toDecimalString } from '../../kernel/rational.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import {
  countNearRetirement,
  describeCount,
  type NearRetirementRule,
  type RetirementTiming,
} from './near-retirement.ts';
import { nearRetirementRule } from './separation.ts';

/** The committed rule of a province on a date (src/rules/values/<region>/separation.yaml). */
function committedRule(region: string): NearRetirementRule {
  const r = nearRetirementRule(
    makeContext(testRuleBook().benefits, region, {}, false),
    '2025-03-01',
  );
  if (!r.ok) throw new Error(r.message);
  return r.value;
}
const HENAN = committedRule('410000');
const ZHEJIANG = committedRule('330000');

const share = (rule: NearRetirementRule, date: string, timing: RetirementTiming) =>
  toDecimalString(countNearRetirement(date, timing, rule).share);
const years = (n: number): RetirementTiming => ({ way: 'years', yearsToRetirement: n });
const retiring = (retirementDate: string): RetirementTiming => ({
  way: 'retirement_date',
  retirementDate,
});
const born = (birthDate: string, y: number, m = 0): RetirementTiming => ({
  way: 'birth',
  birthDate,
  retirementAge: { years: y, months: m },
});

describe('《河南省工伤保险条例》第二十七条第二款: 五年以上全额；不足五年每减少一年递减 20 %；不足一年 10 %', () => {
  it('is read from the committed parameters', () => {
    expect(HENAN.counting).toBe('years_left');
    expect(ZHEJIANG.counting).toBe('age_completed');
    expect([HENAN.underOneYear, ZHEJIANG.underOneYear].map((r) => r && toDecimalString(r))).toEqual(
      ['0.1', null],
    );
  });

  it('counts whole years given', () => {
    expect([7, 5, 4, 3, 2, 1, 0].map((n) => share(HENAN, '2025-03-01', years(n)))).toEqual([
      '1',
      '1',
      '0.8',
      '0.6',
      '0.4',
      '0.2',
      '0.1',
    ]);
  });

  it('counts the whole years from the separation date to the retirement date', () => {
    // 4 years 3 months left is 不足五年 and one year fewer: 80 %.
    expect(share(HENAN, '2025-03-01', retiring('2029-06-01'))).toBe('0.8');
    expect(share(HENAN, '2025-03-01', retiring('2030-03-01'))).toBe('1');
    expect(share(HENAN, '2025-03-01', retiring('2030-02-28'))).toBe('0.8');
    expect(share(HENAN, '2025-03-01', retiring('2026-03-01'))).toBe('0.2');
    expect(share(HENAN, '2025-03-01', retiring('2026-02-28'))).toBe('0.1');
  });

  it('takes the retirement date from the birth date and an age in years and months', () => {
    expect(share(HENAN, '2025-03-01', born('1967-01-20', 60))).toBe('0.2');
    expect(share(HENAN, '2025-03-01', born('1972-01-15', 55, 4))).toBe('0.4');
    const c = countNearRetirement('2025-03-01', born('1972-01-15', 55, 4), HENAN);
    expect(c.retirementDate).toBe('2027-05-15');
    expect(c.wholeYearsLeft).toBe(2);
  });

  it('says in the trace how the years were counted', () => {
    const c = countNearRetirement('2025-03-01', retiring('2027-04-10'), HENAN);
    expect(describeCount(c, HENAN)).toEqual({
      zh: '2025-03-01 至退休日期 2027-04-10 满 2 整年，不足 5 年，每减少一年递减 20%：少 3 年 → 40%',
      en: '2 whole year(s) from 2025-03-01 to the retirement date 2027-04-10: under 5, 20% less for each year fewer: 3 year(s) fewer → 40%',
    });
    const under = countNearRetirement('2025-03-01', years(0), HENAN);
    expect(describeCount(under, HENAN).zh).toBe(
      '距退休年龄 0 整年（输入的整年数），不足一年：按 10% 支付',
    );
  });
});

describe('《浙江省工伤保险条例》第二十七条第二款: 离法定退休年龄不足五年的，每增加一周岁递减 20 %', () => {
  it('keeps the meaning of whole years given: 5 − n 周岁 added', () => {
    expect([6, 5, 4, 3, 2, 1, 0].map((n) => share(ZHEJIANG, '2025-03-01', years(n)))).toEqual([
      '1',
      '1',
      '0.8',
      '0.6',
      '0.4',
      '0.2',
      '0',
    ]);
  });

  it('counts 周岁 added past the age five years before retirement', () => {
    expect(share(ZHEJIANG, '2025-03-01', born('1966-05-10', 60))).toBe('0.4'); // 58 周岁
    expect(share(ZHEJIANG, '2025-03-01', born('1969-06-01', 60))).toBe('1'); // 55 周岁 9 个月
    expect(share(ZHEJIANG, '2025-03-01', born('1968-12-01', 60))).toBe('0.8'); // 56 周岁
    expect(share(ZHEJIANG, '2025-03-01', born('1965-09-10', 60))).toBe('0.2'); // 59 周岁
    expect(share(ZHEJIANG, '2025-03-01', born('1971-01-15', 55, 4))).toBe('0.2'); // 54 past 50
    expect(share(ZHEJIANG, '2025-03-02', born('1970-03-01', 55, 4))).toBe('0'); // 55 past 50
    const c = countNearRetirement('2025-03-01', born('1966-05-10', 60), ZHEJIANG);
    expect(c).toMatchObject({ ageYears: 58, steps: 3, wholeYearsLeft: 1, band: 'reduced' });
    expect(describeCount(c, ZHEJIANG).zh).toBe(
      '出生日期 1966-05-10 + 退休年龄 60 岁 = 退休日期 2026-05-10；2025-03-01 时 58 周岁，距退休满 1 整年，不足 5 年，每增加一周岁递减 20%：比 55 周岁增加 3 周岁 → 40%',
    );
  });

  it('with only the retirement date, counts 周岁 on its anniversaries', () => {
    expect(share(ZHEJIANG, '2025-03-01', retiring('2026-05-10'))).toBe('0.4');
    expect(share(ZHEJIANG, '2025-05-10', retiring('2026-05-10'))).toBe('0.2');
    expect(share(ZHEJIANG, '2025-03-01', retiring('2029-06-01'))).toBe('1');
    expect(share(ZHEJIANG, '2025-03-01', retiring('2029-03-01'))).toBe('0.8');
  });
});
