import type { Database, Executor } from '../../db/client.ts';
import {
  type AuditEvent,
  type AuditEventInput,
  type ChainVerdict,
  createChainVerifier,
  eventHash,
} from '../../domain/audit/chain.ts';

/**
 * Appends one event inside the caller's transaction. The chain head row is locked FOR UPDATE, so
 * concurrent writers queue on it and the chain never forks; the event commits or rolls back with
 * the business change it records.
 */
export async function appendAudit(tx: Executor, input: AuditEventInput): Promise<AuditEvent> {
  const head = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
  );
  const h = head.rows[0];
  if (!h) throw new Error('audit_chain_head row missing: database not migrated');
  const base = {
    seq: h.seq + 1,
    at: new Date().toISOString(),
    actor: input.actor,
    role: input.role,
    scope: input.scope,
    action: input.action,
    object: input.object,
    result: input.result,
    requestId: input.requestId,
    details: input.details ?? {},
  };
  const hash = eventHash(h.hash, base);
  await tx.query(
    `INSERT INTO audit_events (seq, at, actor, role, scope, action, object, result, request_id, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      base.seq,
      base.at,
      base.actor,
      base.role,
      base.scope,
      base.action,
      base.object,
      base.result,
      base.requestId,
      JSON.stringify(base.details),
      h.hash,
      hash,
    ],
  );
  await tx.query('UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1', [base.seq, hash]);
  return { ...base, prevHash: h.hash, hash };
}

/** Appends an event in a transaction of its own (denials, failed requests, reveals). */
export async function recordAudit(db: Database, input: AuditEventInput): Promise<AuditEvent> {
  return db.transaction((tx) => appendAudit(tx, input));
}

type Row = {
  seq: number;
  at: Date;
  actor: string | null;
  role: string | null;
  scope: string | null;
  action: string;
  object: string | null;
  result: AuditEvent['result'];
  request_id: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};

function fromRow(r: Row): AuditEvent {
  return {
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    role: r.role,
    scope: r.scope,
    action: r.action,
    object: r.object,
    result: r.result,
    requestId: r.request_id,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const COLUMNS =
  'seq, at, actor, role, scope, action, object, result, request_id, details, prev_hash, hash';

export async function listAuditEvents(
  db: Database,
  options: { limit: number; beforeSeq?: number | undefined; scopePrefix?: string | null },
): Promise<{ events: AuditEvent[]; head: { seq: number; hash: string } }> {
  return db.withConnection(async (ex) => {
    const rows = await ex.query<Row>(
      `SELECT ${COLUMNS} FROM audit_events
        WHERE ($1::bigint IS NULL OR seq < $1) AND ($3::text IS NULL OR scope = 'city:' || $3)
        ORDER BY seq DESC LIMIT $2`,
      [options.beforeSeq ?? null, options.limit, options.scopePrefix ?? null],
    );
    const head = await ex.query<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_chain_head WHERE id = 1',
    );
    return { events: rows.rows.map(fromRow), head: head.rows[0]! };
  });
}

/** Checks the whole chain in pages; names the first broken event. */
export async function verifyAuditChain(db: Database, pageSize = 5000): Promise<ChainVerdict> {
  const verifier = createChainVerifier();
  let after = 0;
  for (;;) {
    const page = await db.query<Row>(
      `SELECT ${COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, pageSize],
    );
    for (const row of page.rows) {
      const verdict = verifier.step(fromRow(row));
      if (verdict) return verdict;
      after = row.seq;
    }
    if (page.rows.length < pageSize) break;
  }
  const head = await db.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_chain_head WHERE id = 1',
  );
  return verifier.finish(head.rows[0]!);
}
