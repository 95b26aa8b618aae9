import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { scopeLabel } from '../identity/actor.ts';
import { decide } from '../identity/policy.ts';
import { recordAudit } from '../usecases/audit/audit-log.ts';
import {
  actorOf,
  authenticateApiToken,
  authenticateSession,
  type SessionPolicy,
} from '../usecases/identity/sessions.ts';
import type { AppDeps } from './context.ts';
import { ProblemError, problemBody, statusForCode } from './errors.ts';
import { type Handler, isMutating, type RouteSpec } from './route-spec.ts';
import { registerRoutes } from './routes/index.ts';

export const SESSION_COOKIE = 'tc_session';
const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export type BuildOptions = {
  /** Where pino writes (tests capture it to scan for unmasked ID numbers). */
  logStream?: DestinationStream;
};

/** The headers helmet would set, captured once from its middleware. */
export function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

export function sessionPolicy(deps: AppDeps): SessionPolicy {
  return {
    idleMinutes: deps.config.SESSION_IDLE_MINUTES,
    absoluteHours: deps.config.SESSION_ABSOLUTE_HOURS,
    maxFailures: deps.config.LOGIN_MAX_FAILURES,
    lockMinutes: deps.config.LOGIN_LOCK_MINUTES,
  };
}

/** Registers one route from its spec; the spec joins the route table. */
export function addRoute(app: FastifyInstance, spec: RouteSpec, handler: Handler): void {
  app.routeTable.push(spec);
  app.withTypeProvider<ZodTypeProvider>().route({
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
    // The route's own gate: the spec is in the closure (no routeOptions lookup per request), and an
    // anonymous call to a public route (health, the calculator) takes a synchronous fast path.
    onRequest: (request, _reply, done) => {
      request.spec = spec;
      const anonymous =
        request.headers.cookie === undefined && request.headers.authorization === undefined;
      if (spec.access.kind === 'public' && anonymous) {
        done();
        return;
      }
      authorize(app, request, spec).then(() => done(), done);
    },
    config: {
      spec,
      ...(spec.rateLimitPerMinute
        ? { rateLimit: { max: spec.rateLimitPerMinute, timeWindow: '1 minute' } }
        : {}),
    },
    handler: async (request, reply) => handler(request, reply),
  });
}

function fieldPath(instancePath: string, context: string | undefined): string {
  const inner = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (context === 'body') return inner || '(root)';
  return inner ? `${context}.${inner}` : (context ?? '(root)');
}

async function resolvePrincipal(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const user = await authenticateApiToken(app.deps.db, auth.slice('Bearer '.length).trim());
    if (user) {
      request.user = user;
      request.actor = actorOf(user, request.id);
    }
    return;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  const session = await authenticateSession(app.deps.db, sessionPolicy(app.deps), token);
  if (!session) return;
  request.user = session.user;
  request.actor = actorOf(session.user, request.id);
  request.sessionToken = token;
  request.csrfToken = session.csrfToken;
}

/** Authentication, CSRF and the policy run before the body is even parsed. */
async function authorize(
  app: FastifyInstance,
  request: FastifyRequest,
  spec: RouteSpec,
): Promise<void> {
  await resolvePrincipal(app, request);
  if (spec.access.kind === 'public') return;
  if (!request.actor) throw new ProblemError('auth.unauthenticated', '请先登录 / log in first');
  if (isMutating(request.method) && request.sessionToken) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || sent !== request.csrfToken) {
      request.denied = true;
      throw new ProblemError('auth.csrf', 'send the x-csrf-token header you got at log-in');
    }
  }
  if (spec.access.kind !== 'permission') return;
  let owner: { regionCode: string } | undefined;
  if (spec.regionParam) {
    const code = (request.params as Record<string, string | undefined>)[spec.regionParam] ?? '';
    if (!/^\d{6}$/.test(code))
      throw new ProblemError(
        'input.invalid',
        `${spec.regionParam} must be a 6-digit region code`,
        undefined,
        [
          {
            path: `params.${spec.regionParam}`,
            code: 'invalid_format',
            message: 'a 6-digit region code',
          },
        ],
      );
    owner = { regionCode: code };
  }
  const decision = decide(request.actor, spec.access.permission, owner);
  if (decision === 'forbidden') {
    request.denied = true;
    throw new ProblemError('auth.forbidden', `your role lacks ${spec.access.permission}`);
  }
  if (decision === 'not_found') {
    request.denied = true;
    throw new ProblemError('record.not_found', 'no such record in your scope', {
      policy: 'out_of_scope',
    });
  }
}

function auditResult(status: number, denied: boolean): 'ok' | 'denied' | 'refused' | 'error' {
  if (denied || status === 401 || status === 403) return 'denied';
  if (status >= 500) return 'error';
  if (status >= 400) return 'refused';
  return 'ok';
}

