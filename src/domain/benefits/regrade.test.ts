import { describe, expect, it } from 'vitest';
import type { ItemCode } from '../../rules/calculator/index.ts';
import {
  arrearsOf,
  endingsOf,
  lumpSumAdjustment,
  moneyOf,
  regradePayableTransaction,
} from './regrade.ts';

const item = (code: ItemCode, amountFen: number, payer: 'fund' | 'employer' = 'fund') => ({
  code,
  amountFen,
  payer,
});

describe('regrade endings and lump sum (pure)', () => {
  it('ends running entitlements the day before the new start, replaces whole those starting with it', () => {
    const old = [
      { id: 'a', kind: 'disability_allowance', startsOn: '2025-07-01', endsOn: null },
      { id: 'b', kind: 'nursing_allowance', startsOn: '2025-09-01', endsOn: null },
      { id: 'c', kind: 'survivor_pension', startsOn: '2025-01-01', endsOn: '2025-05-31' },
    ];
    expect(endingsOf(old, '2025-09-01')).toEqual([
      { id: 'a', kind: 'disability_allowance', endsOn: '2025-08-31' },
      { id: 'b', kind: 'nursing_allowance', endsOn: null },
    ]);
  });

  it("adjusts the 一次性伤残补助金 by the difference, holds a lower grade's excess, or leaves it", () => {
    const grade7 = [item('disability_lump_sum', 7_800_000)];
    const grade5 = [
      item('disability_lump_sum', 10_800_000),
      item('disability_allowance', 420_000, 'employer'),
    ];
    expect(lumpSumAdjustment('difference', grade7, grade5)).toEqual({
      previousFen: 7_800_000,
      newFen: 10_800_000,
      differenceFen: 3_000_000,
      outcome: 'pay',
    });
    expect(lumpSumAdjustment('difference', grade5, grade7)).toMatchObject({
      differenceFen: -3_000_000,
      outcome: 'hold',
    });
    expect(lumpSumAdjustment('unchanged', grade7, grade5)).toMatchObject({
      differenceFen: 0,
      outcome: 'unchanged',
    });
    expect(lumpSumAdjustment('difference', grade7, grade7).outcome).toBe('none');
  });
});

describe('regrade arrears and money (pure)', () => {
  it('owes, per posted month from the start, the new fund amount minus what the old lines paid', () => {
    const arrears = arrearsOf({
      startsOn: '2025-08-01',
      runMonths: ['2025-07', '2025-08', '2025-09'],
      paid: [
        { month: '2025-07', kind: 'disability_allowance', amountFen: 450_000 },
        { month: '2025-08', kind: 'disability_allowance', amountFen: 450_000 },
        { month: '2025-09', kind: 'disability_allowance', amountFen: 450_000 },
      ],
      entitlements: [
        {
          kind: 'disability_allowance',
          amountFen: 480_000,
          payer: 'fund',
          startsOn: '2025-08-01',
          endsOn: null,
        },
        {
          kind: 'employer_item',
          amountFen: 9,
          payer: 'employer',
          startsOn: '2025-08-01',
          endsOn: null,
        },
      ],
    });
    expect(arrears).toEqual([
      {
        month: '2025-08',
        kind: 'disability_allowance',
        dueFen: 480_000,
        paidFen: 450_000,
        differenceFen: 30_000,
      },
      {
        month: '2025-09',
        kind: 'disability_allowance',
        dueFen: 480_000,
        paidFen: 450_000,
        differenceFen: 30_000,
      },
    ]);
  });

  it('a kind no longer due after a lower grade is owed back: held for a person, never posted', () => {
    const arrears = arrearsOf({
      startsOn: '2025-07-01',
      runMonths: ['2025-07'],
      paid: [{ month: '2025-07', kind: 'disability_allowance', amountFen: 450_000 }],
      entitlements: [],
    });
    const money = moneyOf(
      { previousFen: 5, newFen: 5, differenceFen: 0, outcome: 'none' },
      arrears,
    );
    expect(money).toEqual({
      postings: [],
      held: [
        {
          code: 'disability_allowance',
          amountFen: 450_000,
          reason: 'months_paid_above_new_amount',
        },
      ],
      fundTotalFen: 0,
    });
    expect(
      regradePayableTransaction({
        decisionId: 'bdc_410100_0000000000000000',
        segment: '410100',
        effectiveDate: '2025-08-01',
        snapshotId: 'a'.repeat(64),
        postings: money.postings,
      }),
    ).toBeNull();
  });
});

describe('regrade payable (pure)', () => {
  it("posts a higher grade's difference and positive arrears as one balanced payable", () => {
    const money = moneyOf({ previousFen: 1, newFen: 3, differenceFen: 2, outcome: 'pay' }, [
      { month: '2025-08', kind: 'disability_allowance', dueFen: 5, paidFen: 4, differenceFen: 1 },
    ]);
    expect(money.fundTotalFen).toBe(3);
    const tx = regradePayableTransaction({
      decisionId: 'bdc_410100_0000000000000000',
      segment: '410100',
      effectiveDate: '2025-08-01',
      snapshotId: 'a'.repeat(64),
      postings: money.postings,
    });
    expect(tx?.id).toBe('benefit-decision:bdc_410100_0000000000000000:approved');
    expect(tx?.postings.map((p) => [p.account, p.side, p.amountFen])).toEqual([
      ['5107', 'debit', 2],
      ['2102', 'credit', 2],
      ['5108', 'debit', 1],
      ['2102', 'credit', 1],
    ]);
  });
});
