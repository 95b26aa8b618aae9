import { z } from 'zod';
import { approvalId, regionCode, regionParams } from '../common.ts';

const approvalStatus = z.enum(['pending', 'approved', 'rejected', 'consumed']);

export const approvalListParams = regionParams;
export const approvalListQuery = z.strictObject({
  status: approvalStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const approvalDecisionParams = z.strictObject({ regionCode, id: approvalId });
export const approvalDecisionBody = z.strictObject({ decision: z.enum(['approved', 'rejected']) });

export const approvalResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  action: z.string(),
  payloadHash: z.string(),
  maker: z.string(),
  checker: z.string().nullable(),
  status: approvalStatus,
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export const approvalListResponse = z.object({ approvals: z.array(approvalResponse) });
export const approvalDecisionResponse = z.object({
  id: z.string(),
  status: z.enum(['approved', 'rejected']),
});
