import fc from 'fast-check';
import { addDays, addMonths } from '../../kernel/dates.ts';
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
/** A by-year record covering every year of `dateArb` (a missing year would be refused). */
const byYearArb = (min: number, max: number) =>
  fc
    .array(fc.integer({ min, max }), { minLength: 8, maxLength: 8 })
    .map((values) => Object.fromEntries(values.map((v, i) => [String(2018 + i), v])));

/** Each wage parameter: no override, one value for every date, or one value per year. */
const wageOverrideArb = (min: number, max: number) =>
  fc.oneof(
    fc.constant({ single: undefined, byYear: undefined }),
    fc.integer({ min, max }).map((single) => ({ single, byYear: undefined })),
    byYearArb(min, max).map((byYear) => ({ single: undefined, byYear })),
  );

type OverridesBody = NonNullable<CalculationInputBody['overrides']>;

const overridesArb: fc.Arbitrary<OverridesBody> = fc
  .record({
    average: wageOverrideArb(100_000, 2_000_000),
    provincial: wageOverrideArb(100_000, 2_000_000),
    minimum: wageOverrideArb(50_000, 500_000),
    income: fc.option(fc.integer({ min: 1_000_000, max: 10_000_000 }), { nil: undefined }),
  })
  .map((r) => {
    const o: OverridesBody = {};
    if (r.average.single !== undefined) o.averageMonthlyWageFen = r.average.single;
    if (r.average.byYear !== undefined) o.averageMonthlyWageFenByYear = r.average.byYear;
    if (r.provincial.single !== undefined) o.provincialAverageMonthlyWageFen = r.provincial.single;
    if (r.provincial.byYear !== undefined)
      o.provincialAverageMonthlyWageFenByYear = r.provincial.byYear;
    if (r.minimum.single !== undefined) o.minimumMonthlyWageFen = r.minimum.single;
    if (r.minimum.byYear !== undefined) o.minimumMonthlyWageFenByYear = r.minimum.byYear;
    if (r.income !== undefined) o.nationalUrbanDisposableIncomeFen = r.income;
    return o;
  });

/**
 * The time to retirement, one of the three ways (whole years, the retirement date, or the birth
 * date with an age in years and months), always retiring after `separationDate`.
 */
function retirementTimingArb(separationDate: string) {
  const ahead = fc.integer({ min: 1, max: 40 * 366 });
  const age = fc.record({
    years: fc.integer({ min: 50, max: 65 }),
    months: fc.integer({ min: 0, max: 11 }),
  });
  return fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((yearsToRetirement) => ({ yearsToRetirement })),
    ahead.map((days) => ({ retirementDate: addDays(separationDate, days) })),
    // From 5 days: addMonths may move a 31st back to the 28th, and retirement must stay ahead.
    fc.tuple(fc.integer({ min: 5, max: 40 * 366 }), age).map(([days, retirementAge]) => ({
      birthDate: addMonths(
        addDays(separationDate, days),
        -(retirementAge.years * 12 + retirementAge.months),
      ),
      retirementAge,
    })),
  );
}

/**
 * Who pays (《工伤保险条例》第六十二条第二款、第十七条第四款): mostly insured and no application date (the common case);
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
    occupationalDisease: fc.option(fc.boolean(), { nil: undefined }),
    overrides: overridesArb,
    liability: liabilityArb,
  })
  .chain((r) => retirementTimingArb(r.injuryDate).map((timing) => ({ ...r, timing })))
  .map((r) => {
    const decisionDate = r.injuryDate;
    const separation =
      r.separates && r.disabilityGrade >= 5 ? { date: r.injuryDate, ...r.timing } : null;
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
      ...(r.occupationalDisease === undefined
        ? {}
        : { occupationalDisease: r.occupationalDisease }),
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
    preDeathMonthlyWageFen: fc.option(fc.integer({ min: 1, max: 20_000_000 }), {
      nil: undefined,
    }),
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
    ...(r.preDeathMonthlyWageFen === undefined
      ? {}
      : { preDeathMonthlyWageFen: r.preDeathMonthlyWageFen }),
    overrides: r.overrides,
    ...liabilityFields(r.injuryDate, r.liability),
  }));

export const anyValidInputArb = fc.oneof(disabilityInputArb, deathInputArb);
