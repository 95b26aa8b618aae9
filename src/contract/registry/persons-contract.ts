import { z } from 'zod';
import { regionParams } from '../common.ts';

export const personListParams = regionParams;
export const personParams = regionParams.extend({
  id: z.string().regex(/^per_[0-9a-z_]{1,40}$/, 'a person id such as per_330100_0001'),
});
export const personListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const personRegisterBody = z.strictObject({
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits and a digit or X'),
  name: z.string().trim().min(1).max(50),
});
export const personRevealBody = z.strictObject({
  reason: z.string().trim().min(4, 'say why you need it (at least 4 characters)').max(500),
});

export const personResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  /** An alias's person: only for holders of pii:reveal (docs/security.md, ID numbers). */
  linkedPersonId: z.string().optional(),
});
export const personListResponse = z.object({ persons: z.array(personResponse) });
export const personRevealResponse = z.object({ idNumber: z.string() });
