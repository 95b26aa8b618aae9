import { z } from 'zod';
import { isIsoDate } from '../../kernel/dates.ts';
import { traceSchema } from '../trace.ts';

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');
/** Fen amounts: non-negative safe integers, bounded so sums of 12 months stay exact. */
const fen = z.number().int('must be an integer number of fen').nonnegative().max(100_000_000_000);
const positiveFen = fen.positive();

const dependantSchema = z.strictObject({
  relation: z.enum(['spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling']),
  orphanOrSoleElder: z.boolean().default(false),
});

type Need = (cond: boolean, path: string, message: string) => void;

/** The application dates (条例 第十七条): not before the injury; an extension needs the application. */
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
          .max(60),
      })
      .nullable()
      .optional(),
    deathCircumstance: z
      .enum(['injury', 'within_suspension', 'grade1to4_after_suspension'])
      .optional(),
    dependants: z.array(dependantSchema).max(20).default([]),
    /** 条例 第六十二条第二款: an uninsured employer pays every item (docs/calculator.md). */
    employerInsured: z.boolean().default(true),
    /** The day the 工伤认定 application was filed (条例 第十七条); late → 第十七条第四款. */
    applicationDate: isoDate.optional(),
    /** The employer's time limit as extended with the department's consent (第十七条第一款). */
    applicationDeadlineExtendedTo: isoDate.optional(),
    overrides: z
      .strictObject({
        averageMonthlyWageFen: positiveFen.optional(),
        provincialAverageMonthlyWageFen: positiveFen.optional(),
        minimumMonthlyWageFen: positiveFen.optional(),
        nationalUrbanDisposableIncomeFen: positiveFen.optional(),
      })
      .optional(),
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
      const sep = v.separation ?? null;
      need(
        sep !== null && grade !== null && grade <= 4,
        'separation',
        'grades 1–4 keep the labour relationship (条例 第三十五条): no separation grants',
      );
      need(
        sep !== null && sep.date < v.injuryDate,
        'separation.date',
        'separation cannot precede the injury',
      );
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
      v.dependants.forEach((d, i) => {
        if (d.relation === 'spouse' && d.orphanOrSoleElder) {
          ctx.addIssue({
            code: 'custom',
            path: ['dependants', i, 'orphanOrSoleElder'],
            message: 'a spouse is neither an orphan nor a 孤寡老人',
          });
        }
      });
    }
    need(
      v.decisionDate !== undefined && v.decisionDate < v.injuryDate,
      'decisionDate',
      'decisionDate cannot precede injuryDate',
    );
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
    'death_lump_sum',
  ]),
  amountFen: z.number().int(),
  frequency: z.enum(['once', 'monthly']),
  payer: z.enum(['fund', 'employer']),
  citation: z.string(),
  dependantIndex: z.number().int().nonnegative().optional(),
  /** Why the payer differs from 社会保险法 第三十八条 / 第三十九条 (uninsured employer, late application). */
  payerBasis: z.string().optional(),
  /** True when the employer pays because it was not insured: the fund may pay first (社会保险法 第四十一条). */
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
