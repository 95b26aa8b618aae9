import { describe, expect, it } from 'vitest';
import { validateTransactionRequest } from '../fund/ledger/ledger.ts';
import { parseClearingFile } from './cross-province-clearing.ts';
import { advanceTransaction, clearingTransaction } from './cross-province-postings.ts';

const ID = '11010519491231002X';
const HEADER = 'serial,id_number,case_id,treating_province,institution,category,amount,settled_on';
const bytes = (lines: readonly string[]) =>
  new TextEncoder().encode([HEADER, ...lines].join('\r\n'));

describe('clearing file (费用清算): parse', () => {
  it('reads English headers, quoted fields and yuan into fen', () => {
    const r = parseClearingFile(
      bytes([`SH-1,${ID.toLowerCase()},cas_1,310000,"瑞金医院, 北院",device,12.3,2025-07-01`]),
      '330000',
      '2025-08-01',
    );
    expect(r.ok && r.value).toEqual([
      {
        rowNumber: 1,
        serial: 'SH-1',
        idNumber: ID,
        caseId: 'cas_1',
        treatingProvince: '310000',
        institutionName: '瑞金医院, 北院',
        category: 'device',
        amountFen: 1230,
        settledOn: '2025-07-01',
      },
    ]);
  });

  it('lists every problem of every row, and a missing column, without echoing the ID number', () => {
    const r = parseClearingFile(
      bytes([
        `SH 1,${ID.slice(0, 17)}0,cas_1,330000,医院,travel,0,2025-09-01`,
        `SH-2,${ID},cas_1,310100,医院,dental,1,2025-07-01`,
      ]),
      '330000',
      '2025-08-01',
    );
    const problems = !r.ok ? (r.details?.['problems'] as { row: number; code: string }[]) : [];
    expect(problems.map((p) => `${p.row}:${p.code}`)).toEqual([
      '1:serial_invalid',
      '1:id_number_invalid',
      '1:province_is_ours',
      '1:category_not_covered',
      '1:amount_invalid',
      '1:settled_on_invalid',
      '2:province_invalid',
      '2:category_invalid',
    ]);
    expect(JSON.stringify(problems)).not.toContain(ID.slice(0, 17));
    const header = parseClearingFile(
      new TextEncoder().encode('serial,amount\nx,1'),
      '330000',
      '2025-08-01',
    );
    expect(!header.ok && header.details?.['problems']).toHaveLength(6);
  });
});

describe('cross-province postings balance in every segment', () => {
  it('a clearing row: the city bears the expense, the province uses its advance', () => {
    const t = clearingTransaction({
      city: '330100',
      treatingProvince: '310000',
      serial: 'SH-1',
      category: 'rehabilitation',
      amountFen: 500,
      clearedOn: '2025-07-31',
    });
    expect(validateTransactionRequest(t).ok).toBe(true);
    expect(t.postings.map((p) => `${p.segment} ${p.side} ${p.account}`)).toEqual([
      '330100 debit 5104',
      '330100 credit 2151:330000',
      '330000 debit 1151:330100',
      '330000 credit 1132',
    ]);
    expect(t.id).toBe('settlement:xp:clearing:310000:SH-1');
  });
  it('an advance: Dr 1132 / Cr 1003 in the province', () => {
    const t = advanceTransaction({
      province: '330000',
      advanceId: 'YF-1',
      amountFen: 100,
      paidOn: '2025-07-01',
    });
    expect(validateTransactionRequest(t).ok).toBe(true);
    expect(t.postings.map((p) => `${p.side} ${p.account}`)).toEqual(['debit 1132', 'credit 1003']);
  });
});
