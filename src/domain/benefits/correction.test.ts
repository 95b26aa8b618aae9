import { describe, expect, it } from 'vitest';
import { correctionPlan } from './correction.ts';

const recorded = {
  id: 'ent_330100_0000000000000001',
  kind: 'disability_allowance',
  payer: 'fund' as const,
  amountFen: 456_789,
  startsOn: '2025-03-01',
  endsOn: null,
};
const runMonths = ['2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const paidAt = (fen: number) =>
  ['2025-03', '2025-04', '2025-05', '2025-06'].map((month, i) => ({
    id: `pln_${i}`,
    month,
    paidFen: fen,
  }));

describe('correctionPlan', () => {
  it('an allowance recorded too low from 2025-03, paid March–June: arrears 4 × 8 211', () => {
    const plan = correctionPlan({
      entitlement: recorded,
      after: { amountFen: 465_000, startsOn: '2025-03-01', endsOn: null },
      runMonths,
      paid: paidAt(456_789),
      ruleOf: () => 'full_month',
    });
    expect(plan.months).toEqual(
      ['2025-03', '2025-04', '2025-05', '2025-06'].map((month) => ({
        month,
        paidFen: 456_789,
        dueFen: 465_000,
        differenceFen: 8_211,
        partialMonthRule: 'full_month',
      })),
    );
    expect(plan.arrears).toEqual({ account: '5108', amountFen: 32_844 });
    expect(plan.overpayment).toBeNull();
  });

  it('recorded too high and started a month early: the overpayment names the months and lines', () => {
    const plan = correctionPlan({
      entitlement: { ...recorded, amountFen: 465_000, startsOn: '2025-03-01' },
      after: { amountFen: 456_789, startsOn: '2025-04-01', endsOn: null },
      runMonths,
      paid: paidAt(465_000),
      ruleOf: () => 'full_month',
    });
    // March 465 000 not owed; April–June 8 211 too much each: 465 000 + 3 × 8 211 = 489 633.
    expect(plan.months[0]).toEqual({
      month: '2025-03',
      paidFen: 465_000,
      dueFen: 0,
      differenceFen: -465_000,
      partialMonthRule: 'full_month',
    });
    expect(plan.netFen).toBe(-489_633);
    expect(plan.arrears).toBeNull();
    expect(plan.overpayment).toEqual({
      amountFen: 489_633,
      months: ['2025-03', '2025-04', '2025-05', '2025-06'],
      lineIds: ['pln_0', 'pln_1', 'pln_2', 'pln_3'],
    });
  });
});
