import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import { clampBase, contributionBaseBounds } from './base-clamp.ts';

const rules = testRuleBook().benefits;

describe('contributionBaseBounds', () => {
  it('reads 60 % and 300 % of the provincial average of the year (浙江 2024: 6,900 元, demo)', () => {
    const out = contributionBaseBounds(makeContext(rules, '330100', {}, false), '2024-06-01');
    expect(out.ok && out.value).toMatchObject({
      averageFen: 690_000,
      floorFen: 414_000, // 690 000 × 0.6
      ceilingFen: 2_070_000, // 690 000 × 3
    });
    expect(out.ok && out.value.citations[0]).toContain('placeholder');
    expect(out.ok && out.value.citations).toContain('《浙江省工伤保险条例》第十条');
  });

  it('河南 reads its own average and the national article', () => {
    const out = contributionBaseBounds(makeContext(rules, '410100', {}, false), '2025-01-01');
    expect(out.ok && out.value).toMatchObject({ floorFen: 312_000, ceilingFen: 1_560_000 });
    expect(out.ok && out.value.citations).toContain('《工伤保险条例》第十条');
  });

  it('refuses a month with no published average (a declared gap)', () => {
    const out = contributionBaseBounds(makeContext(rules, '330100', {}, false), '2027-03-01');
    expect(out).toMatchObject({ ok: false, code: 'rules.parameter_missing' });
  });
});

describe('clampBase (properties)', () => {
  const bounds = fc
    .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }))
    .map(([a, b]) => ({ floorFen: Math.min(a, b), ceilingFen: Math.max(a, b) }));
  const wage = fc.integer({ min: 0, max: 2_000_000_000 });

  it('the base is within the bounds, and equals the wage when the wage is', () => {
    fc.assert(
      fc.property(bounds, wage, (b, w) => {
        const base = clampBase(w, b);
        expect(base).toBeGreaterThanOrEqual(b.floorFen);
        expect(base).toBeLessThanOrEqual(b.ceilingFen);
        if (w >= b.floorFen && w <= b.ceilingFen) expect(base).toBe(w);
      }),
      { seed: 20_260_601, numRuns: 2000 },
    );
  });

  it('is monotone: a higher wage never gives a lower base', () => {
    fc.assert(
      fc.property(bounds, wage, wage, (b, w1, w2) => {
        const [lo, hi] = w1 <= w2 ? [w1, w2] : [w2, w1];
        expect(clampBase(lo, b)).toBeLessThanOrEqual(clampBase(hi, b));
      }),
      { seed: 20_260_602, numRuns: 2000 },
    );
  });

  it('the committed bounds of every month of 2015–2026 hold floor < average < ceiling', () => {
    for (let y = 2015; y <= 2026; y++)
      for (const region of ['330100', '410100']) {
        const out = contributionBaseBounds(makeContext(rules, region, {}, false), `${y}-07-01`);
        if (!out.ok) throw new Error(out.message);
        expect(out.value.floorFen).toBeLessThan(out.value.averageFen);
        expect(out.value.averageFen).toBeLessThan(out.value.ceilingFen);
      }
  });
});
