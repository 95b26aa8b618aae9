import type { Database, Executor } from '../../../db/client.ts';
import { dateOf, intOf, oneOf, type Row, rowsOf, textOf, textOrNullOf } from '../../../db/rows.ts';
import type { AuditEventInput } from '../../../domain/audit/chain.ts';
import {
  type CanonicalRequest,
  type LedgerRefusalCode,
  requestDifferences,
  requestHash,
  type TransactionRequest,
  totalFen,
  validateTransactionRequest,
} from '../../../domain/fund/ledger/ledger.ts';
import { periodOf, periodStart } from '../../../domain/fund/ledger/periods.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { invariant } from '../../../kernel/assert.ts';
import { ok, type Refusal, type Result, refuse } from '../../../kernel/result.ts';
import { appendAudit, appendAudits } from '../../audit/audit-log.ts';
import { hashIds, RefusalSignal, refusalFromDatabaseError } from '../refusals.ts';

/**
 * THE write path of the ledger. Every journal write goes through `postTransactions` (the batch form;
 * `postTransaction` is the one-element call) and every two-phase resolution through
 * `resolvePending`. Per call: one database transaction, multi-row INSERTs from unnest() arrays, one
 * balance update per touched account (rows locked in account-id order), one audit event. The
 * database re-checks balance (deferred trigger), periods and immutability (docs/ledger.md).
 *
 * Hand-written SQL, not Drizzle: this is the measured hot path (`bench/ledger.bench.ts`, run by
 * `npx tsx bench/run.ts ledger`: ratio to a raw INSERT ≥ 0.5 on both backends). unnest() arrays,
 * ON CONFLICT with RETURNING and the balance function keep a batch to a few round trips; each
 * result row goes through a typed mapper built from src/db/rows.ts.
 */
