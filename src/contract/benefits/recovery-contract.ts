import { z } from 'zod';
import { OVERPAYMENT_REASONS, OVERPAYMENT_STATUSES } from '../../domain/benefits/recovery.ts';
import { approvalId, cliActingOptions, isoDate, regionCode } from '../common.ts';

/**
 * Recovering overpayments (《社会保险经办条例》第四十六条; docs/benefits.md "Recovering overpayments"):
 * the request and answer schemas of `/regions/:regionCode/benefit-overpayments/:overpaymentId`
 * and `/regions/:regionCode/benefit-recoveries/:recoveryId`. The CLI parses its input with the
 * same bodies.
 */
export const overpaymentId = z.string().regex(/^ovp_[0-9a-f]{20}$/, 'an overpayment id ovp_…');
export const recoveryId = z.string().regex(/^brc_[0-9a-f]{20}$/, 'a recovery id brc_…');

export const overpaymentParams = z.strictObject({ regionCode, overpaymentId });
export const recoveryParams = z.strictObject({ regionCode, recoveryId });

const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const recoveryBody = z
  .strictObject({
    /** offset (抵扣, against the same person's later payroll lines) or order (责令退回). */
    method: z.enum(['offset', 'order']),
    /** An offset's most per payroll month, in fen; an order takes none. */
    monthlyFen: fen.optional(),
    /** Why this method: the person's means, a repayment agreement, the estate … */
    reason: z.string().trim().min(1).max(500),
    approvalId: approvalId.optional(),
    /** The day the recovery is applied: the recognition's effective date (default today). */
    on: isoDate.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.method === 'offset' && b.monthlyFen === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['monthlyFen'],
        message: 'an offset needs the amount per month, in fen',
      });
    if (b.method === 'order' && b.monthlyFen !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['monthlyFen'],
        message: 'an order takes no monthly amount: it is repaid by recorded repayments',
      });
  });

export const repaymentBody = z.strictObject({
  amountFen: fen,
  /** The day the money reached the fund's account. */
  paidOn: isoDate,
  /** The bank's reference of the credit, or the receipt's number. */
  reference: z.string().trim().min(1).max(64),
  approvalId: approvalId.optional(),
});

const repayment = z.object({
  id: z.string(),
  amountFen: z.number().int(),
  paidOn: z.string(),
  reference: z.string(),
  approvalId: z.string(),
  transactionId: z.string(),
});

const deduction = z.object({
  lineId: z.string(),
  runId: z.string(),
  month: z.string(),
  kind: z.string(),
  paidFen: z.number().int(),
  offsetFen: z.number().int(),
  posted: z.boolean(),
});

export const recoveryView = z.object({
  id: z.string(),
  method: z.enum(['offset', 'order']),
  amountFen: z.number().int(),
  monthlyFen: z.number().int().nullable(),
  expenseAccount: z.string(),
  reason: z.string(),
  decidedOn: z.string(),
  approvalId: z.string(),
  recognisedTransactionId: z.string(),
  status: z.enum(['active', 'settled']),
  settledOn: z.string().nullable(),
  repayments: z.array(repayment),
  repaidFen: z.number().int(),
  deductions: z.array(deduction),
  offsetPostedFen: z.number().int(),
  offsetPendingFen: z.number().int(),
  balanceFen: z.number().int(),
});

export const overpaymentRecoveryView = z.object({
  regionCode: z.string(),
  overpaymentId: z.string(),
  workerId: z.string(),
  entitlementId: z.string().nullable(),
  entitlementKind: z.string(),
  /** The lump-sum payment a receivable is anchored on (the advance to return), else null. */
  paymentId: z.string().nullable(),
  /** The expense account that payment was posted to (its recovery credits it), else null. */
  expenseAccount: z.string().nullable(),
  reason: z.enum(OVERPAYMENT_REASONS),
  months: z.array(z.string()),
  lineIds: z.array(z.string()),
  amountFen: z.number().int(),
  status: z.enum(OVERPAYMENT_STATUSES),
  recovery: recoveryView.nullable(),
});

const approval = z
  .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
  .nullable();

export const recoveryResponse = z.object({
  status: z.enum(['approval_requested', 'decided']),
  replayed: z.boolean(),
  overpayment: overpaymentRecoveryView,
  approval,
});

export const repaymentResponse = z.object({
  status: z.enum(['approval_requested', 'recorded']),
  replayed: z.boolean(),
  recovery: recoveryView,
  repaymentId: z.string().nullable(),
  approval,
});

/** `GET /regions/:regionCode/benefit-overpayments?status=…`: the city's list, one status or all. */
export const overpaymentListQuery = z.strictObject({
  status: z.enum(OVERPAYMENT_STATUSES).optional(),
});

export const overpaymentListResponse = z.object({
  items: z.array(
    z.object({
      overpaymentId: z.string(),
      workerId: z.string(),
      entitlementId: z.string().nullable(),
      entitlementKind: z.string(),
      reason: z.enum(OVERPAYMENT_REASONS),
      months: z.array(z.string()),
      amountFen: z.number().int(),
      status: z.enum(OVERPAYMENT_STATUSES),
      createdAt: z.string(),
      recovery: z
        .object({
          id: z.string(),
          method: z.enum(['offset', 'order']),
          monthlyFen: z.number().int().nullable(),
          status: z.enum(['active', 'settled']),
          decidedOn: z.string(),
          balanceFen: z.number().int(),
        })
        .nullable(),
    }),
  ),
});

export type OverpaymentListResponse = z.infer<typeof overpaymentListResponse>;
export type OverpaymentRecoveryResponse = z.infer<typeof overpaymentRecoveryView>;
export type RecoveryResponse = z.infer<typeof recoveryResponse>;
export type RepaymentResponse = z.infer<typeof repaymentResponse>;
export type RecoveryBody = z.input<typeof recoveryBody>;
export type RepaymentBody = z.input<typeof repaymentBody>;

/** `tongchou benefits recovery decide` (the route's body as JSON through `--input`). */
export const recoveryDecideCliOptions = z.strictObject({
  region: regionCode,
  overpayment: overpaymentId,
  ...cliActingOptions,
});

/** `tongchou benefits recovery repay` (the route's body as JSON through `--input`). */
export const recoveryRepayCliOptions = z.strictObject({
  region: regionCode,
  recovery: recoveryId,
  ...cliActingOptions,
});

/** `tongchou benefits recovery show`: an overpayment (with its recovery) or a recovery. */
export const recoveryShowCliOptions = z.strictObject({
  region: regionCode,
  overpayment: overpaymentId.optional(),
  recovery: recoveryId.optional(),
});

/** `tongchou benefits recovery approve`: the checker's decision on either approval. */
export const recoveryApproveCliOptions = z.strictObject({
  region: regionCode,
  approval: approvalId,
  as: z.string().min(1),
});
