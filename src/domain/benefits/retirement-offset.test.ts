import { describe, expect, it } from 'vitest';
import type { PaidLine } from './death.ts';
import { accountLeftAt, backDatedNet, offsetPlan, successorDue } from './retirement-offset.ts';

const HZ = '330100';
const allowance = { id: 'ent_330100_00000000000000a1', amountFen: 400_000, endsOn: null };

/**
 * 《浙江省工伤保险条例》第二十六条第二款 by hand: 伤残津贴 4 000.00, account 10 000.00, offset 1 500.00 a
 * month, the age reached in 2025-07. 10 000 ÷ 1 500 = 6 whole months (9 000.00), 1 000.00 left:
 * 2025-08…2026-01 pay 4 000 − 1 500 = 2 500.00; 2026-02 pays 4 000 − 1 000 = 3 000.00; from
 * 2026-03 the whole 4 000.00.
 */
const plan = offsetPlan({
  regionCode: HZ,
  retirementId: 'ret_00000000000000000001',
  allowance,
  account: { balanceFen: 1_000_000, monthlyOffsetFen: 150_000 },
  firstMonth: '2025-08',
});

describe('the allowance net of the personal account (浙江 第二十六条第二款)', () => {
  it('pays 2 500.00 × 6, then 3 000.00 once, then 4 000.00', () => {
    expect(plan).toMatchObject({ fullMonths: 6, lastOffsetFen: 100_000, months: 7 });
    expect(
      plan.rows.map(({ amountFen, startsOn, endsOn, status }) => [
        amountFen,
        startsOn,
        endsOn,
        status,
      ]),
    ).toEqual([
      [250_000, '2025-08-01', '2026-01-31', 'ended'],
      [300_000, '2026-02-01', '2026-02-28', 'ended'],
      [400_000, '2026-03-01', null, 'active'],
    ]);
    // Offsets: 6 × 1 500 + 1 000 = 10 000.00, the balance.
    const offsets = ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02']
      .map((m) => 400_000 - successorDue(plan.rows, m))
      .reduce((s, x) => s + x, 0);
    expect(offsets).toBe(1_000_000);
    expect(successorDue(plan.rows, '2027-05')).toBe(400_000);
    expect(new Set(plan.rows.map((r) => r.id)).size).toBe(3);
  });

  it('has no remainder month when the offset divides the balance', () => {
    const even = offsetPlan({
      regionCode: HZ,
      retirementId: 'ret_00000000000000000001',
      allowance,
      account: { balanceFen: 900_000, monthlyOffsetFen: 150_000 },
      firstMonth: '2025-08',
    });
    expect(even).toMatchObject({ fullMonths: 6, lastOffsetFen: 0, months: 6 });
    expect(even.rows.map((r) => [r.amountFen, r.startsOn, r.endsOn])).toEqual([
      [250_000, '2025-08-01', '2026-01-31'],
      [400_000, '2026-02-01', null],
    ]);
  });

  it('stops at the allowance’s own end', () => {
    const cut = offsetPlan({
      regionCode: HZ,
      retirementId: 'ret_00000000000000000001',
      allowance: { ...allowance, endsOn: '2025-09-30' },
      account: { balanceFen: 1_000_000, monthlyOffsetFen: 150_000 },
      firstMonth: '2025-08',
    });
    expect(cut.rows.map((r) => [r.amountFen, r.startsOn, r.endsOn, r.status])).toEqual([
      [250_000, '2025-08-01', '2025-09-30', 'active'],
    ]);
  });

  it('leaves the heirs what was not offset through the month of death', () => {
    // Died in 2025-10: 08, 09, 10 offset 3 × 1 500 = 4 500.00; 5 500.00 left.
    expect(accountLeftAt(plan, '2025-10-20')).toBe(550_000);
    // Died in 2026-02 or later: all of it offset.
    expect(accountLeftAt(plan, '2026-02-01')).toBe(0);
    // Died in the month the age was reached: nothing offset yet.
    expect(accountLeftAt(plan, '2025-07-31')).toBe(1_000_000);
  });
});

describe('a back-dated retirement nets the allowance paid against the successor owed', () => {
  const line = (month: string, status: PaidLine['status'] = 'paid'): PaidLine => ({
    id: `pln_${month}`,
    month,
    amountFen: 400_000,
    status,
  });

  it('two months paid at 4 000.00 against a difference of 1 000.00: 6 000.00 to recover', () => {
    // Pension 3 000.00: the difference is 4 000 − 3 000 = 1 000.00 from 2025-08.
    const topUp = [{ amountFen: 100_000, startsOn: '2025-08-01', endsOn: null }];
    const net = backDatedNet(
      [line('2025-07'), line('2025-08'), line('2025-09', 'issued')],
      '2025-07-15',
      (m) => successorDue(topUp, m),
    );
    expect(net).toEqual({
      months: ['2025-08', '2025-09'],
      paidMonths: ['2025-08', '2025-09'],
      lineIds: ['pln_2025-08', 'pln_2025-09'],
      overpaidFen: 800_000,
      arrearsFen: 200_000,
      netFen: -600_000,
    });
  });

  it('a failed month paid nothing: the difference is still owed for it', () => {
    // 08 paid, 09 sent, 10 failed: 2 × 4 000.00 paid, 3 × 1 000.00 owed, 5 000.00 to recover.
    const topUp = [{ amountFen: 100_000, startsOn: '2025-08-01', endsOn: null }];
    const net = backDatedNet(
      [line('2025-08'), line('2025-09', 'issued'), line('2025-10', 'failed')],
      '2025-07-15',
      (m) => successorDue(topUp, m),
    );
    expect(net).toMatchObject({
      months: ['2025-08', '2025-09', '2025-10'],
      paidMonths: ['2025-08', '2025-09'],
      overpaidFen: 800_000,
      arrearsFen: 300_000,
      netFen: -500_000,
    });
  });

  it('nothing paid after the month: null', () => {
    expect(backDatedNet([line('2025-07')], '2025-07-15', () => 0)).toBeNull();
  });
});