export type { TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';

export type PostedTransaction = {
  id: string;
  seq: number;
  /** created = written now; exists = the same request was already recorded (nothing written). */
  status: 'created' | 'exists';
  kind: 'posted' | 'pending';
  recordedAt: string;
};

type AccountRef = { id: number; segmentId: number };

type Prepared = {
  req: TransactionRequest;
  canonical: CanonicalRequest;
  hash: string;
};

/**
 * Accounts and segments are never updated or deleted (triggers), so a per-database cache of the
 * ones already seen is always right; a miss reloads from the database.
 */
const accountCaches = new WeakMap<Database, Map<string, AccountRef>>();
const segmentCaches = new WeakMap<Database, Map<string, number>>();

function cacheOf<V>(caches: WeakMap<Database, Map<string, V>>, db: Database): Map<string, V> {
  let c = caches.get(db);
  if (!c) {
    c = new Map();
    caches.set(db, c);
  }
  return c;
}

export async function segmentIds(
  db: Database,
  ex: Executor,
  codes: Iterable<string>,
): Promise<Map<string, number>> {
  const cache = cacheOf(segmentCaches, db);
  const missing = [...new Set(codes)].filter((c) => !cache.has(c));
  if (missing.length > 0) {
    const r = await ex.query('SELECT id, code FROM ledger_segments WHERE code = ANY($1::text[])', [
      missing,
    ]);
    for (const row of r.rows) cache.set(textOf(row, 'code'), intOf(row, 'id'));
  }
  return cache;
}

async function resolveAccounts(
  db: Database,
  ex: Executor,
  prepared: readonly Prepared[],
): Promise<Map<string, AccountRef>> {
  const cache = cacheOf(accountCaches, db);
  const missing = new Map<string, { segment: string; account: string }>();
  for (const p of prepared)
    for (const l of p.canonical.postings) {
      const key = `${l.segment}|${l.account}`;
      if (!cache.has(key)) missing.set(key, { segment: l.segment, account: l.account });
    }
  if (missing.size > 0) {
    const list = [...missing.values()];
    const r = await ex.query(
      `SELECT a.id, a.segment_id, s.code AS segment, a.code
         FROM unnest($1::text[], $2::text[]) AS k(segment, code)
         JOIN ledger_segments s ON s.code = k.segment
         JOIN ledger_accounts a ON a.segment_id = s.id AND a.code = k.code`,
      [list.map((m) => m.segment), list.map((m) => m.account)],
    );
    for (const row of r.rows)
      cache.set(`${textOf(row, 'segment')}|${textOf(row, 'code')}`, {
        id: intOf(row, 'id'),
        segmentId: intOf(row, 'segment_id'),
      });
    for (const [key, m] of missing)
      if (!cache.has(key)) {
        const seg = await segmentIds(db, ex, [m.segment]);
        if (!seg.has(m.segment))
          throw new RefusalSignal(
            refuse('ledger.unknown_segment', `segment ${m.segment} is not provisioned`, {
              segment: m.segment,
            }),
          );
        throw new RefusalSignal(
          refuse(
            'ledger.unknown_account',
            `account ${m.account} does not exist in segment ${m.segment}`,
            {
              segment: m.segment,
              account: m.account,
            },
          ),
        );
      }
  }
  return cache;
}

type Delta = { dp: bigint; cp: bigint; dq: bigint; cq: bigint };

/**
 * Adds deltas to balance rows in one round trip: `ledger_apply_balance_deltas` (migration 0005) locks
 * the rows in account-id order first (no deadlocks), then runs one UPDATE.
 */
export async function applyBalanceDeltas(ex: Executor, deltas: Map<number, Delta>): Promise<void> {
  if (deltas.size === 0) return;
  const call = balanceDeltasCall(deltas);
  const r = await ex.query(call.sql, call.params);
  checkDeltasApplied(r.rows[0], deltas);
}

/** The call of ledger_apply_balance_deltas for `deltas` (non-empty): one row, its `n`. */
function balanceDeltasCall(deltas: Map<number, Delta>): { sql: string; params: unknown[] } {
  const ids = [...deltas.keys()].sort((a, b) => a - b);
  const col = (f: keyof Delta) => ids.map((id) => deltas.get(id)![f].toString());
  return {
    sql: 'SELECT ledger_apply_balance_deltas($1::int4[], $2::int8[], $3::int8[], $4::int8[], $5::int8[]) AS n',
    params: [ids, col('dp'), col('cp'), col('dq'), col('cq')],
  };
}

function checkDeltasApplied(row: Row | null | undefined, deltas: Map<number, Delta>): void {
  invariant(
    row && intOf(row, 'n') === deltas.size,
    'ledger_balances row missing for a provisioned account',
  );
}

function addDelta(deltas: Map<number, Delta>, id: number, f: keyof Delta, amount: bigint): void {
  let d = deltas.get(id);
  if (!d) {
    d = { dp: 0n, cp: 0n, dq: 0n, cq: 0n };
    deltas.set(id, d);
  }
  d[f] += amount;
}

type StoredRow = {
  seq: number;
  id: string;
  requestHash: string;
  kind: 'posted' | 'pending';
  recordedAt: Date;
};

function storedRowOf(row: Row): StoredRow {
  return {
    seq: intOf(row, 'seq'),
    id: textOf(row, 'id'),
    requestHash: textOf(row, 'request_hash'),
    kind: oneOf(row, 'kind', TRANSACTION_KINDS),
    recordedAt: dateOf(row, 'recorded_at'),
  };
}

const TRANSACTION_KINDS = ['posted', 'pending'] as const;

function iso(v: Date): string {
  return v.toISOString();
}

/** iso() for many rows sharing a few values (recorded_at is the database transaction's start). */
function isoMemo(): (v: Date) => string {
  let lastKey: number | undefined;
  let last = '';
  return (v) => {
    const key = v.getTime();
    if (key !== lastKey) {
      lastKey = key;
      last = iso(v);
    }
    return last;
  };
}

/** Rebuilds the canonical request of a stored transaction (to name what differs on a conflict). */
async function storedCanonical(ex: Executor, seq: number): Promise<CanonicalRequest> {
  const t = await ex.query(
    `SELECT effective_date::text AS effective_date, source_type, source_id, snapshot_id, memo, corrects, kind
       FROM ledger_transactions WHERE seq = $1`,
    [seq],
  );
  const p = await ex.query(
    `SELECT s.code AS segment, a.code AS account, p.side, p.amount
       FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE p.tx_seq = $1 ORDER BY p.seq`,
    [seq],
  );
  const row = t.rows[0]!;
  return {
    effectiveDate: textOf(row, 'effective_date'),
    sourceType: textOf(row, 'source_type'),
    sourceId: textOf(row, 'source_id'),
    parameterSnapshotId: textOrNullOf(row, 'snapshot_id'),
    memo: textOrNullOf(row, 'memo'),
    corrects: textOrNullOf(row, 'corrects'),
    pending: textOf(row, 'kind') === 'pending',
    postings: p.rows.map((r) => ({
      segment: textOf(r, 'segment'),
      account: textOf(r, 'account'),
      side: textOf(r, 'side') === 'D' ? 'debit' : 'credit',
      amountFen: intOf(r, 'amount'),
    })),
  };
}

export type PostOptions<G extends string = never> = {
  /** Audit action name (default 'ledger.post'); batch jobs may name theirs. */
  auditAction?: string;
  /**
   * Runs inside the write transaction before anything is written, on every attempt (a retried
   * batch runs it again in its new transaction). A refusal rolls the transaction back and is what
   * `postTransactions` returns: a caller's check (e.g. a cap, under an advisory lock) stays true
   * for the write it guards.
   */
  guard?: (tx: Executor) => Promise<Refusal<G> | null>;
  /**
   * The caller's own events (what its guard wrote), appended before the ledger's event in one
   * append at the end of the transaction: the audit chain head, which every writer queues on, is
   * then held for the last statement and the COMMIT only, not across the ledger's writes.
   */
  audit?: readonly AuditEventInput[];
};

/**
 * Posts a batch of transactions atomically: all are recorded (or recognised as already recorded)
 * or none is. Refusals: invalid_request, unbalanced, inter_segment_mismatch, unknown_segment,
 * unknown_account, idempotency_conflict (naming the differing fields), corrected_not_found,
 * period_not_open, period_closed.
 */
export async function postTransactions<G extends string = never>(
  db: Database,
  actor: Actor,
  requests: readonly TransactionRequest[],
  options: PostOptions<G> = {},
): Promise<Result<PostedTransaction[], LedgerRefusalCode | G>> {
  const ready = prepareRequests(requests);
  if (!ready.ok) return ready;
  const prepared = ready.value;
  if (prepared.length === 0) return ok([]);
  // First attempt: every id new (plain INSERT, the periods checked by the posting trigger). A
  // duplicate id (a replay, or a concurrent submission of the same id) rolls it back and the batch
  // is written again with ON CONFLICT DO NOTHING and the idempotency answers; a period error rolls
  // it back and the batch is written again with the period query before the postings, which names
  // the segment and period in a typed refusal after the idempotency answers. Same results as the
  // step-by-step path, fewer statements and no speculative insertion on the common path.
  let mode: WriteMode = { allNew: true, checkPeriodsFirst: false };
  try {
    for (;;) {
      try {
        const m = mode;
        return await db.transaction(async (tx) => {
          if (options.guard) {
            const refusal = await options.guard(tx);
            if (refusal) throw new RefusalSignal(refusal);
          }
          return ok(await writeBatch(db, tx, actor, prepared, options, m));
        });
      } catch (err) {
        if (mode.allNew && isDuplicateId(err)) mode = { allNew: false, checkPeriodsFirst: false };
        else if (!mode.checkPeriodsFirst && isPeriodError(err))
          mode = { allNew: false, checkPeriodsFirst: true };
        else throw err;
      }
    }
  } catch (err) {
    if (err instanceof RefusalSignal) return err.refusal as Refusal<LedgerRefusalCode | G>;
    const mapped = refusalFromDatabaseError(err);
    if (mapped) return mapped;
    throw err;
  }
}

/** Validated, canonical and hashed; a repeated id with the same request once. */
function prepareRequests(
  requests: readonly TransactionRequest[],
): Result<Prepared[], LedgerRefusalCode> {
  const prepared: Prepared[] = [];
  const byId = new Map<string, Prepared>();
  for (const req of requests) {
    const v = validateTransactionRequest(req);
    if (!v.ok) return v;
    const hash = requestHash(v.value);
    const seen = byId.get(req.id);
    if (seen) {
      if (seen.hash === hash) continue;
      return refuse(
        'ledger.idempotency_conflict',
        `transaction ${req.id} appears twice in the batch with different requests`,
        { id: req.id, fields: requestDifferences(seen.canonical, v.value) },
      );
    }
    const p = { req, canonical: v.value, hash };
    byId.set(req.id, p);
    prepared.push(p);
  }
  return ok(prepared);
}

/**
 * Posts a batch inside the caller's transaction, for a caller that knows its transactions only
 * under its own locks (ADR 0019, the settle batch): the writes of postTransactions. `careful` is
 * postTransactions' second mode (ON CONFLICT with the idempotency answers, the periods queried
 * first with a typed refusal); without it a duplicate id or a closed period fails the statement
 * (the caller runs again careful, as postTransactions does). A refusal is thrown as a
 * RefusalSignal: the caller's transaction must roll back.
 */
export async function postTransactionsWithin(
  db: Database,
  tx: Executor,
  actor: Actor,
  requests: readonly TransactionRequest[],
  options: Omit<PostOptions<never>, 'guard'>,
  careful: boolean,
): Promise<PostedTransaction[]> {
  const ready = prepareRequests(requests);
  if (!ready.ok) throw new RefusalSignal(ready);
  const mode = { allNew: !careful, checkPeriodsFirst: careful };
  return writeBatch(db, tx, actor, ready.value, options, mode);
}

/** A first-attempt failure postTransactions answers by writing again in its careful mode. */
export function needsCarefulWrite(err: unknown): boolean {
  return isDuplicateId(err) || isPeriodError(err);
}

type WriteMode = {
  /** Plain INSERT of the transactions (a duplicate id fails the statement) instead of ON CONFLICT. */
  allNew: boolean;
  /** Query the periods (typed refusal) before inserting postings, instead of only the trigger. */
  checkPeriodsFirst: boolean;
};

function isDuplicateId(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  return (
    e.code === '23505' &&
    (e.constraint === 'ledger_transactions_id_key' ||
      (typeof e.message === 'string' && e.message.includes('ledger_transactions_id_key')))
  );
}

function isPeriodError(err: unknown): boolean {
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && /^ledger\.period_(closed|not_open): /.test(message);
}

/** One transaction through the batch write path. */
export async function postTransaction<G extends string = never>(
  db: Database,
  actor: Actor,
  request: TransactionRequest,
  options: PostOptions<G> = {},
): Promise<Result<PostedTransaction, LedgerRefusalCode | G>> {
  const r = await postTransactions(db, actor, [request], options);
  if (!r.ok) return r;
  return ok(r.value[0]!);
}

/**
 * Writes one batch inside the caller's database transaction: transactions (ON CONFLICT DO NOTHING
 * unless `mode.allNew`), the idempotency answers for those already recorded, the postings of the new
 * ones (their periods checked by the posting trigger, and first by a query with a typed refusal when
 * `mode.checkPeriodsFirst`), the balance check, the balance deltas, one audit event.
 */
async function writeBatch(
  db: Database,
  tx: Executor,
  actor: Actor,
  prepared: readonly Prepared[],
  options: PostOptions<string>,
  mode: WriteMode,
): Promise<PostedTransaction[]> {
  const accounts = await resolveAccounts(db, tx, prepared);
  await checkCorrected(tx, prepared);
  const created = await insertTransactions(tx, actor, prepared, mode);
  const results = new Map<string, PostedTransaction>();
  if (created.size < prepared.length) await answerExisting(tx, prepared, created, results);
  if (created.size > 0) {
    const fresh = prepared.filter((p) => created.has(p.req.id));
    if (mode.checkPeriodsFirst) await checkPeriods(tx, fresh, accounts);
    const { postings, deltas } = await writePostings(tx, prepared, accounts, created);
    const recordedAt = isoMemo();
    for (const p of fresh) {
      const row = created.get(p.req.id)!;
      results.set(p.req.id, {
        id: p.req.id,
        seq: row.seq,
        status: 'created',
        kind: p.canonical.pending ? 'pending' : 'posted',
        recordedAt: recordedAt(row.recordedAt),
      });
    }
    await auditBatch(tx, actor, options, fresh, prepared.length - fresh.length, {
      postings,
      deltas,
    });
  } else if (options.audit !== undefined && options.audit.length > 0)
    await appendAudits(tx, options.audit);
  return prepared.map((p) => results.get(p.req.id)!);
}

/** Corrected transactions outside the batch must exist. */
async function checkCorrected(tx: Executor, prepared: readonly Prepared[]): Promise<void> {
  const inBatch = new Set(prepared.map((p) => p.req.id));
  const corrected = [
    ...new Set(
      prepared.flatMap((p) =>
        p.canonical.corrects !== null && !inBatch.has(p.canonical.corrects)
          ? [p.canonical.corrects]
          : [],
      ),
    ),
  ];
  if (corrected.length === 0) return;
  const r = await tx.query('SELECT id FROM ledger_transactions WHERE id = ANY($1::text[])', [
    corrected,
  ]);
  const found = new Set(r.rows.map((x) => textOf(x, 'id')));
  const missing = corrected.find((c) => !found.has(c));
  if (missing !== undefined)
    throw new RefusalSignal(
      refuse(
        'ledger.corrected_not_found',
        `transaction ${missing} (to be corrected) does not exist`,
        {
          corrects: missing,
        },
      ),
    );
}

type CreatedRow = { seq: number; id: string; recordedAt: Date };

/** The transactions' rows, one INSERT from unnest() arrays; answers the ones inserted now. */
async function insertTransactions(
  tx: Executor,
  actor: Actor,
  prepared: readonly Prepared[],
  mode: WriteMode,
): Promise<Map<string, CreatedRow>> {
  const col = <T>(f: (p: Prepared) => T): T[] => prepared.map(f);
  const txColumns = [
    col((p) => p.req.id),
    col((p) => p.hash),
    col((p) => (p.canonical.pending ? 'pending' : 'posted')),
    col((p) => p.canonical.effectiveDate),
    col((p) => p.canonical.sourceType),
    col((p) => p.canonical.sourceId),
    col((p) => p.canonical.parameterSnapshotId),
    col((p) => p.canonical.memo),
    col((p) => p.canonical.corrects),
    col((p) => p.canonical.postings.length),
    col((p) => totalFen(p.canonical)),
    actor.username,
  ];
  const inserted = await tx.query(
    `INSERT INTO ledger_transactions
       (id, request_hash, kind, effective_date, source_type, source_id, snapshot_id, memo, corrects, leg_count, total_fen, actor)
     SELECT k.*, $12::text FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[],
                                     $7::text[], $8::text[], $9::text[], $10::int4[], $11::int8[]) AS k
     ${mode.allNew ? '' : 'ON CONFLICT (id) DO NOTHING'}
     RETURNING seq, id, recorded_at`,
    txColumns,
  );
  return new Map(
    inserted.rows.map((r) => {
      const row = {
        seq: intOf(r, 'seq'),
        id: textOf(r, 'id'),
        recordedAt: dateOf(r, 'recorded_at'),
      };
      return [row.id, row];
    }),
  );
}

/** Already recorded: same hash → the original result; different → conflict, nothing written. */
async function answerExisting(
  tx: Executor,
  prepared: readonly Prepared[],
  created: Map<string, CreatedRow>,
  results: Map<string, PostedTransaction>,
): Promise<void> {
  const others = prepared.filter((p) => !created.has(p.req.id));
  const r = await tx.query(
    'SELECT seq, id, request_hash, kind, recorded_at FROM ledger_transactions WHERE id = ANY($1::text[])',
    [others.map((p) => p.req.id)],
  );
  const stored = new Map(r.rows.map((row) => [textOf(row, 'id'), storedRowOf(row)]));
  for (const p of others) {
    const s = stored.get(p.req.id);
    invariant(s, `transaction ${p.req.id} neither inserted nor found`);
    if (s.requestHash !== p.hash) {
      const fields = requestDifferences(await storedCanonical(tx, s.seq), p.canonical);
      throw new RefusalSignal(
        refuse(
          'ledger.idempotency_conflict',
          `transaction ${p.req.id} was already recorded with a different request (${fields.join(', ')})`,
          { id: p.req.id, fields },
        ),
      );
    }
    results.set(p.req.id, {
      id: s.id,
      seq: s.seq,
      status: 'exists',
      kind: s.kind,
      recordedAt: iso(s.recordedAt),
    });
  }
}

/** Posting columns of every request (legTx = index of the request in the batch). */
type Legs = {
  legTx: number[];
  accountId: number[];
  legSeq: number[];
  segmentId: number[];
  side: ('D' | 'C')[];
  amount: number[];
};

function legsOf(prepared: readonly Prepared[], accounts: Map<string, AccountRef>): Legs {
  const legs: Legs = { legTx: [], accountId: [], legSeq: [], segmentId: [], side: [], amount: [] };
  prepared.forEach((p, t) => {
    p.canonical.postings.forEach((l, i) => {
      const a = accounts.get(`${l.segment}|${l.account}`)!;
      legs.legTx.push(t);
      legs.legSeq.push(i);
      legs.accountId.push(a.id);
      legs.segmentId.push(a.segmentId);
      legs.side.push(l.side === 'debit' ? 'D' : 'C');
      legs.amount.push(l.amountFen);
    });
  });
  return legs;
}

/**
 * Postings of the transactions created now (the posting trigger checks their periods, again) and
 * the balance check; answers the number of postings written and the balance deltas, which the
 * batch's audit append applies (auditBatch).
 */
async function writePostings(
  tx: Executor,
  prepared: readonly Prepared[],
  accounts: Map<string, AccountRef>,
  created: Map<string, CreatedRow>,
): Promise<{ postings: number; deltas: Map<number, Delta> }> {
  const { legTx, legSeq, accountId, segmentId, side, amount } = legsOf(prepared, accounts);
  const legTxSeq = legTx.map((t) => created.get(prepared[t]!.req.id)?.seq);
  const all = created.size === prepared.length;
  const pick = <T>(xs: T[]): T[] => (all ? xs : xs.filter((_, i) => legTxSeq[i] !== undefined));
  await tx.query(
    `INSERT INTO ledger_postings (tx_seq, seq, account_id, segment_id, side, amount)
     SELECT * FROM unnest($1::int8[], $2::int2[], $3::int4[], $4::int2[], $5::text[], $6::int8[])`,
    [pick(legTxSeq), pick(legSeq), pick(accountId), pick(segmentId), pick(side), pick(amount)],
  );
  // The deferred balance check runs here rather than at COMMIT: concurrent writers serialise on
  // the balance rows and the audit head locked below, so it stays out of that section.
  await tx.query('SELECT ledger_check_balances_now()');
  // Balance deltas aggregated per account, one call.
  const deltas = new Map<number, Delta>();
  let postings = 0;
  for (let i = 0; i < legTx.length; i++) {
    if (legTxSeq[i] === undefined) continue;
    const pending = prepared[legTx[i]!]!.canonical.pending;
    const debit = side[i] === 'D';
    const f: keyof Delta = debit ? (pending ? 'dq' : 'dp') : pending ? 'cq' : 'cp';
    addDelta(deltas, accountId[i]!, f, BigInt(amount[i]!));
    postings += 1;
  }
  return { postings, deltas };
}

async function auditBatch(
  tx: Executor,
  actor: Actor,
  options: PostOptions<string>,
  fresh: readonly Prepared[],
  existing: number,
  written: { postings: number; deltas: Map<number, Delta> },
): Promise<void> {
  const { postings, deltas } = written;
  const ids = fresh.map((p) => p.req.id);
  // The balance deltas go in the append's statement, before it locks the audit head: the balance
  // rows (every writer of an account queues on them) are held for that statement and the COMMIT.
  const call = deltas.size > 0 ? balanceDeltasCall(deltas) : undefined;
  const applied = await appendAudits(
    tx,
    [
      ...(options.audit ?? []),
      {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: options.auditAction ?? 'ledger.post',
        object: ids.length === 1 ? `ledger/tx/${ids[0]}` : `ledger/batch/${ids[0]}`,
        result: 'ok',
        requestId: actor.requestId,
        details: {
          created: ids.length,
          existing,
          firstId: ids[0],
          lastId: ids[ids.length - 1],
          idsSha256: hashIds(ids),
          postings,
        },
      },
    ],
    call,
  );
  if (call) checkDeltasApplied(applied, deltas);
}

/** Periods: each (segment, month) touched by the fresh transactions must be open (typed refusal). */
async function checkPeriods(
  tx: Executor,
  fresh: readonly Prepared[],
  accounts: Map<string, AccountRef>,
): Promise<void> {
  const pairs = new Map<string, { segmentId: number; segment: string; month: string }>();
  for (const p of fresh)
    for (const l of p.canonical.postings) {
      const segmentId = accounts.get(`${l.segment}|${l.account}`)!.segmentId;
      const month = periodStart(periodOf(p.canonical.effectiveDate));
      pairs.set(`${segmentId}|${month}`, { segmentId, segment: l.segment, month });
    }
  const list = [...pairs.values()];
  const pr = await tx.query(
    `SELECT pr.segment_id, pr.month::text AS month, pr.status
       FROM unnest($1::int2[], $2::date[]) AS k(segment_id, month)
       JOIN ledger_periods pr ON pr.segment_id = k.segment_id AND pr.month = k.month`,
    [list.map((x) => x.segmentId), list.map((x) => x.month)],
  );
  const status = new Map(
    pr.rows.map((r) => [`${intOf(r, 'segment_id')}|${textOf(r, 'month')}`, textOf(r, 'status')]),
  );
  for (const x of list) {
    const s = status.get(`${x.segmentId}|${x.month}`);
    if (s !== 'open') {
      const period = x.month.slice(0, 7);
      throw new RefusalSignal(
        s === 'closed'
          ? refuse('ledger.period_closed', `period ${period} of segment ${x.segment} is closed`, {
              segment: x.segment,
              period,
            })
          : refuse(
              'ledger.period_not_open',
              `period ${period} of segment ${x.segment} is not open`,
              {
                segment: x.segment,
                period,
              },
            ),
      );
    }
  }
}

export type Resolution = {
  id: string;
  action: 'post' | 'void';
  resolvedAt: string;
};

/**
 * Two-phase: posts or voids a pending transaction, exactly once. Refusals: pending_not_found,
 * not_pending, pending_already_resolved (details name the earlier resolution), period_closed.
 */
export async function resolvePending(
  db: Database,
  actor: Actor,
  input: { id: string; action: 'post' | 'void'; memo?: string | null },
): Promise<Result<Resolution, LedgerRefusalCode>> {
  try {
    return await db.transaction(async (tx) => {
      const found = await pendingTransaction(tx, input.id);
      if (!found.ok) return found;
      const row = found.value;
      const legs = await pendingLegs(tx, row);
      const ins = await tx.query(
        `INSERT INTO ledger_resolutions (tx_seq, action, actor, memo) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tx_seq) DO NOTHING RETURNING resolved_at`,
        [row.seq, input.action, actor.username, input.memo ?? null],
      );
      const done = ins.rows[0];
      if (!done) return priorResolution(tx, input.id, row.seq);
      const closed = legs.find((l) => l.status !== 'open');
      if (closed)
        throw new RefusalSignal(
          refuse(
            'ledger.period_closed',
            `period ${row.month.slice(0, 7)} of segment ${closed.segment} is not open`,
            { segment: closed.segment, period: row.month.slice(0, 7) },
          ),
        );
      const deltas = new Map<number, Delta>();
      for (const l of legs) {
        const amount = BigInt(l.amount);
        const debit = l.side === 'D';
        addDelta(deltas, l.accountId, debit ? 'dq' : 'cq', -amount);
        if (input.action === 'post') addDelta(deltas, l.accountId, debit ? 'dp' : 'cp', amount);
      }
      await applyBalanceDeltas(tx, deltas);
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: input.action === 'post' ? 'ledger.post_pending' : 'ledger.void_pending',
        object: `ledger/tx/${input.id}`,
        result: 'ok',
        requestId: actor.requestId,
      });
      return ok({
        id: input.id,
        action: input.action,
        resolvedAt: iso(dateOf(done, 'resolved_at')),
      });
    });
  } catch (err) {
    if (err instanceof RefusalSignal) return err.refusal as Refusal<LedgerRefusalCode>;
    const mapped = refusalFromDatabaseError(err);
    if (mapped) return mapped;
    throw err;
  }
}

