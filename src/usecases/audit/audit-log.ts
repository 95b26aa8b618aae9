import { and, desc, eq, gt, lt } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import { auditChainHead, auditEvents } from '../../db/schema.ts';
import {
  type AuditEvent,
  type AuditEventInput,
  type ChainVerdict,
  createChainVerifier,
  eventHash,
} from '../../domain/audit/chain.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';

/** The event of a successful action by `actor` on `object`: who, in which role and scope, and why. */
export function okEventOf(
  actor: Actor,
  action: string,
  object: string,
  details: Record<string, unknown>,
): AuditEventInput {
  return {
    actor: actor.username,
    role: actor.role,
    scope: scopeLabel(actor),
    action,
    object,
    result: 'ok',
    requestId: actor.requestId,
    details,
  };
}

/**
 * Appends one event inside the caller's transaction. The chain head row is locked FOR UPDATE, so
 * concurrent writers queue on it and the chain never forks; the event commits or rolls back with
 * the business change it records.
 */
export async function appendAudit(tx: Executor, input: AuditEventInput): Promise<AuditEvent> {
  // Hand SQL: every write appends here, the ledger's batches included (bench/ledger.bench.ts), and
  // the head is taken FOR UPDATE; three plain statements keep the serialised section short.
  const head = await tx.query('SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
  const row = head.rows[0];
  if (!row) throw new Error('audit_chain_head row missing: database not migrated');
  const h = { seq: intOf(row, 'seq'), hash: textOf(row, 'hash') };
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

const auditColumns = {
  seq: auditEvents.seq,
  at: auditEvents.at,
  actor: auditEvents.actor,
  role: auditEvents.role,
  scope: auditEvents.scope,
  action: auditEvents.action,
  object: auditEvents.object,
  result: auditEvents.result,
  requestId: auditEvents.requestId,
  details: auditEvents.details,
  prevHash: auditEvents.prevHash,
  hash: auditEvents.hash,
};

function fromRow(r: typeof auditEvents.$inferSelect): AuditEvent {
  return { ...r, at: r.at.toISOString() };
}

async function chainHead(ex: Executor): Promise<{ seq: number; hash: string }> {
  const [head] = await ex.orm
    .select({ seq: auditChainHead.seq, hash: auditChainHead.hash })
    .from(auditChainHead)
    .where(eq(auditChainHead.id, 1));
  if (!head) throw new Error('audit_chain_head row missing: database not migrated');
  return head;
}

export async function listAuditEvents(
  db: Database,
  options: { limit: number; beforeSeq?: number | undefined; scopePrefix?: string | null },
): Promise<{ events: AuditEvent[]; head: { seq: number; hash: string } }> {
  return db.withConnection(async (ex) => {
    const rows = await ex.orm
      .select(auditColumns)
      .from(auditEvents)
      .where(
        and(
          options.beforeSeq === undefined ? undefined : lt(auditEvents.seq, options.beforeSeq),
          options.scopePrefix == null
            ? undefined
            : eq(auditEvents.scope, `city:${options.scopePrefix}`),
        ),
      )
      .orderBy(desc(auditEvents.seq))
      .limit(options.limit);
    return { events: rows.map(fromRow), head: await chainHead(ex) };
  });
}

/** Checks the whole chain in pages; names the first broken event. */
export async function verifyAuditChain(db: Database, pageSize = 5000): Promise<ChainVerdict> {
  const verifier = createChainVerifier();
  let after = 0;
  for (;;) {
    const page = await db.withConnection((ex) =>
      ex.orm
        .select(auditColumns)
        .from(auditEvents)
        .where(gt(auditEvents.seq, after))
        .orderBy(auditEvents.seq)
        .limit(pageSize),
    );
    for (const row of page) {
      const verdict = verifier.step(fromRow(row));
      if (verdict) return verdict;
      after = row.seq;
    }
    if (page.length < pageSize) break;
  }
  return verifier.finish(await db.withConnection(chainHead));
}
