import type { FastifyInstance } from 'fastify';
import {
  approvalDecisionBody,
  approvalDecisionParams,
  approvalDecisionResponse,
  approvalListParams,
  approvalListQuery,
  approvalListResponse,
  approvalRequestBody,
  approvalRequestResponse,
  approvalShowParams,
  approvalShowResponse,
} from '../../../contract/approvals/approvals-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import {
  decideApproval,
  getApproval,
  listApprovals,
} from '../../../usecases/approvals/approvals.ts';
import { approvalCurrentState } from '../../../usecases/fund/approval-current-state.ts';
import {
  type FundApprovalRequest,
  requestFundApproval,
} from '../../../usecases/fund/fund-approvals.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';

/**
 * Maker-checker over HTTP (docs/security.md, "Maker-checker"): a fund manager asks for approval of
 * a money movement (the server builds the payload), a checker of another role reads it with the
 * current state it would change and decides, and the movement's own route consumes it.
 */
export function registerApprovalRoutes(app: FastifyInstance): void {
  registerApprovalList(app);
  registerApprovalShow(app);
  registerApprovalRequest(app);
  registerApprovalDecision(app);
}

function registerApprovalRequest(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/approvals',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'approval.request',
      regionParam: 'regionCode',
      summary:
        'Maker: ask for approval of a money movement (allocation, budget allocation, sweep, year-end run); another role decides',
      tags: ['approvals'],
      schema: {
        params: approvalListParams,
        body: approvalRequestBody,
        response: { 200: approvalRequestResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { action: 'pooling.sweep', city: '330100', period: '2025-12' },
      }),
    },
    async (request) => {
      const { regionCode } = request.params;
      const body = request.body;
      const fundRequest: FundApprovalRequest =
        body.action === 'pooling.year_end_run' ? { ...body, province: regionCode } : body;
      const out = await requestFundApproval(app.deps.db, request.actor!, {
        regionCode,
        request: fundRequest,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerApprovalShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/approvals/:id',
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'approval.show',
      regionParam: 'regionCode',
      summary:
        'One approval: the canonical payload, its decisions, and the current state it would change (the checker’s diff)',
      tags: ['approvals'],
      schema: { params: approvalShowParams, response: { 200: approvalShowResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, id: `apr_${'0'.repeat(24)}` } }),
    },
    async (request) => {
      const found = await getApproval(app.deps.db, request.params);
      if (!found)
        throw new ProblemError('approval.not_found', `approval ${request.params.id} not found`);
      const currentState = await approvalCurrentState(app.deps.db, app.deps.rules.pooling, found);
      return { ...found, currentState };
    },
  );
}

function registerApprovalList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/approvals',
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'approval.list',
      regionParam: 'regionCode',
      summary: 'Maker-checker requests of a region (a province sees its cities’), newest first',
      tags: ['approvals'],
      schema: {
        params: approvalListParams,
        querystring: approvalListQuery,
        response: { 200: approvalListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { status: 'pending' } }),
    },
    async (request) => ({
      approvals: await listApprovals(app.deps.db, {
        within: request.params.regionCode,
        status: request.query.status,
        limit: request.query.limit,
      }),
    }),
  );
}

function registerApprovalDecision(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/approvals/:id/decision',
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'approval.decide',
      regionParam: 'regionCode',
      summary: 'Approve or reject a pending maker-checker request (the maker cannot)',
      tags: ['approvals'],
      schema: {
        params: approvalDecisionParams,
        body: approvalDecisionBody,
        response: { 200: approvalDecisionResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, id: `apr_${'0'.repeat(24)}` },
        body: { decision: 'approved' },
      }),
    },
    async (request) => {
      const out = await decideApproval(app.deps.db, request.actor!, {
        ...request.params,
        decision: request.body.decision,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
