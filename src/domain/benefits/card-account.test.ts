import { describe, expect, it } from 'vitest';
import { maskAccountNumber } from '../../identity/masking.ts';
import { cardAccountRefusal, earliestValidFrom } from './card-account.ts';

const base = {
  validFrom: '2025-08-01',
  today: '2025-08-31',
  accountName: '王丽',
  registerName: '王丽',
};

describe('card account checks', () => {
  it('takes effect from the first day of the current month at the earliest', () => {
    expect(earliestValidFrom('2025-08-31')).toBe('2025-08-01');
    expect(earliestValidFrom('2024-02-29')).toBe('2024-02-01');
    expect(cardAccountRefusal(base)).toBeNull();
    expect(cardAccountRefusal({ ...base, validFrom: '2026-01-01' })).toBeNull();
    expect(cardAccountRefusal({ ...base, validFrom: '2025-07-31' })).toEqual({
      ok: false,
      code: 'benefit.card_account_backdated',
      message: expect.stringContaining('2025-08-01'),
      details: { field: 'validFrom', earliest: '2025-08-01' },
    });
  });

  it('needs the beneficiary’s own name, white space aside', () => {
    expect(cardAccountRefusal({ ...base, accountName: ' 王 丽 ' })).toBeNull();
    expect(cardAccountRefusal({ ...base, accountName: '王丽丽' })?.code).toBe(
      'benefit.card_account_name_mismatch',
    );
  });

  it('masks all but the last four digits', () => {
    expect(maskAccountNumber('6222020000001234')).toBe('************1234');
    expect(maskAccountNumber('1234567890')).toBe('******7890');
    expect(maskAccountNumber('123')).toBe('***');
  });
});
