import { z } from 'zod';

/**
 * POST /api/v1/my/ecard-code: a worker's own electronic card code (docs/settlement.md,
 * "Electronic card code"). No body: the worker is the log-in's own person, never a field.
 */
export const ecardCodeBody = z.strictObject({});

export const ecardCodeResponse = z.object({
  /** Shown as a QR code and as text; 1101 读卡 sends it as `body.ecardCode`. */
  code: z.string(),
  workerId: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  validityMinutes: z.number().int(),
});
