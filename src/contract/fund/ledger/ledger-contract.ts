import { z } from 'zod';
import { approvalId, isoDate, period, regionCode, regionParams } from '../../common.ts';
import { segment } from '../fund-params.ts';

export const journalQuery = z.strictObject({
  segment: segment.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  beforeSeq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export const transactionParams = z.strictObject({
  regionCode,
  // Ledger ids are client-chosen text of 1–200 characters (URL-encode them).
  txId: z.string().min(1).max(200),
});
export const trialBalanceQuery = z.strictObject({ asOf: isoDate, segment: segment.optional() });
export const balancesQuery = z.strictObject({ segment: segment.optional() });
export const ledgerParams = regionParams;

/** Periods belong to a segment of the region: its own (default) or the province's adjustment fund. */
const periodSegment = z
  .string()
  .regex(/^\d{6}(-ADJ)?$/, 'a segment code such as 330100 or 330000-ADJ')
  .optional();
export const periodParams = z.strictObject({ regionCode, period });
export const periodsQuery = z.strictObject({
  segment: periodSegment,
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export const periodCloseRequestBody = z.strictObject({ segment: periodSegment });
export const periodCloseBody = z.strictObject({ segment: periodSegment, approvalId });

const accountType = z.enum(['asset', 'liability', 'reserve', 'income', 'expense']);
const normalSide = z.enum(['D', 'C']);

export const postingResponse = z.object({
  segment: z.string(),
  account: z.string(),
  side: z.enum(['debit', 'credit']),
  amountFen: z.number().int(),
});

export const journalEntryResponse = z.object({
  seq: z.number().int(),
  id: z.string(),
  kind: z.enum(['posted', 'pending']),
  /** For a pending transaction: its resolution, if any. */
  resolution: z
    .object({ action: z.enum(['post', 'void']), resolvedAt: z.string(), actor: z.string() })
    .nullable(),
  effectiveDate: z.string(),
  source: z.object({ type: z.string(), id: z.string() }),
  parameterSnapshotId: z.string().nullable(),
  memo: z.string().nullable(),
  corrects: z.string().nullable(),
  actor: z.string(),
  recordedAt: z.string(),
  postings: z.array(postingResponse),
});

export const journalPageResponse = z.object({
  entries: z.array(journalEntryResponse),
  nextBeforeSeq: z.number().int().nullable(),
  segment: z.string(),
});

export const trialBalanceRowResponse = z.object({
  segment: z.string(),
  account: z.string(),
  chartCode: z.string(),
  name: z.string(),
  nameEn: z.string(),
  type: accountType,
  normalSide,
  debitFen: z.number().int(),
  creditFen: z.number().int(),
  balanceFen: z.number().int(),
});

export const trialBalanceResponse = z.object({
  segment: z.string(),
  asOf: z.string(),
  rows: z.array(trialBalanceRowResponse),
  totals: z.object({
    debitFen: z.number().int(),
    creditFen: z.number().int(),
    balanced: z.boolean(),
  }),
});

export const accountBalanceResponse = z.object({
  segment: z.string(),
  account: z.string(),
  name: z.string(),
  nameEn: z.string(),
  type: accountType,
  normalSide,
  debitPostedFen: z.number().int(),
  creditPostedFen: z.number().int(),
  debitPendingFen: z.number().int(),
  creditPendingFen: z.number().int(),
  balanceFen: z.number().int(),
  version: z.number().int(),
});

export const balancesResponse = z.object({
  segment: z.string(),
  balances: z.array(accountBalanceResponse),
});

export const periodResponse = z.object({
  segment: z.string(),
  period: z.string(),
  status: z.enum(['open', 'closed']),
  openedAt: z.string(),
  openedBy: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  closeApprovalId: z.string().nullable(),
  closeChecker: z.string().nullable(),
});

export const periodsResponse = z.object({ segment: z.string(), periods: z.array(periodResponse) });

export const periodCloseRequestResponse = z.object({
  segment: z.string(),
  period: z.string(),
  approvalId: z.string(),
});

export const periodCloseResponse = z.object({
  segment: z.string(),
  period: z.string(),
  checkerId: z.string(),
});
