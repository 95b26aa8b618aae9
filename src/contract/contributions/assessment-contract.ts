import { z } from 'zod';
import { approvalId, isoDate, period, regionCode } from '../common.ts';
import { projectId } from '../registry/projects-contract.ts';

/**
 * Assessment (核定), collections (征收), arrears and reconciliation (issue 10, ADR 0010): the API's
 * request and answer schemas; the CLI calls the same use cases.
 */
const employerId = z
  .string()
  .regex(/^emp_[0-9]{6}_[0-9a-f]{16}$/, 'an employer id emp_<city>_<16 hex>');
const importId = z
  .string()
  .regex(/^cim_[0-9]{6}_[0-9a-f]{16}$/, 'an import id cim_<city>_<16 hex>');
const voucher = z
  .string()
  .regex(/^[0-9A-Za-z-]{1,40}$/, 'a 税票号: 1–40 letters, digits or hyphens');
const fen = z.number().int();

export const contributionRegionParams = z.strictObject({ regionCode });
export const importParams = z.strictObject({ regionCode, importId });
export const voucherParams = z.strictObject({ regionCode, voucher });

const approvalOut = z
  .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
  .nullable();

export const assessmentBody = z.strictObject({ month: period, approvalId: approvalId.optional() });
export const assessmentResponse = z.object({
  city: z.string(),
  month: z.string(),
  status: z.enum(['nothing', 'preview', 'approval_requested', 'posted']),
  payload: z
    .object({
      city: z.string(),
      month: z.string(),
      runSeq: z.number().int(),
      employerCount: z.number().int(),
      amountTotalFen: fen,
      differenceFen: fen,
      amountsSha256: z.string(),
    })
    .nullable(),
  approval: approvalOut,
  runId: z.string().nullable(),
  transactionId: z.string().nullable(),
});

export const assessmentListQuery = z.strictObject({
  month: period.optional(),
  employerId: employerId.optional(),
});
const assessmentView = z.object({
  regionCode: z.string(),
  employerId: z.string(),
  month: z.string(),
  version: z.number().int(),
  declarationId: z.string(),
  declarationVersion: z.number().int(),
  workerCount: z.number().int(),
  baseTotalFen: fen,
  riskClass: z.number().int(),
  floatingGrade: z.string(),
  baseRate: z.string(),
  multiplier: z.string(),
  rate: z.string(),
  amountFen: fen,
  previousAmountFen: fen,
  citations: z.array(z.string()),
  runId: z.string(),
});
export const assessmentListResponse = z.object({ assessments: z.array(assessmentView) });

/** The file travels base64-encoded in JSON, so GBK bytes arrive intact (≤ 20 MB decoded). */
export const collectionImportBody = z.strictObject({
  fileName: z.string().min(1).max(200),
  contentBase64: z.string().min(1).max(28_000_000),
});
export const collectionImportResponse = z.object({
  importId: z.string(),
  status: z.enum(['created', 'exists']),
  recordCount: z.number().int(),
  newCount: z.number().int(),
  matchedCount: z.number().int(),
  unmatchedCount: z.number().int(),
  duplicates: z.array(z.string()),
});

export const collectionPostingBody = z.strictObject({ approvalId: approvalId.optional() });
export const collectionPostingResponse = z.object({
  city: z.string(),
  importId: z.string(),
  status: z.enum(['nothing', 'preview', 'approval_requested', 'posted']),
  payload: z
    .object({
      city: z.string(),
      importId: z.string(),
      postingSeq: z.number().int(),
      recordCount: z.number().int(),
      totalFen: fen,
      appliedFen: fen,
      overpaidFen: fen,
      recordsSha256: z.string(),
    })
    .nullable(),
  approval: approvalOut,
  transactionId: z.string().nullable(),
});

export const collectionListQuery = z.strictObject({
  queue: z.enum(['true', 'false']).optional(),
  /** true: matched records not posted yet (assigned, or forwarded in from another city). */
  unposted: z.enum(['true', 'false']).optional(),
  employerId: employerId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const collectionRecordView = z.object({
  voucher: z.string(),
  importId: z.string(),
  rowNumber: z.number().int(),
  creditCode: z.string(),
  month: z.string(),
  amountFen: fen,
  paidOn: z.string(),
  status: z.enum(['matched', 'unmatched', 'rejected']),
  unmatchedReason: z
    .enum([
      'unknown_credit_code',
      'other_city',
      'no_assessment',
      'unknown_project',
      'project_other_employer',
    ])
    .nullable(),
  employerId: z.string().nullable(),
  matchMonth: z.string().nullable(),
  /** The file's 项目编号 (optional column) and the project the record pays (按项目参保). */
  projectRef: z.string().nullable(),
  projectId: z.string().nullable(),
  resolution: z.string().nullable(),
  postingId: z.string().nullable(),
  appliedFen: fen.nullable(),
  overpaidFen: fen.nullable(),
});
export const collectionListResponse = z.object({ records: z.array(collectionRecordView) });

export const resolutionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('assign'), employerId, month: period }),
  /** 按项目参保: the record pays that project of the city (its receivable, posted at registration). */
  z.strictObject({ action: z.literal('assign_project'), projectId }),
  z.strictObject({ action: z.literal('reject'), reason: z.string().min(1).max(500) }),
]);

/** Forwarding to the employer's city: the employer of the record's credit code, or the one named. */
export const forwardBody = z.strictObject({ employerId: employerId.optional() });
export const forwardResponse = z.object({
  fromCity: z.string(),
  toCity: z.string(),
  toImportId: z.string(),
  record: collectionRecordView,
});
export const forwardCliOptions = z.strictObject({
  region: regionCode,
  voucher,
  employer: employerId.optional(),
});

export const arrearsQuery = z.strictObject({
  on: isoDate.optional(),
  employerId: employerId.optional(),
});
export const arrearsResponse = z.object({
  on: z.string(),
  arrears: z.array(
    z.object({
      regionCode: z.string(),
      employerId: z.string(),
      employerName: z.string(),
      month: z.string(),
      assessedFen: fen,
      collectedFen: fen,
      outstandingFen: fen,
      dueDate: z.string(),
      daysLate: z.number().int(),
      dailyRate: z.string(),
      lateFeeFen: fen,
      citations: z.array(z.string()),
    }),
  ),
});

export const reconciliationQuery = z.strictObject({ month: period });
export const reconciliationResponse = z.object({
  city: z.string(),
  month: z.string(),
  employerCount: z.number().int(),
  assessedFen: fen,
  collectedFen: fen,
  outstandingFen: fen,
  overpaidFen: fen,
  unmatchedCount: z.number().int(),
  unmatchedFen: fen,
  ledger: z.object({
    assessedFen: fen,
    incomeFen: fen,
    receivableFen: fen,
    bookReceivableFen: fen,
    suspenseFen: fen,
    bookSuspenseFen: fen,
  }),
  balanced: z.boolean(),
});

/** The options of `tongchou contributions …` (the CLI validates with the same pieces). */
export const assessCliOptions = z.strictObject({
  region: regionCode,
  month: period,
  approval: approvalId.optional(),
});
export const postCliOptions = z.strictObject({
  region: regionCode,
  import: importId,
  approval: approvalId.optional(),
});
export const arrearsCliOptions = z.strictObject({ region: regionCode, on: isoDate });
export const reconcileCliOptions = z.strictObject({ region: regionCode, month: period });
