import { z } from 'zod';
import { indexationPayloadSchema } from '../../rules/benefits/indexation.ts';
import { approvalStatus, regionCode } from '../common.ts';

/**
 * 待遇调整 (indexation, docs/benefits.md "Indexation"): the request and answer schemas of the API;
 * the CLI parses its options with the same schemas.
 */
const batchId = z.string().regex(/^idx_[0-9]{6}_[0-9]{4}$/, 'a batch id idx_<city>_<YYYY>');
const year = z.coerce.number().int().min(2011).max(2100);

export const indexationParams = z.strictObject({ regionCode, batchId });
export const proposeIndexationBody = z.strictObject({ year });
export const indexationQuery = z.strictObject({
  /** The cursor of the report's next page: the last entitlement id of the page before. */
  after: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const line = z.object({
  entitlementId: z.string(),
  newEntitlementId: z.string(),
  workerId: z.string(),
  dependantId: z.string().nullable(),
  decisionId: z.string(),
  kind: z.enum(['disability_allowance', 'nursing_allowance', 'survivor_pension']),
  payer: z.enum(['fund', 'employer']),
  ruleKey: z.string(),
  effectiveOn: z.string(),
  endsOn: z.string().nullable(),
  beforeFen: z.number().int(),
  afterFen: z.number().int(),
  citation: z.string(),
});

export const indexationResponse = z.object({
  regionCode: z.string(),
  batchId: z.string(),
  year: z.number().int(),
  status: z.enum(['proposed', 'applied']),
  approvalId: z.string(),
  snapshotId: z.string(),
  proposedBy: z.string(),
  appliedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  /** What the checker approves: line count and digest, totals by item and payer, skipped counts. */
  payload: indexationPayloadSchema,
  /** One page of the before/after report, in entitlement order. */
  lines: z.array(line),
  nextAfter: z.string().nullable(),
  /** The notice issued when the batch was applied (null before): its letter id and 发文字号. */
  notice: z.object({ letterId: z.string(), documentNumber: z.string() }).nullable(),
});
export type IndexationResponse = z.infer<typeof indexationResponse>;

/**
 * The city's batches (`GET …/indexation-batches`), newest year first: monthly totals before and
 * after over all items and payers, skipped counts, and the approval's state (the batch stays
 * `proposed` until applied; `approved` there means the apply may run).
 */
export const indexationBatchSummary = z.object({
  batchId: z.string(),
  year: z.number().int(),
  status: indexationResponse.shape.status,
  lineCount: z.number().int(),
  beforeFen: z.number().int(),
  afterFen: z.number().int(),
  skipped: indexationPayloadSchema.shape.skipped,
  proposedBy: z.string(),
  proposedAt: z.string(),
  appliedBy: z.string().nullable(),
  appliedAt: z.string().nullable(),
  approvalId: z.string(),
  approvalStatus: approvalStatus.nullable(),
  checkerUsername: z.string().nullable(),
});
export type IndexationBatchSummary = z.infer<typeof indexationBatchSummary>;
export const indexationListResponse = z.object({ items: z.array(indexationBatchSummary) });
export type IndexationListResponse = z.infer<typeof indexationListResponse>;

/** CLI options (`tongchou benefits indexation …`), named as on the command line. */
export const indexationProposeCliOptions = z.strictObject({
  region: regionCode,
  year,
  as: z.string().min(1),
});
export const indexationListCliOptions = z.strictObject({ region: regionCode });
export const indexationShowCliOptions = z.strictObject({
  region: regionCode,
  batch: batchId,
  after: z.string().max(64).optional(),
  xlsx: z.string().min(1).optional(),
});
export const indexationActCliOptions = z.strictObject({
  region: regionCode,
  batch: batchId,
  as: z.string().min(1),
});
