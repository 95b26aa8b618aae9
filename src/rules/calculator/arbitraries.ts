import fc from 'fast-check';
import { addDays } from '../../kernel/dates.ts';
import type { CalculationInputBody } from './schema.ts';

/** Dates inside the window where the committed (demo) parameters are all in force: 2018–2025. */
export const dateArb = fc
  .date({
    min: new Date('2018-01-01T00:00:00Z'),
    max: new Date('2025-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

const wagesArb = fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 12 });
const regionArb = fc.constantFrom('330000', '410000', '330106', '410100');
const overridesArb = fc.record(
  {
    averageMonthlyWageFen: fc.integer({ min: 100_000, max: 2_000_000 }),
    provincialAverageMonthlyWageFen: fc.integer({ min: 100_000, max: 2_000_000 }),
    minimumMonthlyWageFen: fc.integer({ min: 50_000, max: 500_000 }),
    nationalUrbanDisposableIncomeFen: fc.integer({ min: 1_000_000, max: 10_000_000 }),
  },
  { requiredKeys: [] },
);

/**
 * Who pays (条例 第六十二条, 第十七条): mostly insured and no application date (the common case);
 * otherwise uninsured, or an application 0–400 days after the injury, sometimes with an extension.
 */
const liabilityArb = fc.record({
  employerInsured: fc.oneof(
    { arbitrary: fc.constant(true), weight: 3 },
    { arbitrary: fc.constant(false), weight: 1 },
  ),
  application: fc.oneof(
    { arbitrary: fc.constant(null), weight: 2 },
    {
      arbitrary: fc.record({
        afterDays: fc.integer({ min: 0, max: 400 }),
        extendedByDays: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
      }),
      weight: 1,
    },
  ),
});

/** The liability fields of an input, only those given (so most inputs look as before). */
function liabilityFields(
  injuryDate: string,
  l: {
    employerInsured: boolean;
    application: { afterDays: number; extendedByDays: number | null } | null;
  },
): Partial<CalculationInputBody> {
  const out: Partial<CalculationInputBody> = {};
  if (!l.employerInsured) out.employerInsured = false;
  if (l.application !== null) {
    out.applicationDate = addDays(injuryDate, l.application.afterDays);
    if (l.application.extendedByDays !== null)
      out.applicationDeadlineExtendedTo = addDays(injuryDate, 30 + l.application.extendedByDays);
  }
  return out;
}

export const disabilityInputArb: fc.Arbitrary<CalculationInputBody> = fc
  .record({
    region: regionArb,
    injuryDate: dateArb,
    monthlyWagesFen: wagesArb,
    disabilityGrade: fc.integer({ min: 1, max: 10 }),
    nursingLevel: fc.constantFrom('complete', 'mostly', 'partly', null),
    employerArrangedWork: fc.boolean(),
    separates: fc.boolean(),
    yearsToRetirement: fc.integer({ min: 0, max: 40 }),
    overrides: overridesArb,
    liability: liabilityArb,
  })
  .map((r) => {
    const decisionDate = r.injuryDate;
    const separation =
      r.separates && r.disabilityGrade >= 5
        ? { date: r.injuryDate, yearsToRetirement: r.yearsToRetirement }
        : null;
    return {
      region: r.region,
      kind: 'disability' as const,
      injuryDate: r.injuryDate,
      decisionDate,
      monthlyWagesFen: r.monthlyWagesFen,
      disabilityGrade: r.disabilityGrade,
      nursingLevel: r.nursingLevel,
      employerArrangedWork: r.employerArrangedWork,
      separation,
      overrides: r.overrides,
      ...liabilityFields(r.injuryDate, r.liability),
    };
  });

const dependantArb = fc
  .record({
    relation: fc.constantFrom('spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling'),
    orphanOrSoleElder: fc.boolean(),
  })
  .map((d) => (d.relation === 'spouse' ? { ...d, orphanOrSoleElder: false } : d));

export const deathInputArb: fc.Arbitrary<CalculationInputBody> = fc
  .record({
    region: regionArb,
    injuryDate: dateArb,
    monthlyWagesFen: wagesArb,
    circumstance: fc.constantFrom('injury', 'within_suspension', 'grade1to4_after_suspension'),
    grade: fc.integer({ min: 1, max: 4 }),
    dependants: fc.array(dependantArb, { maxLength: 8 }),
    overrides: overridesArb,
    liability: liabilityArb,
  })
  .map((r) => ({
    region: r.region,
    kind: 'death' as const,
    injuryDate: r.injuryDate,
    deathDate: r.injuryDate,
    deathCircumstance: r.circumstance,
    ...(r.circumstance === 'grade1to4_after_suspension' ? { disabilityGrade: r.grade } : {}),
    monthlyWagesFen: r.monthlyWagesFen,
    dependants: r.dependants,
    overrides: r.overrides,
    ...liabilityFields(r.injuryDate, r.liability),
  }));

export const anyValidInputArb = fc.oneof(disabilityInputArb, deathInputArb);
