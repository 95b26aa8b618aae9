import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import { survivorBonusAfterDeath } from './death.ts';

/**
 * Whether a dependant who becomes an orphan or a 孤寡老人 after the death gains the 10 %
 * (src/rules/values/{410000,330000}/survivor-bonus.yaml): 河南 fixes it at the death
 * (《河南省工伤保险条例》第二十九条第二款), 浙江 adds it from the next month (demo), before 2018 浙江 has no rule.
 */
const ctx = (region: string) => makeContext(testRuleBook().benefits, region, {}, false);

describe('survivorBonusAfterDeath', () => {
  it('河南: fixed at the death; 浙江: from the next month; 浙江 before its 2018 条例: no rule', () => {
    expect(survivorBonusAfterDeath(ctx('410100'), '2025-10-20')).toEqual({
      ok: true,
      value: 'fixed_at_death',
    });
    expect(survivorBonusAfterDeath(ctx('330100'), '2025-10-20')).toEqual({
      ok: true,
      value: 'from_next_month',
    });
    const before = survivorBonusAfterDeath(ctx('330100'), '2016-05-01');
    expect(!before.ok && before.code).toBe('rules.parameter_missing');
  });
});
