import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { secureTransport } from '../runtime/config.ts';
import { sessionCookieName } from './session.ts';

/**
 * A route whose body is a raw file (RouteSpec.rawBody) gets a binary requestBody in the document;
 * its own schema declares no body, so validation is untouched.
 */
function withRawBody(
  app: FastifyInstance,
  route: { method: string | string[]; url: string },
  out: { schema: FastifySchema; url: string },
): { schema: FastifySchema; url: string } {
  const spec = app.routeTable.find((s) => s.url === route.url && s.method === route.method);
  if (spec?.rawBody === undefined) return out;
  const schema = {
    ...out.schema,
    body: { type: 'string', format: 'binary', description: spec.rawBody.description },
    consumes: [...spec.rawBody.mediaTypes],
  };
  return { schema, url: out.url };
}

/** The OpenAPI 3.1 document, generated from the routes' contract schemas (requests and responses). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tongchou API',
        description:
          '工伤保险基金省级统筹 — provincial work-injury insurance fund. Amounts are integer fen (分).',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookieName(secureTransport(app.deps.config)),
          },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: (input) => withRawBody(app, input.route, jsonSchemaTransform(input)),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}
