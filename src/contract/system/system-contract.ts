import { z } from 'zod';

export const healthResponse = z.object({ status: z.literal('ok') });

export const readyResponse = z.object({
  status: z.literal('ready'),
  backend: z.enum(['pglite', 'pg']),
  schemaVersion: z.number().int(),
});

export const notReadyResponse = z.object({
  status: z.literal('not_ready'),
  backend: z.enum(['pglite', 'pg']),
});

/** The OpenAPI document itself: documented by its version, passed through whole. */
export const openApiResponse = z.looseObject({ openapi: z.string() });
