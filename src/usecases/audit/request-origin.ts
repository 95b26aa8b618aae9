/**
 * Where each request in flight came from, by request id. Every audit event carries the request id
 * of the action it records (use cases take it from the actor), so `appendAudit` finds the source
 * address and user agent here without each of the many use cases passing them along. The API
 * remembers a request's origin when it arrives and forgets it when the answer has gone; the CLI
 * and jobs remember none, and their events have no origin.
 */
export type RequestOrigin = { sourceAddress: string; userAgent: string | null };

/**
 * An origin, or how to read it: the API passes a function so that the user agent is cleaned only
 * for the few requests that write an audit event, not for every request (the liveness probe).
 */
type OriginSource = RequestOrigin | (() => RequestOrigin);

const origins = new Map<string, OriginSource>();

/** Requests whose answer never completed (a dropped connection) must not pile up. */
const ORIGINS_MAX = 100_000;

export function rememberRequestOrigin(requestId: string, origin: OriginSource): void {
  if (origins.size >= ORIGINS_MAX) {
    const oldest = origins.keys().next();
    if (!oldest.done) origins.delete(oldest.value);
  }
  origins.set(requestId, origin);
}

export function forgetRequestOrigin(requestId: string): void {
  origins.delete(requestId);
}

export function requestOriginOf(requestId: string): RequestOrigin | undefined {
  const source = origins.get(requestId);
  return typeof source === 'function' ? source() : source;
}