/** Every state-changing request and every denial leaves one audit event (unless its use case wrote it). */
function needsEdgeAudit(request: FastifyRequest, status: number): boolean {
  if (!request.spec || request.audited) return false;
  // Malformed input changed nothing and reached no use case: it is logged, not audited.
  if (status === 400) return false;
  return isMutating(request.method) || request.denied;
}

async function auditAtEdge(
  app: FastifyInstance,
  request: FastifyRequest,
  status: number,
): Promise<void> {
  const spec = request.spec;
  if (!spec) return;
  const params = request.params as Record<string, string>;
  await recordAudit(app.deps.db, {
    actor: request.actor?.username ?? null,
    role: request.actor?.role ?? null,
    scope: request.actor ? scopeLabel(request.actor) : null,
    action: spec.action,
    object: Object.keys(params).length > 0 ? Object.values(params).join('/') : spec.url,
    result: auditResult(status, request.denied),
    requestId: request.id,
    details: { method: request.method, status },
  });
}

const bootId = randomUUID().slice(0, 8);
let requestCounter = 0;

export async function buildApp(
  deps: AppDeps,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.config.LOG_LEVEL,
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
        censor: '***',
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Unique across processes (a random boot id) and cheap per request (a counter).
    genReqId: () => `${bootId}-${(requestCounter++).toString(36)}`,
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    trustProxy: false,
  });
  app.decorate('deps', deps);
  app.decorate('routeTable', [] as RouteSpec[]);
  app.decorateRequest('user', null);
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('audited', false);
  app.decorateRequest('denied', false);
  app.decorateRequest('spec', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Security headers from helmet, computed once: @fastify/helmet rebuilt the middleware (and re-parsed
  // the CSP) on every request, and each header costs Node a validation on every response; the profile
  // showed them as the health route's largest costs. Documents (the UI, the API docs page) get helmet's
  // full set; JSON API responses get the OWASP REST set (no-sniff, frame denial, a deny-all CSP, HSTS),
  // since the document-only headers do nothing for JSON.
  const documentHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  const apiHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    // CSP frame-ancestors 'none' forbids framing; X-Frame-Options (which it obsoletes) stays on
    // documents only.
    frameguard: false,
    // HSTS is added per request, on HTTPS only (RFC 6797 §8.1: a browser ignores it over HTTP).
    strictTransportSecurity: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
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
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Callback-style hooks with a synchronous fast path: an anonymous call to a public route (health,
  // the calculator) needs no database round trip and no promise.
  const hsts = documentHeaders['strict-transport-security'];
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/api/v1/')) {
      reply.headers(apiHeaders);
      reply.header('cache-control', 'no-store');
      if (hsts !== undefined && request.protocol === 'https')
        reply.header('strict-transport-security', hsts);
    } else reply.headers(documentHeaders);
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!needsEdgeAudit(request, reply.statusCode)) {
      done(null, payload);
      return;
    }
    auditAtEdge(app, request, reply.statusCode).then(() => done(null, payload), done);
  });

  app.setErrorHandler(async (error, request, reply) => {
    let body: ReturnType<typeof problemBody>;
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        path: fieldPath(v.instancePath, error.validationContext),
        code: v.keyword,
        message:
          v.keyword === 'unrecognized_keys'
            ? `unknown field(s): ${((v.params as { keys?: string[] }).keys ?? []).join(', ')}; remove them`
            : (v.message ?? 'invalid'),
      }));
      body = problemBody(
        'input.invalid',
        errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        request.id,
        { errors },
      );
    } else if (error instanceof ProblemError) {
      body = problemBody(error.code, error.message, request.id, {
        details: error.details,
        errors: error.errors,
      });
    } else if ((error as { statusCode?: number }).statusCode === 429) {
      body = problemBody(
        'auth.rate_limited',
        '请求过于频繁,请稍后再试 / too many requests, retry later',
        request.id,
      );
    } else if (
      typeof (error as { statusCode?: number }).statusCode === 'number' &&
      (error as { statusCode: number }).statusCode < 500
    ) {
      // Fastify's own 4xx (malformed JSON, wrong content type, body too large): input problems.
      const message = (error as Error).message;
      body = {
        ...problemBody('input.invalid', message, request.id),
        status: (error as { statusCode: number }).statusCode,
      };
    } else {
      request.log.error({ err: error }, 'unhandled error');
      body = problemBody(
        'server.error',
        `internal error; quote request id ${request.id}`,
        request.id,
      );
    }
    return reply.status(body.status).type('application/problem+json').send(body);
  });

  await app.register(async (api) => registerRoutes(api));

  if (existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      const body = problemBody(
        'route.not_found',
        `${request.method} ${request.url.split('?')[0]} is not an endpoint`,
        request.id,
      );
      return reply.status(404).type('application/problem+json').send(body);
    }
    if (existsSync(join(webDir, 'index.html'))) return reply.sendFile('index.html');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><p>Web UI not built: run <code>npm run build:web</code>.</p>',
      );
  });
  return app;
}

export { statusForCode };
