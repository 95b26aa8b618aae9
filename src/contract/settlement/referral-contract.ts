import { z } from 'zod';
import { isoDate, regionCode } from '../common.ts';

/**
 * The agency's side of referrals out of the city or county (转诊转院, 《浙江省工伤保险条例》第二十四条
 * 第二款): the city's list, its consent (approve or refuse) and the travel and lodging claims of an
 * approved referral. docs/settlement-messages.md (2301–2303) describes the institution's side.
 */
const referralId = z.string().regex(/^ref_[0-9a-f]{16}$/, 'a referral id such as ref_…');
const fen = z.number().int().min(0).max(100_000_000);
const statuses = ['pending', 'approved', 'refused', 'cancelled'] as const;

export const referralListQuery = z.strictObject({ status: z.enum(statuses).optional() });
export const referralParams = z.strictObject({ regionCode, referralId });
export const referralDecisionBody = z.strictObject({
  decision: z.enum(['approved', 'refused']),
  note: z.string().trim().min(1).max(500).optional(),
});

export const referral = z.object({
  regionCode: z.string(),
  referralId: z.string(),
  institutionId: z.string(),
  caseId: z.string(),
  fromRegionCode: z.string(),
  toRegionCode: z.string(),
  toInstitution: z.string(),
  kind: z.string(),
  reason: z.string(),
  referredOn: z.string(),
  doctorName: z.string(),
  status: z.enum(statuses),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export const referralResponse = z.object({ referral });
export const referralListResponse = z.object({ referrals: z.array(referral) });

const trip = z.strictObject({
  departOn: isoDate,
  returnOn: isoDate,
  faresFen: fen,
  fareReceipts: z.number().int().min(0).max(100),
  nights: z.number().int().min(0).max(366),
  lodgingPaidFen: fen,
});
export const travelClaimBody = z.strictObject({
  claimKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'a claim key of 1–40 letters, digits, _ or -'),
  trips: z.array(trip).min(1).max(50),
});
export const travelClaimResponse = z.object({
  referralId: z.string(),
  claimKey: z.string(),
  replayed: z.boolean(),
  trips: z.array(
    z.object({
      departOn: z.string(),
      days: z.number(),
      faresFen: z.number(),
      lodgingAllowedFen: z.number(),
      perDiemFen: z.number(),
    }),
  ),
  faresFen: z.number(),
  lodgingPaidFen: z.number(),
  lodgingAllowedFen: z.number(),
  perDiemFen: z.number(),
  payableFen: z.number(),
  citations: z.array(z.string()),
});

/** `--as <username>`: the city handler a CLI step acts as (holding the route's permission). */
const cliUser = z.string().min(1);
/** Options of `tongchou settlement referrals list` (GET …/referrals). */
export const referralListCliOptions = z.strictObject({
  region: regionCode,
  status: z.enum(statuses).optional(),
  as: cliUser,
});
/** Options of `… referrals decide` (POST …/referrals/:referralId/decision). */
export const referralDecideCliOptions = z.strictObject({
  region: regionCode,
  referral: referralId,
  decision: z.enum(['approved', 'refused']),
  note: z.string().trim().min(1).max(500).optional(),
  as: cliUser,
});
/** Options of `… referrals travel-claim` (POST …/travel-claims; the trips from a JSON file). */
export const travelClaimCliOptions = z.strictObject({
  region: regionCode,
  referral: referralId,
  claimKey: travelClaimBody.shape.claimKey,
  tripsFile: z.string().min(1),
  as: cliUser,
});
export const travelTripsFile = travelClaimBody.shape.trips;

/** A recorded travel claim of a referral, by its client key (its payment: maker-checker). */
export const travelClaimParams = z.strictObject({
  regionCode,
  referralId,
  claimKey: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '1–40 letters, digits, _ or -'),
});
/** `on`: the payment's day (China date); today when absent. */
export const travelPaymentBody = z.strictObject({ on: isoDate.optional() });
export const travelPaymentResponse = z.object({
  city: z.string(),
  referralId: z.string(),
  claimKey: z.string(),
  payableFen: z.number().int(),
  status: z.enum(['proposed', 'paid']),
  approvalId: z.string(),
  ledgerTransactionId: z.string().nullable(),
  replayed: z.boolean(),
});
