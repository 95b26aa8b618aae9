import { z } from 'zod';
import { approvalId, approvalStatus, period, regionCode, regionParams } from '../common.ts';
import { allocationRequestFields, cityField } from '../fund/pooling/unified-contract.ts';
import { managementGapsFen } from '../fund/pooling/year-end-contract.ts';

export const approvalListParams = regionParams;
export const approvalListQuery = z.strictObject({
  status: approvalStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const approvalDecisionParams = z.strictObject({ regionCode, id: approvalId });
export const approvalDecisionBody = z.strictObject({ decision: z.enum(['approved', 'rejected']) });
export const approvalShowParams = approvalDecisionParams;

/**
 * A maker's request for approval of a money movement (docs/security.md, "Maker-checker"): the
 * movement and its fields; the server builds the payload the checker sees, with the amounts it
 * reads from the ledger or the budget. Opening balances have no HTTP path yet.
 */
export const approvalRequestBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('pooling.allocate'), ...allocationRequestFields }),
  z.strictObject({ action: z.literal('pooling.allocate_from_budget'), city: cityField, period }),
  z.strictObject({ action: z.literal('pooling.sweep'), city: cityField, period }),
  z.strictObject({
    action: z.literal('pooling.year_end_run'),
    year: z.number().int().min(2000).max(2100),
    managementGapsFen: managementGapsFen.optional(),
  }),
]);

export const approvalRequestResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  action: z.string(),
  payload: z.unknown(),
  amountFen: z.number().int().nullable(),
  requiredCheckers: z.number().int(),
  expiresAt: z.string(),
});

export const approvalResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  action: z.string(),
  payloadHash: z.string(),
  /** The canonical payload the checker approves (what the action will apply). */
  payload: z.unknown(),
  maker: z.string(),
  makerRole: z.string(),
  /** The last checker (the one whose decision settled it). */
  checker: z.string().nullable(),
  status: approvalStatus,
  requiredCheckers: z.number().int(),
  amountFen: z.number().int().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.string().nullable(),
});
export const approvalListResponse = z.object({ approvals: z.array(approvalResponse) });

/** One field of the current state next to what the payload would make it (the checker's diff). */
const approvalDiffRow = z.object({
  field: z.string(),
  current: z.unknown(),
  proposed: z.unknown(),
});

export const approvalShowResponse = approvalResponse.extend({
  decisions: z.array(
    z.object({
      checker: z.string(),
      checkerRole: z.string(),
      decision: z.enum(['approved', 'rejected']),
      decidedAt: z.string(),
    }),
  ),
  /** The state the approval would change, where there is one (null: nothing to compare). */
  currentState: z.object({ description: z.string(), diff: z.array(approvalDiffRow) }).nullable(),
});

export const approvalDecisionResponse = z.object({
  id: z.string(),
  /** pending: approved by fewer checkers than its amount tier needs so far. */
  status: z.enum(['pending', 'approved', 'rejected']),
  approvingCheckers: z.number().int(),
  requiredCheckers: z.number().int(),
});
