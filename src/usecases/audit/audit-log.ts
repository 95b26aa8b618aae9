import { and, desc, eq, gt, lt } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, jsonOf, type Row, textOf } from '../../db/rows.ts';
import { auditEvents } from '../../db/schema.ts';
import {
  type AuditEvent,
  type AuditEventInput,
  type ChainVerdict,
  createChainVerifier,
  eventHash,
  eventHashParts,
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

type ChainLink = { seq: number; hash: string };

/** Locks the chain head FOR UPDATE (concurrent writers queue here: the chain never forks). */
async function lockedHead(tx: Executor): Promise<ChainLink> {
  const head = await tx.query('SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
  const row = head.rows[0];
  if (!row) throw new Error('audit_chain_head row missing: database not migrated');
  return { seq: intOf(row, 'seq'), hash: textOf(row, 'hash') };
}

/** An event's recorded fields but its place in the chain (seq, hashes). */
function fieldsOf(
  input: AuditEventInput,
  at: string,
): Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'> {
  const origin = requestOriginOf(input.requestId);
  return {
    at,
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
}

/** The event that follows `prev` in the chain, hashed. */
function chained(prev: ChainLink, input: AuditEventInput, at: string): AuditEvent {
  const base = { seq: prev.seq + 1, ...fieldsOf(input, at) };
  return { ...base, prevHash: prev.hash, hash: eventHash(prev.hash, base) };
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
  const h = await lockedHead(tx);
  const e = chained(h, input, new Date().toISOString());
  const moved = await tx.query(
    `WITH event AS (
       INSERT INTO audit_events (seq, at, actor, role, scope, action, object, result, request_id,
                                 details, source_address, user_agent, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14))
     UPDATE audit_chain_head SET seq = $1, hash = $14 WHERE id = 1`,
    [
      e.seq,
      e.at,
      e.actor,
      e.role,
      e.scope,
      e.action,
      e.object,
      e.result,
      e.requestId,
      JSON.stringify(e.details),
      e.sourceAddress,
      e.userAgent,
      e.prevHash,
      e.hash,
    ],
  );
  invariant(moved.rowCount === 1, 'audit_chain_head row missing: database not migrated');
  return e;
}

/**
 * The append as one statement: the head locked, each event's hash computed under the lock from
 * its text around the seq (eventHashParts), the events inserted and the head moved. Its own
 * parameters are numbered after `offset`; `first`, when given, is a statement run before the head
 * is locked (the head's row lock waits on it), its first row answered as json.
 */
function appendSql(first: string | null, offset: number): string {
  const p = (k: number) => `$${k + offset}`;
  const arrays = [
    'timestamptz',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'jsonb',
    'text',
    'text',
    'text',
    'text',
  ].map((type, i) => `${p(i + 1)}::${type}[]`);
  return `
WITH RECURSIVE${first === null ? '' : ` first AS (${first}),`}
head AS (
  SELECT h.seq, h.hash FROM audit_chain_head h${first === null ? '' : ', first'} WHERE h.id = 1
  FOR UPDATE OF h),
ev AS (
  SELECT * FROM unnest(${arrays.join(', ')}) WITH ORDINALITY
    AS e(at, actor, role, scope, action, object, result, request_id, details, source_address,
         user_agent, before, after, i)),
chain AS (
  SELECT 0::bigint AS i, seq, NULL::text AS prev, hash FROM head
  UNION ALL
  SELECT c.i + 1, c.seq + 1, c.hash,
         encode(sha256(convert_to(c.hash || E'\\n' || e.before || (c.seq + 1)::text || e.after, 'UTF8')), 'hex')
    FROM chain c JOIN ev e ON e.i = c.i + 1),
ins AS (
  INSERT INTO audit_events (seq, at, actor, role, scope, action, object, result, request_id,
                            details, source_address, user_agent, prev_hash, hash)
  SELECT c.seq, e.at, e.actor, e.role, e.scope, e.action, e.object, e.result, e.request_id,
         e.details, e.source_address, e.user_agent, c.prev, c.hash
    FROM chain c JOIN ev e ON e.i = c.i
  RETURNING seq),
moved AS (
  UPDATE audit_chain_head h SET seq = l.seq, hash = l.hash
    FROM (SELECT seq, hash FROM chain ORDER BY i DESC LIMIT 1) l WHERE h.id = 1
  RETURNING h.seq)
SELECT ${first === null ? '' : '(SELECT row_to_json(f) FROM first f) AS first, '}(SELECT count(*) FROM ins)::int AS inserted,
       (SELECT count(*) FROM moved)::int AS moved`;
}

function appendParams(inputs: readonly AuditEventInput[], at: string): unknown[] {
  const events = inputs.map((input) => {
    const e = fieldsOf(input, at);
    return { ...e, parts: eventHashParts(e) };
  });
  const col = <T>(f: (e: (typeof events)[number]) => T): T[] => events.map(f);
  return [
    col((e) => e.at),
    col((e) => e.actor),
    col((e) => e.role),
    col((e) => e.scope),
    col((e) => e.action),
    col((e) => e.object),
    col((e) => e.result),
    col((e) => e.requestId),
    col((e) => JSON.stringify(e.details)),
    col((e) => e.sourceAddress),
    col((e) => e.userAgent),
    col((e) => e.parts.before),
    col((e) => e.parts.after),
  ];
}

/**
 * Appends several events, in order, in one statement (one round trip) that locks the chain head,
 * inserts them and moves the head: what a transaction calls last, so that the head (which every
 * writer queues on) is held for that statement and the COMMIT only (issue 13: a settlement's
 * event appended early held the head across its ledger writes). `first` (SQL and parameters
 * numbered from $1) runs in the same statement before the head is locked, and its first row is
 * answered: the ledger applies its balance deltas there, so that the balance rows are not held
 * for a round trip more.
 */
export async function appendAudits(
  tx: Executor,
  inputs: readonly AuditEventInput[],
  first?: { sql: string; params: readonly unknown[] },
): Promise<Row | null> {
  invariant(inputs.length > 0, 'appendAudits: no event to append');
  const sql = appendSql(first?.sql ?? null, first?.params.length ?? 0);
  const r = await tx.query(sql, [
    ...(first?.params ?? []),
    ...appendParams(inputs, new Date().toISOString()),
  ]);
  const row = r.rows[0];
  invariant(
    row !== undefined && intOf(row, 'inserted') === inputs.length && intOf(row, 'moved') === 1,
    'audit_chain_head row missing: database not migrated',
  );
  if (first === undefined) return null;
  const f = jsonOf(row, 'first');
  invariant(
    f !== null && typeof f === 'object' && !Array.isArray(f),
    'the first statement answers a row',
  );
  // Safe: just checked to be a non-array object; the caller reads its columns with typed readers.
  return f as Row;
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
