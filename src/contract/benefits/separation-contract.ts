import { z } from 'zod';
import { approvalId, isoDate, regionCode } from '../common.ts';

/**
 * The separation decision of a case (issue 11, docs/benefits.md "Separation"): when a grade 5–10
 * worker's labour relationship ends, 一次性工伤医疗补助金 (fund) and 一次性伤残就业补助金 (employer).
 */
const caseId = z.string().regex(/^cas_[0-9]{6}_[0-9a-f]{16}$/, 'a case id cas_<city>_<16 hex>');
const separationId = z
  .string()
  .regex(/^bsp_[0-9]{6}_[0-9a-f]{16}$/, 'a separation id bsp_<city>_<16 hex>');

export const separationCaseParams = z.strictObject({ regionCode, caseId });
export const separationParams = z.strictObject({ regionCode, separationId });

/** 职工本人提出 (both articles) or 劳动、聘用合同期满终止 (《工伤保险条例》第三十七条, grades 7–10). */
const reason = z.enum(['worker_request', 'contract_expiry']);
/** The statutory retirement age; the birth date comes from the registry. */
const retirementAge = z.strictObject({
  years: z.number().int().min(40).max(70),
  months: z.number().int().min(0).max(11).default(0),
});

export const separationProposeBody = z.strictObject({
  /** The day the labour relationship ended (解除或者终止劳动关系). */
  date: isoDate,
  reason,
  retirementAge,
  /** The day of the proposal (default today in China). */
  on: isoDate.optional(),
});

/**
 * A case a combined separation covers (《浙江省工伤保险条例》第二十八条: the two grants once, at the
 * highest grade of the worker's injuries at one employer in one continuous employment).
 */
const coveredCase = z.object({
  caseId: z.string(),
  decisionId: z.string(),
  grade: z.number().int(),
});

const payloadSchema = z.object({
  separationId: z.string(),
  caseId: z.string(),
  decisionId: z.string(),
  workerId: z.string(),
  date: z.string(),
  reason,
  birthDate: z.string(),
  retirementDate: z.string(),
  items: z.array(z.object({ code: z.string(), amountFen: z.number().int(), payer: z.string() })),
  fundLumpSumTotalFen: z.number().int(),
  entitlementEnds: z.array(
    z.object({ entitlementId: z.string(), kind: z.string(), endsOn: z.string().nullable() }),
  ),
  snapshotId: z.string(),
  /** Present only for a combined separation: the grade used, its article and every case covered. */
  combined: z
    .object({ grade: z.number().int(), citation: z.string(), cases: z.array(coveredCase) })
    .optional(),
});

export const separationProposeResponse = z.object({
  separationId: z.string(),
  approvalId: z.string(),
  payload: payloadSchema,
});

export const separationApplyBody = z.strictObject({
  /** Default: the approval asked for with the proposal. */
  approvalId: approvalId.optional(),
  /** The day of the decision (the payable's effective date; default today in China). */
  on: isoDate.optional(),
});

export const separationApplyResponse = z.object({
  separationId: z.string(),
  status: z.literal('approved'),
  ledgerTransactionId: z.string().nullable(),
  replayed: z.boolean(),
});

/** `tongchou benefits separation propose` (the retirement age as YEARS or YEARS:MONTHS). */
export const separationProposeCliOptions = z.strictObject({
  region: regionCode,
  case: caseId,
  date: isoDate,
  reason,
  retirementAge: z
    .string()
    .regex(/^\d{2}(:\d{1,2})?$/, 'the retirement age as YEARS or YEARS:MONTHS, e.g. 60 or 63:0')
    .transform((s) => {
      const [years, months] = s.split(':');
      return { years: Number(years), months: Number(months ?? '0') };
    })
    .pipe(
      z.strictObject({
        years: z.number().int().min(40).max(70),
        months: z.number().int().min(0).max(11),
      }),
    ),
  as: z.string().min(1),
  on: isoDate.optional(),
});

/** `tongchou benefits separation apply`. */
export const separationApplyCliOptions = z.strictObject({
  region: regionCode,
  separation: separationId,
  as: z.string().min(1),
  on: isoDate.optional(),
});

export const separationListResponse = z.array(
  z.object({
    separationId: z.string(),
    caseId: z.string(),
    decisionId: z.string(),
    status: z.enum(['proposed', 'approved', 'superseded']),
    date: z.string(),
    reason: z.string(),
    retirementDate: z.string(),
    items: z.array(
      z.object({
        code: z.string(),
        amountFen: z.number().int(),
        payer: z.string(),
        citation: z.string(),
      }),
    ),
    approvalId: z.string(),
    ledgerTransactionId: z.string().nullable(),
    proposedBy: z.string(),
    approvedBy: z.string().nullable(),
    approvedOn: z.string().nullable(),
    /** The 核定通知书 issued on approval: download it from …/letters/{id}/pdf. */
    letter: z.object({ id: z.string(), documentNumber: z.string() }).nullable(),
    /** A combined separation: every case it covers (this one among them); empty for one case. */
    coveredCases: z.array(coveredCase),
  }),
);

/** `tongchou benefits separation show`. */
export const separationShowCliOptions = z.strictObject({ region: regionCode, case: caseId });
