import type { FastifyInstance } from 'fastify';
import {
  failedLinesQuery,
  failedLinesResponse,
} from '../../../contract/benefits/payroll-failed-lines-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { listFailedLines } from '../../../usecases/benefits/payroll-failed-lines.ts';
import { addRoute } from '../../add-route.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The city's failed payroll lines with what blocks each from a reissue by hand (docs/benefits.md,
 * "Reissue by hand"): the payroll page's list to select from; the proposal is `POST
 * …/payroll-reissues` (payroll-reissue-routes.ts). Account numbers masked to the last four digits.
 */
export function registerPayrollFailedLinesRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/payroll-failed-lines',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.payroll.failed_lines',
      regionParam: 'regionCode',
      summary:
        'The city’s failed payroll lines (未付成功的发放): month, payee, amount, the bank’s reason, the card account now (masked) and what blocks a reissue by hand',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        querystring: failedLinesQuery,
        response: { 200: failedLinesResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { limit: '20' } }),
    },
    async (request) => {
      const on = request.query.on ?? today();
      const page = await listFailedLines(app.deps.db, {
        regionCode: request.params.regionCode,
        on,
        after: request.query.after ?? null,
        limit: request.query.limit,
        include: request.query.include ?? 'open',
      });
      return { on, ...page };
    },
  );
}
