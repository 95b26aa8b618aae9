import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { CASE_PERIOD_CODES, type CasePeriodCode, casePeriod } from './case-periods.ts';

/** Each figure as 《工伤保险条例》 (2010-12-20) states it, read article by article. */
const EXPECTED: Record<CasePeriodCode, [number, 'day' | 'year', string]> = {
  'application.employer': [30, 'day', '《工伤保险条例》第十七条第一款'],
  'application.worker': [1, 'year', '《工伤保险条例》第十七条第二款'],
  'determination.acceptance': [15, 'day', 'placeholder'],
  'determination.decision': [60, 'day', '《工伤保险条例》第二十条第一款'],
  'determination.decision_clear': [15, 'day', '《工伤保险条例》第二十条第二款'],
  'appraisal.conclusion': [60, 'day', '《工伤保险条例》第二十五条第二款'],
  'appraisal.extension': [30, 'day', '《工伤保险条例》第二十五条第二款'],
  're_appraisal.application': [15, 'day', '《工伤保险条例》第二十六条'],
  'review.after': [1, 'year', '《工伤保险条例》第二十八条'],
};

describe('casePeriod', () => {
  const rules = testRuleBook().benefits;

  it.each(CASE_PERIOD_CODES)('%s reads its dated, cited value', (code) => {
    const [amount, unit, citation] = EXPECTED[code];
    const r = casePeriod(rules, code, '2025-06-01');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect({ amount: r.value.amount, unit: r.value.unit }).toEqual({ amount, unit });
    expect(r.value.citation.startsWith(citation)).toBe(true);
    // Only the acceptance period rests on a text not held (《工伤认定办法》).
    expect(r.value.status).toBe(code === 'determination.acceptance' ? 'demo' : 'legislated');
  });

  it('refuses a date before the 2011 text is in force', () => {
    expect(casePeriod(rules, 'application.employer', '2010-12-31')).toMatchObject({
      ok: false,
      code: 'rules.parameter_missing',
    });
  });

  it('reads the 浙江 acceptance period in working days, the national one elsewhere', () => {
    // 《浙江省工伤保险条例》第十六条第一款 "当场或者在五个工作日内", in force 2018-01-01 (《浙江省工伤保险条例》第四十条).
    const zj = casePeriod(rules, 'determination.acceptance', '2026-03-02', '330100');
    expect(zj).toMatchObject({
      ok: true,
      value: { amount: 5, unit: 'workday', status: 'legislated' },
    });
    if (zj.ok)
      expect(zj.value.citation.startsWith('《浙江省工伤保险条例》第十六条第一款')).toBe(true);
    // Before the 浙江 条例 (a declared gap) the national 15 days apply; 河南 has no rule of its own.
    const early = casePeriod(rules, 'determination.acceptance', '2017-12-31', '330100');
    expect(early).toMatchObject({ ok: true, value: { amount: 15, unit: 'day', status: 'demo' } });
    const hn = casePeriod(rules, 'determination.acceptance', '2026-03-02', '410100');
    expect(hn).toMatchObject({ ok: true, value: { amount: 15, unit: 'day', status: 'demo' } });
  });

  it('falls back from a city to the national value', () => {
    const r = casePeriod(rules, 'appraisal.conclusion', '2025-06-01', '330100');
    expect(r).toMatchObject({ ok: true, value: { amount: 60, unit: 'day' } });
  });
});
