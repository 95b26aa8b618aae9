import { describe, expect, it } from 'vitest';
import { arrearsByEntitlement, decisionArrearsOf } from './decision-arrears.ts';

const e = (
  kind: string,
  amountFen: number,
  startsOn: string,
  endsOn: string | null = null,
  payer: 'fund' | 'employer' = 'fund',
) => ({ kind, amountFen, payer, startsOn, endsOn });

describe('decisionArrearsOf', () => {
  it('owes each posted month from the start in full, per kind; employer items and later starts left out', () => {
    const a = decisionArrearsOf({
      runMonths: ['2025-05', '2025-06', '2025-07', '2025-08'],
      entitlements: [
        e('disability_allowance', 480_000, '2025-07-01'),
        e('nursing_allowance', 240_000, '2025-08-01'),
        e('disability_allowance', 999_999, '2025-07-01', null, 'employer'),
      ],
    });
    expect(a).toEqual({
      months: [
        { month: '2025-07', kind: 'disability_allowance', dueFen: 480_000 },
        { month: '2025-08', kind: 'disability_allowance', dueFen: 480_000 },
        { month: '2025-08', kind: 'nursing_allowance', dueFen: 240_000 },
      ],
      byKind: [
        { kind: 'disability_allowance', account: '5108', amountFen: 960_000 },
        { kind: 'nursing_allowance', account: '5106', amountFen: 240_000 },
      ],
      totalFen: 1_200_000,
    });
  });

  it('is null when no posted month is on or after the start, or nothing the fund pays', () => {
    expect(
      decisionArrearsOf({
        runMonths: ['2025-06'],
        entitlements: [e('disability_allowance', 480_000, '2025-07-01')],
      }),
    ).toBeNull();
    expect(
      decisionArrearsOf({
        runMonths: ['2025-07'],
        entitlements: [e('disability_allowance', 480_000, '2025-07-01', null, 'employer')],
      }),
    ).toBeNull();
  });

  it('splits survivors’ pensions per dependant and month, ending with an end month', () => {
    const pensions = [
      { id: 'ent_a', ...e('survivor_pension', 220_000, '2025-07-01') },
      { id: 'ent_b', ...e('survivor_pension', 165_000, '2025-07-01', '2025-07-31') },
    ];
    const a = decisionArrearsOf({ runMonths: ['2025-07', '2025-08'], entitlements: pensions });
    if (a === null) throw new Error('no arrears');
    expect(a.months).toEqual([
      { month: '2025-07', kind: 'survivor_pension', dueFen: 385_000 },
      { month: '2025-08', kind: 'survivor_pension', dueFen: 220_000 },
    ]);
    expect(a.byKind).toEqual([{ kind: 'survivor_pension', account: '5111', amountFen: 605_000 }]);
    expect(arrearsByEntitlement(a, pensions)).toEqual([
      { entitlementId: 'ent_a', kind: 'survivor_pension', month: '2025-07', amountFen: 220_000 },
      { entitlementId: 'ent_b', kind: 'survivor_pension', month: '2025-07', amountFen: 165_000 },
      { entitlementId: 'ent_a', kind: 'survivor_pension', month: '2025-08', amountFen: 220_000 },
    ]);
  });
});
