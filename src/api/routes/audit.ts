import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listAuditEvents } from '../../usecases/audit/audit-log.ts';
import { addRoute } from '../app.ts';

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
      schema: {
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          beforeSeq: z.coerce.number().int().min(1).optional(),
        }),
      },
      example: () => ({ query: { limit: '10' } }),
    },
    async (request) => {
      const q = request.query as { limit: number; beforeSeq?: number };
      const actor = request.actor!;
      const page = await listAuditEvents(app.deps.db, {
        limit: q.limit,
        beforeSeq: q.beforeSeq,
        scopePrefix: actor.scopeKind === 'city' ? actor.scopeCode : null,
      });
      return {
        events: page.events.map(({ prevHash: _p, details: _d, ...e }) => e),
        head: page.head,
      };
    },
  );
}
