import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { calculateFromUnknown } from '../calculator/index.ts';

const rules = testRuleBook().benefits;

function allowanceTrace(body: Record<string, unknown>) {
  const r = calculateFromUnknown(body, rules);
  expect(r.status).toBe(200);
  if (r.status !== 200) throw new Error('refused');
  const item = r.body.items.find((i) => i.code === 'disability_allowance')!;
  const trace = r.body.trace!.items.find((i) => i.code === 'disability_allowance')!;
  return { item, trace };
}

const henanGrade3 = {
  region: '410000',
  kind: 'disability',
  injuryDate: '2024-03-01',
  decisionDate: '2024-09-01',
  monthlyWagesFen: [270_000],
  disabilityGrade: 3,
  overrides: { averageMonthlyWageFen: 400_000, minimumMonthlyWageFen: 200_000 },
};

describe('minimum-wage top-up after the worker’s own contributions (《河南省工伤保险条例》第二十四条、第二十五条)', () => {
  it('grades 1–4: deducts pension and medical only, the fund pays the difference', () => {
    const { item, trace } = allowanceTrace(henanGrade3);
    expect(item.citation).toBe(
      '《工伤保险条例》第三十五条；《河南省工伤保险条例》第二十四条第一款',
    );
    const paths = trace.parameters.map((p) => p.path);
    expect(paths).toContain('individual_contribution.pension_rate');
    expect(paths).toContain('individual_contribution.medical_rate');
    expect(paths).not.toContain('individual_contribution.unemployment_rate');
    expect(trace.formula.zh).toContain(
      '扣除个人缴纳的基本养老保险费 8% 172.80 元、基本医疗保险费 2% 43.20 元后为 1,944.00 元',
    );
    expect(trace.formula.zh).toContain('由工伤保险基金补足差额 56.00 元');
    expect(trace.notes).toContain('minimum-wage top-up of 56.00 yuan paid by the fund');
  });

  it('grades 5–6: deducts unemployment too, the employer pays the difference', () => {
    const { item, trace } = allowanceTrace({
      ...henanGrade3,
      injuryDate: '2014-03-01',
      decisionDate: '2014-09-01',
      monthlyWagesFen: [221_111],
      disabilityGrade: 5,
      overrides: { averageMonthlyWageFen: 300_000, minimumMonthlyWageFen: 150_000 },
    });
    expect(item.payer).toBe('employer');
    expect(trace.parameters.map((p) => p.path)).toContain(
      'individual_contribution.unemployment_rate',
    );
    expect(trace.formula.zh).toContain('失业保险费 1% 15.48 元后为 1,377.52 元');
    expect(trace.formula.zh).toContain('由用人单位补足差额 122.48 元');
  });

  it('浙江 keeps the national comparison of the allowance itself', () => {
    const { item, trace } = allowanceTrace({ ...henanGrade3, region: '330000' });
    expect(item.amountFen).toBe(216_000);
    expect(item.citation).toBe('《工伤保险条例》第三十五条');
    const comparison = trace.parameters.find((p) =>
      p.path.startsWith('disability.minimum_wage_comparison'),
    );
    expect(comparison).toMatchObject({
      value: 'gross',
      citation: '《浙江省工伤保险条例》第二十六条',
    });
    expect(trace.formula.zh).not.toContain('扣除');
  });
});
