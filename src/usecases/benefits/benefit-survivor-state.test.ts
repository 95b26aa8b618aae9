import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { bonusAllowed } from './benefit-survivor-state.ts';

/**
 * The province decides whether a survivor's 10 % can be added after the death
 * (`death.survivor_bonus_after_death`): 郑州 (河南, fixed at the death by 《河南省工伤保险条例》第二十九条第二款)
 * refuses the change before any plan is computed, 杭州 (浙江, demo) lets it through, and the other
 * kinds of change never ask.
 */
const rules = testRuleBook().benefits;
const event = (kind: 'orphan_or_sole_elder' | 'died') => ({
  dependantId: 'dep_410100_0000000000000001',
  kind,
  eventOn: '2025-10-20',
});

describe('bonusAllowed', () => {
  it('河南 refuses the 10 % added later; 浙江 allows it; another kind is not asked', () => {
    const henan = bonusAllowed(rules, '410100', event('orphan_or_sole_elder'));
    expect(!henan.ok && [henan.code, henan.details]).toEqual([
      'benefit.survivor_bonus_not_in_province',
      { rule: 'fixed_at_death' },
    ]);
    expect(bonusAllowed(rules, '330100', event('orphan_or_sole_elder')).ok).toBe(true);
    expect(bonusAllowed(rules, '410100', event('died')).ok).toBe(true);
  });
});
