import type { FastifyInstance } from 'fastify';
import {
  regradeApplyBody,
  regradeApplyResponse,
  regradeCaseParams,
  regradeDecisionParams,
  regradeProposeBody,
  regradeProposeResponse,
} from '../../../contract/benefits/regrade-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { applyRegrade } from '../../../usecases/benefits/benefit-regrade-apply.ts';
import { proposeRegrade } from '../../../usecases/benefits/benefit-regrade-propose.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The regrade decision (docs/benefits.md, "Regrade"), beside the benefit decision's routes: the
 * handler proposes it (case:write) once a re-appraisal or review changed the conclusion; the
 * supervisor approves through the approvals routes (fund:approve); applying it moves money
 * (fund:write). Scoped by the case's city like every city route.
 */
export function registerRegradeRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/benefit-regrade',
      access: { kind: 'permission', permission: 'case:write' },
      action: 'benefits.regrade.propose',
      regionParam: 'regionCode',
      summary:
        'Propose a regrade decision after a re-appraisal (再次鉴定) or review (复查鉴定) changed the conclusion: new amounts from the region’s start month, the lump-sum difference and arrears, what waits for a person; asks for the approval of the exact payload',
      tags: ['benefits'],
      schema: {
        params: regradeCaseParams,
        body: regradeProposeBody,
        response: { 200: regradeProposeResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: 'cas_330100_0000000000000000' },
        body: {},
      }),
    },
    async (request) => {
      const out = await proposeRegrade(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        on: request.body.on ?? today(),
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/benefit-regrades/:decisionId/apply',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.regrade.apply',
      regionParam: 'regionCode',
      summary:
        'Apply the approved regrade decision: ends the old entitlements, creates the new, posts what it pays (Dr 51xx / Cr 2102) once; refused when the payroll changed since the proposal',
      tags: ['benefits'],
      schema: {
        params: regradeDecisionParams,
        body: regradeApplyBody,
        response: { 200: regradeApplyResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, decisionId: 'bdc_330100_0000000000000000' },
        body: {},
      }),
    },
    async (request) => {
      const out = await applyRegrade(app.deps.db, request.actor!, {
        ...request.params,
        approvalId: request.body.approvalId,
        on: request.body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
