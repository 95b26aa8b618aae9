import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { periodDate, RATE_FORMULA_CITATION, rateFromUnknown } from './rate.ts';

const rules = testRuleBook().benefits;

const example = {
  region: '330100',
  period: '2024-06',
  industry: { standard: 'GB/T 4754-2017', division: '47' },
  floatingGrade: 'up1',
  payrollFen: 123_456_789,
};
const run = (patch: Record<string, unknown>) => rateFromUnknown({ ...example, ...patch }, rules);
const codeOf = (out: ReturnType<typeof run>) => (out.ok ? 'ok' : out.body.code);

describe('rateFromUnknown: the contract', () => {
  it('answers the worked example of docs/contributions.md', () => {
    // 2017 division 47 房屋建筑业 → class 6 (derived table); 0.013 × 1.2 = 0.0156;
    // 1,234,567.89 元 × 0.0156 = 19,259.259084 元 → 1,925,926 fen (half_up).
    const out = run({});
    expect(out).toEqual({
      ok: true,
      status: 200,
      body: {
        riskClass: 6,
        baseRate: '0.013',
        multiplier: '1.2',
        rate: '0.0156',
        amountFen: 1_925_926,
        citations: [
          RATE_FORMULA_CITATION,
          'derived crosswalk GB/T 4754-2011 → GB/T 4754-2017 of the 71号 table (domain-spec §4.1) 01–57 and 60–78 unchanged; 2011 79–96 → 2017 80–97; 58 → class 5; 59 装卸搬运和仓储业 → class 5 (higher of 装卸搬运 5 and 仓储 2)',
          '人社部发〔2015〕71号 二、关于行业差别费率及其档次确定',
        ],
      },
    });
  });

  it('writes the keys in the order of the contract, so serialisations agree byte for byte', () => {
    const out = run({});
    expect(out.ok && Object.keys(out.body)).toEqual([
      'riskClass',
      'baseRate',
      'multiplier',
      'rate',
      'amountFen',
      'citations',
    ]);
  });
});

describe('rateFromUnknown: periods and refusals', () => {
  it('reads a period on its first day', () => {
    expect(periodDate('2024-06')).toBe('2024-06-01');
    // GB/T 4754-2017's table is in force from 2017-10-01, 2011's (and the rates) from 2015-10-01.
    const std2017 = { standard: 'GB/T 4754-2017', division: '47' };
    const std2011 = { standard: 'GB/T 4754-2011', division: '47' };
    expect(codeOf(run({ period: '2017-09', industry: std2017 }))).toBe('rules.parameter_missing');
    expect(codeOf(run({ period: '2017-10', industry: std2017 }))).toBe('ok');
    expect(codeOf(run({ period: '2015-09', industry: std2011 }))).toBe('rules.parameter_missing');
    expect(codeOf(run({ period: '2015-10', industry: std2011 }))).toBe('ok');
  });

  it('refuses in precedence order: the table, the division, its class, then the grade', () => {
    // Class-1 division 66 (货币金融服务) floating down before the 2011 table starts: the table first.
    const early = run({
      period: '2014-01',
      industry: { standard: 'GB/T 4754-2011', division: '66' },
      floatingGrade: 'down2',
    });
    expect(codeOf(early)).toBe('rules.parameter_missing');
    expect(!early.ok && early.body.detail).toContain('GB/T 4754-2011 risk-class table');
    const down = run({
      industry: { standard: 'GB/T 4754-2011', division: '66' },
      floatingGrade: 'down1',
    });
    expect(down.ok ? null : down.body).toMatchObject({
      status: 422,
      code: 'contribution.grade_not_allowed',
      details: { riskClass: 1, grade: 'down1' },
    });
    expect(codeOf(run({ industry: { standard: 'GB/T 4754-2011', division: '97' } }))).toBe(
      'contribution.division_unknown',
    );
    expect(codeOf(run({ industry: { standard: 'GB/T 4754-2017', division: '79' } }))).toBe(
      'contribution.division_unclassified',
    );
  });

  it('lets class 1 float up, and classes 2–8 both ways', () => {
    const grade = (division: string, floatingGrade: string) => {
      const out = run({ industry: { standard: 'GB/T 4754-2011', division }, floatingGrade });
      return out.ok ? `${out.body.riskClass}:${out.body.multiplier}` : out.body.code;
    };
    expect(grade('66', 'up2')).toBe('1:1.5');
    expect(grade('06', 'down2')).toBe('8:0.5');
    expect(grade('06', 'down1')).toBe('8:0.8');
  });
});

describe('rateFromUnknown: input', () => {
  it('reports every bad field at once, unknown ones at their own path (400)', () => {
    const out = rateFromUnknown(
      {
        region: '33',
        period: '2024-6',
        industry: { standard: 'GB/T 4754-2002', division: '6', section: 'B' },
        floatingGrade: 'down3',
        payrollFen: -5.5,
        employerCategory: 'sme',
      },
      rules,
    );
    expect(out.status).toBe(400);
    if (out.ok || out.status !== 400) return;
    expect(out.body.code).toBe('input.invalid');
    expect([...new Set(out.body.errors.map((e) => e.path))].sort()).toEqual(
      [
        'employerCategory',
        'floatingGrade',
        'industry.division',
        'industry.section',
        'industry.standard',
        'payrollFen',
        'period',
        'region',
      ].sort(),
    );
  });

  it('accepts a zero payroll and the largest one, refuses one fen more', () => {
    const zero = run({ payrollFen: 0 });
    expect(zero.ok && zero.body.amountFen).toBe(0);
    // 10^15 fen × 0.0156 = 1.56 × 10^13 fen exactly.
    const largest = run({ payrollFen: 1_000_000_000_000_000 });
    expect(largest.ok && largest.body.amountFen).toBe(15_600_000_000_000);
    expect(run({ payrollFen: 1_000_000_000_000_001 }).status).toBe(400);
  });
});

describe('rateFromUnknown: a province’s dated cut (浙江 demo × 0.8, 2025-07 … 2025-12)', () => {
  const CUT =
    'placeholder (浙江 阶段性降低工伤保险费率 notice not loaded) demo cut of 20 % from 2025-07 to 2025-12';
  const body = (period: string) => ({
    region: '330100',
    period,
    industry: { standard: 'GB/T 4754-2017', division: '47' },
    floatingGrade: 'up1',
    payrollFen: 123_456_789,
  });
  it('shows the cut in the rate and the citations for a period inside it', () => {
    const out = rateFromUnknown(body('2025-07'), rules);
    // 0.013 × 1.2 × 0.8 = 0.01248; 123,456,789 × 0.01248 = 1,540,740.72672 → 1,540,741 fen.
    expect(out.ok && out.body).toMatchObject({
      riskClass: 6,
      baseRate: '0.013',
      multiplier: '1.2',
      rate: '0.01248',
      amountFen: 1_540_741,
    });
    expect(out.ok && out.body.citations.at(-1)).toBe(CUT);
  });
  it('is unchanged outside it (the months either side)', () => {
    const before = rateFromUnknown(body('2025-06'), rules);
    const after = rateFromUnknown(body('2026-01'), rules);
    const plain = rateFromUnknown(body('2024-06'), rules);
    for (const out of [before, after]) {
      expect(out.ok && out.body).toMatchObject({ rate: '0.0156', amountFen: 1_925_926 });
      expect(out.ok && out.body.citations).toEqual(plain.ok && plain.body.citations);
    }
  });
});
