import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../identity/roles.ts';

/**
 * Every route declares who may call it. The route table (collected at registration) drives the
 * authorization hook, the OpenAPI tags and the generated permission-matrix and fuzz tests.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; permission: Permission };

/** A sample request for generated tests: `regionCode` is the city the test user should own or not. */
export type ExampleRequest = {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
};

export type RouteSpec = {
  method: HTTPMethods;
  url: string;
  access: Access;
  /** Audit action name, e.g. "persons.reveal". */
  action: string;
  summary: string;
  tags: string[];
  /** Path parameter naming the owning region; the policy checks it before the handler runs. */
  regionParam?: string;
  schema?: {
    body?: z.ZodType;
    querystring?: z.ZodType;
    params?: z.ZodType;
    response?: Record<number, z.ZodType>;
  };
  rateLimitPerMinute?: number;
  /** The handler validates the body itself (shared with the CLI); the schema only documents it. */
  skipValidation?: boolean;
  /** Serialise with JSON.stringify; the response schema then only documents (hot liveness probe). */
  plainSerializer?: boolean;
  example?: (ctx: { regionCode: string }) => ExampleRequest;
};

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function isMutating(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
