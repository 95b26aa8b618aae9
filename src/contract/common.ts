import { z } from 'zod';
import { isIsoDate } from '../kernel/dates.ts';

/**
 * Pieces every area's contract shares. Contracts import only zod, kernel, rules, identity and
 * domain: the web imports their types, the api their values.
 */
export const regionCode = z.string().regex(/^\d{6}$/, 'a 6-digit region code');
export const regionParams = z.strictObject({ regionCode });
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isIsoDate, 'a calendar date YYYY-MM-DD');
export const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period YYYY-MM');
export const approvalId = z.string().regex(/^apr_[0-9a-f]{24}$/, 'an approval id such as apr_…');
/**
 * The options every acting CLI command shares (src/cli/acting.ts): `--as <username>`, the user
 * the step acts as, and `--input <file>`, the route's JSON body ("-" for standard input).
 */
export const cliActingOptions = {
  as: z.string().min(1),
  input: z.string().min(1).optional(),
};
/** An empty body (`{}`) of an action that needs nothing more than its path. */
export const emptyBody = z.strictObject({});

/** A field error of a problem document. */
export const problemFieldError = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
});

/** RFC 9457 problem details as the server sends them (application/problem+json). */
export const problemResponse = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(problemFieldError).optional(),
  /** Machine-readable details (e.g. `{ policy: 'out_of_scope' }` on a scoped 404). */
  details: z.record(z.string(), z.unknown()).optional(),
});

/** An approval's state (migration 0009), as every response that shows one names it. */
export const approvalStatus = z.enum([
  'pending',
  'approved',
  'rejected',
  'consumed',
  'expired',
  'withdrawn',
]);
