import type { Database, Executor } from '../../db/client.ts';
import { intOf, jsonOf, textOf, textOrNullOf } from '../../db/rows.ts';
import {
  referralTravel,
  type TravelAmount,
  type TravelRefusal,
  type TravelTrip,
} from '../../domain/settlement/referral-travel.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { requestSha256 } from './his-messages.ts';

/**
 * The agency's side of a referral (《浙江省工伤保险条例》第二十四条第二款 "报市、县社会保险经办机构同意"):
 * the case's city approves or refuses a pending referral, and records the travel and lodging claims
 * of an approved one, computed by the dated 差旅费 parameters. Staff of another city find nothing
 * (the route answers 404 before this runs; the use case filters by the city all the same).
 * The claim is recorded here; its payment is travel-claim-payment.ts (maker-checker, ledger).
 */
export type ReferralConsentRefusal =
  | 'settlement.referral_not_found'
  | 'settlement.referral_not_pending'
  | 'settlement.referral_not_approved'
  | 'settlement.travel_claim_conflict'
  | TravelRefusal;

export type ReferralView = {
  regionCode: string;
  referralId: string;
  institutionId: string;
  caseId: string;
  fromRegionCode: string;
  toRegionCode: string;
  toInstitution: string;
  kind: string;
  reason: string;
  referredOn: string;
  doctorName: string;
  status: string;
  decidedBy: string | null;
  decisionNote: string | null;
};

function viewOf(row: Record<string, unknown>): ReferralView {
  return {
    regionCode: textOf(row, 'region_code'),
    referralId: textOf(row, 'id'),
    institutionId: textOf(row, 'institution_id'),
    caseId: textOf(row, 'case_id'),
    fromRegionCode: textOf(row, 'from_region_code'),
    toRegionCode: textOf(row, 'to_region_code'),
    toInstitution: textOf(row, 'to_institution'),
    kind: textOf(row, 'kind'),
    reason: textOf(row, 'reason'),
    referredOn: textOf(row, 'referred_on'),
    doctorName: textOf(row, 'doctor_name'),
    status: textOf(row, 'status'),
    decidedBy: textOrNullOf(row, 'decided_by'),
    decisionNote: textOrNullOf(row, 'decision_note'),
  };
}

const COLUMNS = `region_code, id, institution_id, case_id, from_region_code, to_region_code,
  to_institution, kind, reason, referred_on::text AS referred_on, doctor_name, status, decided_by,
  decision_note`;

/** Staff of a city see its referrals; province staff, every city's. */
function cityOf(actor: Actor, city: string): boolean {
  if (actor.scopeKind === 'city') return actor.scopeCode === city;
  return actor.scopeKind === 'province' && actor.scopeCode?.slice(0, 2) === city.slice(0, 2);
}

/** The city's referrals, pending first, optionally of one status. */
export async function listReferrals(
  db: Database,
  actor: Actor,
  input: { city: string; status?: string | undefined },
): Promise<ReferralView[]> {
  if (!cityOf(actor, input.city)) return [];
  const r = await db.query(
    `SELECT ${COLUMNS} FROM settlement_referrals
      WHERE region_code = $1 AND ($2::text IS NULL OR status = $2)
      ORDER BY status <> 'pending', referred_on DESC, id LIMIT 500`,
    [input.city, input.status ?? null],
  );
  return r.rows.map(viewOf);
}

async function lockReferral(
  tx: Executor,
  actor: Actor,
  city: string,
  referralId: string,
): Promise<Result<ReferralView, 'settlement.referral_not_found'>> {
  const r = cityOf(actor, city)
    ? await tx.query(
        `SELECT ${COLUMNS} FROM settlement_referrals WHERE region_code = $1 AND id = $2 FOR UPDATE`,
        [city, referralId],
      )
    : { rows: [] };
  const row = r.rows[0];
  if (!row)
    return refuse('settlement.referral_not_found', `referral ${referralId} not found in ${city}`, {
      referralId,
    });
  return ok(viewOf(row));
}

