import type { FastifyInstance } from 'fastify';
import { loginBody, loginResponse, meResponse } from '../../../contract/identity/auth-contract.ts';
import { secureTransport } from '../../../runtime/config.ts';
import { login, logout } from '../../../usecases/identity/sessions.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import {
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sessionCookieName,
  sessionPolicy,
} from '../../session.ts';

export function registerAuthRoutes(app: FastifyInstance): void {
  registerLogin(app);
  registerLogout(app);
  registerMe(app);
}

/**
 * COOKIE_SECURE=auto marks the session cookie Secure in production and under our own TLS (where
 * every request is HTTPS, or reached us through a TLS-terminating proxy), otherwise when the
 * request came over HTTPS (directly, or as a trusted proxy's X-Forwarded-Proto says).
 */
function cookieSecure(app: FastifyInstance, request: { protocol: string }): boolean {
  const config = app.deps.config;
  if (config.COOKIE_SECURE !== 'auto') return config.COOKIE_SECURE === 'true';
  return secureTransport(config) || request.protocol === 'https';
}

function registerLogin(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/auth/login',
      access: { kind: 'public' },
      action: 'auth.login',
      summary: 'Log in; sets an httpOnly session cookie and returns the CSRF token',
      tags: ['auth'],
      schema: { body: loginBody, response: { 200: loginResponse } },
      example: () => ({ body: { username: 'hz.handler', password: 'wrong-password' } }),
      // ASVS 2.4.1 / 等保 failure handling: log-in is rate limited per client address.
      rateLimitPerMinute: app.deps.config.LOGIN_RATE_PER_MINUTE,
    },
    async (request, reply) => {
      const out = await login(app.deps.db, sessionPolicy(app.deps), {
        ...request.body,
        requestId: request.id,
      });
      request.audited = true;
      if (!out.ok) throw refusalError(out);
      const secure = cookieSecure(app, request);
      reply.setCookie(sessionCookieName(secure), out.value.sessionToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        expires: out.value.expiresAt,
      });
      return { user: out.value.user, csrfToken: out.value.csrfToken };
    },
  );
}

function registerLogout(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/auth/logout',
      access: { kind: 'authenticated' },
      action: 'auth.logout',
      summary: 'End the session',
      tags: ['auth'],
      example: () => ({}),
    },
    async (request, reply) => {
      if (request.actor && request.sessionToken)
        await logout(app.deps.db, request.actor, request.sessionToken);
      request.audited = true;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(SECURE_SESSION_COOKIE, { path: '/', secure: true });
      return reply.status(204).send();
    },
  );
}

function registerMe(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/auth/me',
      access: { kind: 'authenticated' },
      action: 'auth.me',
      summary: 'The signed-in user, scope, permissions and CSRF token',
      tags: ['auth'],
      schema: { response: { 200: meResponse } },
    },
    async (request) => {
      if (!request.user) throw new ProblemError('auth.unauthenticated', 'log in first');
      return { user: request.user, csrfToken: request.csrfToken };
    },
  );
}
