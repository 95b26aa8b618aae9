import { z } from 'zod';
import { OVERPAYMENT_STATUSES } from '../../domain/benefits/recovery.ts';
import { approvalId, cliActingOptions, isoDate, regionCode } from '../common.ts';
import { caseParams, proposeBody } from './benefit-decision-contract.ts';
import { dependantBody } from './death-facts-contract.ts';

/**
 * 下落不明 (《工伤保险条例》第四十一条; docs/benefits.md "Whereabouts unknown"): the request and
 * answer schemas of `/regions/:regionCode/cases/:caseId/missing` and `…/missing/advance`. Shapes
 * only; the checks against the case (its grounds, no death, no decision) and between the
 * dependants are the use case's.
 */
export const missingParams = caseParams;

export const missingBody = z.strictObject({
  /** What is known of the disappearance and the evidence (公安机关的证明, 事故报告 …). */
  reason: z.string().trim().min(1).max(500),
  /** 照发工资: the wage the employer keeps paying, in fen; also the survivors' cap (生前的工资). */
  monthlyWageFen: z.number().int().positive().max(100_000_000_000),
  enteredWages: proposeBody.shape.enteredWages,
  wageEvidence: proposeBody.shape.wageEvidence,
  /** 供养亲属, in order (the calculator numbers them so); may be empty. */
  dependants: z.array(dependantBody).max(20),
  approvalId: approvalId.optional(),
});
export type MissingBody = z.input<typeof missingBody>;

export const advanceBody = z.strictObject({
  /** 生活有困难的: the family's hardship and its evidence. */
  reason: z.string().trim().min(1).max(500),
  approvalId: approvalId.optional(),
  /** The day of the advance (default today): the payable's effective date. */
  on: isoDate.optional(),
});

export const declaredBody = z.strictObject({
  /** The date the court's judgment (宣告死亡) fixes as the date of death. */
  deadOn: isoDate,
  /** The judgment: court, case number (判决书). */
  reason: z.string().trim().min(1).max(500),
  approvalId: approvalId.optional(),
  /** The day of the payment (default today): the payable's effective date. */
  on: isoDate.optional(),
});

export const reappearedBody = z.strictObject({
  /** The day the worker reappeared (重新出现). */
  reappearedOn: isoDate,
  /** The evidence of it (公安机关的证明, his own statement …). */
  evidence: z.string().trim().min(1).max(500),
  approvalId: approvalId.optional(),
  /** The day of recording (default today): the letter's date, "today" for the date check. */
  on: isoDate.optional(),
});

const stoppedEntitlement = z.object({
  id: z.string(),
  kind: z.string(),
  amountFen: z.number().int(),
  startsOn: z.string(),
  endsOnBefore: z.string().nullable(),
  endsOn: z.string().nullable(),
});

export const missingView = z.object({
  regionCode: z.string(),
  id: z.string(),
  caseId: z.string(),
  workerId: z.string(),
  decisionId: z.string(),
  ground: z.enum(['business_trip', 'rescue']),
  accidentDate: z.string(),
  reason: z.string(),
  approvalId: z.string(),
  recordedBy: z.string(),
  employerWages: z.object({
    payer: z.literal('employer'),
    months: z.array(z.string()),
    monthlyWageFen: z.number().int(),
    totalFen: z.number().int(),
  }),
  pensionsStartOn: z.string(),
  pensions: z.array(
    z.object({
      entitlementId: z.string(),
      dependantId: z.string().nullable(),
      name: z.string().nullable(),
      relation: z.string().nullable(),
      amountFen: z.number().int(),
      startsOn: z.string(),
      endsOn: z.string().nullable(),
      status: z.enum(['active', 'ended']),
    }),
  ),
  deathLumpSumFen: z.number().int(),
  funeralGrantFen: z.number().int(),
  advanceMaxFen: z.number().int(),
  ended: z.array(stoppedEntitlement),
  overpayments: z.array(
    z.object({
      regionCode: z.string(),
      id: z.string(),
      entitlementId: z.string(),
      months: z.array(z.string()),
      lineIds: z.array(z.string()),
      amountFen: z.number().int(),
      status: z.enum(OVERPAYMENT_STATUSES),
    }),
  ),
  overpaidFen: z.number().int(),
  advance: z
    .object({
      amountFen: z.number().int(),
      reason: z.string(),
      approvalId: z.string(),
      paymentId: z.string(),
      paymentStatus: z.enum(['issued', 'paid', 'failed']).nullable(),
      on: z.string(),
      by: z.string(),
    })
    .nullable(),
  declared: z
    .object({
      deadOn: z.string(),
      reason: z.string(),
      approvalId: z.string(),
      on: z.string(),
      by: z.string(),
    })
    .nullable(),
  reappeared: z
    .object({
      on: z.string(),
      evidence: z.string(),
      approvalId: z.string(),
      recordedOn: z.string(),
      by: z.string(),
      returns: z.array(
        z.object({
          id: z.string(),
          reason: z.enum(['missing_reappeared', 'missing_advance']),
          entitlementId: z.string().nullable(),
          paymentId: z.string().nullable(),
          months: z.array(z.string()),
          amountFen: z.number().int(),
          status: z.enum(OVERPAYMENT_STATUSES),
        }),
      ),
      returnFen: z.number().int(),
    })
    .nullable(),
});

const approval = z
  .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
  .nullable();

export const missingResponse = z.object({
  status: z.enum(['approval_requested', 'recorded']),
  replayed: z.boolean(),
  missing: missingView.nullable(),
  approval,
});

export const declaredResponse = z.object({
  status: z.enum(['approval_requested', 'declared']),
  replayed: z.boolean(),
  missing: missingView,
  approval,
});

export const reappearedResponse = z.object({
  status: z.enum(['approval_requested', 'reappeared']),
  replayed: z.boolean(),
  missing: missingView,
  approval,
});

export const advanceResponse = z.object({
  status: z.enum(['approval_requested', 'advanced']),
  replayed: z.boolean(),
  missing: missingView,
  approval,
});

const caseId = caseParams.shape.caseId;

/** `tongchou benefits missing record|advance|declared-death|reappeared` (the route's body as JSON through `--input`). */
export const missingCliOptions = z.strictObject({
  region: regionCode,
  case: caseId,
  ...cliActingOptions,
});

/** `tongchou benefits missing show`. */
export const missingShowCliOptions = z.strictObject({ region: regionCode, case: caseId });

/** `tongchou benefits missing approve`: the checker's decision on either approval. */
export const missingApproveCliOptions = z.strictObject({
  region: regionCode,
  approval: approvalId,
  as: z.string().min(1),
});
