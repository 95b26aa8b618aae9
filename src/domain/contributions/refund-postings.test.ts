import { describe, expect, it } from 'vitest';
import { offsetIdOf, offsetTransaction, refundIdOf, refundTransaction } from './refund-postings.ts';

describe('refund postings', () => {
  const payload = {
    city: '330100',
    employerId: 'emp_330100_0000000000000001',
    clientKey: 'refund-key-0001',
    amountFen: 750,
    reason: '多缴',
    bankName: '工商银行',
    accountNumber: '6222020000000001',
    accountName: '测试单位',
    refundOn: '2024-07-20',
  };

  it('posts Dr 2103 / Cr 1001 of the amount in the city, on the refund day', () => {
    const tx = refundTransaction(payload);
    expect(tx.effectiveDate).toBe('2024-07-20');
    expect(tx.postings).toEqual([
      { segment: '330100', account: '2103', side: 'debit', amountFen: 750 },
      { segment: '330100', account: '1001', side: 'credit', amountFen: 750 },
    ]);
    expect(tx.id).toBe(`contributions:refund:${refundIdOf('330100', 'refund-key-0001')}`);
  });

  it('derives one id per city and key', () => {
    expect(refundIdOf('330100', 'k-00000001')).toMatch(/^crf_330100_[0-9a-f]{16}$/);
    expect(refundIdOf('330100', 'k-00000001')).toBe(refundIdOf('330100', 'k-00000001'));
    expect(refundIdOf('330100', 'k-00000001')).not.toBe(refundIdOf('330200', 'k-00000001'));
  });
});

describe('offset postings', () => {
  it('posts Dr 2103 / Cr 1131 of the amount in the city, on the offset day, with its own id', () => {
    const tx = offsetTransaction({
      city: '330100',
      employerId: 'emp_330100_0000000000000001',
      clientKey: 'offset-key-0001',
      month: '2024-07',
      amountFen: 500,
      reason: '抵缴7月',
      offsetOn: '2024-08-05',
    });
    expect(tx.effectiveDate).toBe('2024-08-05');
    expect(tx.postings).toEqual([
      { segment: '330100', account: '2103', side: 'debit', amountFen: 500 },
      { segment: '330100', account: '1131', side: 'credit', amountFen: 500 },
    ]);
    expect(offsetIdOf('330100', 'k-00000001')).toMatch(/^cof_330100_[0-9a-f]{16}$/);
    expect(offsetIdOf('330100', 'k-00000001').slice(4)).not.toBe(
      refundIdOf('330100', 'k-00000001').slice(4),
    );
  });
});
