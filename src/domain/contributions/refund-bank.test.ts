import { describe, expect, it } from 'vitest';
import {
  REFUND_FILE_HEADER,
  refundFailureTransaction,
  refundFileIdOf,
  refundFileText,
  sha256Hex,
} from './refund-bank.ts';

const a = {
  id: 'crf_330100_00000000000000aa',
  employerId: 'emp_330100_0001',
  accountName: '杭州某厂, 有限公司',
  bankName: '中国工商银行杭州分行',
  accountNumber: '6222021202000000001',
  amountFen: 75_005,
  refundOn: '2024-07-20',
};
const b = { ...a, id: 'crf_330100_00000000000000bb', accountName: '单位"乙"', amountFen: 7 };

describe('the refund file', () => {
  it('writes the header, then the refunds in id order, quoting per RFC 4180, fen and yuan', () => {
    const text = refundFileText('330100', [b, a]);
    expect(text).toBe(
      `${REFUND_FILE_HEADER}` +
        'crf_330100_00000000000000aa,330100,emp_330100_0001,"杭州某厂, 有限公司",中国工商银行杭州分行,6222021202000000001,75005,750.05,2024-07-20\n' +
        'crf_330100_00000000000000bb,330100,emp_330100_0001,"单位""乙""",中国工商银行杭州分行,6222021202000000001,7,0.07,2024-07-20\n',
    );
  });

  it('gives the same bytes, hash and id for the same refunds in any order', () => {
    const one = refundFileText('330100', [a, b]);
    expect(refundFileText('330100', [b, a])).toBe(one);
    expect(sha256Hex(one)).toBe(sha256Hex(refundFileText('330100', [b, a])));
    expect(refundFileIdOf('330100', '2024-07-20', [b.id, a.id])).toBe(
      refundFileIdOf('330100', '2024-07-20', [a.id, b.id]),
    );
    expect(refundFileIdOf('330100', '2024-07-20', [a.id])).not.toBe(
      refundFileIdOf('330100', '2024-07-20', [a.id, b.id]),
    );
    expect(refundFileIdOf('330100', '2024-07-20', [a.id])).toMatch(/^crfile_330100_[0-9a-f]{16}$/);
  });
});

describe('a failed refund transfer', () => {
  it('reverses the refund: Dr 1001 / Cr 2103 for its amount, one transaction per refund', () => {
    const p = {
      city: '330100',
      refundId: a.id,
      clientKey: 'fail-0001',
      reason: '账户已销户',
      failedOn: '2024-07-22',
    };
    const t = refundFailureTransaction(p, 750);
    expect(t).toMatchObject({
      id: `contributions:refund-failure:${a.id}`,
      effectiveDate: '2024-07-22',
      postings: [
        { segment: '330100', account: '1001', side: 'debit', amountFen: 750 },
        { segment: '330100', account: '2103', side: 'credit', amountFen: 750 },
      ],
    });
    expect(refundFailureTransaction({ ...p, clientKey: 'fail-0002' }, 750).id).toBe(t.id);
  });
});
