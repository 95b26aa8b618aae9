import { z } from 'zod';
import { isIsoDate } from '../../kernel/dates.ts';
import { retirementDateOf } from '../benefits/near-retirement.ts';
import { traceSchema } from '../trace.ts';

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');
/** Fen amounts: non-negative safe integers, bounded so sums of 12 months stay exact. */
const fen = z.number().int('must be an integer number of fen').nonnegative().max(100_000_000_000);
const positiveFen = fen.positive();

/**
 * Overrides keyed by the year of use ("2024": the figure in force during 2024, as the YAML values
 * are dated); at most 50 years (docs/calculator.md, "Overrides by year").
 */
const yearRecord = z.record(z.string(), positiveFen).superRefine((record, ctx) => {
  const years = Object.keys(record);
  if (years.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 years' });
  for (const year of years) {
    if (!/^(19|20)\d{2}$/.test(year))
      ctx.addIssue({
        code: 'custom',
        path: [year],
        message: 'the key must be a year written YYYY',
      });
  }
});

/** Each by-year override and the single-value field it may not be given with. */
const BY_YEAR_PAIRS = [
  ['averageMonthlyWageFenByYear', 'averageMonthlyWageFen'],
  ['provincialAverageMonthlyWageFenByYear', 'provincialAverageMonthlyWageFen'],
  ['minimumMonthlyWageFenByYear', 'minimumMonthlyWageFen'],
] as const;

/**
 * 供养亲属抚恤金一次性支付 by an uninsured employer (《浙江省工伤保险条例》第三十五条第二款), and, after
 * monthly payments, the conversion (第三款): what was received, as months or as an amount.
 */
const oneOffPaymentSchema = z.strictObject({
  birthDate: isoDate,
  withoutLabourCapacityOrIncome: z.boolean().default(false),
  monthsReceived: z.number().int().min(0).max(1200).optional(),
  receivedFen: fen.optional(),
});

const dependantSchema = z.strictObject({
  relation: z.enum(['spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling']),
  orphanOrSoleElder: z.boolean().default(false),
  oneOffPayment: oneOffPaymentSchema.optional(),
});

type DeathFacts = {
  deathDate?: string | undefined;
  employerInsured: boolean;
  dependants: readonly z.output<typeof dependantSchema>[];
};

/**
 * A spouse is no orphan; a one-off payment is an uninsured employer's, for a dependant born by the
 * death, with one way of telling what was received.
 */
function dependantIssues(v: DeathFacts, ctx: z.RefinementCtx): void {
  v.dependants.forEach((d, i) => {
    if (d.relation === 'spouse' && d.orphanOrSoleElder)
      ctx.addIssue({
        code: 'custom',
        path: ['dependants', i, 'orphanOrSoleElder'],
        message: 'a spouse is neither an orphan nor a 孤寡老人',
      });
    const p = d.oneOffPayment;
    if (p === undefined) return;
    const issue = (path: string[], message: string) =>
      ctx.addIssue({ code: 'custom', path: ['dependants', i, 'oneOffPayment', ...path], message });
    if (v.employerInsured)
      issue(
        [],
        'the one-off payment is by an employer that was not insured (《浙江省工伤保险条例》第三十五条第一款): set employerInsured to false',
      );
    if (v.deathDate !== undefined && p.birthDate > v.deathDate)
      issue(['birthDate'], 'a dependant born after the death is not modelled');
    if (p.monthsReceived !== undefined && p.receivedFen !== undefined)
      issue(['receivedFen'], 'give monthsReceived or receivedFen, not both');
  });
}

type Need = (cond: boolean, path: string, message: string) => void;

/** The application dates (《工伤保险条例》第十七条): not before the injury; an extension needs the application. */
function applicationIssues(
  v: {
    injuryDate: string;
    applicationDate?: string | undefined;
    applicationDeadlineExtendedTo?: string | undefined;
  },
  need: Need,
): void {
  need(
    v.applicationDate !== undefined && v.applicationDate < v.injuryDate,
    'applicationDate',
    'the application cannot precede the injury',
  );
  need(
    v.applicationDeadlineExtendedTo !== undefined && v.applicationDate === undefined,
    'applicationDeadlineExtendedTo',
    'an extended time limit needs the applicationDate it is compared with',
  );
  need(
    v.applicationDeadlineExtendedTo !== undefined && v.applicationDeadlineExtendedTo < v.injuryDate,
    'applicationDeadlineExtendedTo',
    'the time limit cannot end before the injury',
  );
}

/**
 * A statutory retirement age in years and months: the 2025 reform (渐进式延迟法定退休年龄) raises
 * ages month by month (55 years 4 months, 63 years). The caller reads it from the reform's tables.
 */
const retirementAgeSchema = z.strictObject({
  years: z.number().int().min(40).max(70),
  months: z.number().int().min(0).max(11).default(0),
});

type SeparationInput = {
  date: string;
  yearsToRetirement?: number | undefined;
  retirementDate?: string | undefined;
  birthDate?: string | undefined;
  retirementAge?: { years: number; months: number } | undefined;
};

const TIMING_WAYS =
  'separation.yearsToRetirement, separation.retirementDate, or separation.birthDate with separation.retirementAge';

/**
 * Exactly one way to the retirement age (whole years, the retirement date, or the birth date with
 * the retirement age), and a worker below it: the grants are for separation before retirement.
 */
function checkRetirementTiming(sep: SeparationInput, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: ['separation', path], message });
  const byBirth = sep.birthDate !== undefined || sep.retirementAge !== undefined;
  const ways = [sep.yearsToRetirement !== undefined, sep.retirementDate !== undefined, byBirth];
  const given = ways.filter(Boolean).length;
  if (given !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['separation'],
      message: `give exactly one of ${TIMING_WAYS} (${given} given)`,
    });
    return;
  }
  if (byBirth && sep.birthDate === undefined) issue('birthDate', 'retirementAge needs birthDate');
  if (byBirth && sep.retirementAge === undefined)
    issue('retirementAge', 'birthDate needs retirementAge ({ years, months })');
  if (sep.birthDate !== undefined && sep.birthDate >= sep.date)
    issue('birthDate', 'the birth date must precede separation.date');
  const retirement =
    sep.retirementDate ??
    // A malformed date is reported by its own field; the refinement may still run (zod goes on).
    (sep.birthDate !== undefined && isIsoDate(sep.birthDate) && sep.retirementAge !== undefined
      ? retirementDateOf(sep.birthDate, sep.retirementAge)
      : null);
  if (retirement !== null && retirement <= sep.date)
    issue(
      sep.retirementDate !== undefined ? 'retirementDate' : 'retirementAge',
      `the worker reaches retirement on ${retirement}, not after separation.date: the separation grants are for a worker below the statutory retirement age`,
    );
}

