import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  loginBody,
  loginResponse,
  meResponse,
  passwordChangeBody,
  passwordChangeResponse,
  totpConfirmationBody,
  totpConfirmationResponse,
  totpEnrolmentBody,
  totpEnrolmentResponse,
} from '../../../contract/identity/auth-contract.ts';
import type { Actor } from '../../../identity/actor.ts';
import { secureTransport } from '../../../runtime/config.ts';
import { login } from '../../../usecases/identity/login.ts';
import { changeOwnPassword } from '../../../usecases/identity/password-change.ts';
import {
  confirmTotpEnrolment,
  startTotpEnrolment,
} from '../../../usecases/identity/second-factor.ts';
import { logout } from '../../../usecases/identity/sessions.ts';
import { addRoute } from '../../add-route.ts';
import { clearCookie, setCookie } from '../../cookies.ts';
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
  registerPasswordChange(app);
  registerSecondFactor(app);
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
        address: request.ip,
        requestId: request.id,
      });
      request.audited = true;
      if (!out.ok) throw refusalError(out);
      const secure = cookieSecure(app, request);
      setCookie(reply, sessionCookieName(secure), out.value.sessionToken, {
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
      duringEnrolment: true,
    },
    async (request, reply) => {
      if (request.actor && request.sessionToken)
        await logout(app.deps.db, request.actor, request.sessionToken);
      request.audited = true;
      clearCookie(reply, SESSION_COOKIE, { path: '/' });
      clearCookie(reply, SECURE_SESSION_COOKIE, { path: '/', secure: true });
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
      duringEnrolment: true,
    },
    async (request) => {
      if (!request.user) throw new ProblemError('auth.unauthenticated', 'log in first');
      return { user: request.user, csrfToken: request.csrfToken };
    },
  );
}

/**
 * The signed-in person behind a log-in session: an API token (whatever its scope) must not change
 * the password or the second factor of its user.
 */
function sessionActor(request: FastifyRequest): { actor: Actor; sessionToken: string } {
  if (!request.actor) throw new ProblemError('auth.unauthenticated', 'log in first');
  if (!request.sessionToken) {
    request.denied = true;
    throw new ProblemError('auth.forbidden', 'only a log-in session can do this, not an API token');
  }
  return { actor: request.actor, sessionToken: request.sessionToken };
}

function registerPasswordChange(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/auth/password',
      access: { kind: 'authenticated' },
      action: 'user.password.change',
      summary:
        'Change your own password (the current one is required); your other sessions end, this one stays',
      tags: ['auth'],
      schema: { body: passwordChangeBody, response: { 200: passwordChangeResponse } },
      example: () => ({
        body: { currentPassword: 'wrong-password', newPassword: 'a-new-long-password' },
      }),
      rateLimitPerMinute: app.deps.config.LOGIN_RATE_PER_MINUTE,
    },
    async (request) => {
      const { actor, sessionToken } = sessionActor(request);
      const out = await changeOwnPassword(app.deps.db, sessionPolicy(app.deps), actor, {
        ...request.body,
        sessionToken,
      });
      // The use case audits a success and a wrong current password; the edge the other refusals.
      request.audited = out.ok || out.code === 'user.current_password_wrong';
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerSecondFactor(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/auth/second-factor/enrolment',
      access: { kind: 'authenticated' },
      action: 'auth.second_factor.start',
      summary:
        'Start enrolling a TOTP authenticator app (password again): a new secret, shown once',
      tags: ['auth'],
      schema: { body: totpEnrolmentBody, response: { 200: totpEnrolmentResponse } },
      example: () => ({ body: { password: 'wrong-password' } }),
      rateLimitPerMinute: app.deps.config.LOGIN_RATE_PER_MINUTE,
      duringEnrolment: true,
    },
    async (request) => {
      const { actor } = sessionActor(request);
      const out = await startTotpEnrolment(
        app.deps.db,
        sessionPolicy(app.deps),
        actor,
        request.body,
      );
      if (!out.ok) throw refusalError(out);
      request.audited = true;
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/auth/second-factor/confirmation',
      access: { kind: 'authenticated' },
      action: 'auth.second_factor.confirm',
      summary: 'Finish enrolling with a first code from the app',
      tags: ['auth'],
      schema: { body: totpConfirmationBody, response: { 200: totpConfirmationResponse } },
      example: () => ({ body: { code: '000000' } }),
      duringEnrolment: true,
      rateLimitPerMinute: app.deps.config.LOGIN_RATE_PER_MINUTE,
    },
    async (request) => {
      const { actor, sessionToken } = sessionActor(request);
      const out = await confirmTotpEnrolment(app.deps.db, actor, {
        code: request.body.code,
        sessionToken,
      });
      if (!out.ok) throw refusalError(out);
      request.audited = true;
      return out.value;
    },
  );
}
