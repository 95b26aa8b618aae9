import { z } from 'zod';
import { CLEARING_CATEGORIES } from '../../domain/settlement/cross-province-clearing.ts';
import { FILING_KINDS } from '../../rules/settlement/cross-province-filing.ts';
import { approvalId, isoDate, regionCode } from '../common.ts';

/**
 * Cross-province care (跨省异地就医): filings (备案) of a city's cases, the province's advances
 * (预付金) and clearing files (费用清算). docs/settlement-cross-province.md.
 */
const caseId = z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'a case id');
const filingId = z.string().regex(/^xpf_\d{6}_[0-9a-f]{16}$/, 'a filing id such as xpf_330100_…');
const provinceCode = z.string().regex(/^[1-9]\d0000$/, 'a province code (6 digits ending 0000)');
const filingKind = z.enum(FILING_KINDS);
const category = z.enum(CLEARING_CATEGORIES);
const fen = z.number().int().positive().max(100_000_000_000);

export const xpFilingListQuery = z.strictObject({
  caseId: caseId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const xpFilingBody = z.strictObject({
  caseId,
  kind: filingKind,
  province: provinceCode,
  fromDate: isoDate,
});

export const xpFilingParams = z.strictObject({ regionCode, filingId });

export const xpRevocationBody = z.strictObject({
  on: isoDate,
  reason: z.string().trim().min(1).max(500),
});

export const xpFiling = z.object({
  regionCode: z.string(),
  id: z.string(),
  caseId: z.string(),
  kind: filingKind,
  province: z.string(),
  fromDate: z.string(),
  validUntil: z.string(),
  coveredUntil: z.string(),
  validityCitation: z.string(),
  status: z.enum(['active', 'revoked']),
  revokedOn: z.string().nullable(),
  revokedReason: z.string().nullable(),
});
export const xpFilingResponse = z.object({ filing: xpFiling });
export const xpFilingListResponse = z.object({ filings: z.array(xpFiling) });

const advanceFields = {
  advanceId: z.string().regex(/^[A-Za-z0-9._:-]{1,60}$/, 'an advance id (letters, digits . _ : -)'),
  amountFen: fen,
  paidOn: isoDate,
};
export const xpAdvanceApprovalBody = z.strictObject(advanceFields);
export const xpAdvanceBody = z.strictObject({ ...advanceFields, approvalId });

export const xpAdvanceApprovalResponse = z.object({
  approvalId: z.string(),
  payload: z.object({
    province: z.string(),
    advanceId: z.string(),
    amountFen: z.number().int(),
    paidOn: z.string(),
  }),
  requiredCheckers: z.union([z.literal(1), z.literal(2)]),
  expiresAt: z.string(),
});
export const xpAdvanceResponse = z.object({
  advanceId: z.string(),
  ledgerTransactionId: z.string(),
  replayed: z.boolean(),
});
export const xpAdvanceListResponse = z.object({
  advances: z.array(
    z.object({
      advanceId: z.string(),
      amountFen: z.number().int(),
      paidOn: z.string(),
      approvalId: z.string(),
      ledgerTransactionId: z.string(),
    }),
  ),
  /** Advances paid less amounts cleared: negative when clearing ran ahead of the advances. */
  advanceBalanceFen: z.number().int(),
});
export const xpListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The file travels base64-encoded in JSON, so GBK bytes arrive intact (≤ 20 MB decoded). */
export const xpClearingBody = z.strictObject({
  fileName: z.string().min(1).max(200),
  contentBase64: z.string().min(1).max(28_000_000),
  clearedOn: isoDate,
});
export const xpClearingResponse = z.object({
  clearingId: z.string(),
  fileSha256: z.string(),
  replayed: z.boolean(),
  clearedOn: z.string(),
  rowCount: z.number().int(),
  clearedFen: z.number().int(),
  rows: z.array(
    z.object({
      row: z.number().int(),
      treatingProvince: z.string(),
      serial: z.string(),
      caseId: z.string(),
      city: z.string().nullable(),
      filingId: z.string().nullable(),
      category,
      amountFen: z.number().int(),
      settledOn: z.string(),
      status: z.enum(['cleared', 'already_cleared']),
      ledgerTransactionId: z.string(),
    }),
  ),
});

/** Options of `tongchou settlement cross-province clearing` (commander's camelCase keys). */
export const xpClearingCliOptions = z.strictObject({
  province: regionCode,
  file: z.string().min(1),
  clearedOn: isoDate,
});
/** Options of `tongchou settlement cross-province filings`. */
export const xpFilingCliOptions = z.strictObject({
  region: regionCode,
  case: caseId.optional(),
});

/** `--as <username>`: the user a CLI step acts as (resolved to an actor holding the route's permission). */
const cliUser = z.string().min(1);
/** Options of `tongchou settlement cross-province filings add` (the body of POST …/filings). */
export const xpFilingAddCliOptions = z.strictObject({
  region: regionCode,
  case: caseId,
  kind: filingKind,
  province: provinceCode,
  from: isoDate,
  as: cliUser,
});
/** Options of `… filings revoke` (the body of POST …/filings/:filingId/revocation). */
export const xpRevocationCliOptions = z.strictObject({
  region: regionCode,
  filing: filingId,
  on: isoDate,
  reason: z.string().trim().min(1).max(500),
  as: cliUser,
});
/** Options of `… advances list` (GET …/advances); the region is the province. */
export const xpAdvanceListCliOptions = z.strictObject({
  province: regionCode,
  limit: z.coerce.number().int().min(1).max(500).default(100),
  as: cliUser,
});
/** Options of `… advances request` (POST …/advances/approvals); amounts arrive as text. */
export const xpAdvanceRequestCliOptions = z.strictObject({
  province: regionCode,
  advanceId: advanceFields.advanceId,
  amountFen: z.coerce.number().pipe(fen),
  paidOn: isoDate,
  as: cliUser,
});
/** Options of `… advances pay` (POST …/advances): the approved approval of the exact payload. */
export const xpAdvancePayCliOptions = xpAdvanceRequestCliOptions.extend({ approval: approvalId });
