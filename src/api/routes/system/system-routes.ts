import type { FastifyInstance } from 'fastify';
import {
  healthResponse,
  notReadyResponse,
  openApiResponse,
  readyResponse,
} from '../../../contract/system/system-contract.ts';
import { intOf, withColumns } from '../../../db/rows.ts';
import { addRoute } from '../../add-route.ts';

export function registerSystemRoutes(app: FastifyInstance): void {
  registerHealth(app);
  registerReady(app);
  registerOpenApiDocument(app);
}

function registerHealth(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/health',
      access: { kind: 'public' },
      action: 'system.health',
      summary: 'Liveness: the process answers (no database call)',
      tags: ['system'],
      schema: { response: { 200: healthResponse } },
      // The probe load balancers hit most: the zod serialiser's parse was a measurable share of it.
      plainSerializer: true,
    },
    async () => ({ status: 'ok' as const }),
  );
}

function registerReady(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/ready',
      access: { kind: 'public' },
      action: 'system.ready',
      summary: 'Readiness: the database answers and is migrated',
      tags: ['system'],
      schema: { response: { 200: readyResponse, 503: notReadyResponse } },
    },
    async (_request, reply) => {
      try {
        const r = withColumns(
          await app.deps.db.query('SELECT max(version)::int AS v FROM schema_migrations'),
          { v: intOf },
        );
        return {
          status: 'ready' as const,
          backend: app.deps.db.backend,
          schemaVersion: r.rows[0]?.v ?? 0,
        };
      } catch {
        return reply.status(503).send({ status: 'not_ready', backend: app.deps.db.backend });
      }
    },
  );
}

function registerOpenApiDocument(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/openapi.json',
      access: { kind: 'public' },
      action: 'system.openapi',
      summary: 'The OpenAPI 3.1 document of this API',
      tags: ['system'],
      schema: { response: { 200: openApiResponse } },
    },
    // The document's own types (openapi-types) are not zod's: it passes through the loose schema.
    async (_request, reply) => reply.send(app.swagger()),
  );
}
