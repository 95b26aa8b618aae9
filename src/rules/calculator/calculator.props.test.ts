import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../kernel/dates.ts';
import { roundFen } from '../../kernel/money.ts';
import { add, fromInt, mul, rational } from '../../kernel/rational.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import type { CalculationItem } from '../benefits/item.ts';
import { LATE_APPLICATION_BASIS, UNINSURED_BASIS } from '../benefits/payers.ts';
import { lookup } from '../parameters/lookup.ts';
import { anyValidInputArb, deathInputArb, disabilityInputArb } from './arbitraries.ts';
import { calculate, calculateFromUnknown } from './index.ts';
import {
  type CalculationInput,
  calculationInputSchema,
  calculationResultSchema,
} from './schema.ts';

const rules = testRuleBook().benefits;
const parse = (body: unknown): CalculationInput => calculationInputSchema.parse(body);

function averageWage(input: CalculationInput): number {
  const o =
    input.overrides?.averageMonthlyWageFen ??
    input.overrides?.averageMonthlyWageFenByYear?.[input.injuryDate.slice(0, 4)];
  if (o !== undefined) return o;
  const v = lookup(rules, input.region, 'wage.average_monthly_fen', input.injuryDate)!.value
    .scalar!;
  return Number(v.num / v.den);
}

const EXPECTED_PAYER: Record<string, 'fund' | 'employer'> = {
  disability_lump_sum: 'fund',
  nursing_allowance: 'fund',
  medical_separation_grant: 'fund',
  employment_separation_grant: 'employer',
  funeral_grant: 'fund',
  survivor_pension: 'fund',
  death_lump_sum: 'fund',
};

