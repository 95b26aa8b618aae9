import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decideApproval, listApprovals } from '../../usecases/approvals/approvals.ts';
import { addRoute } from '../app.ts';
import { refusalError } from '../errors.ts';

export function registerApprovalRoutes(app: FastifyInstance): void {
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
        params: z.strictObject({ regionCode: z.string().regex(/^\d{6}$/) }),
        querystring: z.strictObject({
          status: z.enum(['pending', 'approved', 'rejected', 'consumed']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { status: 'pending' } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const q = request.query as { status?: 'pending'; limit: number };
      return {
        approvals: await listApprovals(app.deps.db, {
          within: regionCode,
          status: q.status,
          limit: q.limit,
        }),
      };
    },
  );
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
        params: z.strictObject({
          regionCode: z.string().regex(/^\d{6}$/),
          id: z.string().regex(/^apr_[0-9a-f]{24}$/, 'an approval id such as apr_…'),
        }),
        body: z.strictObject({ decision: z.enum(['approved', 'rejected']) }),
      },
      example: ({ regionCode }) => ({
        params: { regionCode, id: `apr_${'0'.repeat(24)}` },
        body: { decision: 'approved' },
      }),
    },
    async (request) => {
      const { regionCode, id } = request.params as { regionCode: string; id: string };
      const { decision } = request.body as { decision: 'approved' | 'rejected' };
      const out = await decideApproval(app.deps.db, request.actor!, { regionCode, id, decision });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
