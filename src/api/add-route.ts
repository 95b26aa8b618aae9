import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, onRequestHookHandler, RouteHandlerMethod } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { authorize } from './authorize.ts';
import { rememberOrigin } from './edge-audit.ts';
import { type Handler, isMutating, type RouteSpec } from './route-spec.ts';

/**
 * Registers one route from its spec; the spec joins the route table. The handler's request and
 * return types come from the spec's zod schemas (src/contract/…), so a handler never casts.
 */
export function addRoute<Spec extends RouteSpec>(
  app: FastifyInstance,
  spec: Spec,
  handler: Handler<Spec>,
): void {
  app.routeTable.push(spec);
  // A read of a public route without a rate limit (health, readiness, the OpenAPI document) can
  // never be denied, audited or counted as a failure (edge-audit.ts), and nothing in it reads the
  // caller: it runs no route hook at all (the health benchmark). Every other route gets the gate
  // and the audit hook.
  const audited =
    spec.access.kind !== 'public' ||
    isMutating(spec.method) ||
    spec.rateLimitPerMinute !== undefined;
  const config = {
    spec,
    ...(spec.rateLimitPerMinute
      ? { rateLimit: { max: spec.rateLimitPerMinute, timeWindow: '1 minute' } }
      : {}),
  };
  const options = {
    method: spec.method,
    url: spec.url,
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.access.kind === 'public' ? {} : { security: [{ session: [] }, { bearer: [] }] }),
      ...(spec.schema ?? {}),
    },
    ...(spec.skipValidation
      ? { validatorCompiler: () => (data: unknown) => ({ value: data }) }
      : {}),
    ...(spec.plainSerializer
      ? { serializerCompiler: () => (data: unknown) => JSON.stringify(data) }
      : {}),
    config,
    ...(audited ? { onRequest: routeGate(app, spec), onSend: app.edgeAuditOnSend } : {}),
    // The one place the generic handler meets Fastify's untyped one: the validator compiled from
    // the same spec has already parsed params, querystring and body into the schemas' outputs.
    handler: handler as unknown as RouteHandlerMethod,
  };
  if (spec.rateLimitPerMinute === undefined) {
    app.withTypeProvider<ZodTypeProvider>().route(options);
    return;
  }
  // The limiter lives in a context of its own around the limited route: registered for the whole
  // API (even with `global: false`) it cost every route about a fifth of its throughput (the health
  // benchmark: 0.59 of bare Fastify with it at the root, 0.76 without).
  app.register(async (scope) => {
    await scope.register(rateLimit, { global: false });
    scope.withTypeProvider<ZodTypeProvider>().route(options);
  });
}

/**
 * The route's own gate: the spec is in the closure (no routeOptions lookup per request), and an
 * anonymous call to a public route (the calculator) takes a synchronous fast path.
 */
function routeGate(app: FastifyInstance, spec: RouteSpec): onRequestHookHandler {
  return (request, _reply, done) => {
    request.spec = spec;
    rememberOrigin(request);
    const anonymous =
      request.headers.cookie === undefined && request.headers.authorization === undefined;
    if (spec.access.kind === 'public' && anonymous) {
      done();
      return;
    }
    authorize(app, request, spec).then(() => done(), done);
  };
}
