import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scopeLabel } from '../identity/actor.ts';
import { recordAudit } from '../usecases/audit/audit-log.ts';
import { pathParams } from './request-params.ts';
import { isMutating } from './route-spec.ts';

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

/** The audit hook runs as the answer leaves, so it sees the final status. */
export function addEdgeAudit(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!needsEdgeAudit(request, reply.statusCode)) {
      done(null, payload);
      return;
    }
    auditAtEdge(app, request, reply.statusCode).then(() => done(null, payload), done);
  });
}
