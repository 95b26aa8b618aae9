import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTransactionRequest } from './ledger.ts';
import { planOpeningBalanceTakeover, type TakeoverInput } from './opening-balance-takeover.ts';

const base: TakeoverInput = {
  city: '330100',
  rule: 'transfer_all',
  balanceFen: 1_000_001,
  effectiveDate: '2024-01-01',
};

function plan(input: TakeoverInput) {
  const r = planOpeningBalanceTakeover(input);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('原基金结余 take-over', () => {
  it('transfer_all moves the whole balance to the province through due accounts', () => {
    const p = plan(base);
    expect(p).toMatchObject({ targetSegment: '330000', transferredFen: 1_000_001, keptFen: 0 });
    expect(p.transactions.map((t) => t.id)).toEqual([
      'opening:330100:recognise',
      'opening:330100:transfer',
    ]);
    expect(p.transactions[1]!.postings).toEqual([
      { segment: '330100', account: '3001', side: 'debit', amountFen: 1_000_001 },
      { segment: '330100', account: '2151:330000', side: 'credit', amountFen: 1_000_001 },
      { segment: '330000', account: '1151:330100', side: 'debit', amountFen: 1_000_001 },
      { segment: '330000', account: '3001', side: 'credit', amountFen: 1_000_001 },
    ]);
  });

  it('transfer_share rounds the transferred part half-up; the rest stays', () => {
    const p = plan({ ...base, rule: 'transfer_share', share: '0.4', target: 'adjustment' });
    // 0.4 × 1 000 001 = 400 000.4 → 400 000.
    expect(p).toMatchObject({
      targetSegment: '330000-ADJ',
      transferredFen: 400_000,
      keptFen: 600_001,
    });
  });

  it('keep_at_city_use_first only recognises the balance at the city', () => {
    const p = plan({ ...base, rule: 'keep_at_city_use_first' });
    expect(p).toMatchObject({ transferredFen: 0, keptFen: 1_000_001 });
    expect(p.transactions.map((t) => t.id)).toEqual(['opening:330100:recognise']);
  });

  it.each([
    [{ rule: 'transfer_share' as const }, /share/],
    [{ rule: 'transfer_share' as const, share: '1' }, /strictly between 0 and 1/],
    [{ rule: 'transfer_all' as const, share: '0.5' }, /only for transfer_share/],
    [{ balanceFen: -1 }, /≥ 0/],
  ])('refuses %j', (over, message) => {
    const r = planOpeningBalanceTakeover({ ...base, ...over });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('property: every transaction is valid and balanced per segment; transferred + kept = balance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e13 }),
        fc.constantFrom('transfer_all', 'transfer_share', 'keep_at_city_use_first'),
        fc.integer({ min: 1, max: 999 }),
        (balanceFen, rule, permille) => {
          const share =
            rule === 'transfer_share' ? `0.${String(permille).padStart(3, '0')}` : undefined;
          const p = plan({ ...base, balanceFen, rule, share });
          expect(p.transferredFen + p.keptFen).toBe(balanceFen);
          for (const t of p.transactions) expect(validateTransactionRequest(t).ok).toBe(true);
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});
