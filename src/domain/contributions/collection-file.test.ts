import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckCharacter } from '../../kernel/ids.ts';
import { csvRows, parseCollectionFile, yuanToFen } from './collection-file.ts';

/** A valid credit code (GB 32100): the first organisation check and code check that pass. */
const valid = () => {
  for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
    const code17 = `91330100MA000001${c}`;
    const code = `${code17}${creditCodeCheckCharacter(code17) ?? '0'}`;
    if (checkCreditCode(code).valid) return code;
  }
  throw new Error('no valid code');
};
const header = '税票号,统一社会信用代码,费款所属期,实缴金额,入库日期';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('collection file', () => {
  it('reads yuan exactly as fen, never through a float', () => {
    expect([yuanToFen('8500.00'), yuanToFen('0.1'), yuanToFen('1.005'), yuanToFen('-1')]).toEqual([
      850_000,
      10,
      null,
      null,
    ]);
  });
  it('splits quoted fields with commas, quotes and CRLF', () => {
    expect(csvRows('a,"b,""c""",d\r\n1,2,3\n')).toEqual([
      ['a', 'b,"c"', 'd'],
      ['1', '2', '3'],
    ]);
  });
  it('accepts a BOM, en headers in any order, and YYYYMM months', () => {
    const code = valid();
    const r = parseCollectionFile(
      bytes(`\uFEFFamount,voucher,credit_code,month,paid_on\n12.30,T1,${code},202406,2024-07-01`),
    );
    expect(r.ok && r.value).toEqual([
      {
        rowNumber: 1,
        voucher: 'T1',
        creditCode: code,
        month: '2024-06',
        amountFen: 1_230,
        paidOn: '2024-07-01',
        projectRef: null,
      },
    ]);
  });
  it('reads the optional 项目编号 column: empty is no project, a bad one is a row problem', () => {
    const code = valid();
    const r = parseCollectionFile(
      bytes(
        `${header},项目编号\nT1,${code},2024-06,1,2024-07-01,prj_330100_00000000000000a1\nT2,${code},2024-06,2,2024-07-01,`,
      ),
    );
    expect(r.ok && r.value.map((x) => [x.voucher, x.projectRef])).toEqual([
      ['T1', 'prj_330100_00000000000000a1'],
      ['T2', null],
    ]);
    const bad = parseCollectionFile(
      bytes(`${header},project\nT1,${code},2024-06,1,2024-07-01,项目一`),
    );
    expect(bad.ok || bad.details?.['problems']).toEqual([
      {
        row: 1,
        column: 'project',
        code: 'project_invalid',
        message: expect.stringContaining('项目编号'),
      },
    ]);
  });
  it('refuses a missing column by name, and a repeated voucher by row', () => {
    const noAmount = parseCollectionFile(
      bytes('税票号,统一社会信用代码,费款所属期,入库日期\nT1,x,2024-06,2024-07-01'),
    );
    expect(noAmount.ok || noAmount.message).toContain('amount');
    const code = valid();
    const twice = parseCollectionFile(
      bytes(`${header}\nT1,${code},2024-06,1,2024-07-01\nT1,${code},2024-06,2,2024-07-01`),
    );
    expect(twice.ok || twice.details?.['problems']).toEqual([
      expect.objectContaining({ row: 2, column: 'voucher', code: 'voucher_repeated' }),
    ]);
  });
  it('reads GBK (Excel’s default in China) when the bytes are not UTF-8', () => {
    // "税票号" etc. in GBK: encode via the decoder's inverse is not in Node, so the header is en and
    // a GBK byte pair (0xB2 0xE2 = 测) sits in a field that is not read.
    const code = valid();
    const head = bytes(
      `voucher,credit_code,month,amount,paid_on,note\nT1,${code},2024-06,1.00,2024-07-01,`,
    );
    const gbk = new Uint8Array([...head, 0xb2, 0xe2]);
    const r = parseCollectionFile(gbk);
    expect(r.ok && r.value[0]?.amountFen).toBe(100);
  });
});