/**
 * The calculator's input (docs/calculator.md). Strict objects: unknown fields are rejected, so a
 * misspelt field is reported instead of silently ignored. Cross-field rules (what a disability or a
 * death case needs) are checked after the shapes, each reported at its own path.
 */
export const calculationInputSchema = z
  .strictObject({
    region: z.string().regex(/^\d{6}$/, 'must be a 6-digit region code such as 330000'),
    kind: z.enum(['disability', 'death']),
    injuryDate: isoDate,
    decisionDate: isoDate.optional(),
    deathDate: isoDate.optional(),
    monthlyWagesFen: z
      .array(fen)
      .min(1, 'give 1 to 12 monthly wages')
      .max(12, 'give 1 to 12 monthly wages'),
    disabilityGrade: z.number().int().min(1).max(10).nullable().optional(),
    nursingLevel: z.enum(['complete', 'mostly', 'partly']).nullable().optional(),
    employerArrangedWork: z.boolean().default(false),
    separation: z
      .strictObject({
        date: isoDate,
        yearsToRetirement: z
          .number()
          .int('whole years left to statutory retirement')
          .min(0)
          .max(60)
          .optional(),
        retirementDate: isoDate.optional(),
        birthDate: isoDate.optional(),
        retirementAge: retirementAgeSchema.optional(),
      })
      .nullable()
      .optional(),
    occupationalDisease: z.boolean().default(false),
    deathCircumstance: z
      .enum(['injury', 'within_suspension', 'grade1to4_after_suspension'])
      .optional(),
    dependants: z.array(dependantSchema).max(20).default([]),
    /** 《工伤保险条例》第六十二条第二款: an uninsured employer pays every item (docs/calculator.md). */
    employerInsured: z.boolean().default(true),
    /** The day the 工伤认定 application was filed (《工伤保险条例》第十七条); late → 《工伤保险条例》第十七条第四款. */
    applicationDate: isoDate.optional(),
    /** The employer's time limit as extended with the department's consent (《工伤保险条例》第十七条第一款). */
    applicationDeadlineExtendedTo: isoDate.optional(),
    overrides: z
      .strictObject({
        averageMonthlyWageFen: positiveFen.optional(),
        provincialAverageMonthlyWageFen: positiveFen.optional(),
        minimumMonthlyWageFen: positiveFen.optional(),
        nationalUrbanDisposableIncomeFen: positiveFen.optional(),
        averageMonthlyWageFenByYear: yearRecord.optional(),
        provincialAverageMonthlyWageFenByYear: yearRecord.optional(),
        minimumMonthlyWageFenByYear: yearRecord.optional(),
      })
      .optional(),
    /** 因工死亡职工生前的工资 (《工伤保险条例》第三十九条第一款第（二）项), the survivor cap; death only. */
    preDeathMonthlyWageFen: positiveFen.optional(),
  })
  .superRefine((v, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    const grade = v.disabilityGrade ?? null;
    if (v.kind === 'disability') {
      need(grade === null, 'disabilityGrade', 'a disability case needs disabilityGrade 1–10');
      need(
        v.decisionDate === undefined,
        'decisionDate',
        'a disability case needs the appraisal decisionDate',
      );
      need(v.deathDate !== undefined, 'deathDate', 'deathDate belongs to death cases');
      need(
        v.deathCircumstance !== undefined,
        'deathCircumstance',
        'deathCircumstance belongs to death cases',
      );
      need(v.dependants.length > 0, 'dependants', 'dependants belong to death cases');
      need(
        v.preDeathMonthlyWageFen !== undefined,
        'preDeathMonthlyWageFen',
        'preDeathMonthlyWageFen belongs to death cases',
      );
      const sep = v.separation ?? null;
      need(
        sep !== null && grade !== null && grade <= 4,
        'separation',
        'grades 1–4 keep the labour relationship (《工伤保险条例》第三十五条): no separation grants',
      );
      need(
        sep !== null && sep.date < v.injuryDate,
        'separation.date',
        'separation cannot precede the injury',
      );
      if (sep !== null) checkRetirementTiming(sep, ctx);
    } else {
      need(v.deathDate === undefined, 'deathDate', 'a death case needs deathDate');
      need(
        v.deathCircumstance === undefined,
        'deathCircumstance',
        'a death case needs deathCircumstance',
      );
      need(
        v.deathDate !== undefined && v.deathDate < v.injuryDate,
        'deathDate',
        'death cannot precede the injury',
      );
      need(v.nursingLevel != null, 'nursingLevel', 'nursingLevel belongs to disability cases');
      need(v.separation != null, 'separation', 'separation belongs to disability cases');
      need(
        v.deathCircumstance === 'grade1to4_after_suspension' && (grade === null || grade > 4),
        'disabilityGrade',
        'grade1to4_after_suspension needs the worker’s disabilityGrade 1–4',
      );
      dependantIssues(v, ctx);
    }
    need(
      v.decisionDate !== undefined && v.decisionDate < v.injuryDate,
      'decisionDate',
      'decisionDate cannot precede injuryDate',
    );
    for (const [byYear, single] of BY_YEAR_PAIRS) {
      if (v.overrides?.[byYear] !== undefined && v.overrides[single] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', byYear],
          message: `give overrides.${single} (every date) or overrides.${byYear} (by year), not both`,
        });
      }
    }
    applicationIssues(v, need);
  });

