import type { FastifyInstance } from 'fastify';
import {
  approvalDecisionBody,
  approvalDecisionParams,
  approvalDecisionResponse,
  approvalListParams,
  approvalListQuery,
  approvalListResponse,
} from '../../../contract/approvals/approvals-contract.ts';
import { decideApproval, listApprovals } from '../../../usecases/approvals/approvals.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

export function registerApprovalRoutes(app: FastifyInstance): void {
  registerApprovalList(app);
  registerApprovalDecision(app);
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
