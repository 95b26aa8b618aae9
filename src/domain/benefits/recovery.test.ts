import { describe, expect, it } from 'vitest';
import { validateTransactionRequest } from '../fund/ledger/ledger.ts';
import {
  offsetLines,
  offsetSchedule,
  recognitionTransaction,
  recoveryId,
  repaymentTransaction,
} from './recovery.ts';

describe('《社会保险经办条例》第四十六条: an offset against the person’s later payments', () => {
  it('takes 1 360 000 fen at 200 000 a month from a 680 000 allowance in 7 months', () => {
    // 6 × 200 000 = 1 200 000, the 7th month the rest: 1 360 000 − 1 200 000 = 160 000.
    const months = offsetSchedule({
      balanceFen: 1_360_000,
      monthlyFen: 200_000,
      monthPaymentFen: 680_000,
    });
    expect(months).toEqual([200_000, 200_000, 200_000, 200_000, 200_000, 200_000, 160_000]);
    expect(months.reduce((s, d) => s + d, 0)).toBe(1_360_000);
  });

  it('splits the month over the lines in id order, never emptying a line, the rest carried', () => {
    // 伤残津贴 680 000 and 生活护理费 270 000 a month; 200 000 a month, 900 000 owed: the first line.
    const lines = [
      { id: 'pln_a', amountFen: 680_000 },
      { id: 'pln_b', amountFen: 270_000 },
    ];
    expect(offsetLines(lines, { monthLeftFen: 200_000, balanceFen: 900_000 })).toEqual([
      { line: lines[0], offsetFen: 200_000 },
    ]);
    // The last 50 000 of the balance: 50 000, whatever the month allows.
    expect(offsetLines(lines, { monthLeftFen: 200_000, balanceFen: 50_000 })).toEqual([
      { line: lines[0], offsetFen: 50_000 },
    ]);
    // 700 000 a month would empty either line: nothing is taken (the proposal refuses such a month).
    expect(offsetLines(lines, { monthLeftFen: 700_000, balanceFen: 900_000 })).toEqual([]);
    // A pro-rata line of 100 000 the month's 200 000 would empty is paid whole; the next line gives it.
    const split = [
      { id: 'pln_a', amountFen: 100_000 },
      { id: 'pln_b', amountFen: 680_000 },
    ];
    expect(offsetLines(split, { monthLeftFen: 200_000, balanceFen: 900_000 })).toEqual([
      { line: split[1], offsetFen: 200_000 },
    ]);
    // Two lines share a month: 600 000 a month over 500 000 and 680 000 → 0 (would empty), 600 000.
    // With 300 000 a month: 300 000 from the first line, none left for the second.
    const two = [
      { id: 'pln_a', amountFen: 500_000 },
      { id: 'pln_b', amountFen: 680_000 },
    ];
    expect(offsetLines(two, { monthLeftFen: 300_000, balanceFen: 900_000 })).toEqual([
      { line: two[0], offsetFen: 300_000 },
    ]);
  });

  it('ends when nothing can be taken (a month larger than the payment)', () => {
    expect(
      offsetSchedule({ balanceFen: 500_000, monthlyFen: 700_000, monthPaymentFen: 680_000 }),
    ).toEqual([500_000]);
    expect(
      offsetSchedule({ balanceFen: 900_000, monthlyFen: 700_000, monthPaymentFen: 680_000 }),
    ).toEqual([]);
  });
});

describe('the ledger of a recovery', () => {
  it('recognises the receivable against the overpaid months’ expense, and repays it in cash', () => {
    const id = recoveryId('330100', 'apr_1');
    expect(id).toMatch(/^brc_[0-9a-f]{20}$/);
    expect(recoveryId('330100', 'apr_1')).toBe(id);
    const recognised = recognitionTransaction({
      recoveryId: id,
      overpaymentId: 'ovp_1',
      segment: '330100',
      effectiveDate: '2025-10-20',
      expenseAccount: '5108',
      amountFen: 1_360_000,
      method: 'order',
    });
    expect(validateTransactionRequest(recognised).ok).toBe(true);
    expect(recognised.postings.map((p) => [p.account, p.side, p.amountFen])).toEqual([
      ['1132', 'debit', 1_360_000],
      ['5108', 'credit', 1_360_000],
    ]);
    const repaid = repaymentTransaction({
      recoveryId: id,
      repaymentId: 'brp_1',
      segment: '330100',
      paidOn: '2025-11-03',
      amountFen: 1_000_000,
      reference: 'BANK-1',
    });
    expect(repaid.id).toBe(`benefit-recovery:${id}:repayment:brp_1`);
    expect(repaid.postings.map((p) => [p.account, p.side, p.amountFen])).toEqual([
      ['1003', 'debit', 1_000_000],
      ['1132', 'credit', 1_000_000],
    ]);
  });
});