export type CalculationInput = z.output<typeof calculationInputSchema>;
/** What callers may send (defaults not yet applied). */
export type CalculationInputBody = z.input<typeof calculationInputSchema>;

export const calculationItemSchema = z.object({
  code: z.enum([
    'disability_lump_sum',
    'disability_allowance',
    'nursing_allowance',
    'medical_separation_grant',
    'employment_separation_grant',
    'funeral_grant',
    'survivor_pension',
    'survivor_pension_one_off',
    'death_lump_sum',
  ]),
  amountFen: z.number().int(),
  frequency: z.enum(['once', 'monthly']),
  payer: z.enum(['fund', 'employer']),
  citation: z.string(),
  dependantIndex: z.number().int().nonnegative().optional(),
  /** Why the payer differs from 《社会保险法》第三十八条、第三十九条 (uninsured employer, late application). */
  payerBasis: z.string().optional(),
  /** True when the employer pays because it was not insured: the fund may pay first (《社会保险法》第四十一条第一款). */
  fundMayAdvance: z.literal(true).optional(),
  /** A monthly item split in time (late application): the first month this part covers, YYYY-MM. */
  fromMonth: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
  /** The last month this part covers, YYYY-MM (absent: open-ended). */
  untilMonth: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
});

/** The calculator's output, for the OpenAPI document. `trace` is null when not requested. */
export const calculationResultSchema = z.object({
  baseWageFen: z.number().int(),
  items: z.array(calculationItemSchema),
  snapshotId: z.string(),
  trace: traceSchema.nullable(),
});
