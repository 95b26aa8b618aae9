import { describe, expect, it } from 'vitest';
import { parseReturnFile, paymentFileRow, payrollPayableTransaction } from './payroll-bank.ts';
import {
  coversMonth,
  monthAmountFen,
  monthBounds,
  type PayrollEntitlement,
  payrollLineId,
  payrollLineOf,
} from './payroll-lines.ts';
import { duplicateKindAnomalies, lineAnomalies, type ReviewLine } from './payroll-review.ts';

const SEPT = monthBounds('2025-09');
const base: PayrollEntitlement = {
  id: 'ent_330100_0000000000000001',
  workerId: 'wkr_0000000000000001',
  kind: 'disability_allowance',
  amountFen: 680_000,
  payer: 'fund',
  startsOn: '2025-04-01',
  endsOn: null,
  status: 'active',
};

describe('payable months', () => {
  it('covers a month the dates reach, the fund pays, and no other', () => {
    expect(coversMonth(base, SEPT)).toBe(true);
    expect(coversMonth({ ...base, payer: 'employer' }, SEPT)).toBe(false);
    expect(coversMonth({ ...base, startsOn: '2025-10-01' }, SEPT)).toBe(false);
    expect(coversMonth({ ...base, endsOn: '2025-08-31', status: 'ended' }, SEPT)).toBe(false);
    expect(coversMonth({ ...base, endsOn: '2025-09-01', status: 'ended' }, SEPT)).toBe(true);
    expect(coversMonth({ ...base, status: 'ended' }, SEPT)).toBe(false);
  });

  it('pays a partly covered month whole, or by days rounded half up once', () => {
    const ended = { ...base, endsOn: '2025-09-15', status: 'ended' as const };
    expect(monthAmountFen(ended, SEPT, 'full_month')).toBe(680_000);
    // 680 000 × 15 / 30 = 340 000 exactly.
    expect(monthAmountFen(ended, SEPT, 'pro_rata_days')).toBe(340_000);
    // 100 001 × 10 / 31 = 32 258.387… → 32 258; 100 005 × 10 / 31 = 32 259.677… → 32 260.
    const oct = monthBounds('2025-10');
    const part = { ...base, startsOn: '2025-10-22' };
    expect(monthAmountFen({ ...part, amountFen: 100_001 }, oct, 'pro_rata_days')).toBe(32_258);
    expect(monthAmountFen({ ...part, amountFen: 100_005 }, oct, 'pro_rata_days')).toBe(32_260);
    expect(monthAmountFen(base, SEPT, 'pro_rata_days')).toBe(680_000);
  });

  it('gives a line its account and a stable id; a kind the payroll does not pay gives none', () => {
    const line = payrollLineOf('prl_330100_202509', base, SEPT, 'full_month', null);
    expect(line).toMatchObject({ expenseAccount: '5108', amountFen: 680_000, account: null });
    expect(line?.id).toBe(payrollLineId('prl_330100_202509', base.id));
    expect(line?.id).not.toBe(payrollLineId('prl_330100_202510', base.id));
    expect(
      payrollLineOf('r', { ...base, kind: 'disability_lump_sum' }, SEPT, 'full_month', null),
    ).toBeNull();
  });
});

describe('anomaly guards', () => {
  const line: ReviewLine = {
    id: 'pln_1',
    workerId: 'wkr_1',
    kind: 'disability_allowance',
    amountFen: 680_000,
    hasAccount: true,
    accountValidFrom: '2024-01-01',
    diedOn: null,
  };
  const band = { minFen: 50_000, maxFen: 3_000_000 };

  it('flags a payment after a recorded death, not the month of the death', () => {
    expect(lineAnomalies({ ...line, diedOn: '2025-08-20' }, SEPT, band).map((a) => a.code)).toEqual(
      ['payment_after_death'],
    );
    expect(lineAnomalies({ ...line, diedOn: '2025-09-03' }, SEPT, band)).toEqual([]);
  });

  it('flags an amount outside the band, a missing account, an account changed this month', () => {
    expect(lineAnomalies({ ...line, amountFen: 49_999 }, SEPT, band).map((a) => a.code)).toEqual([
      'amount_out_of_band',
    ]);
    expect(lineAnomalies({ ...line, amountFen: 3_000_000 }, SEPT, band)).toEqual([]);
    expect(
      lineAnomalies({ ...line, hasAccount: false, accountValidFrom: null }, SEPT, band).map(
        (a) => a.code,
      ),
    ).toEqual(['account_missing']);
    expect(
      lineAnomalies({ ...line, accountValidFrom: '2025-09-01' }, SEPT, band).map((a) => a.code),
    ).toEqual(['account_changed_this_month']);
  });

  it('flags two lines of one worker and kind, once, naming both', () => {
    const found = duplicateKindAnomalies([
      line,
      { ...line, id: 'pln_0' },
      { ...line, id: 'pln_2', kind: 'nursing_allowance' },
    ]);
    expect(found).toEqual([
      expect.objectContaining({ code: 'two_payable_of_kind', lineIds: ['pln_0', 'pln_1'] }),
    ]);
  });
});

describe('bank files and postings', () => {
  it('writes a row with quoted names and exact yuan', () => {
    const row = paymentFileRow('prl_330100_202509', '2025-09', {
      id: 'pln_1',
      workerId: 'wkr_1',
      kind: 'nursing_allowance',
      amountFen: 270_005,
      accountName: '张三,"小"',
      bankName: '工行',
      accountNumber: '6222000000010001',
    });
    expect(row).toBe(
      'pln_1,prl_330100_202509,2025-09,wkr_1,nursing_allowance,"张三,""小""",工行,6222000000010001,270005,2700.05\n',
    );
  });

  it('reads a return file with a BOM and CRLF, a quoted reason', () => {
    const r = parseReturnFile(
      '\uFEFFline_id,status,bank_reference,paid_on,reason\r\npln_00000000000000000001,failed,,,"户名不符,退回"\r\n',
    );
    expect(r).toEqual({
      ok: true,
      rows: [{ lineId: 'pln_00000000000000000001', status: 'failed', reason: '户名不符,退回' }],
    });
  });

  it('posts the payable by kind against one credit to 2102; nothing for no line', () => {
    const t = payrollPayableTransaction({
      runId: 'prl_330100_202509',
      segment: '330100',
      effectiveDate: '2025-09-18',
      byKind: [
        { kind: 'disability_allowance', expenseAccount: '5108', lines: 5, amountFen: 2_220_000 },
        { kind: 'nursing_allowance', expenseAccount: '5106', lines: 1, amountFen: 270_000 },
      ],
    });
    expect(t?.postings).toEqual([
      { segment: '330100', account: '5108', side: 'debit', amountFen: 2_220_000 },
      { segment: '330100', account: '5106', side: 'debit', amountFen: 270_000 },
      { segment: '330100', account: '2102', side: 'credit', amountFen: 2_490_000 },
    ]);
    expect(
      payrollPayableTransaction({
        runId: 'r',
        segment: '330100',
        effectiveDate: '2025-09-18',
        byKind: [],
      }),
    ).toBeNull();
  });
});
