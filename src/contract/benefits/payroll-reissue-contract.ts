import { z } from 'zod';
import {
  FAILED_LINES_PAGE_DEFAULT,
  FAILED_LINES_PAGE_MAX,
} from '../../domain/benefits/payroll-reissue-reasons.ts';
import { approvalStatus, isoDate, regionCode } from '../common.ts';
import { paymentFileFormat } from './payroll-contract.ts';

/**
 * The reissue of failed payroll lines by hand, outside a run (docs/benefits.md, "Reissue by
 * hand"): request and answer schemas of the API; the CLI parses its options with the same schemas.
 */
const lineId = z.string().regex(/^pln_[0-9a-f]{20}$/, 'a payroll line id pln_…');
const batchId = z.string().regex(/^prb_[0-9a-f]{20}$/, 'a reissue batch id prb_…');

export const reissueBatchParams = z.strictObject({ regionCode, batchId });
export const proposeReissueBody = z.strictObject({
  /** The failed lines to pay again (a handler's selection, at most 500). */
  lineIds: z.array(lineId).min(1).max(500),
  /** The day whose card accounts the lines take (default today). */
  on: isoDate.optional(),
});
export const reissueFileQuery = z.strictObject({ format: paymentFileFormat.optional() });
export const reissueReturnBody = z.strictObject({
  /** The bank's return file, UTF-8 CSV (docs/benefits.md, "Bank return file"). */
  text: z.string().min(1).max(2_000_000),
});

const figure = z.object({ lines: z.number().int(), amountFen: z.number().int() });

export const reissueBatchResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  status: z.enum(['proposed', 'applied', 'file_issued', 'reconciled']),
  accountsOn: z.string(),
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  approvalId: z.string(),
  proposedBy: z.string(),
  /** The checker's user id, and log-in name for people to read. */
  appliedBy: z.string().nullable(),
  appliedByUsername: z.string().nullable(),
  fileSha256: z.string().nullable(),
  /** Present once applied (before, the lines are the approval's payload). */
  lines: z.array(
    z.object({
      id: z.string(),
      reissueOf: z.string().nullable(),
      month: z.string(),
      workerId: z.string(),
      kind: z.string(),
      amountFen: z.number().int(),
      bankName: z.string().nullable(),
      /** The account's last four digits only. */
      accountTail: z.string().nullable(),
      status: z.enum(['issued', 'paid', 'failed']),
      failureReason: z.string().nullable(),
    }),
  ),
  reconciliation: z.object({
    sent: figure,
    confirmed: figure,
    failed: figure,
    outstanding: figure,
    reissuedLater: figure,
    /** The batch's lines released as owed to no one (not in failed). */
    released: figure,
    ledgerDifferenceFen: z.number().int(),
  }),
});
export type ReissueBatchResponse = z.infer<typeof reissueBatchResponse>;

const batchStatus = z.enum(['proposed', 'applied', 'file_issued', 'reconciled']);
/** A page of a by-hand list (batches, releases), as the failed-lines list pages. */
export const byHandListLimit = z.coerce
  .number()
  .int()
  .min(1)
  .max(FAILED_LINES_PAGE_MAX)
  .default(FAILED_LINES_PAGE_DEFAULT);

/**
 * What a batch's and a release's list rows share (payroll-by-hand-lists.ts); the approval's state
 * is `expired` also when its time has run out unmarked.
 */
export const byHandListItem = z.object({
  id: z.string(),
  /** The proposal's day. */
  proposedOn: z.string(),
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  proposedBy: z.string(),
  approvalId: z.string(),
  approvalStatus,
});

/** `GET /regions/:regionCode/payroll-reissues`: the city's batches, newest first, keyset-paged. */
export const reissueBatchListQuery = z.strictObject({
  status: batchStatus.optional(),
  /** The last batch id of the previous page (`nextAfter`). */
  after: batchId.optional(),
  limit: byHandListLimit,
});

export const reissueBatchListResponse = z.object({
  items: z.array(
    byHandListItem.extend({
      status: batchStatus,
      /** The payment file's sha256 once issued. */
      fileSha256: z.string().nullable(),
      /** The bank's answers so far (the lines exist once the batch is applied). */
      confirmedLines: z.number().int(),
      failedLines: z.number().int(),
      outstandingLines: z.number().int(),
    }),
  ),
  nextAfter: z.string().nullable(),
});
export type ReissueBatchListResponse = z.infer<typeof reissueBatchListResponse>;

export const reissueReturnResponse = z.object({
  batchId: z.string(),
  returnSha256: z.string(),
  confirmed: z.number().int(),
  failed: z.number().int(),
  replayed: z.number().int(),
  transactionIds: z.array(z.string()),
});
export type ReissueReturnResponse = z.infer<typeof reissueReturnResponse>;

/** CLI options (`tongchou payroll reissue …`), named as on the command line. */
export const reissueProposeCliOptions = z.strictObject({
  region: regionCode,
  lines: z
    .string()
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(lineId).min(1).max(500)),
  on: isoDate.optional(),
  as: z.string().min(1),
});
export const reissueListCliOptions = reissueBatchListQuery.extend({ region: regionCode });
export const reissueShowCliOptions = z.strictObject({ region: regionCode, batch: batchId });
export const reissueApproveCliOptions = reissueShowCliOptions.extend({ as: z.string().min(1) });
export const reissueFileCliOptions = reissueApproveCliOptions.extend({
  out: z.string().min(1),
  format: paymentFileFormat.default('csv'),
});
export const reissueReturnCliOptions = reissueApproveCliOptions.extend({ file: z.string().min(1) });
