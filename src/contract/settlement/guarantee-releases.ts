import { z } from 'zod';
import { isoDate } from '../common.ts';
import { institutionId } from './statements.ts';

/**
 * The year-end release of an institution's retained guarantee (责任保证金, issue 13,
 * docs/settlement-statements.md "Release of the guarantee"): read, propose (maker), approve
 * (checker). Amounts in fen.
 */
export const releaseParams = z.strictObject({
  institutionId,
  year: z.coerce.number().int().min(2000).max(2999),
});
export const releaseListParams = z.strictObject({ institutionId });
/** `on`: the proposal's or the payment's day (China date); today when absent. */
export const releaseActionBody = z.strictObject({ on: isoDate.optional() });

const fen = z.number().int();
const stored = z
  .object({
    status: z.enum(['proposed', 'paid']),
    approvalRegionCode: z.string(),
    approvalId: z.string(),
    proposedBy: z.string(),
    approvedBy: z.string().nullable(),
    paidOn: z.string().nullable(),
    ledgerTransactionIds: z.array(z.string()),
    releaseFen: fen,
  })
  .nullable();

export const releaseResponse = z.object({
  institutionId: z.string(),
  year: z.number().int(),
  releaseDay: z.string(),
  unpaidMonths: z.array(z.string()),
  release: z.object({
    institutionId: z.string(),
    year: z.number().int(),
    months: z.array(z.string()),
    segments: z.array(
      z.object({ segment: z.string(), retainedFen: fen, laterDeductedFen: fen, releaseFen: fen }),
    ),
    totals: z.object({ retainedFen: fen, laterDeductedFen: fen, releaseFen: fen }),
  }),
  stored,
});
export const releaseListResponse = z.object({
  institutionId: z.string(),
  releases: z.array(
    z.object({
      institutionId: z.string(),
      year: z.number().int(),
      status: z.enum(['proposed', 'paid']),
      releaseFen: fen,
      paidOn: z.string().nullable(),
    }),
  ),
});
export const releaseProposedResponse = z.object({
  institutionId: z.string(),
  year: z.number().int(),
  approvalId: z.string(),
  releaseFen: fen,
  replayed: z.boolean(),
});
export const releasePaidResponse = z.object({
  institutionId: z.string(),
  year: z.number().int(),
  releaseFen: fen,
  ledgerTransactionIds: z.array(z.string()),
  replayed: z.boolean(),
});

/**
 * `tongchou settlement guarantee show|propose|approve` options
 * (src/cli/commands/settlement/guarantee-cli.ts), as commander names them; the year arrives as text.
 */
export const guaranteeCliOptions = z.strictObject({
  institution: institutionId,
  year: z.coerce.number().int().min(2000).max(2999),
  as: z.string().min(1).optional(),
  on: isoDate.optional(),
});
