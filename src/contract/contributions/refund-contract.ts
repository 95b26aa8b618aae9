import { z } from 'zod';
import { approvalId, cliActingOptions, isoDate, period, regionCode } from '../common.ts';
import { employerId } from '../registry/employers-contract.ts';

/**
 * Refund of an employer's overpayment held in 2103 暂收款 (docs/contributions.md, "Refunds of
 * overpayments"): the request the handler makes twice (without, then with the approval), its
 * answer, and the employer's excess with its refunds.
 */
export const refundBody = z.strictObject({
  employerId,
  /** The refund's idempotency key: one per refund, made when the form opens, reused on retry. */
  clientKey: z
    .string()
    .regex(/^[0-9A-Za-z._:-]{8,100}$/, '8–100 letters, digits or . _ : - (one per refund)'),
  amountFen: z.number().int().positive(),
  reason: z.string().trim().min(1).max(500),
  bankName: z.string().trim().min(1).max(100),
  accountNumber: z.string().regex(/^[0-9]{8,32}$/, '8–32 digits of the employer’s bank account'),
  accountName: z.string().trim().min(1).max(200),
  /** The day the money leaves the account: the ledger transaction's effective date. */
  refundOn: isoDate,
  approvalId: approvalId.optional(),
});

const fen = z.number().int();
export const refundResponse = z.object({
  status: z.enum(['approval_requested', 'refunded', 'replayed']),
  refundId: z.string(),
  transactionId: z.string(),
  payload: z.object({
    city: z.string(),
    employerId: z.string(),
    clientKey: z.string(),
    amountFen: fen,
    reason: z.string(),
    bankName: z.string(),
    accountNumber: z.string(),
    accountName: z.string(),
    refundOn: isoDate,
  }),
  excessBeforeFen: fen,
  excessAfterFen: fen,
  approval: z
    .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
    .nullable(),
});

export const refundListResponse = z.object({
  employerId: z.string(),
  /** Overpaid parts of posted collections − refunds: what can still be refunded. */
  excessFen: fen,
  overpaidFen: fen,
  refundedFen: fen,
  /** Refunds the bank reported not paid: their money is in the excess again. */
  failedFen: fen,
  offsetFen: fen,
  refunds: z.array(
    z.object({
      id: z.string(),
      amountFen: fen,
      reason: z.string(),
      refundOn: isoDate,
      transactionId: z.string(),
      approvalId: z.string(),
      refundedBy: z.string(),
      /** The refund file that carried it to the bank; null while it waits to be sent. */
      fileId: z.string().nullable(),
      failure: z.object({ reason: z.string(), failedOn: isoDate }).nullable(),
    }),
  ),
  offsets: z.array(
    z.object({
      id: z.string(),
      month: period,
      amountFen: fen,
      reason: z.string(),
      offsetOn: isoDate,
    }),
  ),
});

export const refundIdParams = z.strictObject({
  regionCode,
  refundId: z.string().regex(/^crf_[0-9]{6}_[0-9a-f]{16}$/, 'a refund id crf_<city>_…'),
});

/** The bank reported the refund not paid (docs/contributions.md, "A failed transfer"). */
export const refundFailureBody = z.strictObject({
  /** The record's idempotency key: one per report, made when the form opens, reused on retry. */
  clientKey: z
    .string()
    .regex(/^[0-9A-Za-z._:-]{8,100}$/, '8–100 letters, digits or . _ : - (one per report)'),
  reason: z.string().trim().min(1).max(500),
  /** The day the bank reported it: the reversal's effective date. */
  failedOn: isoDate,
});
export const refundFailureResponse = z.object({
  status: z.enum(['failed', 'replayed']),
  failureId: z.string(),
  refundId: z.string(),
  transactionId: z.string(),
  amountFen: fen,
  excessFen: fen,
});

/** The refund file of a city's day (docs/contributions.md, "The refund file"). */
export const refundFileBody = z.strictObject({ day: isoDate });
export const refundFileResponse = z.object({
  fileId: z.string(),
  city: z.string(),
  day: isoDate,
  sha256: z.string(),
  refundCount: z.number().int(),
  totalFen: fen,
});
export const refundFileParams = z.strictObject({
  regionCode,
  fileId: z.string().regex(/^crfile_[0-9]{6}_[0-9a-f]{16}$/, 'a refund file id crfile_<city>_…'),
});

/** The bank's return file of a refund file, as CSV text (docs/contributions.md). */
export const refundReturnBody = z.strictObject({ text: z.string().min(1).max(1_000_000) });
export const refundFileStatusView = z.object({
  fileId: z.string(),
  day: isoDate,
  issuedAt: z.string(),
  status: z.enum(['sent', 'outstanding', 'confirmed', 'failed']),
  refundCount: z.number().int(),
  totalFen: fen,
  paidCount: z.number().int(),
  paidFen: fen,
  failedCount: z.number().int(),
  failedFen: fen,
  outstandingCount: z.number().int(),
  outstandingFen: fen,
});
export const refundReturnResponse = z.object({
  returnId: z.string(),
  fileId: z.string(),
  status: z.enum(['imported', 'exists']),
  confirmed: z.number().int(),
  failed: z.number().int(),
  replayed: z.number().int(),
  file: refundFileStatusView,
});
export const refundFileListResponse = z.object({
  city: z.string(),
  files: z.array(refundFileStatusView),
});
/** `tongchou contributions refund return` / `refund files`. */
export const refundReturnCliOptions = z.strictObject({
  region: regionCode,
  fileId: z.string(),
  csv: z.string().min(1),
  ...cliActingOptions,
});
export const refundFilesCliOptions = z.strictObject({ region: regionCode });

/** `tongchou contributions refund fail`. */
export const refundFailCliOptions = z.strictObject({
  region: regionCode,
  refund: z.string(),
  ...cliActingOptions,
});
/** `tongchou contributions refund file`. */
export const refundFileCliOptions = z.strictObject({
  region: regionCode,
  day: isoDate.optional(),
  file: z.string().optional(),
  out: z.string().min(1),
  ...cliActingOptions,
});

/** An offset of the employer's 2103 money against a later assessed month of it (Dr 2103 / Cr 1131). */
export const offsetBody = z.strictObject({
  employerId,
  clientKey: z
    .string()
    .regex(/^[0-9A-Za-z._:-]{8,100}$/, '8–100 letters, digits or . _ : - (one per offset)'),
  month: period,
  amountFen: z.number().int().positive(),
  reason: z.string().trim().min(1).max(500),
  offsetOn: isoDate,
  approvalId: approvalId.optional(),
});
export const offsetResponse = z.object({
  status: z.enum(['approval_requested', 'offset', 'replayed']),
  offsetId: z.string(),
  transactionId: z.string(),
  payload: z.object({
    city: z.string(),
    employerId: z.string(),
    clientKey: z.string(),
    month: period,
    amountFen: fen,
    reason: z.string(),
    offsetOn: isoDate,
  }),
  approval: z
    .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
    .nullable(),
});

/** `tongchou contributions refund request` and `offset` (the body through `--input`). */
export const refundCliOptions = z.strictObject({ region: regionCode, ...cliActingOptions });
/** `tongchou contributions refund show`. */
export const refundShowCliOptions = z.strictObject({ region: regionCode, employer: employerId });
