import type { FastifyInstance } from 'fastify';
import { regionParams } from '../../../contract/common.ts';
import {
  referralDecisionBody,
  referralListQuery,
  referralListResponse,
  referralParams,
  referralResponse,
  travelClaimBody,
  travelClaimResponse,
} from '../../../contract/settlement/referral-contract.ts';
import {
  decideReferral,
  listReferrals,
  recordTravelClaim,
} from '../../../usecases/settlement/referral-consent.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * The city agency's consent to referrals out of the city or county (报…经办机构同意, 《浙江省工伤保险
 * 条例》第二十四条第二款) and the travel and lodging claims of an approved one. Permissions as the
 * settlement review routes: settlement:read to list, settlement:write to decide and to claim.
 */
const BASE = '/api/v1/regions/:regionCode/settlement/referrals';
const exampleId = 'ref_0000000000000000';

export function registerReferralRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: BASE,
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.referral.list',
      regionParam: 'regionCode',
      summary: 'Referrals (转诊转院) of the city’s cases, pending first',
      tags: ['settlement'],
      schema: {
        params: regionParams,
        querystring: referralListQuery,
        response: { 200: referralListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { status: 'pending' } }),
    },
    async (request) => {
      const referrals = await listReferrals(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        status: request.query.status,
      });
      return { referrals: referrals.map((r) => ({ ...r, status: statusOf(r.status) })) };
    },
  );
  registerDecision(app);
  registerTravelClaim(app);
}

const STATUSES = ['pending', 'approved', 'refused', 'cancelled'] as const;
function statusOf(status: string): (typeof STATUSES)[number] {
  const found = STATUSES.find((s) => s === status);
  if (found === undefined) throw new Error(`unexpected referral status ${status}`);
  return found;
}

function registerDecision(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${BASE}/:referralId/decision`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.referral.decide',
      regionParam: 'regionCode',
      summary: 'Approve or refuse a pending referral (经办机构同意); audited',
      tags: ['settlement'],
      schema: {
        params: referralParams,
        body: referralDecisionBody,
        response: { 200: referralResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, referralId: exampleId },
        body: { decision: 'approved', note: '同意转诊' },
      }),
    },
    async (request) => {
      const out = await decideReferral(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        referralId: request.params.referralId,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return { referral: { ...out.value, status: statusOf(out.value.status) } };
    },
  );
}

function registerTravelClaim(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${BASE}/:referralId/travel-claims`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.referral.travel_claim',
      regionParam: 'regionCode',
      summary:
        'Compute and record the travel and lodging (交通、食宿费) of an approved referral by the dated 差旅费 parameters; idempotent by claimKey',
      tags: ['settlement'],
      schema: {
        params: referralParams,
        body: travelClaimBody,
        response: { 200: travelClaimResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, referralId: exampleId },
        body: {
          claimKey: 'TRAVEL-1',
          trips: [
            {
              departOn: '2026-03-02',
              returnOn: '2026-03-05',
              faresFen: 35_000,
              fareReceipts: 2,
              nights: 3,
              lodgingPaidFen: 120_000,
            },
          ],
        },
      }),
    },
    async (request) => {
      const out = await recordTravelClaim(app.deps.db, request.actor!, app.deps.rules.benefits, {
        city: request.params.regionCode,
        referralId: request.params.referralId,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
