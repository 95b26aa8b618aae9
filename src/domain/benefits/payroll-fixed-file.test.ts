import { describe, expect, it } from 'vitest';
import type { FileLine } from './payroll-bank.ts';
import {
  fixedDetailRecord,
  fixedHeaderRecord,
  RECORD_BYTES,
  readFixedFile,
} from './payroll-fixed-file.ts';

const line: FileLine = {
  id: 'pln_0123456789abcdef0123',
  workerId: 'wkr_00000000000000a1',
  kind: 'disability_allowance',
  amountFen: 680_000,
  accountName: '张三',
  bankName: '中国工商银行杭州分行',
  accountNumber: '6222000000010001',
};

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.subarray(from, to)).toString('latin1');

describe('fixed-width payment file (docs/benefits.md, "Fixed-width GBK file")', () => {
  it('a record is 322 bytes and CR LF; fields sit at their byte offsets', () => {
    expect(RECORD_BYTES).toBe(322);
    const r = fixedDetailRecord(7, line);
    if (!r.ok) throw new Error('refused');
    const b = r.bytes;
    expect(b.length).toBe(324);
    expect(ascii(b, 0, 1)).toBe('D');
    expect(ascii(b, 1, 9)).toBe('00000007');
    expect(ascii(b, 9, 33)).toBe('pln_0123456789abcdef0123');
    expect(ascii(b, 33, 65)).toBe(`wkr_00000000000000a1${' '.repeat(12)}`);
    expect(ascii(b, 65, 97)).toBe(`disability_allowance${' '.repeat(12)}`);
    expect(ascii(b, 97, 127)).toBe(`6222000000010001${' '.repeat(14)}`);
    // 张三 is four GBK bytes, then 56 spaces to the field's 60 bytes.
    expect([...b.subarray(127, 131)]).toEqual([0xd5, 0xc5, 0xc8, 0xfd]);
    expect(ascii(b, 131, 187)).toBe(' '.repeat(56));
    // 10 characters, 20 bytes of the bank's 120.
    expect(ascii(b, 207, 307)).toBe(' '.repeat(100));
    expect(ascii(b, 307, 322)).toBe('000000000680000');
    expect([...b.subarray(322)]).toEqual([0x0d, 0x0a]);
  });

  it('the header carries run, city, month, count and total, padded to the record length', () => {
    const h = fixedHeaderRecord({
      runId: 'prl_330100_202509',
      regionCode: '330100',
      month: '2025-09',
      lines: 3,
      totalFen: 1_630_000,
    });
    expect(h.length).toBe(324);
    expect(ascii(h, 0, 68)).toBe(
      `HTCPAY001prl_330100_202509${' '.repeat(7)}33010020250900000003000000001630000`,
    );
    expect(ascii(h, 68, 322)).toBe(' '.repeat(254));
  });
});

describe('fixed-width payment file: names that do not fit', () => {
  it('a name of 30 Chinese characters fills its 60 bytes; 31 is refused, never cut', () => {
    const thirty = '王'.repeat(30);
    expect(fixedDetailRecord(1, { ...line, accountName: thirty }).ok).toBe(true);
    expect(fixedDetailRecord(1, { ...line, accountName: `${thirty}王` })).toEqual({
      ok: false,
      problems: [
        {
          lineId: line.id,
          field: 'account_name',
          reason: 'too_long',
          bytes: 62,
          widthBytes: 60,
        },
      ],
    });
  });

  it('a name GBK cannot carry (𠮷) is refused with the character, not written as "?"', () => {
    expect(fixedDetailRecord(1, { ...line, accountName: '𠮷田' })).toEqual({
      ok: false,
      problems: [
        {
          lineId: line.id,
          field: 'account_name',
          reason: 'unencodable',
          characters: ['U+20BB7'],
          widthBytes: 60,
        },
      ],
    });
  });
});

describe('fixed-width payment file: reading back', () => {
  it('reads back what it wrote (header and lines, names and amounts)', () => {
    const second = {
      ...line,
      id: 'pln_0123456789abcdef0124',
      accountName: '买买提·艾力',
      amountFen: 5,
    };
    const parts = [
      fixedHeaderRecord({
        runId: 'prl_330100_202509',
        regionCode: '330100',
        month: '2025-09',
        lines: 2,
        totalFen: 680_005,
      }),
      ...[line, second].map((l, i) => {
        const r = fixedDetailRecord(i + 1, l);
        if (!r.ok) throw new Error('refused');
        return r.bytes;
      }),
    ];
    const file = readFixedFile(Buffer.concat(parts));
    expect(file.header).toEqual({
      runId: 'prl_330100_202509',
      regionCode: '330100',
      month: '2025-09',
      lines: 2,
      totalFen: 680_005,
    });
    expect(file.details).toEqual([
      { ...line, sequence: 1 },
      { ...second, sequence: 2 },
    ]);
  });
});
