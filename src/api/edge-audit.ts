import type { FastifyInstance, FastifyRequest, onSendHookHandler } from 'fastify';
import { createFailureTally, type FailureKind } from '../domain/audit/failure-tally.ts';
import { scopeLabel } from '../identity/actor.ts';
import { maskIdNumbersIn } from '../identity/masking.ts';
import { recordAudit } from '../usecases/audit/audit-log.ts';
import { forgetRequestOrigin, rememberRequestOrigin } from '../usecases/audit/request-origin.ts';
import { pathParams } from './request-params.ts';
import { isMutating } from './route-spec.ts';

function auditResult(status: number, denied: boolean): 'ok' | 'denied' | 'refused' | 'error' {
  if (denied || status === 401 || status === 403) return 'denied';
  if (status >= 500) return 'error';
  if (status >= 400) return 'refused';
  return 'ok';
}

/**
 * Failures anyone can cause without an account: summed per address, not appended one by one (a
 * flood of them would otherwise queue every real writer on the chain-head lock).
 */
function failureKindOf(request: FastifyRequest, status: number): FailureKind | null {
  if (status === 429) return 'rate_limited';
  if (request.problemCode === 'auth.csrf') return 'csrf';
  if (status === 401 && !request.actor && isMutating(request.method)) return 'unauthenticated';
  return null;
}

/** Every state-changing request and every denial leaves one audit event (unless its use case wrote it). */
function needsEdgeAudit(request: FastifyRequest, status: number): boolean {
  if (!request.spec) return false;
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
  const params = pathParams(request.params);
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

/**
 * A client's own text, kept in the audit trail: bounded, without control characters, and with any
 * ID number in it masked like everywhere else.
 */
export function userAgentOf(request: FastifyRequest): string | null {
  return cleanUserAgent(request.headers['user-agent']);
}

function cleanUserAgent(raw: string | undefined): string | null {
  if (typeof raw !== 'string' || raw.length === 0) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  return maskIdNumbersIn(raw.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 256));
}

export type FailureAudit = {
  /** Writes the window's summary now (one event, or none when nothing failed); returns events written. */
  flush: () => Promise<number>;
  /** Failures counted and not yet written. */
  pending: () => number;
};

type FailureWindows = {
  tally: ReturnType<typeof createFailureTally>;
  flush: () => Promise<number>;
};

function failureWindows(app: FastifyInstance): FailureWindows {
  const tally = createFailureTally({ addressesMax: app.deps.config.AUDIT_FAILURE_ADDRESSES_MAX });
  let windows = 0;
  const flush = async (): Promise<number> => {
    const summary = tally.drain(Date.now());
    if (!summary) return 0;
    windows += 1;
    const only = summary.addresses.length === 1 ? summary.addresses[0] : undefined;
    await recordAudit(app.deps.db, {
      actor: null,
      role: null,
      scope: null,
      action: 'security.unauthenticated_failures',
      object: null,
      result: 'denied',
      requestId: `failures-${summary.windowStartedAt}-${windows}`,
      details: summary,
      sourceAddress: only?.address ?? null,
      userAgent: only?.userAgents.length === 1 ? (only.userAgents[0] ?? null) : null,
    });
    return 1;
  };
  return { tally, flush };
}

/** Starts the window timer; the last window is written when the app closes. */
function scheduleFailureWindows(app: FastifyInstance, flush: () => Promise<number>): void {
  const writeWindow = () => {
    flush().catch((err: unknown) =>
      app.log.error({ err }, 'could not write the unauthenticated-failure audit event'),
    );
  };
  const timer = setInterval(writeWindow, app.deps.config.AUDIT_FAILURE_WINDOW_SECONDS * 1000);
  // The timer alone must not keep a process (a test, a CLI run) alive.
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush();
  });
}

/**
 * Remembers where a request came from, for the audit events its use case writes; called by the
 * route's own onRequest hook (addRoute). The origin is read lazily and forgotten when the answer
 * leaves (onSend, below), so a request costs one map entry and no onResponse / onRequestAbort hook
 * (the latter adds a listener per request). A request that never reaches onSend is evicted by the
 * map's bound.
 */
export function rememberOrigin(request: FastifyRequest): void {
  // The closure keeps the two strings, not the request: an entry that never reaches onSend (a
  // dropped connection) must not hold a request and its body until the map's bound evicts it.
  const sourceAddress = request.ip;
  const rawUserAgent = request.headers['user-agent'];
  rememberRequestOrigin(request.id, () => ({
    sourceAddress,
    userAgent: cleanUserAgent(rawUserAgent),
  }));
}

/**
 * The audit hook: the answer is audited as it leaves (so the hook sees the final status), or only
 * counted when it is an unauthenticated failure. It is a route hook, not a global one (addRoute):
 * a request no route answers (404, the UI's files) and an anonymous public read (health, the
 * calculator) can neither be audited nor counted, so they skip it and the origin map (the health
 * benchmark, `npm run bench platform`).
 */
export function addEdgeAudit(app: FastifyInstance): void {
  const windows = failureWindows(app);
  app.decorate('auditFailures', { flush: windows.flush, pending: windows.tally.pending });
  app.decorateRequest('problemCode', null);
  scheduleFailureWindows(app, windows.flush);
  const onSend: onSendHookHandler = (request, reply, payload, done) => {
    const status = reply.statusCode;
    const kind = request.audited ? null : failureKindOf(request, status);
    if (kind) {
      const sample = {
        address: request.ip,
        kind,
        route: request.routeOptions.url ?? '(no route)',
        userAgent: userAgentOf(request),
        username: request.actor?.username ?? null,
      };
      windows.tally.add(sample, Date.now());
      forgetRequestOrigin(request.id);
      done(null, payload);
      return;
    }
    if (request.audited || !needsEdgeAudit(request, status)) {
      forgetRequestOrigin(request.id);
      done(null, payload);
      return;
    }
    auditAtEdge(app, request, status).then(
      () => {
        forgetRequestOrigin(request.id);
        done(null, payload);
      },
      (err: unknown) => {
        forgetRequestOrigin(request.id);
        done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  };
  app.decorate('edgeAuditOnSend', onSend);
}
