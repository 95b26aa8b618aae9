import { z } from 'zod';
import { approvalId, isoDate, regionCode } from '../common.ts';
import { employerId, floatingGrade } from '../registry/employers-contract.ts';

/** 浮动费率评审: experience import, the review of a city and year, its application and letters. */
export const reviewId = z
  .string()
  .regex(/^frv_\d{6}_[0-9a-f]{16}$/, 'a review id such as frv_330100_…');
export const floatingReviewParams = z.strictObject({ regionCode, reviewId });
export const floatingLetterParams = z.strictObject({ regionCode, reviewId, employerId });

/**
 * The CSV text (docs/contributions.md, "Experience import"). The API takes bodies up to 1 MiB
 * (src/api/app.ts), about 20 000 rows: a larger history is split, or imported with the CLI.
 */
export const experienceImportBody = z.strictObject({ csv: z.string().min(1).max(1_000_000) });
export const experienceImportResponse = z.object({
  rows: z.number().int(),
  employers: z.number().int(),
  years: z.array(z.number().int()),
});
export const experienceListResponse = z.object({
  experience: z.array(
    z.object({
      year: z.number().int(),
      contributionsFen: z.number().int(),
      benefitCostsFen: z.number().int(),
      injuries: z.number().int(),
      averageHeadcount: z.number().int(),
      source: z.enum(['import', 'system']),
    }),
  ),
});

/** Derive a closed year's experience from the system's records; `preview` writes nothing. */
export const experienceDeriveBody = z.strictObject({
  year: z.number().int().min(1990).max(2100),
  preview: z.boolean().default(false),
});
const fen = z.number().int();
export const experienceDeriveResponse = z.object({
  regionCode: z.string(),
  year: z.number().int(),
  status: z.enum(['preview', 'written']),
  employers: z.number().int(),
  overriddenByImport: z.number().int(),
  totals: z.object({ contributionsFen: fen, benefitCostsFen: fen, injuries: z.number().int() }),
  rows: z.array(
    z.object({
      employerId: z.string(),
      employerName: z.string(),
      creditCode: z.string(),
      contributionsFen: fen,
      benefitCostsFen: fen,
      lumpSumsFen: fen,
      payrollFen: fen,
      medicalFen: fen,
      injuries: z.number().int(),
      headcountMonthEnds: z.number().int(),
      averageHeadcount: z.number().int(),
      imported: z
        .object({
          contributionsFen: fen,
          benefitCostsFen: fen,
          injuries: z.number().int(),
          averageHeadcount: z.number().int(),
        })
        .nullable(),
    }),
  ),
  rowsTruncated: z.boolean(),
});

export const floatingReviewRunBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  /** The day the new grades take effect, in the review year. */
  effectiveFrom: isoDate,
});
export const floatingReviewApplyBody = z.strictObject({ approvalId });

const nullableInt = z.number().int().nullable();
export const floatingReviewItem = z.object({
  employerId: z.string(),
  employerName: z.string(),
  creditCode: z.string(),
  outcome: z.enum(['proposed', 'left_out']),
  riskClass: nullableInt,
  currentGrade: floatingGrade,
  proposedGrade: floatingGrade.nullable(),
  windowYears: z.array(z.number().int()),
  contributionsFen: nullableInt,
  benefitCostsFen: nullableInt,
  injuries: nullableInt,
  headcountYears: nullableInt,
  /** 支缴率, exact: a decimal, or "num/den" when it repeats. */
  ratio: z.string().nullable(),
  /** Injuries per 1 000 workers a year, exact like `ratio`. */
  incidence: z.string().nullable(),
  trail: z.array(z.string()),
  citations: z.array(z.string()),
  leftOutReason: z.enum(['no_experience', 'no_contributions', 'unclassified']).nullable(),
  application: z.enum(['changed', 'unchanged', 'skipped']).nullable(),
  applicationNote: z.string().nullable(),
});

const reviewFields = {
  regionCode: z.string(),
  id: z.string(),
  year: z.number().int(),
  effectiveFrom: z.string(),
  status: z.enum(['proposed', 'applied', 'superseded']),
  proposalsHash: z.string(),
  proposalCount: z.number().int(),
  changedCount: z.number().int(),
  leftOutCount: z.number().int(),
  /** The approval the run asked for: a checker decides it through the approvals routes. */
  approvalId: z.string().nullable(),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
};
export const floatingReviewResponse = z.object({
  ...reviewFields,
  items: z.array(floatingReviewItem),
});
export const floatingReviewListResponse = z.object({
  reviews: z.array(z.object(reviewFields)),
});

/** The CLI's options, checked by the same fields as the routes' path and body. */
export const floatingReviewRunCliInput = floatingReviewRunBody.extend({ regionCode });
export const floatingReviewCliInput = floatingReviewParams;
export const floatingReviewApplyCliInput = floatingReviewParams.extend({ approvalId });
