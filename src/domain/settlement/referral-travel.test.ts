import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { referralTravel, tripDays } from './referral-travel.ts';

const rules = testRuleBook().benefits;

// Demo 浙江 standard (settlement.referral_travel.*): lodging cap 40 000 fen a night, meal 10 000 +
// city transport 8 000 = 18 000 fen a travel day.
const capBinding = {
  departOn: '2026-03-02',
  returnOn: '2026-03-05',
  faresFen: 35_000,
  fareReceipts: 2,
  nights: 3,
  lodgingPaidFen: 150_000,
};
const capNotBinding = {
  departOn: '2026-03-20',
  returnOn: '2026-03-21',
  faresFen: 12_000,
  fareReceipts: 1,
  nights: 1,
  lodgingPaidFen: 30_000,
};

describe('转诊 交通、食宿费 (《浙江省工伤保险条例》第二十四条第二款, 差旅费标准 demo)', () => {
  it('counts departure and return days both', () => {
    expect(tripDays(capBinding)).toBe(4);
    expect(tripDays({ departOn: '2026-03-02', returnOn: '2026-03-02' })).toBe(1);
  });
  it('caps lodging at 40 000 × 3 nights: 35 000 + 120 000 + 18 000 × 4 = 227 000', () => {
    const r = referralTravel(rules, '330100', { referredOn: '2026-03-01', trips: [capBinding] });
    expect(r.ok && r.value).toMatchObject({
      faresFen: 35_000,
      lodgingPaidFen: 150_000,
      lodgingAllowedFen: 120_000,
      perDiemFen: 72_000,
      payableFen: 227_000,
    });
    expect(r.ok && r.value.citations.join(' ')).toContain('第二十四条第二款');
  });
  it('pays lodging as paid under the cap: 12 000 + 30 000 + 18 000 × 2 = 78 000; two trips add', () => {
    const one = referralTravel(rules, '330100', {
      referredOn: '2026-03-01',
      trips: [capNotBinding],
    });
    expect(one.ok && [one.value.lodgingAllowedFen, one.value.payableFen]).toEqual([30_000, 78_000]);
    const both = referralTravel(rules, '330100', {
      referredOn: '2026-03-01',
      trips: [capBinding, capNotBinding],
    });
    expect(both.ok && both.value.payableFen).toBe(305_000);
  });
  it('refuses with every problem at once', () => {
    const r = referralTravel(rules, '330100', {
      referredOn: '2026-03-10',
      trips: [{ ...capBinding, nights: 4, fareReceipts: 0 }],
    });
    expect(r.ok).toBe(false);
    const details = JSON.stringify(r.ok ? null : r.details);
    for (const code of ['before_referral', 'fare_without_receipt', 'too_many_nights'])
      expect(details).toContain(`"code":"${code}"`);
  });
});
