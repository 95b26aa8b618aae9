import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { calculateFromUnknown } from './index.ts';

const rules = testRuleBook().benefits;

/** 河南 grade 5: injury 2023, nursing decided 2024, separation 2025 (three dates, three years). */
const base = {
  region: '410000',
  kind: 'disability',
  injuryDate: '2023-05-10',
  decisionDate: '2024-03-01',
  monthlyWagesFen: [600_000],
  disabilityGrade: 5,
  nursingLevel: 'partly',
  separation: { date: '2025-06-01', yearsToRetirement: 20 },
};

describe('overrides keyed by year (issue 8, point 7): input checks', () => {
  it.each([
    ['averageMonthlyWageFen', 'averageMonthlyWageFenByYear'],
    ['provincialAverageMonthlyWageFen', 'provincialAverageMonthlyWageFenByYear'],
    ['minimumMonthlyWageFen', 'minimumMonthlyWageFenByYear'],
  ])('refuses %s together with %s (400 naming both)', (single, byYear) => {
    const r = calculateFromUnknown(
      { ...base, overrides: { [single]: 500_000, [byYear]: { '2024': 500_000 } } },
      rules,
    );
    expect(r.status).toBe(400);
    if (r.status !== 400) return;
    const error = r.body.errors.find((e) => e.path === `overrides.${byYear}`);
    expect(error?.message).toContain(`overrides.${single}`);
    expect(error?.message).toContain(`overrides.${byYear}`);
  });

  it('names a key that is not a year at its own path', () => {
    const r = calculateFromUnknown(
      { ...base, overrides: { averageMonthlyWageFenByYear: { '24': 500_000 } } },
      rules,
    );
    expect(r.status).toBe(400);
    if (r.status === 400)
      expect(r.body.errors.map((e) => e.path)).toEqual([
        'overrides.averageMonthlyWageFenByYear.24',
      ]);
  });
});

describe('overrides keyed by year: reading, trace and refusal', () => {
  it('reads each date in its own year and names the years in the trace', () => {
    const record = { '2023': 500_000, '2024': 550_000, '2025': 600_000 };
    const r = calculateFromUnknown(
      { ...base, overrides: { averageMonthlyWageFenByYear: record } },
      rules,
    );
    expect(r.status).toBe(200);
    if (r.status !== 200) return;
    const trace = r.body.trace!;
    const avg = trace.baseWage.parameters.find((p) => p.path === 'wage.average_monthly_fen');
    expect(avg).toMatchObject({
      value: '500000',
      status: 'override',
      from: '2023-01-01',
      until: '2023-12-31',
      citation: 'input overrides.averageMonthlyWageFenByYear["2023"]',
    });
    const nursing = trace.items.find((i) => i.code === 'nursing_allowance')!;
    expect(nursing.parameters.find((p) => p.path === 'wage.average_monthly_fen')?.value).toBe(
      '550000',
    );
    const overrideWarnings = trace.warnings.filter((w) => w.startsWith('override '));
    expect(overrideWarnings).toEqual([
      'override averageMonthlyWageFenByYear["2023"] = 500000 fen (the figure in force in 2023) replaced wage.average_monthly_fen on 2023-05-10',
      'override averageMonthlyWageFenByYear["2024"] = 550000 fen (the figure in force in 2024) replaced wage.average_monthly_fen on 2024-03-01',
      'override averageMonthlyWageFenByYear["2025"] = 600000 fen (the figure in force in 2025) replaced wage.average_monthly_fen on 2025-06-01',
    ]);
  });

  it('refuses when a year the case needs is missing, naming the year and the date', () => {
    const r = calculateFromUnknown(
      { ...base, overrides: { averageMonthlyWageFenByYear: { '2023': 500_000, '2025': 600_000 } } },
      rules,
    );
    expect(r.status).toBe(422);
    if (r.status !== 422) return;
    expect(r.body.code).toBe('rules.parameter_missing');
    expect(r.body.details).toMatchObject({
      path: 'wage.average_monthly_fen',
      date: '2024-03-01',
      override: 'averageMonthlyWageFenByYear',
      year: '2024',
    });
    expect(r.body.detail).toContain('no entry for 2024');
    expect(r.body.detail).toContain('years given: 2023, 2025');
  });

  it('keeps a single override for every date, with its warning as before', () => {
    const r = calculateFromUnknown(
      { ...base, overrides: { averageMonthlyWageFen: 500_000 } },
      rules,
    );
    expect(r.status).toBe(200);
    if (r.status !== 200) return;
    const nursing = r.body.items.find((i) => i.code === 'nursing_allowance')!;
    expect(nursing.amountFen).toBe(150_000); // 30 % × 5,000 元, the single value on 2024-03-01
    expect(r.body.trace!.warnings).toContain(
      'override averageMonthlyWageFen = 500000 fen replaced the parameter value',
    );
  });

  it('refuses the pre-death wage in a disability case', () => {
    const r = calculateFromUnknown({ ...base, preDeathMonthlyWageFen: 700_000 }, rules);
    expect(r.status).toBe(400);
    if (r.status === 400)
      expect(r.body.errors.map((e) => e.path)).toContain('preDeathMonthlyWageFen');
  });
});
