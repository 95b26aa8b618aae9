import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  accountsForSegment,
  benefitExpenseAccount,
  benefitKinds,
  chartAccount,
  parseAccountCode,
} from './accounts.ts';
import {
  canonicalRequest,
  requestDifferences,
  requestHash,
  type TransactionRequest,
  validateTransactionRequest,
} from './ledger.ts';
import { nextPeriod, periodEnd } from './periods.ts';

const cities = ['330100', '330200'];
const base: TransactionRequest = {
  id: 'x',
  effectiveDate: '2026-01-15',
  source: { type: 't', id: '1' },
  postings: [
    { segment: '330100', account: '1002', side: 'debit', amountFen: 10 },
    { segment: '330100', account: '4101', side: 'credit', amountFen: 10 },
  ],
};

describe('chart of accounts', () => {
  it('every segment has unique codes, due accounts per counterparty, a benefit account per kind', () => {
    for (const seg of ['330000', '330000-ADJ', '330100']) {
      const defs = accountsForSegment(seg, cities);
      expect(new Set(defs.map((d) => d.code)).size).toBe(defs.length);
      for (const d of defs)
        expect(d.normalSide).toBe(d.type === 'asset' || d.type === 'expense' ? 'D' : 'C');
    }
    expect(
      accountsForSegment('330100', cities)
        .filter((d) => d.counterparty)
        .map((d) => d.code),
    ).toEqual(['1151:330000', '1151:330000-ADJ', '2151:330000', '2151:330000-ADJ']);
    for (const k of benefitKinds)
      expect(chartAccount(benefitExpenseAccount[k])?.type).toBe('expense');
    expect(parseAccountCode('1151')).toBeUndefined();
    expect(parseAccountCode('4101:330100')).toBeUndefined();
  });

  it('periods', () => {
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(periodEnd('2028-02')).toBe('2028-02-29');
  });
});

describe('request validation', () => {
  it('refuses an unbalanced transaction and an unbalanced segment', () => {
    const r = validateTransactionRequest({
      ...base,
      postings: [base.postings[0]!, { ...base.postings[1]!, amountFen: 9 }],
    });
    expect(!r.ok && r.code).toBe('ledger.unbalanced');
    const seg = validateTransactionRequest({
      ...base,
      postings: [base.postings[0]!, { ...base.postings[1]!, segment: '330200' }],
    });
    expect(!seg.ok && seg.code).toBe('ledger.unbalanced');
    expect(!seg.ok && seg.details?.['segment']).toBe('330100');
  });

  it('refuses due legs that do not mirror, accepts mirrored ones', () => {
    const legs = (b: number): TransactionRequest['postings'] => [
      { segment: '330100', account: '5302', side: 'debit', amountFen: 5 },
      { segment: '330100', account: '2151:330000-ADJ', side: 'credit', amountFen: 5 },
      { segment: '330000-ADJ', account: '1151:330100', side: 'debit', amountFen: b },
      { segment: '330000-ADJ', account: '4105', side: 'credit', amountFen: b },
    ];
    expect(validateTransactionRequest({ ...base, postings: legs(5) }).ok).toBe(true);
    const r = validateTransactionRequest({ ...base, postings: legs(4) });
    expect(!r.ok && r.code).toBe('ledger.inter_segment_mismatch');
  });

  it('refuses non-integer, zero and negative amounts, one leg, unknown accounts', () => {
    for (const amountFen of [0, -1, 1.5, Number.NaN]) {
      const r = validateTransactionRequest({
        ...base,
        postings: base.postings.map((p) => ({ ...p, amountFen })),
      });
      expect(!r.ok && r.code).toBe('ledger.invalid_request');
    }
    expect(validateTransactionRequest({ ...base, postings: [base.postings[0]!] }).ok).toBe(false);
    const u = validateTransactionRequest({
      ...base,
      postings: base.postings.map((p) => ({ ...p, account: '9999' })),
    });
    expect(!u.ok && u.code).toBe('ledger.unknown_account');
  });

  test.prop([fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 1e12 })])(
    'the hash changes exactly when the request changes, and the difference is named',
    (a, b) => {
      const x = canonicalRequest({
        ...base,
        postings: base.postings.map((p) => ({ ...p, amountFen: a })),
      });
      const y = canonicalRequest({
        ...base,
        postings: base.postings.map((p) => ({ ...p, amountFen: b })),
      });
      expect(requestHash(x) === requestHash(y)).toBe(a === b);
      expect(requestDifferences(x, y)).toEqual(
        a === b ? [] : ['postings[0].amountFen', 'postings[1].amountFen'],
      );
    },
  );
});
