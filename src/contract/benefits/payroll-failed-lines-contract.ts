import { z } from 'zod';
import {
  FAILED_LINES_PAGE_DEFAULT,
  FAILED_LINES_PAGE_MAX,
} from '../../domain/benefits/payroll-reissue-reasons.ts';
import { isoDate, regionCode } from '../common.ts';

/**
 * The city's failed payroll lines, to reissue by hand (docs/benefits.md, "Reissue by hand"): the
 * query and answer of `GET /regions/:regionCode/payroll-failed-lines`. Keyset paging by line id.
 */
export const failedLinesQuery = z.strictObject({
  /** The day whose card accounts the lines would take (default today, as a proposal's). */
  on: isoDate.optional(),
  /** `open` (default): lines not paid again yet; `all` adds those paid again, blocked `reissued`. */
  include: z.enum(['open', 'all']).optional(),
  /** The last line id of the previous page (`nextAfter`). */
  after: z
    .string()
    .regex(/^pln_[0-9a-f]{20}$/, 'a payroll line id pln_…')
    .optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(FAILED_LINES_PAGE_MAX)
    .default(FAILED_LINES_PAGE_DEFAULT),
});

const blockReason = z.object({
  block: z.enum([
    'reissued',
    'after_death',
    'after_stop',
    'after_survivor_end',
    'after_retirement',
    'after_missing',
    'released',
    'no_account',
  ]),
  /** The refusal a proposal of the line would get (docs/errors.md). */
  code: z.string(),
  zh: z.string(),
  en: z.string(),
});

export const failedLineResponse = z.object({
  id: z.string(),
  /** The run whose line failed, or null for a reissue batch's line (`batchId`). */
  runId: z.string().nullable(),
  batchId: z.string().nullable(),
  /** The month the line was owed for. */
  month: z.string(),
  workerId: z.string(),
  kind: z.string(),
  amountFen: z.number().int(),
  payeeName: z.string().nullable(),
  failureReason: z.string().nullable(),
  /** The card account in force on the day (all but the last four digits hidden), or none. */
  account: z
    .object({
      bankName: z.string(),
      accountName: z.string(),
      accountNumberMasked: z.string(),
      validFrom: z.string(),
    })
    .nullable(),
  blocks: z.array(blockReason),
  /** No block: the line can be proposed for a reissue by hand. */
  reissuable: z.boolean(),
});

export const failedLinesResponse = z.object({
  on: z.string(),
  items: z.array(failedLineResponse),
  nextAfter: z.string().nullable(),
});
export type FailedLinesResponse = z.infer<typeof failedLinesResponse>;

/** `tongchou payroll reissue failed` options, named as on the command line (the route's query). */
export const failedLinesCliOptions = failedLinesQuery.extend({ region: regionCode });
