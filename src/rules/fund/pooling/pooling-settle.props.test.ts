import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AdjustmentFundSettleInput, settlePooling } from './pooling-settle.ts';

/**
 * Properties of the adjustment-fund year-end run on random inputs, plus an independent oracle: the
 * formula re-derived here with plain bigint arithmetic (half-up as ⌊(2·n·a + d) / 2d⌋ and a
 * hand-written largest remainder), sharing no code with the implementation.
 */
const SEED = 20250101;
const RUNS = 400;

/** A rate in [0, 1] with up to 4 decimals, as a decimal string. */
const rate = fc.integer({ min: 0, max: 10_000 }).map((n) => {
  const s = String(n).padStart(5, '0');
  return `${s.slice(0, 1)}.${s.slice(1)}`;
});

const amount = (max: number) => fc.integer({ min: 0, max });

const city = fc.record({
  contributionIncomeFen: amount(50_000_000),
  otherIncomeFen: amount(5_000_000),
  expenditureFen: amount(80_000_000),
  openingBalanceFen: fc.integer({ min: -5_000_000, max: 20_000_000 }),
  managementGapFen: amount(10_000_000),
});

const input: fc.Arbitrary<AdjustmentFundSettleInput> = fc
  .record({
    rules: fc.record({ remittanceRate: rate, reserveRate: rate, policyGapCoverageShare: rate }),
    adjustmentFundOpeningFen: amount(20_000_000),
    codes: fc.uniqueArray(fc.integer({ min: 100, max: 999 }), { minLength: 1, maxLength: 12 }),
    cities: fc.array(city, { minLength: 12, maxLength: 12 }),
  })
  .map((r) => ({
    mode: 'adjustment_fund' as const,
    year: 2025,
    rules: r.rules,
    adjustmentFundOpeningFen: r.adjustmentFundOpeningFen,
    cities: r.codes.map((c, i) => ({ code: `330${c}`, ...r.cities[i]! })),
  }));

function decimalParts(text: string): { n: bigint; d: bigint } {
  const [whole, frac = ''] = text.split('.');
  return { n: BigInt(`${whole}${frac}`), d: 10n ** BigInt(frac.length) };
}

function halfUp(rateText: string, a: bigint): bigint {
  const { n, d } = decimalParts(rateText);
  return (2n * n * a + d) / (2n * d);
}

/** The oracle: coverage per city code. */
function oracle(inp: AdjustmentFundSettleInput) {
  const rows = inp.cities.map((c) => {
    const ci = BigInt(c.contributionIncomeFen);
    const remittance = halfUp(inp.rules.remittanceRate, ci);
    const reserve = halfUp(inp.rules.reserveRate, ci);
    const closing =
      BigInt(c.openingBalanceFen) +
      ci +
      BigInt(c.otherIncomeFen) -
      BigInt(c.expenditureFen) -
      remittance -
      reserve;
    const gap = closing < 0n ? -closing : 0n;
    const mg = BigInt(c.managementGapFen);
    const policy = gap - (mg < gap ? mg : gap);
    const claim = halfUp(inp.rules.policyGapCoverageShare, policy);
    return { code: c.code, remittance, reserve, closing, gap, claim, coverage: 0n };
  });
  const available =
    BigInt(inp.adjustmentFundOpeningFen) + rows.reduce((s, r) => s + r.remittance, 0n);
  const totalClaim = rows.reduce((s, r) => s + r.claim, 0n);
  if (totalClaim <= available) for (const r of rows) r.coverage = r.claim;
  else {
    const sorted = [...rows].sort((a, b) => (a.code < b.code ? -1 : 1));
    let given = 0n;
    for (const r of sorted) {
      r.coverage = (available * r.claim) / totalClaim;
      given += r.coverage;
    }
    const byRemainder = sorted
      .map((r, i) => ({ r, i, rem: available * r.claim - r.coverage * totalClaim }))
      .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
    for (const { r } of byRemainder.slice(0, Number(available - given))) r.coverage += 1n;
  }
  return { rows, available };
}

const params = { seed: SEED, numRuns: RUNS };

describe('settlePooling properties', () => {
  it('agrees with an independent bigint oracle, field by field', () => {
    fc.assert(
      fc.property(input, (inp) => {
        const out = settlePooling(inp);
        const o = oracle(inp);
        expect(out.availableFen).toBe(Number(o.available));
        out.cities.forEach((c, i) => {
          const r = o.rows[i]!;
          expect(c.code).toBe(r.code);
          expect([
            c.remittanceFen,
            c.reserveFen,
            c.closingBeforeCoverageFen,
            c.gapFen,
            c.claimFen,
            c.coverageFen,
          ]).toEqual([r.remittance, r.reserve, r.closing, r.gap, r.claim, r.coverage].map(Number));
        });
      }),
      params,
    );
  });

  it('Σ coverage ≤ available; 0 ≤ coverage ≤ claim; coverage + city share = gap; fund closing ≥ 0', () => {
    fc.assert(
      fc.property(input, (inp) => {
        const out = settlePooling(inp);
        const covered = out.cities.reduce((s, c) => s + c.coverageFen, 0);
        expect(covered).toBeLessThanOrEqual(out.availableFen);
        for (const c of out.cities) {
          expect(c.coverageFen).toBeGreaterThanOrEqual(0);
          expect(c.coverageFen).toBeLessThanOrEqual(c.claimFen);
          expect(c.claimFen).toBeLessThanOrEqual(c.policyPartFen);
          expect(c.coverageFen + c.cityGovernmentShareFen).toBe(c.gapFen);
          expect(c.managementPartFen + c.policyPartFen).toBe(c.gapFen);
          expect(c.gapFen).toBe(Math.max(0, -c.closingBeforeCoverageFen));
        }
        expect(out.adjustmentFundClosingFen).toBeGreaterThanOrEqual(0);
        expect(out.adjustmentFundClosingFen).toBe(out.availableFen - covered);
      }),
      params,
    );
  });

  it('a sufficient fund covers every claim; an insufficient one is spent exactly, within 1 fen of proportional', () => {
    fc.assert(
      fc.property(input, (inp) => {
        const out = settlePooling(inp);
        const claims = out.totals.claimFen;
        if (claims <= out.availableFen) {
          expect(out.coverageBasis).toBe('full');
          for (const c of out.cities) expect(c.coverageFen).toBe(c.claimFen);
        } else {
          expect(out.coverageBasis).toBe('prorated');
          expect(out.totals.coverageFen).toBe(out.availableFen);
          for (const c of out.cities) {
            const diff =
              BigInt(c.coverageFen) * BigInt(claims) -
              BigInt(out.availableFen) * BigInt(c.claimFen);
            expect(diff > -BigInt(claims) && diff < BigInt(claims)).toBe(true);
          }
        }
      }),
      params,
    );
  });

  it('is deterministic and independent of the input order of the cities', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 1000 }), (inp, shift) => {
        const a = settlePooling(inp);
        expect(settlePooling(structuredClone(inp))).toEqual(a);
        const n = inp.cities.length;
        const rotated = { ...inp, cities: inp.cities.map((_, i) => inp.cities[(i + shift) % n]!) };
        const b = settlePooling(rotated);
        const key = (r: typeof a) => [...r.cities].sort((x, y) => (x.code < y.code ? -1 : 1));
        expect(key(b)).toEqual(key(a));
        expect(b.adjustmentFundClosingFen).toBe(a.adjustmentFundClosingFen);
      }),
      params,
    );
  });
});
