import { z } from 'zod';
import { RELEASE_REASONS } from '../../domain/benefits/payroll-release.ts';
import { isoDate, regionCode } from '../common.ts';
import { byHandListItem, byHandListLimit } from './payroll-reissue-contract.ts';

/**
 * The release of failed payroll lines owed to no one (docs/benefits.md, "Release of failed lines
 * owed to no one"): request and answer schemas of the API; the CLI parses its options with the
 * same schemas.
 */
const lineId = z.string().regex(/^pln_[0-9a-f]{20}$/, 'a payroll line id pln_…');
const releaseId = z.string().regex(/^prr_[0-9a-f]{20}$/, 'a release id prr_…');

export const releaseParams = z.strictObject({ regionCode, releaseId });
export const proposeReleaseBody = z.strictObject({
  /** The failed lines owed to no one (a handler's selection, at most 500). */
  lineIds: z.array(lineId).min(1).max(500),
  /** The proposal's day (default today, Beijing). */
  on: isoDate.optional(),
});
export const approveReleaseBody = z.strictObject({
  /** The day the release posts (default today, Beijing). */
  on: isoDate.optional(),
});

export const releaseResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  status: z.enum(['proposed', 'applied']),
  proposedOn: z.string(),
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  approvalId: z.string(),
  proposedBy: z.string(),
  appliedBy: z.string().nullable(),
  /** The ledger transaction (Dr 2102 / Cr 51xx) once applied. */
  transactionId: z.string().nullable(),
  lines: z.array(
    z.object({
      lineId: z.string(),
      month: z.string(),
      entitlementId: z.string(),
      workerId: z.string(),
      kind: z.string(),
      expenseAccount: z.string(),
      amountFen: z.number().int(),
      reasons: z.array(z.enum(RELEASE_REASONS)),
    }),
  ),
  replayed: z.boolean(),
});
export type ReleaseResponse = z.infer<typeof releaseResponse>;

const releaseStatus = z.enum(['proposed', 'applied']);

/** `GET /regions/:regionCode/payroll-releases`: the city's releases, newest first, keyset-paged. */
export const releaseListQuery = z.strictObject({
  status: releaseStatus.optional(),
  /** The last release id of the previous page (`nextAfter`). */
  after: releaseId.optional(),
  limit: byHandListLimit,
});

export const releaseListResponse = z.object({
  items: z.array(
    byHandListItem.extend({
      status: releaseStatus,
      appliedBy: z.string().nullable(),
      /** The ledger transaction (Dr 2102 / Cr 51xx) once applied. */
      transactionId: z.string().nullable(),
    }),
  ),
  nextAfter: z.string().nullable(),
});
export type ReleaseListResponse = z.infer<typeof releaseListResponse>;

/** CLI options (`tongchou payroll release …`), named as on the command line. */
export const releaseProposeCliOptions = z.strictObject({
  region: regionCode,
  lines: z
    .string()
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(lineId).min(1).max(500)),
  on: isoDate.optional(),
  as: z.string().min(1),
});
export const releaseListCliOptions = releaseListQuery.extend({ region: regionCode });
export const releaseShowCliOptions = z.strictObject({ region: regionCode, release: releaseId });
export const releaseApproveCliOptions = releaseShowCliOptions.extend({
  as: z.string().min(1),
  on: isoDate.optional(),
});
