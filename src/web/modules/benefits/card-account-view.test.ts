import { describe, expect, it } from 'vitest';
import type { Problem } from '../../api/types.ts';
import {
  cardAccountBodyOf,
  placeCardAccountProblem,
  shownAccountNumber,
} from './card-account-view.ts';

const problem = (p: Partial<Problem> & { code: string }): Problem => ({
  type: 'about:blank',
  title: 'Refused',
  status: 422,
  ...p,
});

describe('the card account shown', () => {
  it('shows the masked number unless the API sent the full one (pii:reveal)', () => {
    const masked = { accountNumberMasked: '************1234' };
    expect(shownAccountNumber(masked)).toBe('************1234');
    expect(shownAccountNumber({ ...masked, accountNumber: '6222020000001234' })).toBe(
      '6222020000001234',
    );
  });
});

describe('the form’s body', () => {
  it('trims the texts, drops the spaces between digit groups, leaves an empty date out', () => {
    const input = {
      bankName: ' 中国工商银行杭州分行 ',
      accountNumber: '6222 0200 0000\u30001234',
      accountName: ' 工伤职工',
      validFrom: '',
    };
    expect(cardAccountBodyOf(input)).toEqual({
      bankName: '中国工商银行杭州分行',
      accountNumber: '6222020000001234',
      accountName: '工伤职工',
    });
    expect(cardAccountBodyOf({ ...input, validFrom: '2026-12-07' }).validFrom).toBe('2026-12-07');
  });
});

describe('the server’s problems on the form', () => {
  it('puts each schema problem under its field and an unknown path above the form', () => {
    const placed = placeCardAccountProblem(
      problem({
        code: 'input.invalid',
        status: 400,
        errors: [
          { path: 'accountNumber', code: 'invalid_format', message: '10–30 digits, no spaces' },
          { path: 'bankName', code: 'too_small', message: 'required' },
          { path: 'extra', code: 'unrecognized_keys', message: 'not allowed' },
        ],
      }),
      'fallback',
    );
    expect(placed.fields).toEqual({
      accountNumber: '10–30 digits, no spaces',
      bankName: 'required',
    });
    expect(placed.general).toBe('extra: not allowed');
  });

  it('puts the name and date refusals under 户名 and 起用日期 with the server’s text', () => {
    const name = placeCardAccountProblem(
      problem({ code: 'benefit.card_account_name_mismatch', detail: '户名须为工伤职工' }),
      'fallback',
    );
    expect(name).toEqual({ fields: { accountName: '户名须为工伤职工' }, general: null });
    const date = placeCardAccountProblem(
      problem({ code: 'benefit.card_account_backdated', title: 'earliest 2026-12-01' }),
      'fallback',
    );
    expect(date).toEqual({ fields: { validFrom: 'earliest 2026-12-01' }, general: null });
  });

  it('shows any other refusal above the form, and a failure without a problem as given', () => {
    const other = placeCardAccountProblem(
      problem({ code: 'benefit.worker_not_found', detail: 'no worker wkr_1 in 330100' }),
      'fallback',
    );
    expect(other).toEqual({ fields: {}, general: 'no worker wkr_1 in 330100' });
    expect(placeCardAccountProblem(null, 'HTTP 502')).toEqual({ fields: {}, general: 'HTTP 502' });
  });
});