/** Approves or refuses a pending referral; deciding one already decided is refused. Audited. */
export async function decideReferral(
  db: Database,
  actor: Actor,
  input: {
    city: string;
    referralId: string;
    decision: 'approved' | 'refused';
    note?: string | undefined;
  },
): Promise<Result<ReferralView, ReferralConsentRefusal>> {
  return db.transaction(async (tx) => {
    const found = await lockReferral(tx, actor, input.city, input.referralId);
    if (!found.ok) return found;
    if (found.value.status !== 'pending')
      return refuse(
        'settlement.referral_not_pending',
        `referral ${input.referralId} is ${found.value.status}: only a pending one is decided`,
        { referralId: input.referralId, status: found.value.status },
      );
    await tx.query(
      `UPDATE settlement_referrals SET status = $3, decided_by = $4, decided_at = now(),
         decision_note = $5 WHERE region_code = $1 AND id = $2`,
      [input.city, input.referralId, input.decision, actor.userId, input.note ?? null],
    );
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.referral.decide', `referral/${input.city}/${input.referralId}`, {
        decision: input.decision,
        caseId: found.value.caseId,
        institutionId: found.value.institutionId,
      }),
    );
    return ok({
      ...found.value,
      status: input.decision,
      decidedBy: actor.userId,
      decisionNote: input.note ?? null,
    });
  });
}

export type TravelClaim = TravelAmount & {
  referralId: string;
  claimKey: string;
  replayed: boolean;
};

/**
 * Computes and records a travel claim of an approved referral under the client's key: the same key
 * with the same trips answers the stored claim (`replayed`), with other trips it is refused.
 */
export async function recordTravelClaim(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: { city: string; referralId: string; claimKey: string; trips: readonly TravelTrip[] },
): Promise<Result<TravelClaim, ReferralConsentRefusal>> {
  const sha = requestSha256(input.trips);
  return db.transaction(async (tx) => {
    const found = await lockReferral(tx, actor, input.city, input.referralId);
    if (!found.ok) return found;
    const stored = await storedClaim(tx, input, sha);
    if (stored !== null) return stored;
    if (found.value.status !== 'approved')
      return refuse(
        'settlement.referral_not_approved',
        `referral ${input.referralId} is ${found.value.status}: travel is paid only on an approved referral`,
        { referralId: input.referralId, status: found.value.status },
      );
    const amount = referralTravel(rules, input.city, {
      referredOn: found.value.referredOn,
      trips: input.trips,
    });
    if (!amount.ok) return amount;
    const a = amount.value;
    await tx.query(
      `INSERT INTO settlement_referral_claims (region_code, referral_id, claim_key, request_sha256,
         trips, fares_fen, lodging_paid_fen, lodging_allowed_fen, per_diem_fen, payable_fen,
         citations, recorded_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11::jsonb, $12)`,
      [
        input.city,
        input.referralId,
        input.claimKey,
        sha,
        JSON.stringify(a.trips),
        a.faresFen,
        a.lodgingPaidFen,
        a.lodgingAllowedFen,
        a.perDiemFen,
        a.payableFen,
        JSON.stringify(a.citations),
        actor.userId,
      ],
    );
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'settlement.referral.travel_claim',
        `referral/${input.city}/${input.referralId}`,
        {
          claimKey: input.claimKey,
          payableFen: a.payableFen,
        },
      ),
    );
    return ok({ ...a, referralId: input.referralId, claimKey: input.claimKey, replayed: false });
  });
}

async function storedClaim(
  tx: Executor,
  input: { city: string; referralId: string; claimKey: string },
  sha: string,
): Promise<Result<TravelClaim, 'settlement.travel_claim_conflict'> | null> {
  const r = await tx.query(
    `SELECT request_sha256, trips, fares_fen, lodging_paid_fen, lodging_allowed_fen, per_diem_fen,
            payable_fen, citations
       FROM settlement_referral_claims WHERE region_code = $1 AND referral_id = $2 AND claim_key = $3`,
    [input.city, input.referralId, input.claimKey],
  );
  const row = r.rows[0];
  if (!row) return null;
  if (textOf(row, 'request_sha256') !== sha)
    return refuse(
      'settlement.travel_claim_conflict',
      `claim key ${input.claimKey} was used for other trips: use a new key`,
      { claimKey: input.claimKey },
    );
  const trips = jsonOf(row, 'trips');
  const citations = jsonOf(row, 'citations');
  return ok({
    trips: Array.isArray(trips) ? trips.filter(isTripAmount) : [],
    faresFen: intOf(row, 'fares_fen'),
    lodgingPaidFen: intOf(row, 'lodging_paid_fen'),
    lodgingAllowedFen: intOf(row, 'lodging_allowed_fen'),
    perDiemFen: intOf(row, 'per_diem_fen'),
    payableFen: intOf(row, 'payable_fen'),
    citations: Array.isArray(citations) ? citations.map(String) : [],
    referralId: input.referralId,
    claimKey: input.claimKey,
    replayed: true,
  });
}

function isTripAmount(value: unknown): value is TravelAmount['trips'][number] {
  return (
    value !== null &&
    typeof value === 'object' &&
    'departOn' in value &&
    'days' in value &&
    'faresFen' in value &&
    'lodgingAllowedFen' in value &&
    'perDiemFen' in value
  );
}
