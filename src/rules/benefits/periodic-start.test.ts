import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import { PERIODIC_START_PATH, periodicStart, periodicStartMonth } from './periodic-start.ts';

const rules = testRuleBook().benefits;

describe('the month monthly benefits start (payment.periodic_start)', () => {
  it('is the month after the conclusion in 河南, by 《河南省工伤保险条例》第三十条第一款', () => {
    const r = periodicStart(rules, '410100', '2025-06-30');
    expect(r).toMatchObject({ ok: true, value: { startsOn: '2025-07-01', status: 'legislated' } });
    expect(r.ok && r.value.citation.startsWith('《河南省工伤保险条例》第三十条第一款')).toBe(true);
    // A conclusion in December starts the next year's January.
    expect(periodicStart(rules, '410000', '2025-12-01')).toMatchObject({
      value: { startsOn: '2026-01-01' },
    });
  });

  it('does not cite 河南 elsewhere: 浙江 and the national fallback read the demo convention', () => {
    for (const region of ['330100', '330000', '000000']) {
      const r = periodicStart(rules, region, '2025-06-30');
      expect(r).toMatchObject({ ok: true, value: { startsOn: '2025-07-01', status: 'demo' } });
      expect(r.ok && r.value.citation).not.toContain('河南');
    }
  });

  it('refuses an event before any text in force (the national value starts 2011-01-01)', () => {
    expect(periodicStart(rules, '330100', '2010-12-31')).toMatchObject({
      ok: false,
      code: 'rules.parameter_missing',
    });
    // 河南's own text is in force from 2007-10-01 (《河南省工伤保险条例》第四十七条).
    expect(periodicStart(rules, '410100', '2010-12-31')).toMatchObject({
      value: { startsOn: '2011-01-01', status: 'legislated' },
    });
  });

  it('is traced with its region when read inside a calculation', () => {
    const ctx = makeContext(rules, '410100', {}, true);
    expect(periodicStartMonth(ctx, '2024-11-15')).toEqual({ ok: true, value: '2024-12' });
    expect(ctx.traced?.map((p) => [p.path, p.region])).toEqual([[PERIODIC_START_PATH, '410000']]);
    const zj = makeContext(rules, '330100', {}, true);
    expect(periodicStartMonth(zj, '2024-11-15')).toEqual({ ok: true, value: '2024-12' });
    expect(zj.traced?.map((p) => [p.path, p.region])).toEqual([[PERIODIC_START_PATH, '000000']]);
    expect(zj.demoUsed?.size).toBe(1);
  });
});
