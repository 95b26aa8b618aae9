import { describe, expect, it } from 'vitest';
import {
  deathMonthEnd,
  deathReversalTransactions,
  endedByDeath,
  endsWithDeath,
  overpaymentAfterDeath,
  overpaymentId,
} from './death.ts';

const active = (kind: string, startsOn: string) => ({
  id: 'ent_1',
  kind,
  startsOn,
  endsOn: null,
  status: 'active' as const,
});

describe('《工伤保险条例》第三十九条: the worker’s own items end with the month of death', () => {
  it('ends on the last day of the month of death, leap February included', () => {
    expect(deathMonthEnd('2025-07-10')).toBe('2025-07-31');
    expect(deathMonthEnd('2024-02-03')).toBe('2024-02-29');
    expect(deathMonthEnd('2025-02-28')).toBe('2025-02-28');
    expect(endedByDeath(active('disability_allowance', '2025-04-01'), '2025-07-10')).toEqual({
      endsOn: '2025-07-31',
      status: 'ended',
    });
    expect(endedByDeath(active('nursing_allowance', '2025-04-01'), '2025-07-31')).toEqual({
      endsOn: '2025-07-31',
      status: 'ended',
    });
  });

  it('leaves the survivors’ pension and an item already ended by then alone', () => {
    expect(endsWithDeath('survivor_pension')).toBe(false);
    expect(endedByDeath(active('survivor_pension', '2025-04-01'), '2025-07-10')).toBeNull();
    const ended = { ...active('disability_allowance', '2025-04-01'), endsOn: '2025-06-30' };
    expect(endedByDeath({ ...ended, status: 'ended' }, '2025-07-10')).toBeNull();
  });

  it('cuts an end later than the death month, and voids an item starting after it', () => {
    const later = { ...active('disability_allowance', '2025-04-01'), endsOn: '2026-12-31' };
    expect(endedByDeath(later, '2025-07-10')).toEqual({ endsOn: '2025-07-31', status: 'ended' });
    expect(endedByDeath(active('disability_allowance', '2025-08-01'), '2025-07-10')).toEqual({
      endsOn: null,
      status: 'ended',
    });
  });
});

describe('overpayment: months paid after the month of death', () => {
  // Died 2025-07-10; 伤残津贴 680 000 fen a month paid for 07 (due), 08 and 09 (bank confirmed),
  // 10 sent and unanswered, 11 failed by the bank: 08 + 09 + 10 = 3 × 680 000 = 2 040 000 fen.
  const lines = [
    { id: 'pln_b', month: '2025-09', amountFen: 680_000, status: 'paid' as const },
    { id: 'pln_a', month: '2025-07', amountFen: 680_000, status: 'paid' as const },
    { id: 'pln_c', month: '2025-08', amountFen: 680_000, status: 'paid' as const },
    { id: 'pln_d', month: '2025-10', amountFen: 680_000, status: 'issued' as const },
    { id: 'pln_e', month: '2025-11', amountFen: 680_000, status: 'failed' as const },
  ];

  it('counts paid and sent lines after the death month, to the fen, in month order', () => {
    expect(overpaymentAfterDeath(lines, '2025-07-10')).toEqual({
      months: ['2025-08', '2025-09', '2025-10'],
      lineIds: ['pln_c', 'pln_b', 'pln_d'],
      amountFen: 2_040_000,
    });
  });

  it('is nothing when the death month is the last paid', () => {
    expect(overpaymentAfterDeath(lines.slice(0, 2), '2025-09-30')).toBeNull();
  });

  it('has a stable id per entitlement', () => {
    expect(overpaymentId('330100', 'ent_1')).toMatch(/^ovp_[0-9a-f]{20}$/);
    expect(overpaymentId('330100', 'ent_1')).toBe(overpaymentId('330100', 'ent_1'));
    expect(overpaymentId('330100', 'ent_1')).not.toBe(overpaymentId('330100', 'ent_2'));
  });
});

describe('reversal of failed lines after the death: Dr 2102 / Cr 51xx per city', () => {
  it('sums by expense account and city, leaves the death month alone', () => {
    const line = (regionCode: string, id: string, month: string, account: string, fen: number) => ({
      regionCode,
      id,
      month,
      expenseAccount: account,
      amountFen: fen,
    });
    const requests = deathReversalTransactions({
      workerId: 'wkr_1',
      diedOn: '2025-08-10',
      on: '2025-10-01',
      lines: [
        line('330100', 'pln_a', '2025-08', '5108', 680_000),
        line('330100', 'pln_b', '2025-09', '5108', 680_000),
        line('330100', 'pln_c', '2025-09', '5106', 270_000),
        line('330100', 'pln_d', '2025-10', '5108', 680_000),
      ],
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      id: 'benefit-death:wkr_1:330100:reversal',
      effectiveDate: '2025-10-01',
      postings: [
        { segment: '330100', account: '2102', side: 'debit', amountFen: 1_630_000 },
        { segment: '330100', account: '5106', side: 'credit', amountFen: 270_000 },
        { segment: '330100', account: '5108', side: 'credit', amountFen: 1_360_000 },
      ],
    });
    expect(
      deathReversalTransactions({
        workerId: 'w',
        diedOn: '2025-09-30',
        on: '2025-10-01',
        lines: [],
      }),
    ).toEqual([]);
  });
});
