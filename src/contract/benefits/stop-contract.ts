import { z } from 'zod';
import { OVERPAYMENT_STATUSES } from '../../domain/benefits/recovery.ts';
import { approvalId, isoDate, regionCode } from '../common.ts';
import { workerId } from '../registry/workers-contract.ts';

/**
 * 停止享受工伤保险待遇 (《工伤保险条例》第四十二条; docs/benefits.md "Stopping benefits"): the request
 * and answer schemas of `/regions/:regionCode/workers/:workerId/benefit-stops` and
 * `/regions/:regionCode/benefit-stops/:stopId`.
 */
export const stopWorkerParams = z.strictObject({ regionCode, workerId });

export const stopId = z.string().regex(/^stp_[0-9a-f]{20}$/);
export const stopParams = z.strictObject({ regionCode, stopId });

export const stopBody = z.strictObject({
  /** 第四十二条 (一) lost_conditions, (二) refused_appraisal, (三) refused_treatment. */
  ground: z.enum(['lost_conditions', 'refused_appraisal', 'refused_treatment']),
  /** The date of the event the stop rests on: the month of it is paid whole. */
  effectiveOn: isoDate,
  /** What happened and the evidence (书面通知, 鉴定委员会的记录 …). */
  reason: z.string().trim().min(1).max(500),
  approvalId: approvalId.optional(),
});

export const resumeBody = z.strictObject({
  /** Benefits are paid again from the month of this date. */
  resumedOn: isoDate,
  reason: z.string().trim().min(1).max(500),
  approvalId: approvalId.optional(),
});

const overpayment = z.object({
  regionCode: z.string(),
  id: z.string(),
  entitlementId: z.string(),
  months: z.array(z.string()),
  lineIds: z.array(z.string()),
  amountFen: z.number().int(),
  status: z.enum(OVERPAYMENT_STATUSES),
});

export const stopView = z.object({
  regionCode: z.string(),
  id: z.string(),
  workerId: z.string(),
  ground: z.enum(['lost_conditions', 'refused_appraisal', 'refused_treatment']),
  effectiveOn: z.string(),
  reason: z.string(),
  approvalId: z.string(),
  ended: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      amountFen: z.number().int(),
      startsOn: z.string(),
      endsOnBefore: z.string().nullable(),
      endsOn: z.string().nullable(),
    }),
  ),
  stoppedBy: z.string(),
  resumedOn: z.string().nullable(),
  resumeReason: z.string().nullable(),
  resumedBy: z.string().nullable(),
  overpayments: z.array(overpayment),
  overpaidFen: z.number().int(),
  letters: z.array(
    z.object({
      event: z.enum(['stop', 'resume']),
      caseId: z.string(),
      letterId: z.string(),
      documentNumber: z.string(),
    }),
  ),
});

/** A worker's stops in the city, the latest first (GET …/workers/:workerId/benefit-stops). */
export const stopListResponse = z.object({ stops: z.array(stopView) });

const approval = z
  .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
  .nullable();

export const stopResponse = z.object({
  status: z.enum(['approval_requested', 'stopped']),
  replayed: z.boolean(),
  stop: stopView.nullable(),
  approval,
});

export const resumeResponse = z.object({
  status: z.enum(['approval_requested', 'resumed']),
  replayed: z.boolean(),
  stop: stopView,
  started: z.array(
    z.object({
      id: z.string(),
      predecessorId: z.string(),
      kind: z.string(),
      amountFen: z.number().int(),
      startsOn: z.string(),
      endsOn: z.string().nullable(),
    }),
  ),
  approval,
});

/** `tongchou benefits stop` options (commander's camel-cased names). */
export const stopCliOptions = z.strictObject({
  region: regionCode,
  worker: workerId,
  ground: stopBody.shape.ground,
  effectiveOn: isoDate,
  reason: z.string().trim().min(1).max(500),
  approval: approvalId.optional(),
  as: z.string().min(1),
});

/** `tongchou benefits resume` options. */
export const resumeCliOptions = z.strictObject({
  region: regionCode,
  stop: stopId,
  resumedOn: isoDate,
  reason: z.string().trim().min(1).max(500),
  approval: approvalId.optional(),
  as: z.string().min(1),
});

/** `tongchou benefits stop-approve` options. */
export const stopApproveCliOptions = z.strictObject({
  region: regionCode,
  approval: approvalId,
  as: z.string().min(1),
});
