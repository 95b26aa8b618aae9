import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { trustedProxies } from '../runtime/config.ts';

import { readTls } from '../runtime/production.ts';

import type { AppDeps } from './context.ts';
import { addEdgeAudit } from './edge-audit.ts';
import { setProblemHandlers } from './error-handler.ts';
import { problemBody, statusForCode } from './errors.ts';
import { lazyChildLoggerFactory, loggerOptions } from './logging.ts';
import { registerOpenApi } from './openapi.ts';
import { checkingSerializerCompiler } from './response-check.ts';
import type { RouteSpec } from './route-spec.ts';
import { registerRoutes } from './routes/index.ts';
import { securityHeaderWriter } from './security-headers.ts';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export type BuildOptions = {
  /** Where pino writes (tests capture it to scan for unmasked ID numbers). */
  logStream?: DestinationStream;
  /** Tests: fail any JSON answer its response schema would change (response-check.ts). */
  checkResponses?: boolean;
};

const bootId = randomUUID().slice(0, 8);
let requestCounter = 0;

/**
 * Ledger transaction ids are client-chosen text of up to 200 UTF-16 code units (ledger.ts), sent
 * URL-encoded in the path: a code unit of the Basic Multilingual Plane is up to 3 UTF-8 bytes, 9
 * characters as %XX (a surrogate pair, 2 units, is 4 bytes: 6 per unit). The router measures the
 * encoded segment, and Fastify's default (100) turned ids longer than 100 ASCII characters into
 * "no such route".
 */
export const PARAM_LENGTH_MAX = 200 * 9;

/** HTTPS when TLS_CERT_FILE / TLS_KEY_FILE are set (serve checked them first; here a bad pair throws). */
function httpsOptions(deps: AppDeps) {
  const tls = readTls(deps.config);
  if (!tls.ok) throw new Error(tls.problems.map((p) => `${p.setting}: ${p.problem}`).join('; '));
  const material = tls.value;
  if (material === null) return {};
  return {
    serverFactory: (handler: Parameters<typeof createHttpsServer>[1]) =>
      // TLS 1.2 and 1.3 only (Node's default, stated: ASVS v5.0.0-12.1.1).
      createHttpsServer({ key: material.key, cert: material.cert, minVersion: 'TLSv1.2' }, handler),
  };
}

function createServer(deps: AppDeps, options: BuildOptions): FastifyInstance {
  const proxies = trustedProxies(deps.config);
  const app = Fastify({
    logger: loggerOptions(deps.config, options.logStream),
    childLoggerFactory: lazyChildLoggerFactory,
    // Unique across processes (a random boot id) and cheap per request (a counter).
    genReqId: () => `${bootId}-${(requestCounter++).toString(36)}`,
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: PARAM_LENGTH_MAX },
    // Forwarded headers (client address, protocol) are believed from the named proxies only.
    trustProxy: proxies.length > 0 ? proxies : false,
    ...httpsOptions(deps),
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
  app.setSerializerCompiler(
    options.checkResponses ? checkingSerializerCompiler : serializerCompiler,
  );
  return app;
}

/** The built UI when present; any other GET falls back to its index.html (client-side routes). */
async function serveWeb(app: FastifyInstance): Promise<void> {
  if (existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const api = request.url.startsWith('/api/') || request.url.startsWith('/fhir/');
    if (api || request.method !== 'GET') {
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
}

/** The one global onRequest hook: security headers on every answer, routed or not. */
function addArrivalHook(app: FastifyInstance): void {
  const writeHeaders = securityHeaderWriter(app);
  app.addHook('onRequest', (request, reply, done) => {
    writeHeaders(request, reply);
    done();
  });
}

export async function buildApp(
  deps: AppDeps,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const app = createServer(deps, options);
  await registerOpenApi(app);
  addArrivalHook(app);
  addEdgeAudit(app);
  setProblemHandlers(app);
  await app.register(async (api) => registerRoutes(api));
  await serveWeb(app);
  return app;
}

export { statusForCode };
