import { and, desc, eq, gt, lt } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import { auditEvents } from '../../db/schema.ts';
import {
  type AuditEvent,
  type AuditEventInput,
  type ChainVerdict,
  createChainVerifier,
  eventHash,
} from '../../domain/audit/chain.ts';
import {
  type Checkpoint,
  createCheckpointChecker,
  mergeCheckpoints,
  type VerifyingKey,
} from '../../domain/audit/checkpoint.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { chainHead } from './chain-head.ts';
import { listCheckpoints } from './checkpoints.ts';
import { requestOriginOf } from './request-origin.ts';

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
  // the head is taken FOR UPDATE; the event and the new head go in one statement, so the head is
  // held for one round trip after it is read, not two.
  const head = await tx.query('SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
  const row = head.rows[0];
  if (!row) throw new Error('audit_chain_head row missing: database not migrated');
  const h = { seq: intOf(row, 'seq'), hash: textOf(row, 'hash') };
  const origin = requestOriginOf(input.requestId);
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
    sourceAddress: input.sourceAddress ?? origin?.sourceAddress ?? null,
    userAgent: input.userAgent ?? origin?.userAgent ?? null,
  };
  const hash = eventHash(h.hash, base);
  const moved = await tx.query(
    `WITH event AS (
       INSERT INTO audit_events (seq, at, actor, role, scope, action, object, result, request_id,
                                 details, source_address, user_agent, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14))
     UPDATE audit_chain_head SET seq = $1, hash = $14 WHERE id = 1`,
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
      base.sourceAddress,
      base.userAgent,
      h.hash,
      hash,
    ],
  );
  invariant(moved.rowCount === 1, 'audit_chain_head row missing: database not migrated');
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
  sourceAddress: auditEvents.sourceAddress,
  userAgent: auditEvents.userAgent,
  prevHash: auditEvents.prevHash,
  hash: auditEvents.hash,
};

function fromRow(r: typeof auditEvents.$inferSelect): AuditEvent {
  return { ...r, at: r.at.toISOString() };
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

export type VerifyOptions = {
  pageSize?: number;
  /** Checkpoints to hold the chain against (`tongchou audit verify --checkpoints`). */
  checkpoints?: { keys: readonly VerifyingKey[]; copy?: readonly Checkpoint[] };
  /** Runs after each page is read: a test appends from another connection here. */
  afterPage?: () => Promise<void>;
};

/**
 * Checks the whole chain, and its signed checkpoints when asked; names the first broken event.
 * Every page, the checkpoints and the head are read in ONE repeatable-read snapshot: an event
 * appended while the pages are read is not half-seen (a head newer than the last page read would
 * look like removed events).
 */
export async function verifyAuditChain(
  db: Database,
  options: VerifyOptions = {},
): Promise<ChainVerdict> {
  return db.transaction(
    async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      const checker = options.checkpoints ? await checkpointChecker(tx, options.checkpoints) : null;
      if (checker && 'failed' in checker) return checker.failed;
      return walkChain(tx, options, checker);
    },
    { isolation: 'repeatable read' },
  );
}

type Checker = ReturnType<typeof createCheckpointChecker>;

function brokenAt(events: number, problem: { seq: number; reason: string }): ChainVerdict {
  return { ok: false, events, brokenSeq: problem.seq, reason: problem.reason };
}

async function checkpointChecker(
  tx: Executor,
  given: NonNullable<VerifyOptions['checkpoints']>,
): Promise<Checker | { failed: ChainVerdict }> {
  const merged = mergeCheckpoints(await listCheckpoints(tx), given.copy ?? []);
  if (merged.problem) return { failed: brokenAt(0, merged.problem) };
  const checker = createCheckpointChecker(merged.checkpoints, given.keys);
  const bad = checker.signatures();
  return bad ? { failed: brokenAt(0, bad) } : checker;
}

async function walkChain(
  tx: Executor,
  options: VerifyOptions,
  checker: Checker | null,
): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 5000;
  const verifier = createChainVerifier();
  let after = 0;
  let events = 0;
  for (;;) {
    const page = await tx.orm
      .select(auditColumns)
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(auditEvents.seq)
      .limit(pageSize);
    for (const row of page) {
      events += 1;
      const verdict = verifier.step(fromRow(row));
      if (verdict) return verdict;
      const signed = checker?.atEvent(row);
      if (signed) return brokenAt(events, signed);
      after = row.seq;
    }
    await options.afterPage?.();
    if (page.length < pageSize) break;
  }
  const verdict = verifier.finish(await chainHead(tx));
  const beyond = checker?.finish(after);
  if (!verdict.ok || !checker) return verdict;
  if (beyond) return brokenAt(events, beyond);
  return { ...verdict, checkpointsVerified: checker.verified() };
}
