import { describe, expect, it } from 'vitest';
import { checkPreventionCap, checkRaisedRatio } from './prevention-cap.ts';

describe('工伤预防费 cap (人社部规〔2017〕13号第五条)', () => {
  it('allows spending up to exactly 3 % of the previous year’s contribution income', () => {
    const r = checkPreventionCap({
      prevYearContributionIncomeFen: 100_000_000,
      spentFen: 2_500_000,
      requestedFen: 500_000,
      capRatio: '0.03',
    });
    expect(r).toEqual({
      ok: true,
      value: { capFen: 3_000_000, spentFen: 2_500_000, requestedFen: 500_000, remainingFen: 0 },
    });
  });

  it('refuses one fen more, giving cap, spent and requested amounts', () => {
    const r = checkPreventionCap({
      prevYearContributionIncomeFen: 100_000_000,
      spentFen: 2_500_000,
      requestedFen: 500_001,
      capRatio: '0.03',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('fund.prevention_cap_exceeded');
    expect(r.message).toContain('上限 30,000.00 元');
    expect(r.message).toContain('已支出 25,000.00 元');
    expect(r.message).toContain('本次申请 5,000.01 元');
    expect(r.details).toMatchObject({
      capFen: 3_000_000,
      spentFen: 2_500_000,
      requestedFen: 500_001,
      overFen: 1,
    });
  });

  it('compares exactly: a cap of 999 999.99 fen admits 999 999 fen, not 1 000 000', () => {
    const base = { prevYearContributionIncomeFen: 33_333_333, spentFen: 999_999, capRatio: '0.03' };
    expect(checkPreventionCap({ ...base, requestedFen: 0 }).ok).toBe(true);
    expect(checkPreventionCap({ ...base, requestedFen: 1 }).ok).toBe(false);
  });

  it('a raised ratio must lie above the national cap and within the ceiling', () => {
    expect(checkRaisedRatio('0.04', '0.03', '0.05').ok).toBe(true);
    expect(checkRaisedRatio('0.05', '0.03', '0.05').ok).toBe(true);
    expect(checkRaisedRatio('0.03', '0.03', '0.05').ok).toBe(false);
    expect(checkRaisedRatio('0.051', '0.03', '0.05').ok).toBe(false);
  });
});
