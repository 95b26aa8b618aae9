import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import { missingReappearance } from './death.ts';

/**
 * The reappearance rule per province (values in src/rules/values/{410000,330000}/missing-reappearance.yaml):
 * 河南 legislated (《河南省工伤保险条例》第三十二条), 浙江 a demo borrowed from 河南, the national text none.
 * By hand: a reappearance on 2025-08-15 stops the pensions after 2025-08-31; one on 2024-02-03 (a
 * leap year) after 2024-02-29.
 */
const ctx = (region: string) => makeContext(testRuleBook().benefits, region, {}, false);

describe('missingReappearance', () => {
  it('河南 (a city and the province): legislated, pensions end on the last day of the month', () => {
    for (const region of ['410100', '410000']) {
      const r = missingReappearance(ctx(region), '2025-08-15');
      expect(r).toEqual({
        ok: true,
        value: {
          pensionsEndOn: '2025-08-31',
          lumpSumReturned: true,
          status: 'legislated',
          citation: '《河南省工伤保险条例》第三十二条',
        },
      });
    }
    const leap = missingReappearance(ctx('410100'), '2024-02-03');
    expect(leap.ok && leap.value.pensionsEndOn).toBe('2024-02-29');
  });

  it('浙江: the demo value, citing 河南’s article (not 浙江’s)', () => {
    const r = missingReappearance(ctx('330100'), '2025-08-15');
    expect(r.ok && r.value).toEqual({
      pensionsEndOn: '2025-08-31',
      lumpSumReturned: true,
      status: 'demo',
      citation: '《河南省工伤保险条例》第三十二条',
    });
  });

  it('refuses where no text gives a rule (the national 条例 alone), and before 河南’s text was in force', () => {
    expect(missingReappearance(ctx('000000'), '2025-08-15').ok).toBe(false);
    const early = missingReappearance(ctx('410100'), '2007-09-30');
    expect(early.ok ? 'ok' : early.code).toBe('rules.parameter_missing');
  });
});
