import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { reviewBarRule } from './review-bar.ts';

const rules = testRuleBook().benefits;

describe('when a review is no longer received (appraisal.review_bar)', () => {
  it('浙江 from 2018-01-01: once the 工伤保险关系 has ended (《浙江省工伤保险条例》第二十二条)', () => {
    expect(reviewBarRule(rules, '330100', '2018-01-01')).toEqual({
      ok: true,
      value: { bar: 'relation_ended', citation: '《浙江省工伤保险条例》第二十二条' },
    });
  });

  it('浙江 before its 条例 took effect, and 河南 (no such text): the national rule, no bar (《工伤保险条例》第二十八条)', () => {
    for (const [region, on] of [
      ['330100', '2017-12-31'],
      ['410100', '2026-06-22'],
    ] as const)
      expect(reviewBarRule(rules, region, on)).toEqual({
        ok: true,
        value: { bar: 'none', citation: '《工伤保险条例》第二十八条' },
      });
  });

  it('a day before the 2011 text has no value: refused, not guessed', () => {
    const r = reviewBarRule(rules, '330100', '2010-12-31');
    expect(r.ok ? 'ok' : r.code).toBe('rules.parameter_missing');
  });
});