describe('calculator properties: amounts', () => {
  it('keeps the base wage within [60 %, 300 %] of the average wage (《工伤保险条例》第六十四条第二款)', () => {
    fc.assert(
      fc.property(anyValidInputArb, (body) => {
        const input = parse(body);
        const r = calculate(input, rules, { withTrace: false });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const avg = fromInt(averageWage(input));
        expect(r.value.baseWageFen).toBeGreaterThanOrEqual(
          roundFen(mul(avg, rational(3n, 5n)), 'half_up'),
        );
        expect(r.value.baseWageFen).toBeLessThanOrEqual(roundFen(mul(avg, fromInt(3)), 'half_up'));
      }),
      { numRuns: 300 },
    );
  });

  it('never gives a higher (more severe) grade fewer lump-sum months', () => {
    fc.assert(
      fc.property(disabilityInputArb, (body) => {
        const amounts = [];
        for (let grade = 1; grade <= 10; grade++) {
          const input = parse({ ...body, disabilityGrade: grade, separation: null });
          const r = calculate(input, rules, { withTrace: false });
          if (!r.ok) throw new Error(r.message);
          amounts.push(r.value.items.find((i) => i.code === 'disability_lump_sum')!.amountFen);
        }
        for (let g = 1; g < 10; g++) expect(amounts[g - 1]!).toBeGreaterThanOrEqual(amounts[g]!);
      }),
      { numRuns: 100 },
    );
  });

  it('never lets the survivor pensions together exceed the wage before death (《工伤保险条例》第三十九条第一款第（二）项)', () => {
    fc.assert(
      fc.property(deathInputArb, (body) => {
        const input = parse(body);
        const r = calculate(input, rules, { withTrace: false });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        // The committed value of death.survivor_cap_basis is pre_death_wage: the wage given, else
        // the unclamped average of the wages given, rounded once.
        const wages = input.monthlyWagesFen;
        const cap =
          input.preDeathMonthlyWageFen ??
          roundFen(
            rational(BigInt(wages.reduce((a, w) => a + w, 0)), BigInt(wages.length)),
            'half_up',
          );
        // A pension split by a late application (《工伤保险条例》第十七条第四款) counts once: its open-ended part.
        const pensions = r.value.items.filter(
          (i) => i.code === 'survivor_pension' && i.untilMonth === undefined,
        );
        const sum = pensions.reduce((a, i) => a + i.amountFen, 0);
        expect(sum).toBeLessThanOrEqual(cap);
        const table = lookup(rules, input.region, 'death.survivor_rate', input.deathDate!)!.value
          .table!;
        const uncapped = input.dependants.map((d) => {
          let rate = table.get(d.relation === 'spouse' ? 'spouse' : 'other')!;
          if (d.orphanOrSoleElder) rate = add(rate, table.get('orphan_or_sole_elder_bonus')!);
          return roundFen(mul(fromInt(r.value.baseWageFen), rate), 'half_up');
        });
        // Each pension is 本人工资 × rate unless the cap binds, and then the sum is the cap exactly.
        const uncappedSum = uncapped.reduce((a, b) => a + b, 0);
        if (uncappedSum <= cap) expect(pensions.map((p) => p.amountFen)).toEqual(uncapped);
        else expect(sum).toBe(cap);
        expect(pensions.map((p) => p.dependantIndex)).toEqual(pensions.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });
});

/** The payer 《社会保险法》第三十八条、第三十九条 name, before any uninsured or late-application rule. */
function defaultPayer(input: CalculationInput, item: CalculationItem): 'fund' | 'employer' {
  if (item.code !== 'disability_allowance') return EXPECTED_PAYER[item.code]!;
  return (input.disabilityGrade ?? 0) <= 4 ? 'fund' : 'employer';
}

/** The payer of one item as 《工伤保险条例》第六十二条第二款、第十七条第四款 decide it. */
function expectPayer(input: CalculationInput, item: CalculationItem): void {
  const normal = defaultPayer(input, item);
  if (!input.employerInsured) {
    expect(item.payer).toBe('employer');
    expect(item.payerBasis).toBe(normal === 'fund' ? UNINSURED_BASIS : undefined);
    expect(item.fundMayAdvance).toBe(normal === 'fund' ? true : undefined);
    return;
  }
  expect(item.fundMayAdvance).toBeUndefined();
  if (item.payerBasis === undefined) expect(item.payer).toBe(normal);
  else {
    expect(item.payerBasis).toBe(LATE_APPLICATION_BASIS);
    expect([normal, item.payer]).toEqual(['fund', 'employer']);
    expect(input.applicationDate).toBeDefined();
  }
}

/** An item without who pays or for which months: what the amount rules alone decide. */
function amountOnly(item: CalculationItem) {
  const {
    payer: _p,
    payerBasis: _b,
    fundMayAdvance: _a,
    fromMonth: _f,
    untilMonth: _u,
    ...rest
  } = item;
  return rest;
}

describe('calculator properties: payers, citations and determinism', () => {
  it('splits payers as 《社会保险法》第三十八条、第三十九条 do, unless uninsured or late, and cites every item', () => {
    fc.assert(
      fc.property(anyValidInputArb, (body) => {
        const input = parse(body);
        const r = calculate(input, rules, { withTrace: true });
        if (!r.ok) throw new Error(r.message);
        for (const item of r.value.items) {
          expectPayer(input, item);
          expect(item.citation).toMatch(/《.+》第.+条/);
        }
        const trace = r.value.trace!;
        expect(trace.items).toHaveLength(r.value.items.length);
        for (const t of trace.items) {
          expect(t.formula.zh).toContain(t.citation);
          expect(t.formula.en.length).toBeGreaterThan(10);
          expect(t.parameters.length).toBeGreaterThan(0);
          expect(t.rounding.resultFen).toBe(r.value.items[trace.items.indexOf(t)]!.amountFen);
        }
        expect(calculationResultSchema.safeParse(r.value).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('changes who pays and for which months, never how much (《工伤保险条例》第六十二条第二款、第十七条第四款)', () => {
    fc.assert(
      fc.property(anyValidInputArb, (body) => {
        const {
          employerInsured: _i,
          applicationDate: _d,
          applicationDeadlineExtendedTo: _e,
          ...plainBody
        } = body;
        const r = calculate(parse(body), rules, { withTrace: false });
        const plain = calculate(parse(plainBody), rules, { withTrace: false });
        if (!r.ok || !plain.ok) throw new Error('refused');
        // A split monthly item is two adjacent parts: the employer's months, then the fund's.
        const parts = r.value.items;
        const merged = parts.filter(
          (item, i) =>
            i === 0 || item.untilMonth !== undefined || parts[i - 1]!.untilMonth === undefined,
        );
        expect(merged.map(amountOnly)).toEqual(plain.value.items.map(amountOnly));
        parts.forEach((item, i) => {
          if (item.untilMonth === undefined) return;
          const next = parts[i + 1]!;
          expect(amountOnly(next)).toEqual(amountOnly(item));
          expect([item.payer, next.payer, next.untilMonth]).toEqual([
            'employer',
            'fund',
            undefined,
          ]);
          expect(next.fromMonth! > item.untilMonth).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing when the application was filed within the 30 days (《工伤保险条例》第十七条第一款)', () => {
    fc.assert(
      fc.property(anyValidInputArb, fc.integer({ min: 0, max: 30 }), (body, days) => {
        const { applicationDeadlineExtendedTo: _e, ...rest } = body;
        const insured = { ...rest, employerInsured: true };
        const onTime = { ...insured, applicationDate: addDays(body.injuryDate, days) };
        const a = calculateFromUnknown(onTime, rules);
        const b = calculateFromUnknown({ ...insured, applicationDate: undefined }, rules);
        expect(a).toEqual(b);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same output for the same input and snapshot, with or without trace', () => {
    fc.assert(
      fc.property(anyValidInputArb, (body) => {
        const a = calculateFromUnknown(structuredClone(body), rules);
        const b = calculateFromUnknown(JSON.parse(JSON.stringify(body)), rules);
        expect(a).toEqual(b);
        const fast = calculateFromUnknown(body, rules, { withTrace: false });
        expect(fast.ok && a.ok).toBe(true);
        if (fast.ok && a.ok) {
          expect(fast.body.items).toEqual(a.body.items);
          expect(fast.body.snapshotId).toBe(a.body.snapshotId);
          expect(fast.body.trace).toBeNull();
        }
      }),
      { numRuns: 200 },
    );
  });
});
