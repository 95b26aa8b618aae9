import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { disabilityInputArb } from '../calculator/arbitraries.ts';
import { calculate, calculationInputSchema } from '../calculator/index.ts';

const rules = testRuleBook().benefits;

function amounts(body: unknown): Map<string, number> {
  const r = calculate(calculationInputSchema.parse(body), rules, { withTrace: false });
  if (!r.ok) throw new Error(r.message);
  return new Map(r.value.items.map((i) => [i.code, i.amountFen]));
}

describe('separation grants through the calculator: properties', () => {
  it('occupationalDisease changes only the medical separation grant, by the province’s uplift', () => {
    fc.assert(
      fc.property(disabilityInputArb, (body) => {
        fc.pre(body.separation != null);
        const plain = amounts({ ...body, occupationalDisease: false });
        const disease = amounts({ ...body, occupationalDisease: true });
        for (const [code, fen] of plain) {
          if (code !== 'medical_separation_grant') expect(disease.get(code)).toBe(fen);
        }
        const medical = plain.get('medical_separation_grant') ?? 0;
        const raised = disease.get('medical_separation_grant') ?? 0;
        // 《河南省工伤保险条例》第二十七条第一款 +30 %; 《浙江省工伤保险条例》第二十七条 none. One rounding: within a fen of the exact.
        const uplift = body.region.startsWith('41') ? 1.3 : 1;
        expect(Math.abs(raised - medical * uplift)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('never pays more than the full employment grant, nor more with fewer whole years left', () => {
    fc.assert(
      fc.property(disabilityInputArb, fc.integer({ min: 0, max: 9 }), (body, years) => {
        fc.pre(body.separation != null);
        const date = body.separation.date;
        const grant = (yearsToRetirement: number) =>
          amounts({ ...body, separation: { date, yearsToRetirement } }).get(
            'employment_separation_grant',
          ) ?? 0;
        const full = grant(40);
        expect(grant(years)).toBeLessThanOrEqual(full);
        expect(grant(years)).toBeLessThanOrEqual(grant(years + 1));
        expect(amounts(body).get('employment_separation_grant') ?? 0).toBeLessThanOrEqual(full);
      }),
      { numRuns: 200 },
    );
  });
});
