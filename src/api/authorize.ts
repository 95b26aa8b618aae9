import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../identity/actor.ts';
import { type Decision, decide, type Owner } from '../identity/policy.ts';
import type { Permission } from '../identity/roles.ts';
import { secureTransport } from '../runtime/config.ts';
import { authenticateApiToken } from '../usecases/identity/api-tokens.ts';
import { actorOf, authenticateSession } from '../usecases/identity/sessions.ts';

import { requestCookie } from './cookies.ts';
import { ProblemError } from './errors.ts';
import { pathParams } from './request-params.ts';
import { accessPermissions, isMutating, type RouteSpec } from './route-spec.ts';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, sessionPolicy } from './session.ts';

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
  // Where transport is secure only the __Host- cookie counts: a plain one may have been planted.
  const token =
    requestCookie(request, SECURE_SESSION_COOKIE) ??
    (secureTransport(app.deps.config) ? undefined : requestCookie(request, SESSION_COOKIE));
  if (!token) return;
  const session = await authenticateSession(app.deps.db, sessionPolicy(app.deps), token);
  if (!session) return;
  request.user = session.user;
  request.actor = actorOf(session.user, request.id);
  request.sessionToken = token;
  request.csrfToken = session.csrfToken;
}

function checkCsrf(request: FastifyRequest): void {
  if (!isMutating(request.method) || !request.sessionToken) return;
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || sent !== request.csrfToken) {
    request.denied = true;
    throw new ProblemError('auth.csrf', 'send the x-csrf-token header you got at log-in');
  }
}

/** The owning region named by the route's path, checked before the policy compares scopes. */
function ownerOf(request: FastifyRequest, regionParam: string): { regionCode: string } {
  const code = pathParams(request.params)[regionParam] ?? '';
  if (!/^\d{6}$/.test(code))
    throw new ProblemError(
      'input.invalid',
      `${regionParam} must be a 6-digit region code`,
      undefined,
      [{ path: `params.${regionParam}`, code: 'invalid_format', message: 'a 6-digit region code' }],
    );
  return { regionCode: code };
}

/** Allowed when any permission allows; otherwise out of scope (404) before lacking (403). */
function decideAny(actor: Actor, permissions: readonly Permission[], owner?: Owner): Decision {
  const decisions = permissions.map((p) => decide(actor, p, owner));
  if (decisions.includes('allow')) return 'allow';
  return decisions.includes('not_found') ? 'not_found' : 'forbidden';
}

/** Authentication, CSRF and the policy run before the body is even parsed. */
export async function authorize(
  app: FastifyInstance,
  request: FastifyRequest,
  spec: RouteSpec,
): Promise<void> {
  await resolvePrincipal(app, request);
  if (spec.access.kind === 'public') return;
  if (!request.actor) throw new ProblemError('auth.unauthenticated', '请先登录 / log in first');
  checkCsrf(request);
  if (request.user?.secondFactor.pending && spec.duringEnrolment !== true) {
    request.denied = true;
    throw new ProblemError(
      'auth.second_factor_enrolment_required',
      '请先绑定动态验证码 / enrol a second factor (authenticator app) first',
    );
  }
  if (spec.access.kind !== 'permission') return;
  const owner = spec.regionParam ? ownerOf(request, spec.regionParam) : undefined;
  const decision = decideAny(request.actor, accessPermissions(spec.access), owner);
  if (decision === 'forbidden') {
    request.denied = true;
    const needed = accessPermissions(spec.access).join(' or ');
    throw new ProblemError('auth.forbidden', `your role lacks ${needed}`);
  }
  if (decision === 'not_found') {
    request.denied = true;
    throw new ProblemError('record.not_found', 'no such record in your scope', {
      policy: 'out_of_scope',
    });
  }
}
