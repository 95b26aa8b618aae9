import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { PROJECT_METHOD_CITATION, projectContribution } from './project.ts';

const rules = testRuleBook().benefits;
const building = { standard: 'GB/T 4754-2017', division: '47' } as const;

describe('projectContribution (按项目参保)', () => {
  it('is contract value × labour share × the class base rate, hand-computed', () => {
    // 2017 division 47 房屋建筑业 → class 6, base rate 0.013; labour share 0.2 (浙江, demo):
    // 123,456,789.00 元 × 0.2 × 0.013 = 320,987.6514 元 → 32,098,765 fen (half_up).
    const out = projectContribution(rules, {
      region: '330100',
      contractValueFen: 12_345_678_900,
      industry: building,
      date: '2025-03-01',
    });
    expect(out.ok && out.value).toEqual({
      riskClass: 6,
      labourShare: '0.2',
      baseRate: '0.013',
      amountFen: 32_098_765,
      formula: '12345678900 fen × 0.2 × 0.013 = 32098765 fen (half_up)',
      citations: [
        PROJECT_METHOD_CITATION,
        expect.stringContaining('GB/T 4754-2017'),
        '《浙江省工伤保险条例》第十条',
        '人社部发〔2015〕71号 二、关于行业差别费率及其档次确定',
        expect.stringContaining('docs/rules.md'),
      ],
    });
  });

  it('rounds once, half up: 2 500 fen × 0.0026 = 6.5 fen → 7; 2 499 fen → 6.4974 → 6', () => {
    const at = (contractValueFen: number) => {
      const out = projectContribution(rules, {
        region: '330100',
        contractValueFen,
        industry: building,
        date: '2025-03-01',
      });
      return out.ok ? out.value.amountFen : null;
    };
    expect(at(2_500)).toBe(7);
    expect(at(2_499)).toBe(6);
  });

  it('refuses where the province holds no labour share (河南: parameter missing)', () => {
    const out = projectContribution(rules, {
      region: '410100',
      contractValueFen: 1_000_000,
      industry: building,
      date: '2025-03-01',
    });
    expect(out.ok ? 'ok' : out.code).toBe('rules.parameter_missing');
  });

  test.prop([fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 })])(
    'is monotone in the contract value',
    (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const at = (v: number) =>
        projectContribution(rules, {
          region: '330100',
          contractValueFen: v,
          industry: building,
          date: '2025-03-01',
        });
      const x = at(lo);
      const y = at(hi);
      expect(x.ok && y.ok).toBe(true);
      if (x.ok && y.ok) expect(x.value.amountFen).toBeLessThanOrEqual(y.value.amountFen);
    },
  );
});
