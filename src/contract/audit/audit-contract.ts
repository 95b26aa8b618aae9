import { z } from 'zod';

export const auditListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  beforeSeq: z.coerce.number().int().min(1).optional(),
});

export const auditEventResponse = z.object({
  actor: z.string().nullable(),
  role: z.string().nullable(),
  scope: z.string().nullable(),
  action: z.string(),
  object: z.string().nullable(),
  result: z.enum(['ok', 'denied', 'refused', 'error']),
  requestId: z.string(),
  /** The client address (behind a trusted proxy: the forwarded one) and its user agent. */
  sourceAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  seq: z.number().int(),
  at: z.string(),
  hash: z.string(),
});

/** Events without their chain link and details (the chain is verified by the CLI, not the UI). */
export const auditPageResponse = z.object({
  events: z.array(auditEventResponse),
  head: z.object({ seq: z.number().int(), hash: z.string() }),
});
