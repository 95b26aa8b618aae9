import { z } from 'zod';
import { regradePlanSchema } from '../../rules/benefits/regrade-rule.ts';
import { approvalId, isoDate, regionCode } from '../common.ts';

/**
 * The regrade decision (重新核定 after a changed 再次鉴定 or 复查鉴定; docs/benefits.md, "Regrade"): the
 * request and answer schemas of its two routes and its CLI commands.
 */
const caseId = z.string().regex(/^cas_[0-9]{6}_[0-9a-f]{16}$/, 'a case id cas_<city>_<16 hex>');
const decisionId = z
  .string()
  .regex(/^bdc_[0-9]{6}_[0-9a-f]{16}$/, 'a benefit decision id bdc_<city>_<16 hex>');

export const regradeCaseParams = z.strictObject({ regionCode, caseId });
export const regradeDecisionParams = z.strictObject({ regionCode, decisionId });

export const regradeProposeBody = z.strictObject({
  /** The day of the proposal (default today). */
  on: isoDate.optional(),
});

export const regradeProposeResponse = z.object({
  decisionId: z.string(),
  approvalId: z.string(),
  payload: z.object({
    decisionId: z.string(),
    caseId: z.string(),
    workerId: z.string(),
    appraisalId: z.string().nullable(),
    wageMonths: z.array(
      z.object({ month: z.string(), wageFen: z.number().int(), source: z.string() }),
    ),
    baseWageFen: z.number().int(),
    items: z.array(
      z.object({
        code: z.string(),
        amountFen: z.number().int(),
        frequency: z.string(),
        payer: z.string(),
        dependantIndex: z.number().int().nullable(),
      }),
    ),
    fundLumpSumTotalFen: z.number().int(),
    snapshotId: z.string(),
    /** What ends, what starts, what is paid (postings) and what waits for a person (held). */
    plan: regradePlanSchema,
  }),
});

export const regradeApplyBody = z.strictObject({
  /** Default: the approval asked for with the proposal. */
  approvalId: approvalId.optional(),
  /** The day of the decision (the payable's effective date; default today). */
  on: isoDate.optional(),
});

export const regradeApplyResponse = z.object({
  decisionId: z.string(),
  status: z.literal('approved'),
  replacedDecisionId: z.string(),
  ledgerTransactionId: z.string().nullable(),
  replayed: z.boolean(),
});

/** `tongchou benefits decision regrade|regrade-apply` options (commander gives strings). */
export const regradeProposeCliOptions = z.strictObject({
  region: regionCode,
  case: caseId,
  as: z.string().min(1),
  on: isoDate.optional(),
});
export const regradeApplyCliOptions = z.strictObject({
  region: regionCode,
  decision: decisionId,
  as: z.string().min(1),
  on: isoDate.optional(),
});
