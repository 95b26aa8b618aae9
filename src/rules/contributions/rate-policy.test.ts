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
