import type { FastifyInstance } from 'fastify';
import {
  travelClaimParams,
  travelPaymentBody,
  travelPaymentResponse,
} from '../../../contract/settlement/referral-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import {
  approveTravelPayment,
  proposeTravelPayment,
} from '../../../usecases/settlement/travel-claim-payment.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The payment of a referral's recorded travel claim (issue 13, docs/settlement-messages.md): a city
 * handler of the case's city proposes (fund:write), another person approves (fund:approve); the
 * ledger posts Dr 5103 / Cr 2102 and Dr 2102 / Cr 1003 once. The examples name no claim: refused.
 */
export function registerTravelPaymentRoutes(app: FastifyInstance): void {
  const url =
    '/api/v1/regions/:regionCode/settlement/referrals/:referralId/travel-claims/:claimKey';
  const example = ({ regionCode }: { regionCode: string }) => ({
    params: { regionCode, referralId: 'ref_0000000000000000', claimKey: 'NONE' },
    body: {},
  });
  addRoute(
    app,
    {
      method: 'POST',
      url: `${url}/payment-proposal`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'settlement.travel_claim.propose',
      regionParam: 'regionCode',
      summary: 'Propose the payment of a recorded travel claim: asks an approval bound to it',
      tags: ['settlement'],
      schema: { params: travelClaimParams, response: { 200: travelPaymentResponse } },
      example: (ctx) => ({ params: example(ctx).params }),
    },
    async (request) => {
      const { regionCode, referralId, claimKey } = request.params;
      const out = await proposeTravelPayment(
        app.deps.db,
        request.actor!,
        { city: regionCode, referralId, claimKey },
        approvalPolicyOf(app.deps.config),
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: `${url}/payment-approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'settlement.travel_claim.approve',
      regionParam: 'regionCode',
      summary: 'Approve the proposed travel payment (not its maker): posted once to the ledger',
      tags: ['settlement'],
      schema: {
        params: travelClaimParams,
        body: travelPaymentBody,
        response: { 200: travelPaymentResponse },
      },
      example,
    },
    async (request) => {
      const { regionCode, referralId, claimKey } = request.params;
      const out = await approveTravelPayment(app.deps.db, request.actor!, {
        city: regionCode,
        referralId,
        claimKey,
        on: request.body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
