import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { regradeRule, regradeStartsOn } from './regrade-rule.ts';

const rules = testRuleBook().benefits;

describe('benefits after a changed conclusion (payment.regrade_start, payment.regrade_lump_sum)', () => {
  it('河南 re-appraisal: from the month after the original conclusion, lump sum adjusted (《河南省工伤保险条例》第三十条第二款)', () => {
    const r = regradeRule(rules, '410100', 're_appraisal', '2025-09-10');
    expect(r).toMatchObject({
      ok: true,
      value: {
        start: 'month_after_original_conclusion',
        lumpSum: 'difference',
        status: 'legislated',
      },
    });
    expect(r.ok && r.value.citation).toBe('《河南省工伤保险条例》第三十条第二款');
  });

  it('河南 review: from the month after the review, lump sum unchanged ("但一次性伤残补助金不再调整")', () => {
    expect(regradeRule(rules, '410100', 'review', '2026-09-10')).toMatchObject({
      ok: true,
      value: { start: 'month_after_new_conclusion', lumpSum: 'unchanged', status: 'legislated' },
    });
  });

  it('浙江 reads the demo convention (no held text): not back-dated, cites the national article', () => {
    const r = regradeRule(rules, '330100', 're_appraisal', '2025-09-10');
    expect(r).toMatchObject({
      ok: true,
      value: { start: 'month_after_new_conclusion', lumpSum: 'difference', status: 'demo' },
    });
    expect(r.ok && r.value.citation).toBe('《工伤保险条例》第二十六条');
    expect(regradeRule(rules, '330100', 'review', '2025-09-10')).toMatchObject({
      value: { lumpSum: 'unchanged', status: 'demo' },
    });
  });

  it('refuses a date before any value (the national values start 2011-01-01)', () => {
    expect(regradeRule(rules, '330100', 'review', '2010-06-01')).toMatchObject({
      ok: false,
      code: 'rules.parameter_missing',
    });
  });

  it('counts the start month from the conclusion the rule names, across a year end', () => {
    const conclusions = { originalOn: '2025-06-20', newOn: '2025-12-31' };
    expect(regradeStartsOn('month_after_original_conclusion', conclusions)).toBe('2025-07-01');
    expect(regradeStartsOn('month_after_new_conclusion', conclusions)).toBe('2026-01-01');
  });
});
