import { describe, expect, it } from 'vitest';
import { type BankReturnLayout, parseBankReturn } from './bank-return.ts';

const layout: BankReturnLayout = {
  idColumn: 'refund_id',
  idPattern: /^crf_[0-9]{6}_[0-9a-f]{16}$/,
  idHint: 'a refund id',
  dayOnFailed: true,
};
const A = 'crf_330100_0123456789abcdef';
const B = 'crf_330100_fedcba9876543210';
const HEADER = 'refund_id,status,bank_reference,paid_on,reason';

describe('the bank return file', () => {
  it('reads paid and failed rows with their row numbers (BOM, CRLF, a quoted reason)', () => {
    const r = parseBankReturn(
      layout,
      `\uFEFF${HEADER}\r\n${A},paid,BANK-1,2024-07-21,\r\n\r\n${B},failed,,2024-07-22,"户名不符, 已退回"\r\n`,
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        { row: 2, id: A, status: 'paid', bankReference: 'BANK-1', paidOn: '2024-07-21' },
        { row: 4, id: B, status: 'failed', reason: '户名不符, 已退回', failedOn: '2024-07-22' },
      ],
    });
  });

  it('lists every problem of every row at once, each with a code', () => {
    const r = parseBankReturn(
      layout,
      `${HEADER}\n${A},paid,B1,2024-07-21,\nx,failed,,,\n${A},paid,B,2024-07-21,\n${B},sent,,,\n${B},paid\n${B},paid,,2024-7-1,\n`,
    );
    expect(r.ok || r.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [3, 'refund_id', 'id'],
      [3, 'reason', 'required'],
      [3, 'paid_on', 'date'],
      [4, 'refund_id', 'duplicate'],
      [5, 'status', 'status'],
      [6, 'row', 'cells'],
      [6, 'bank_reference', 'required'],
      [6, 'paid_on', 'date'],
      [7, 'bank_reference', 'required'],
      [7, 'paid_on', 'date'],
    ]);
  });

  it('refuses a wrong header and a file of no row; a failed row needs no day when the layout says so', () => {
    expect(parseBankReturn(layout, 'line_id,status\n').ok).toBe(false);
    const empty = parseBankReturn(layout, `${HEADER}\n`);
    expect(empty.ok || empty.problems).toEqual([
      { row: 1, field: 'rows', code: 'empty', message: 'the file answers no line' },
    ]);
    const payroll = parseBankReturn(
      { ...layout, dayOnFailed: false },
      `${HEADER}\n${A},failed,,,账户冻结\n`,
    );
    expect(payroll.ok && payroll.rows[0]).toMatchObject({ status: 'failed', failedOn: null });
  });
});
