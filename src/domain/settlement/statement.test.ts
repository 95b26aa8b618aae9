import { describe, expect, it } from 'vitest';
import {
  computeStatement,
  deductionTransaction,
  paymentTransactions,
  type StatementSettlement,
  statementPayload,
} from './statement.ts';

const settlement = (
  serial: string,
  regionCode: string,
  fundFen: number,
  kind: 'settlement' | 'reversal' = 'settlement',
): StatementSettlement => ({
  regionCode,
  id: `stl_${serial}`,
  serial,
  kind,
  claimedFen: fundFen,
  fundFen,
});

const base = { institutionId: 'INST-330100-0001', month: '2025-09', guaranteeShare: '0.05' };

describe('computeStatement', () => {
  it('rounds the guarantee half up once per segment: 5 % of 30 001 fen is 1 500, of 30 010 is 1 501', () => {
    const s = computeStatement({
      ...base,
      settlements: [settlement('A', '330100', 30_001), settlement('B', '330200', 30_010)],
      deductions: [],
      declared: null,
    });
    expect(s.segments.map((x) => [x.segment, x.guaranteeFen, x.payableFen])).toEqual([
      ['330100', 1_500, 28_501],
      ['330200', 1_501, 28_509],
    ]);
    expect(s.totals.guaranteeFen).toBe(3_001);
    expect(s.reconciliation).toEqual({ status: 'not_declared' });
  });

  it('nets reversals in count and amount, and retains nothing from a segment owing nothing', () => {
    const s = computeStatement({
      ...base,
      settlements: [
        settlement('A', '330100', 7_000),
        settlement('R', '330100', -7_000, 'reversal'),
      ],
      deductions: [],
      declared: { settlementCount: 0, fundFen: 0, detail: null },
    });
    expect(s.totals).toMatchObject({
      settlementCount: 1,
      reversalCount: 1,
      netCount: 0,
      fundFen: 0,
    });
    expect(s.segments).toEqual([
      { segment: '330100', fundFen: 0, deductedFen: 0, guaranteeFen: 0, payableFen: 0 },
    ]);
    expect(s.reconciliation.status).toBe('reconciled');
  });

  it('pays fund − deductions − guarantee, and lists the differing settlements by serial', () => {
    const s = computeStatement({
      ...base,
      settlements: [settlement('A', '330100', 10_000), settlement('B', '330100', 5_000)],
      deductions: [
        { regionCode: '330100', settlementId: 'stl_A', lineNo: 1, deductedFen: 1_000, reason: 'x' },
      ],
      declared: {
        settlementCount: 2,
        fundFen: 15_500,
        detail: [
          { serial: 'A', fundFen: 10_000 },
          { serial: 'B', fundFen: 5_000 },
          { serial: 'C', fundFen: 500 },
        ],
      },
    });
    expect(s.totals).toMatchObject({ deductedFen: 1_000, guaranteeFen: 700, payableFen: 13_300 });
    expect(s.reconciliation).toMatchObject({
      status: 'differs',
      differences: [{ serial: 'C', oursFen: null, theirsFen: 500 }],
    });
  });
});

describe('ledger requests', () => {
  it('a deduction debits 2101 and credits the line category’s expense in its segment', () => {
    const r = deductionTransaction({
      regionCode: '330100',
      settlementId: 'stl_1',
      lineNo: 2,
      category: 'device',
      amountFen: 1_500,
      effectiveDate: '2025-09-20',
    });
    expect(r.id).toBe('settlement-review:330100:stl_1:2:deducted');
    expect(r.postings.map((p) => [p.account, p.side, p.amountFen])).toEqual([
      ['2101', 'debit', 1_500],
      ['5105', 'credit', 1_500],
    ]);
  });

  it('the payment posts Dr 2101 / Cr 1003 per segment with a payable, ids from the statement', () => {
    const s = computeStatement({
      ...base,
      settlements: [settlement('A', '330100', 10_000), settlement('B', '330200', 0)],
      deductions: [],
      declared: null,
    });
    const txs = paymentTransactions(statementPayload(s), '2025-10-20');
    expect(txs.map((t) => t.id)).toEqual([
      'settlement-statement:INST-330100-0001:2025-09:paid:330100',
    ]);
    expect(txs[0]?.postings.map((p) => [p.segment, p.account, p.side, p.amountFen])).toEqual([
      ['330100', '2101', 'debit', 9_500],
      ['330100', '1003', 'credit', 9_500],
    ]);
  });
});
