import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { login, logout } from '../../usecases/identity/sessions.ts';
import { addRoute, SESSION_COOKIE, sessionPolicy } from '../app.ts';
import { ProblemError, refusalError } from '../errors.ts';

const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  scope: z.object({ kind: z.string(), code: z.string().nullable(), name: z.string().nullable() }),
  permissions: z.array(z.string()),
});

export function registerAuthRoutes(app: FastifyInstance): void {
  const cookieSecure = (request: { protocol: string }) =>
    app.deps.config.COOKIE_SECURE === 'auto'
      ? request.protocol === 'https'
      : app.deps.config.COOKIE_SECURE === 'true';
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/auth/login',
      access: { kind: 'public' },
      action: 'auth.login',
      summary: 'Log in; sets an httpOnly session cookie and returns the CSRF token',
      tags: ['auth'],
      schema: {
        body: z.strictObject({
          username: z.string().min(1).max(64),
          password: z.string().min(1).max(128),
        }),
        response: { 200: z.object({ user: sessionUserSchema, csrfToken: z.string() }) },
      },
      example: () => ({ body: { username: 'hz.handler', password: 'wrong-password' } }),
      // ASVS 2.4.1 / 等保 failure handling: log-in is rate limited per client address.
      rateLimitPerMinute: app.deps.config.LOGIN_RATE_PER_MINUTE,
    },
    async (request, reply) => {
      const body = request.body as { username: string; password: string };
      const out = await login(app.deps.db, sessionPolicy(app.deps), {
        ...body,
        requestId: request.id,
      });
      request.audited = true;
      if (!out.ok) throw refusalError(out);
      reply.setCookie(SESSION_COOKIE, out.value.sessionToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: cookieSecure(request),
        path: '/',
        expires: out.value.expiresAt,
      });
      return { user: out.value.user, csrfToken: out.value.csrfToken };
    },
  );

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
      return reply.status(204).send();
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/auth/me',
      access: { kind: 'authenticated' },
      action: 'auth.me',
      summary: 'The signed-in user, scope, permissions and CSRF token',
      tags: ['auth'],
      schema: {
        response: { 200: z.object({ user: sessionUserSchema, csrfToken: z.string().nullable() }) },
      },
    },
    async (request) => {
      if (!request.user) throw new ProblemError('auth.unauthenticated', 'log in first');
      return { user: request.user, csrfToken: request.csrfToken };
    },
  );
}
