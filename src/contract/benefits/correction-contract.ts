import { z } from 'zod';
import { approvalId, approvalStatus, cliActingOptions, isoDate, regionCode } from '../common.ts';

/**
 * Correcting an entitlement recorded wrong (docs/benefits.md, "Correcting an entitlement"): the
 * request and answer schemas of `/regions/:regionCode/benefit-entitlements/:entitlementId/corrections`
 * and its approval, apply and read. The CLI parses its input with the same bodies.
 */
export const entitlementId = z
  .string()
  .regex(/^ent_\d{6}_[0-9a-f]{16}$/, 'an entitlement id ent_<city>_…');
export const correctionId = z.string().regex(/^bcr_[0-9a-f]{20}$/, 'a correction id bcr_…');

export const entitlementParams = z.strictObject({ regionCode, entitlementId });
export const correctionParams = z.strictObject({ regionCode, entitlementId, correctionId });
export const correctionCaseParams = z.strictObject({
  regionCode,
  caseId: z.string().regex(/^cas_[0-9]{6}_[0-9a-f]{16}$/, 'a case id cas_<city>_<16 hex>'),
});

export const correctionBody = z
  .strictObject({
    /** The corrected monthly amount, in fen. */
    amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    /** The corrected first day. */
    startsOn: isoDate.optional(),
    /** The corrected last day; null: open-ended. */
    endsOn: isoDate.nullable().optional(),
    /** Why the recorded terms were wrong. */
    reason: z.string().trim().min(1).max(500),
    /** What shows the corrected terms (a document, its page, a file number). */
    evidence: z.string().trim().min(1).max(1000),
  })
  .refine((b) => b.amountFen !== undefined || b.startsOn !== undefined || b.endsOn !== undefined, {
    message: 'name at least one of amountFen, startsOn, endsOn',
    path: ['amountFen'],
  });

export const correctionApplyBody = z.strictObject({
  approvalId: approvalId.optional(),
  /** The day of the correction: the arrears' effective date (default today). */
  on: isoDate.optional(),
});

export const correctionDecisionBody = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
});

const terms = z.object({
  amountFen: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
});

export const correctionView = z.object({
  regionCode: z.string(),
  id: z.string(),
  entitlementId: z.string(),
  workerId: z.string(),
  decisionId: z.string(),
  status: z.enum(['proposed', 'applied', 'superseded']),
  reason: z.string(),
  evidence: z.string(),
  plan: z.object({
    kind: z.string(),
    before: terms,
    after: terms,
    months: z.array(
      z.object({
        month: z.string(),
        paidFen: z.number().int(),
        dueFen: z.number().int(),
        differenceFen: z.number().int(),
        partialMonthRule: z.enum(['full_month', 'pro_rata_days']),
      }),
    ),
    netFen: z.number().int(),
    arrears: z.object({ account: z.string(), amountFen: z.number().int() }).nullable(),
    overpayment: z
      .object({
        amountFen: z.number().int(),
        months: z.array(z.string()),
        lineIds: z.array(z.string()),
      })
      .nullable(),
  }),
  approvalId: z.string(),
  proposedBy: z.string(),
  appliedOn: z.string().nullable(),
  appliedBy: z.string().nullable(),
  correctedEntitlementId: z.string().nullable(),
  ledgerTransactionId: z.string().nullable(),
  paymentId: z.string().nullable(),
  overpaymentId: z.string().nullable(),
});

/** `GET /regions/:regionCode/cases/:caseId/benefit-corrections`: the case's, newest first. */
export const correctionListResponse = z.object({
  corrections: z.array(
    correctionView.extend({
      /** The approval's state (null: the approval is gone); `approved` and `proposed`: applicable. */
      approvalStatus: approvalStatus.nullable(),
    }),
  ),
});

export const correctionApplyResponse = z.object({
  correction: correctionView,
  replayed: z.boolean(),
});

export const correctionDecisionResponse = z.object({
  id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  approvingCheckers: z.number().int(),
  requiredCheckers: z.number().int(),
});

/** `tongchou benefits correction propose` (the route's body as JSON through `--input`). */
export const correctionProposeCliOptions = z.strictObject({
  region: regionCode,
  entitlement: entitlementId,
  ...cliActingOptions,
});

/** `tongchou benefits correction approve|apply`. */
export const correctionStepCliOptions = z.strictObject({
  region: regionCode,
  correction: correctionId,
  ...cliActingOptions,
});

/** `tongchou benefits correction show`. */
export const correctionShowCliOptions = z.strictObject({
  region: regionCode,
  correction: correctionId,
});
