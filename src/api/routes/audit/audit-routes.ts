import type { FastifyInstance } from 'fastify';
import { auditListQuery, auditPageResponse } from '../../../contract/audit/audit-contract.ts';
import { listAuditEvents } from '../../../usecases/audit/audit-log.ts';
import { addRoute } from '../../add-route.ts';

export function registerAuditRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/audit/events',
      access: { kind: 'permission', permission: 'audit:read' },
      action: 'audit.list',
      summary: 'Audit events, newest first (city supervisors see their city’s events)',
      tags: ['oversight'],
      schema: { querystring: auditListQuery, response: { 200: auditPageResponse } },
      example: () => ({ query: { limit: '10' } }),
    },
    async (request) => {
      const actor = request.actor!;
      const page = await listAuditEvents(app.deps.db, {
        limit: request.query.limit,
        beforeSeq: request.query.beforeSeq,
        scopePrefix: actor.scopeKind === 'city' ? actor.scopeCode : null,
      });
      return {
        events: page.events.map(({ prevHash: _p, details: _d, ...e }) => e),
        head: page.head,
      };
    },
  );
}
