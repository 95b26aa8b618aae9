import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { secureTransport } from '../runtime/config.ts';

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
  // HSTS is added per request (addSecurityHeaders): always in production and under our own TLS,
  // otherwise on HTTPS requests only (RFC 6797 §8.1: a browser ignores it over HTTP).
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

/**
 * Security headers from helmet, computed once: @fastify/helmet rebuilt the middleware (and re-parsed
 * the CSP) on every request, and each header costs Node a validation on every response; the profile
 * showed them as the health route's largest costs. Documents (the UI, the API docs page) get helmet's
 * full set; JSON API responses get the OWASP REST set (no-sniff, frame denial, a deny-all CSP, HSTS),
 * since the document-only headers do nothing for JSON. The writer is synchronous and is called from
 * the server's one arrival hook (app.ts), so the anonymous public routes (health, the calculator)
 * stay on a synchronous path.
 */
export function securityHeaderWriter(
  app: FastifyInstance,
): (request: FastifyRequest, reply: FastifyReply) => void {
  const hsts = documentHeaders['strict-transport-security'];
  // Production serves only behind TLS (ours or a trusted proxy's), so every answer carries HSTS
  // even when the proxy does not say X-Forwarded-Proto (ASVS v5.0.0-3.4.1).
  const alwaysHsts = secureTransport(app.deps.config);
  return (request, reply) => {
    // The FHIR face (/fhir/…) answers JSON like the API and takes the API's headers.
    if (request.url.startsWith('/api/v1/') || request.url.startsWith('/fhir/')) {
      reply.headers(apiHeaders);
      reply.header('cache-control', 'no-store');
      if (hsts !== undefined && (alwaysHsts || request.protocol === 'https'))
        reply.header('strict-transport-security', hsts);
    } else reply.headers(documentHeaders);
    reply.header('x-request-id', request.id);
  };
}