type PendingRow = { seq: number; month: string };

async function pendingTransaction(
  tx: Executor,
  id: string,
): Promise<Result<PendingRow, LedgerRefusalCode>> {
  const t = await tx.query(
    `SELECT seq, kind, date_trunc('month', effective_date)::date::text AS month
       FROM ledger_transactions WHERE id = $1`,
    [id],
  );
  const row = t.rows[0];
  if (!row) return refuse('ledger.pending_not_found', `transaction ${id} not found`, { id });
  if (textOf(row, 'kind') !== 'pending')
    return refuse('ledger.not_pending', `transaction ${id} was posted directly, not pending`, {
      id,
    });
  return ok({ seq: intOf(row, 'seq'), month: textOf(row, 'month') });
}

type PendingLeg = {
  accountId: number;
  segment: string;
  side: string;
  amount: number;
  status: string | null;
};

async function pendingLegs(tx: Executor, row: PendingRow): Promise<PendingLeg[]> {
  const legs = await tx.query(
    `SELECT p.account_id, s.code AS segment, p.side, p.amount, pr.status
       FROM ledger_postings p JOIN ledger_segments s ON s.id = p.segment_id
       LEFT JOIN ledger_periods pr ON pr.segment_id = p.segment_id AND pr.month = $2::date
      WHERE p.tx_seq = $1`,
    [row.seq, row.month],
  );
  return rowsOf(legs, (l) => ({
    accountId: intOf(l, 'account_id'),
    segment: textOf(l, 'segment'),
    side: textOf(l, 'side'),
    amount: intOf(l, 'amount'),
    status: textOrNullOf(l, 'status'),
  }));
}

async function priorResolution(
  tx: Executor,
  id: string,
  seq: number,
): Promise<Result<Resolution, LedgerRefusalCode>> {
  const prior = await tx.query(
    'SELECT action, resolved_at, actor FROM ledger_resolutions WHERE tx_seq = $1',
    [seq],
  );
  const p = prior.rows[0]!;
  const action = textOf(p, 'action');
  return refuse(
    'ledger.pending_already_resolved',
    `pending transaction ${id} was already resolved (${action})`,
    { id, action, resolvedAt: iso(dateOf(p, 'resolved_at')), actor: textOf(p, 'actor') },
  );
}
