import { z } from 'zod';
import { SYNTHETIC_LIMITS } from '../../domain/registry/synthetic/synthetic-plan.ts';

/** The options of `tongchou generate` (strings from the command line, coerced and bounded). */
export const generateOptions = z.strictObject({
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  employers: z.coerce.number().int().min(1).max(SYNTHETIC_LIMITS.employersMax),
  workers: z.coerce.number().int().min(0).max(SYNTHETIC_LIMITS.workersMax),
  months: z.coerce.number().int().min(1).max(SYNTHETIC_LIMITS.monthsMax),
  from: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
    .refine((m) => m >= SYNTHETIC_LIMITS.fromEarliest, {
      message: `from ${SYNTHETIC_LIMITS.fromEarliest} (the GB/T 4754-2017 risk classes start 2017-10)`,
    }),
});
export type GenerateOptions = z.output<typeof generateOptions>;
