import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { filingValidity } from './cross-province-filing.ts';

const rules = testRuleBook().benefits;

describe('validity of a cross-province filing (备案, demo parameters)', () => {
  it('long-term residence: one year from the from-date, the day before the anniversary', () => {
    const r = filingValidity(rules, '330100', 'long_term_residence', '2025-05-10');
    expect(r.ok && r.value).toMatchObject({ months: 12, validUntil: '2026-05-09' });
    expect(r.ok && r.value.citation).toContain('17号');
  });
  it('referral: six months; a month end without a matching day ends on the month end', () => {
    const r = filingValidity(rules, '410100', 'referral', '2025-08-31');
    expect(r.ok && r.value).toMatchObject({ months: 6, validUntil: '2026-02-27' });
  });
  it('before the national scheme (2025-04-01) there is no term: refused, not guessed', () => {
    const r = filingValidity(rules, '330100', 'referral', '2025-03-31');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('rules.parameter_missing');
  });
});
