import type { onSendHookHandler } from 'fastify';
import type { Database } from '../db/client.ts';
import type { Actor } from '../identity/actor.ts';
import type { RuleBook } from '../rules/rule-book.ts';
import type { Config } from '../runtime/config.ts';
import type { BlobStore } from '../usecases/cases/blob-store.ts';
import type { SessionUser } from '../usecases/identity/sessions.ts';
import type { FailureAudit } from './edge-audit.ts';
import type { RouteSpec } from './route-spec.ts';

/**
 * What the app runs on; `rules` is the rule book the composition root loaded once at start, `blobs`
 * the store of uploaded files (the local one under TONGCHOU_BLOB_DIR, or any BlobStore).
 */
export type AppDeps = { db: Database; config: Config; rules: RuleBook; blobs: BlobStore };

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    actor: Actor | null;
    sessionToken: string | null;
    csrfToken: string | null;
    /** Set when a use case wrote the audit event itself, so the edge does not add a second one. */
    audited: boolean;
    /** Set when the policy refused (403/404), so the edge audits the denial. */
    denied: boolean;
    spec: RouteSpec | null;
    /** The problem code the error handler answered with (the edge audit sorts failures by it). */
    problemCode: string | null;
  }
  interface FastifyInstance {
    deps: AppDeps;
    routeTable: RouteSpec[];
    /** The per-window summary of unauthenticated failures (edge-audit.ts). */
    auditFailures: FailureAudit;
    /** The edge audit's onSend hook, attached by addRoute to every route that can be audited. */
    edgeAuditOnSend: onSendHookHandler;
  }
}
