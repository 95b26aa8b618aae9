import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { type ExperienceYear, floatingReview, gradeStep } from './floating-review.ts';

const rules = testRuleBook().benefits;
const SEED = 20_261_205;

const yearArb = (year: number) =>
  fc.record({
    year: fc.constant(year),
    contributionsFen: fc.integer({ min: 0, max: 50_000_000_000 }),
    benefitCostsFen: fc.integer({ min: 0, max: 100_000_000_000 }),
    injuries: fc.integer({ min: 0, max: 500 }),
    averageHeadcount: fc.integer({ min: 0, max: 100_000 }),
  });
const experienceArb = fc
  .tuple(yearArb(2023), yearArb(2024), yearArb(2025))
  .map((ys): ExperienceYear[] => [...ys]);
const classArb = fc.integer({ min: 1, max: 8 });

function step(riskClass: number, experience: ExperienceYear[]): number | null {
  const out = floatingReview(rules, {
    region: '330100',
    riskClass,
    reviewYear: 2026,
    date: '2026-07-01',
    experience,
  });
  if (!out.ok) throw new Error(out.message);
  return out.value.kind === 'proposed' ? gradeStep(out.value.grade) : null;
}

/** The same experience with more benefit costs (a higher ratio) or more injuries, spread by year. */
const worse = (e: ExperienceYear[], extraCost: number, extraInjuries: number) =>
  e.map((y, i) => ({
    ...y,
    benefitCostsFen: y.benefitCostsFen + (i === 0 ? extraCost : 0),
    injuries: y.injuries + (i === 0 ? extraInjuries : 0),
  }));

describe('floating-rate review properties', () => {
  it('never floats class 1 below base', () => {
    fc.assert(
      fc.property(experienceArb, (e) => {
        const s = step(1, e);
        if (s !== null) expect(s).toBeGreaterThanOrEqual(gradeStep('base'));
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('never gives a lower grade for a higher ratio or more injuries (monotone)', () => {
    fc.assert(
      fc.property(
        classArb,
        experienceArb,
        fc.integer({ min: 0, max: 50_000_000_000 }),
        fc.integer({ min: 0, max: 200 }),
        (riskClass, e, extraCost, extraInjuries) => {
          const before = step(riskClass, e);
          const after = step(riskClass, worse(e, extraCost, extraInjuries));
          // Both are left out together: contributions decide that, and they are unchanged.
          expect(after === null).toBe(before === null);
          if (before !== null && after !== null) expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('answers every employer with contributions, and no other, with a grade', () => {
    fc.assert(
      fc.property(classArb, experienceArb, (riskClass, e) => {
        const paid = e.reduce((s, y) => s + y.contributionsFen, 0);
        expect(step(riskClass, e) !== null).toBe(paid > 0);
      }),
      { numRuns: 500, seed: SEED },
    );
  });
});
