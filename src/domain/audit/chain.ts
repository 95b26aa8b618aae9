import { createHash } from 'node:crypto';

/**
 * The audit hash chain: each event's hash covers the previous hash and a canonical serialisation of
 * the event, so changing, removing or reordering any event breaks every hash after it.
 */
export type AuditResult = 'ok' | 'denied' | 'refused' | 'error';

export type AuditEventInput = {
  actor: string | null;
  role: string | null;
  scope: string | null;
  action: string;
  object: string | null;
  result: AuditResult;
  requestId: string;
  details?: Record<string, unknown>;
  /**
   * Where the request came from. Left out, the use case's request id finds it (the API registers
   * each request's origin, see usecases/audit/request-origin.ts); the CLI and jobs have none.
   */
  sourceAddress?: string | null;
  userAgent?: string | null;
};

export type AuditEvent = AuditEventInput & {
  seq: number;
  at: string;
  details: Record<string, unknown>;
  sourceAddress: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
};

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The fields an event's hash covers, as the canonical JSON serialises them. */
function hashedFields(e: Omit<AuditEvent, 'hash' | 'prevHash'>): Record<string, unknown> {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    role: e.role,
    scope: e.scope,
    action: e.action,
    object: e.object,
    result: e.result,
    requestId: e.requestId,
    details: e.details,
    // Absent rather than null when unknown, so that events written before the origin was
    // recorded (migration 0010) keep the hash they were written with.
    sourceAddress: e.sourceAddress ?? undefined,
    userAgent: e.userAgent ?? undefined,
  };
}

export function eventHash(prevHash: string, e: Omit<AuditEvent, 'hash' | 'prevHash'>): string {
  const body = canonicalJson(hashedFields(e));
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * An event's hashed text around its seq, for an append that learns its seq (and previous hash)
 * only under the chain head's lock, in the database (migration 0045, audit_append_events):
 * eventHash(prev, e) = sha256(prev + "\n" + before + String(e.seq) + after). Built by the same
 * key order and serialisation as canonicalJson, at the top level, with seq left out.
 */
export function eventHashParts(e: Omit<AuditEvent, 'hash' | 'prevHash' | 'seq'>): {
  before: string;
  after: string;
} {
  const fields = hashedFields({ ...e, seq: 0 });
  const keys = Object.keys(fields)
    .filter((k) => fields[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const entry = (k: string) => `${JSON.stringify(k)}:${canonicalJson(fields[k])}`;
  const at = keys.indexOf('seq');
  const head = keys.slice(0, at).map(entry);
  const tail = keys.slice(at + 1).map(entry);
  return {
    before: `{${[...head, `${JSON.stringify('seq')}:`].join(',')}`,
    after: `${tail.map((t) => `,${t}`).join('')}}`,
  };
}

export type ChainVerdict =
  | { ok: true; events: number; headHash: string; checkpointsVerified?: number }
  | { ok: false; events: number; brokenSeq: number; reason: string };

/** Verifies events in seq order (streamed in pages by the caller through `step`). */
export function createChainVerifier(): {
  step: (e: AuditEvent) => ChainVerdict | null;
  finish: (head: { seq: number; hash: string }) => ChainVerdict;
} {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  return {
    step(e) {
      count += 1;
      if (e.seq !== expectedSeq)
        return {
          ok: false,
          events: count,
          brokenSeq: e.seq,
          reason: `expected seq ${expectedSeq}, found ${e.seq} (an event is missing)`,
        };
      if (e.prevHash !== prev)
        return {
          ok: false,
          events: count,
          brokenSeq: e.seq,
          reason: 'prev_hash does not match the previous event',
        };
      const h = eventHash(prev, e);
      if (h !== e.hash)
        return {
          ok: false,
          events: count,
          brokenSeq: e.seq,
          reason: 'hash does not match the event content (altered)',
        };
      prev = h;
      expectedSeq += 1;
      return null;
    },
    finish(head) {
      if (head.seq !== expectedSeq - 1 || head.hash !== prev)
        return {
          ok: false,
          events: count,
          brokenSeq: expectedSeq,
          reason: `chain head (seq ${head.seq}) does not match the last event (seq ${expectedSeq - 1}): events were removed or the head was altered`,
        };
      return { ok: true, events: count, headHash: prev };
    },
  };
}
