import type { FastifyInstance } from 'fastify';
import {
  separationApplyBody,
  separationApplyResponse,
  separationCaseParams,
  separationListResponse,
  separationParams,
  separationProposeBody,
  separationProposeResponse,
} from '../../../contract/benefits/separation-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { proposeSeparation } from '../../../usecases/benefits/benefit-separation.ts';
import {
  approveSeparation,
  caseSeparations,
} from '../../../usecases/benefits/benefit-separation-approve.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The separation decision of a case (docs/benefits.md "Separation"): read with case:read; the
 * handler records the separation and proposes its grants (case:write); applying the approved one
 * moves money (fund:write); the supervisor approves through the approvals routes (fund:approve).
 */
export function registerSeparationRoutes(app: FastifyInstance): void {
  registerList(app);
  registerPropose(app);
  registerApply(app);
}

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/cases/:caseId/separation',
      access: { kind: 'permission', permission: 'case:read' },
      action: 'benefits.separation.show',
      regionParam: 'regionCode',
      summary:
        'The case’s separations, newest first: date, reason, both grants with payer and citation (the employer’s shown, never paid by the fund), approval and ledger transaction; a combined separation covering the case (《浙江省工伤保险条例》第二十八条) with its coveredCases',
      tags: ['benefits'],
      schema: { params: separationCaseParams, response: { 200: separationListResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: 'cas_330100_0000000000000000' },
      }),
    },
    async (request) => {
      const out = await caseSeparations(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/separation',
      access: { kind: 'permission', permission: 'case:write' },
      action: 'benefits.separation.propose',
      regionParam: 'regionCode',
      summary:
        'Record a grade 5–10 worker’s separation and propose its grants (一次性工伤医疗补助金 by the fund, 一次性伤残就业补助金 by the employer): the public calculator on the approved decision’s input; in 浙江 one separation covers the worker’s graded cases at the employer, at the highest grade (《浙江省工伤保险条例》第二十八条, payload.combined); asks for the approval of the exact payload',
      tags: ['benefits'],
      schema: {
        params: separationCaseParams,
        body: separationProposeBody,
        response: { 200: separationProposeResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: 'cas_330100_0000000000000000' },
        body: { date: '2025-09-15', reason: 'worker_request', retirementAge: { years: 60 } },
      }),
    },
    async (request) => {
      const out = await proposeSeparation(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        date: request.body.date,
        reason: request.body.reason,
        retirementAge: request.body.retirementAge,
        on: request.body.on ?? today(),
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerApply(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/separations/:separationId/apply',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.separation.approve',
      regionParam: 'regionCode',
      summary:
        'Apply the approved separation: consumes the approval, posts the fund’s grant payable (Dr 5109 / Cr 2102), issues its payment, ends the 伤残津贴; a retry posts nothing',
      tags: ['benefits'],
      schema: {
        params: separationParams,
        body: separationApplyBody,
        response: { 200: separationApplyResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, separationId: 'bsp_330100_0000000000000000' },
        body: {},
      }),
    },
    async (request) => {
      const out = await approveSeparation(app.deps.db, request.actor!, {
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
