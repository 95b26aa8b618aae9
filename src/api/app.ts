import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
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
async function authorize(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const spec = (request.routeOptions.config as { spec?: RouteSpec }).spec ?? null;
  request.spec = spec;
  if (!spec) return;
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
async function auditAtEdge(
  app: FastifyInstance,
  request: FastifyRequest,
  status: number,
): Promise<void> {
  const spec = request.spec;
  if (!spec || request.audited) return;
  const mutating = isMutating(request.method);
  // Malformed input changed nothing and reached no use case: it is logged, not audited.
  if (status === 400) return;
  if (!mutating && !request.denied) return;
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
    genReqId: () => randomUUID(),
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

  // Security headers from helmet, built once: @fastify/helmet rebuilds the middleware (and re-parses
  // the CSP) on every request, which cost most of the health route's throughput.
  const securityHeaders = helmet({
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
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (err?: unknown) =>
      done(err instanceof Error ? err : undefined),
    );
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

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    await authorize(app, request);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    await auditAtEdge(app, request, reply.statusCode);
    return payload;
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
