import { describe, expect, it } from 'vitest';
import { newClientKey, offsetBodyOf, refundBodyOf } from './excess-form.ts';

const refundValues = {
  amountYuan: '7.50',
  reason: ' 多缴退还 ',
  bankName: '中国工商银行杭州分行',
  accountNumber: '6222021202000000001',
  accountName: '测试单位11',
  refundOn: '2024-07-20',
};

describe('the excess page’s forms', () => {
  it('makes a client key the server accepts, a new one each time', () => {
    const key = newClientKey();
    expect(key).toMatch(/^[0-9A-Za-z._:-]{8,100}$/);
    expect(newClientKey()).not.toBe(key);
  });

  it('turns the refund form into the route’s body, yuan into fen, the reason trimmed', () => {
    expect(refundBodyOf('emp_330100_0001', 'web-key-0001', refundValues)).toEqual({
      employerId: 'emp_330100_0001',
      clientKey: 'web-key-0001',
      amountFen: 750,
      reason: '多缴退还',
      bankName: '中国工商银行杭州分行',
      accountNumber: '6222021202000000001',
      accountName: '测试单位11',
      refundOn: '2024-07-20',
    });
  });

  it('refuses an amount that is not yuan above 0', () => {
    for (const amountYuan of ['0', '0.00', '1.234', 'abc', ''])
      expect(refundBodyOf('emp_330100_0001', 'web-key-0001', { ...refundValues, amountYuan })).toBe(
        null,
      );
  });

  it('turns the offset form into the route’s body', () => {
    const v = { month: '2024-07', amountYuan: '5', reason: '抵缴7月', offsetOn: '2024-07-31' };
    expect(offsetBodyOf('emp_330100_0001', 'web-key-0002', v)).toEqual({
      employerId: 'emp_330100_0001',
      clientKey: 'web-key-0002',
      month: '2024-07',
      amountFen: 500,
      reason: '抵缴7月',
      offsetOn: '2024-07-31',
    });
  });
});
