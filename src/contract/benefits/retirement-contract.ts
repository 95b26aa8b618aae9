import { z } from 'zod';
import { approvalId, isoDate, regionCode } from '../common.ts';
import { workerId } from '../registry/workers-contract.ts';

/**
 * 退休 of a worker with a 伤残津贴 (《工伤保险条例》第三十五条第一款第（三）项; docs/benefits.md
 * "Retirement"): the request and answer schemas of `/regions/:regionCode/workers/:workerId/retirement`.
 * The pension is any whole number of fen here: a negative or absurd one is the use case's refusal
 * (`benefit.retirement_pension_invalid`), not a malformed body.
 */
export const retirementParams = z.strictObject({ regionCode, workerId });

const pensionFen = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const evidence = z.string().trim().min(1).max(500);

export const retirementBody = z.strictObject({
  /** The day 办理退休手续 was completed: the month of it is paid whole as 伤残津贴. */
  retiredOn: isoDate,
  /** The monthly basic pension the pension office set, in fen. */
  pensionFen,
  /** The pension office's notice (文号) and what it says. */
  evidence,
  approvalId: approvalId.optional(),
});

const plan = z.object({
  retirementId: z.string(),
  ended: z.array(
    z.object({
      id: z.string(),
      amountFen: z.number().int(),
      startsOn: z.string(),
      endsOnBefore: z.string().nullable(),
      endsOn: z.string(),
    }),
  ),
  topUp: z
    .object({
      id: z.string(),
      allowanceId: z.string(),
      amountFen: z.number().int(),
      startsOn: z.string(),
      endsOn: z.string().nullable(),
    })
    .nullable(),
  kept: z.array(
    z.object({ id: z.string(), kind: z.string(), payer: z.enum(['fund', 'employer']) }),
  ),
});

export const retirementView = z.object({
  regionCode: z.string(),
  id: z.string(),
  workerId: z.string(),
  retiredOn: z.string(),
  pensionFen: z.number().int(),
  evidence: z.string(),
  approvalId: z.string(),
  plan,
  topUpFen: z.number().int(),
  recordedBy: z.string(),
});

export const retirementResponse = z.object({
  status: z.enum(['approval_requested', 'retired']),
  replayed: z.boolean(),
  plan,
  retirement: retirementView.nullable(),
  approval: z
    .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
    .nullable(),
});

/** `tongchou benefits retire` options (commander's camel-cased names; the pension as text). */
export const retireCliOptions = z.strictObject({
  region: regionCode,
  worker: workerId,
  retiredOn: isoDate,
  pensionFen: z
    .string()
    .regex(/^-?[0-9]{1,15}$/, 'a whole number of fen')
    .transform(Number),
  evidence,
  approval: approvalId.optional(),
  as: z.string().min(1),
});

/** `tongchou benefits retire-approve` options. */
export const retireApproveCliOptions = z.strictObject({
  region: regionCode,
  approval: approvalId,
  as: z.string().min(1),
});

/** `tongchou benefits retirement-show` options. */
export const retirementShowCliOptions = z.strictObject({
  region: regionCode,
  worker: workerId,
  as: z.string().min(1),
});
