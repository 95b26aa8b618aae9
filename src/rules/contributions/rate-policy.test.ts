import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import { assessContribution, type EmployerCategory } from './rate-policy.ts';

const rules = testRuleBook().benefits;

/** Class 8 at its base rate (1.9 %) on a payroll of 10,000 元: 190 元 = 19,000 fen before any cut. */
function assess(
  region: string,
  date: string,
  extra: { monthsCoverable?: number; employerCategory?: EmployerCategory } = {},
) {
  return assessContribution(makeContext(rules, region, {}, false), {
    payrollFen: 1_000_000,
    riskClass: 8,
    grade: 'base',
    date,
    ...extra,
  });
}
const amount = (r: ReturnType<typeof assess>) => (r.ok ? r.value.amountFen : r.code);

describe('temporary cut: a pooling area’s option (人社部发〔2018〕25号 三: "可以…下调")', () => {
  it('is not applied by the national default, whatever the months of cover', () => {
    expect(amount(assess('000000', '2023-06-01', { monthsCoverable: 30 }))).toBe(19000);
  });
  it('is applied where the province says so (浙江, 河南: demo values): −50 % / −20 %', () => {
    expect(amount(assess('330000', '2023-06-01', { monthsCoverable: 30 }))).toBe(9500);
    expect(amount(assess('410100', '2019-01-01', { monthsCoverable: 20 }))).toBe(15200);
    expect(amount(assess('410100', '2019-01-01', { monthsCoverable: 17 }))).toBe(19000);
  });
  it('does not exist before 2018-05-01 and is not verified after 2024-12-31', () => {
    expect(amount(assess('330000', '2018-04-30', { monthsCoverable: 30 }))).toBe(19000);
    expect(amount(assess('330000', '2025-01-01', { monthsCoverable: 30 }))).toBe(
      'rules.parameter_missing',
    );
    expect(amount(assess('000000', '2025-01-01', { monthsCoverable: 30 }))).toBe(
      'rules.parameter_missing',
    );
  });
});

describe('2020 relief (人社部发〔2020〕11号 一, 〔2020〕49号 一)', () => {
  it('exempts 中小微企业 from February to December 2020', () => {
    expect(amount(assess('330000', '2020-01-31', { employerCategory: 'sme' }))).toBe(19000);
    expect(amount(assess('330000', '2020-02-01', { employerCategory: 'sme' }))).toBe(0);
    expect(amount(assess('330000', '2020-12-31', { employerCategory: 'sme' }))).toBe(0);
    expect(amount(assess('330000', '2021-01-01', { employerCategory: 'sme' }))).toBe(19000);
  });
  it('halves 大型企业等其他参保单位 from February to June 2020 (Feb–Apr by 11号, to June by 49号)', () => {
    expect(amount(assess('410000', '2020-02-01', { employerCategory: 'large' }))).toBe(9500);
    expect(amount(assess('410000', '2020-06-30', { employerCategory: 'large' }))).toBe(9500);
    expect(amount(assess('410000', '2020-07-01', { employerCategory: 'large' }))).toBe(19000);
  });
  it('leaves 机关事业单位 out, and applies nothing when no category is given', () => {
    expect(amount(assess('330000', '2020-03-01', { employerCategory: 'public_body' }))).toBe(19000);
    expect(amount(assess('330000', '2020-03-01'))).toBe(19000);
  });
  it('stacks on the temporary cut: 190 元 × 0.5 × 0.5 = 47.50 元', () => {
    const r = assess('330000', '2020-03-01', { monthsCoverable: 30, employerCategory: 'large' });
    expect(r.ok && r.value).toEqual({
      amountFen: 4750,
      baseRate: '0.019',
      multiplier: '1',
      rate: '0.00475',
      formula: '1000000 fen × 0.019 × 1 × 0.5 × 0.5 = 4750 fen (half_up)',
    });
  });
});

describe('a province’s dated cut (contribution.rate_cut_factor; 浙江 demo × 0.8, 2025-07-01 … 2025-12-31)', () => {
  const CUT =
    'placeholder (浙江 阶段性降低工伤保险费率 notice not loaded) demo cut of 20 % from 2025-07 to 2025-12';
  const traced = (region: string, date: string, riskClass = 8, grade: 'base' | 'up2' = 'base') => {
    const ctx = makeContext(rules, region, {}, true);
    const r = assessContribution(ctx, { payrollFen: 1_000_000, riskClass, grade, date });
    return { r, citations: (ctx.traced ?? []).map((t) => t.citation) };
  };
  it('cuts the rate on its first and last day only: 190 元 × 0.8 = 152 元', () => {
    expect(amount(assess('330000', '2025-06-30'))).toBe(19000);
    expect(amount(assess('330000', '2025-07-01'))).toBe(15200);
    expect(amount(assess('330100', '2025-12-31'))).toBe(15200);
    expect(amount(assess('330000', '2026-01-01'))).toBe(19000);
  });
  it('is not in force nationally or in a province that lists no cut', () => {
    expect(amount(assess('000000', '2025-07-01'))).toBe(19000);
    expect(amount(assess('410100', '2025-07-01'))).toBe(19000);
  });
  it('shows in the rate and the formula, and is cited only inside the cut', () => {
    const inside = traced('330000', '2025-07-01', 8, 'up2');
    expect(inside.r.ok && inside.r.value).toEqual({
      amountFen: 22800,
      baseRate: '0.019',
      multiplier: '1.5',
      rate: '0.0228',
      formula: '1000000 fen × 0.019 × 1.5 × 0.8 = 22800 fen (half_up)',
    });
    expect(inside.citations).toContain(CUT);
    const outside = traced('330000', '2026-01-01', 8, 'up2');
    expect(outside.r.ok && outside.r.value.rate).toBe('0.0285');
    expect(outside.citations).not.toContain(CUT);
    expect(outside.citations.some((c) => c.includes('《工伤保险条例》第八条'))).toBe(false);
  });
  it('cuts class 1 too, and class 1 still floats upward only', () => {
    const up = traced('330000', '2025-07-01', 1, 'up2');
    // 0.002 × 1.5 × 0.8 = 0.0024: 1,000,000 fen → 2,400 fen.
    expect(up.r.ok && [up.r.value.rate, up.r.value.amountFen]).toEqual(['0.0024', 2400]);
    const down = assessContribution(makeContext(rules, '330000', {}, false), {
      payrollFen: 1_000_000,
      riskClass: 1,
      grade: 'down1',
      date: '2025-07-01',
    });
    expect(down.ok ? null : down.code).toBe('contribution.grade_not_allowed');
  });
  it('replaces the months-of-cover rule while in force, never stacks with it', () => {
    expect(amount(assess('330000', '2025-07-01', { monthsCoverable: 30 }))).toBe(15200);
  });
});
