import { eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { int8Value } from '../../../db/int8.ts';
import {
  dateOf,
  dateOrNullOf,
  intOf,
  oneOf,
  oneOrNullOf,
  type Row,
  rowsOf,
  textOf,
  textOrNullOf,
} from '../../../db/rows.ts';
import {
  ledgerAccounts,
  ledgerBalances,
  ledgerPostings,
  ledgerSegments,
  ledgerTransactions,
} from '../../../db/schema.ts';
import type { AccountType, NormalSide } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode, PostingSide } from '../../../domain/fund/ledger/ledger.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import { isIsoDate } from '../../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';

/** Reads of the ledger: trial balance at a date, current balances, the journal, the consistency check. */

export type TrialBalanceRow = {
  segment: string;
  account: string;
  chartCode: string;
  name: string;
  nameEn: string;
  type: AccountType;
  normalSide: NormalSide;
  debitFen: number;
  creditFen: number;
  /** Balance on the account's normal side (debit − credit for D accounts, credit − debit for C). */
  balanceFen: number;
};

export type TrialBalance = {
  segment: string | 'all';
  asOf: IsoDate;
  rows: TrialBalanceRow[];
  totals: { debitFen: number; creditFen: number; balanced: boolean };
};

const ACCOUNT_TYPES = ['asset', 'liability', 'reserve', 'income', 'expense'] as const;
const NORMAL_SIDES = ['D', 'C'] as const;

function trialBalanceRowOf(x: Row): TrialBalanceRow {
  const debit = intOf(x, 'debit');
  const credit = intOf(x, 'credit');
  const normalSide = oneOf(x, 'normal_side', NORMAL_SIDES);
  return {
    segment: textOf(x, 'segment'),
    account: textOf(x, 'account'),
    chartCode: textOf(x, 'chart_code'),
    name: textOf(x, 'name'),
    nameEn: textOf(x, 'name_en'),
    type: oneOf(x, 'type', ACCOUNT_TYPES),
    normalSide,
    debitFen: debit,
    creditFen: credit,
    balanceFen: normalSide === 'D' ? debit - credit : credit - debit,
  };
}

/**
 * Trial balance of one segment (or every segment: 'all' = the province's whole fund) at a date:
 * posted transactions (and pending ones resolved as posted) with effective date ≤ asOf. Accounts
 * without postings are omitted.
 */
export async function trialBalance(
  db: Database,
  input: { segment: string | 'all'; asOf: IsoDate },
): Promise<Result<TrialBalance, LedgerRefusalCode>> {
  if (!isIsoDate(input.asOf)) return refuse('ledger.invalid_request', 'asOf must be YYYY-MM-DD');
  if (input.segment !== 'all') {
    const s = await db.withConnection((ex) =>
      ex.orm
        .select({ id: ledgerSegments.id })
        .from(ledgerSegments)
        .where(eq(ledgerSegments.code, input.segment)),
    );
    if (s.length === 0)
      return refuse('ledger.unknown_segment', `segment ${input.segment} is not provisioned`, {
        segment: input.segment,
      });
  }
  // Hand SQL: a set-based aggregate (sums FILTERed by side over a four-way join) that reads more
  // plainly as SQL than as a Drizzle builder; each row goes through trialBalanceRowOf.
  const r = await db.query(
    `SELECT s.code AS segment, a.code AS account, a.chart_code, a.name, a.name_en, a.type, a.normal_side,
            coalesce(sum(p.amount) FILTER (WHERE p.side = 'D'), 0)::int8 AS debit,
            coalesce(sum(p.amount) FILTER (WHERE p.side = 'C'), 0)::int8 AS credit
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.seq = p.tx_seq
       LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE t.effective_date <= $1::date AND (t.kind = 'posted' OR r.action = 'post')
        AND ($2::text = 'all' OR s.code = $2)
      GROUP BY s.code, a.code, a.chart_code, a.name, a.name_en, a.type, a.normal_side
      ORDER BY s.code, a.code`,
    [input.asOf, input.segment],
  );
  let debitFen = 0;
  let creditFen = 0;
  const rows = rowsOf(r, trialBalanceRowOf);
  for (const x of rows) {
    debitFen += x.debitFen;
    creditFen += x.creditFen;
  }
  return ok({
    segment: input.segment,
    asOf: input.asOf,
    rows,
    totals: { debitFen, creditFen, balanced: debitFen === creditFen },
  });
}

export type AccountBalance = {
  segment: string;
  account: string;
  name: string;
  nameEn: string;
  type: AccountType;
  normalSide: NormalSide;
  debitPostedFen: number;
  creditPostedFen: number;
  debitPendingFen: number;
  creditPendingFen: number;
  /** Posted balance on the normal side. */
  balanceFen: number;
  version: number;
};

/** Current balances (posted and pending kept apart) of every account of a segment, or of all. */
export async function accountBalances(
  db: Database,
  input: { segment: string | 'all' },
): Promise<AccountBalance[]> {
  const s = ledgerSegments;
  const a = ledgerAccounts;
  const b = ledgerBalances;
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({
        segment: s.code,
        account: a.code,
        name: a.name,
        nameEn: a.nameEn,
        type: a.type,
        normalSide: a.normalSide,
        debitPostedFen: b.debitPosted,
        creditPostedFen: b.creditPosted,
        debitPendingFen: b.debitPending,
        creditPendingFen: b.creditPending,
        version: b.version,
      })
      .from(b)
      .innerJoin(a, eq(a.id, b.accountId))
      .innerJoin(s, eq(s.id, b.segmentId))
      .where(input.segment === 'all' ? undefined : eq(s.code, input.segment))
      .orderBy(s.code, a.code),
  );
  return rows.map((x) => ({
    ...x,
    balanceFen:
      x.normalSide === 'D'
        ? x.debitPostedFen - x.creditPostedFen
        : x.creditPostedFen - x.debitPostedFen,
  }));
}

export type JournalEntry = {
  seq: number;
  id: string;
  kind: 'posted' | 'pending';
  /** For a pending transaction: its resolution, if any. */
  resolution: { action: 'post' | 'void'; resolvedAt: string; actor: string } | null;
  effectiveDate: IsoDate;
  source: { type: string; id: string };
  parameterSnapshotId: string | null;
  memo: string | null;
  corrects: string | null;
  actor: string;
  recordedAt: string;
  postings: { segment: string; account: string; side: PostingSide; amountFen: number }[];
};

export type JournalPage = { entries: JournalEntry[]; nextBeforeSeq: number | null };

function journalEntryOf(x: Row, postings: JournalEntry['postings']): JournalEntry {
  const rAction = oneOrNullOf(x, 'r_action', ['post', 'void']);
  const rAt = dateOrNullOf(x, 'r_at');
  const rActor = textOrNullOf(x, 'r_actor');
  return {
    seq: intOf(x, 'seq'),
    id: textOf(x, 'id'),
    kind: oneOf(x, 'kind', ['posted', 'pending']),
    resolution:
      rAction && rAt && rActor
        ? { action: rAction, resolvedAt: rAt.toISOString(), actor: rActor }
        : null,
    effectiveDate: textOf(x, 'effective_date'),
    source: { type: textOf(x, 'source_type'), id: textOf(x, 'source_id') },
    parameterSnapshotId: textOrNullOf(x, 'snapshot_id'),
    memo: textOrNullOf(x, 'memo'),
    corrects: textOrNullOf(x, 'corrects'),
    actor: textOf(x, 'actor'),
    recordedAt: dateOf(x, 'recorded_at').toISOString(),
    postings,
  };
}

/**
 * Journal entries with their postings, for the transactions (alias `t`) that `where` selects
 * (a WHERE clause with ORDER BY / LIMIT, over `params`): the one reader of the journal that the
 * journal page and the region's transaction view share. Hand SQL: callers pass the WHERE clause
 * (an EXISTS over postings, keyset paging), and both result sets go through typed mappers.
 */
export async function queryJournalEntries(
  ex: Executor,
  where: string,
  params: readonly unknown[],
): Promise<JournalEntry[]> {
  const t = await ex.query(
    `SELECT t.seq, t.id, t.kind, t.effective_date::text AS effective_date, t.source_type, t.source_id,
            t.snapshot_id, t.memo, t.corrects, t.actor, t.recorded_at,
            r.action AS r_action, r.resolved_at AS r_at, r.actor AS r_actor
       FROM ledger_transactions t LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
      ${where}`,
    params,
  );
  const seqs = t.rows.map((x) => intOf(x, 'seq'));
  const p = await ex.query(
    `SELECT p.tx_seq, s.code AS segment, a.code AS account, p.side, p.amount
       FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE p.tx_seq = ANY($1::int8[]) ORDER BY p.tx_seq, p.seq`,
    [seqs],
  );
  const legs = new Map<number, JournalEntry['postings']>();
  for (const l of p.rows) {
    const txSeq = intOf(l, 'tx_seq');
    const list = legs.get(txSeq) ?? [];
    list.push({
      segment: textOf(l, 'segment'),
      account: textOf(l, 'account'),
      side: textOf(l, 'side') === 'D' ? 'debit' : 'credit',
      amountFen: intOf(l, 'amount'),
    });
    legs.set(txSeq, list);
  }
  return t.rows.map((x) => journalEntryOf(x, legs.get(intOf(x, 'seq')) ?? []));
}

/** The journal, newest first, paged by seq; optionally only transactions touching a segment. */
export async function listTransactions(
  db: Database,
  input: { segment?: string | undefined; limit: number; beforeSeq?: number | undefined },
): Promise<JournalPage> {
  const limit = Math.max(1, Math.min(500, Math.trunc(input.limit)));
  return db.withConnection(async (ex) => {
    const entries = await queryJournalEntries(
      ex,
      `WHERE ($1::bigint IS NULL OR t.seq < $1)
          AND ($2::text IS NULL OR EXISTS (
                SELECT 1 FROM ledger_postings p JOIN ledger_segments s ON s.id = p.segment_id
                 WHERE p.tx_seq = t.seq AND s.code = $2))
        ORDER BY t.seq DESC LIMIT $3`,
      [input.beforeSeq ?? null, input.segment ?? null, limit],
    );
    return {
      entries,
      nextBeforeSeq: entries.length === limit ? entries[entries.length - 1]!.seq : null,
    };
  });
}

export type LedgerDifference =
  | {
      kind: 'balance_mismatch';
      segment: string;
      account: string;
      field: 'debit_posted' | 'credit_posted' | 'debit_pending' | 'credit_pending';
      storedFen: number;
      postingsFen: number;
    }
  | { kind: 'unbalanced_transaction'; id: string; segment: string | null; detail: string }
  | { kind: 'inter_segment_mismatch'; segments: [string, string]; netFen: number };

export type LedgerCheck = {
  ok: boolean;
  transactions: number;
  postings: number;
  accounts: number;
  differences: LedgerDifference[];
};

export function describeDifference(d: LedgerDifference): string {
  switch (d.kind) {
    case 'balance_mismatch':
      return `balance ${d.field} of ${d.segment}/${d.account} is ${d.storedFen} but its postings sum to ${d.postingsFen}`;
    case 'unbalanced_transaction':
      return `transaction ${d.id} is unbalanced${d.segment ? ` in segment ${d.segment}` : ''}: ${d.detail}`;
    case 'inter_segment_mismatch':
      return `due-from / due-to accounts between ${d.segments[0]} and ${d.segments[1]} do not mirror (net ${d.netFen} fen)`;
  }
}

/**
 * Proves the ledger consistent from scratch: every stored balance (posted and pending) equals the
 * sum of its postings; every transaction has its legs, Σ debits = Σ credits = total, per segment
 * too; the due-from / due-to accounts between each pair of segments net to zero. Lists at most
 * `limit` differences (default 100).
 */
export async function checkLedger(
  db: Database,
  options: { limit?: number } = {},
): Promise<LedgerCheck> {
  const limit = options.limit ?? 100;
  return db.withConnection(async (ex) => {
    const differences: LedgerDifference[] = [
      ...(await balanceMismatches(ex, limit)),
      ...(await unbalancedTransactions(ex, limit)),
      ...(await orphanPostings(ex, limit)),
      ...(await interSegmentMismatches(ex, limit)),
    ];
    const counts = await ex.orm
      .select({
        t: sql`(SELECT count(*) FROM ${ledgerTransactions})`.mapWith(int8Value),
        p: sql`(SELECT count(*) FROM ${ledgerPostings})`.mapWith(int8Value),
        a: sql`(SELECT count(*) FROM ${ledgerAccounts})`.mapWith(int8Value),
      })
      .from(sql`(SELECT 1) AS one`);
    const c = counts[0]!;
    return {
      ok: differences.length === 0,
      transactions: c.t,
      postings: c.p,
      accounts: c.a,
      differences: differences.slice(0, limit),
    };
  });
}

// The consistency checks below are hand SQL: set-based comparisons (CTEs, FILTERed sums, LATERAL
// VALUES) that recompute the ledger from scratch and that Drizzle cannot express cleanly; each
// result row goes through a typed mapper.

const BALANCE_FIELDS = [
  'debit_posted',
  'credit_posted',
  'debit_pending',
  'credit_pending',
] as const;

async function balanceMismatches(ex: Executor, limit: number): Promise<LedgerDifference[]> {
  const bal = await ex.query(
    `WITH sums AS (
         SELECT p.account_id,
                sum(p.amount) FILTER (WHERE p.side = 'D' AND (t.kind = 'posted' OR r.action = 'post')) AS dp,
                sum(p.amount) FILTER (WHERE p.side = 'C' AND (t.kind = 'posted' OR r.action = 'post')) AS cp,
                sum(p.amount) FILTER (WHERE p.side = 'D' AND t.kind = 'pending' AND r.tx_seq IS NULL) AS dq,
                sum(p.amount) FILTER (WHERE p.side = 'C' AND t.kind = 'pending' AND r.tx_seq IS NULL) AS cq
           FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.tx_seq
           LEFT JOIN ledger_resolutions r ON r.tx_seq = p.tx_seq
          GROUP BY p.account_id
       ), cmp AS (
         SELECT a.id, s.code AS segment, a.code AS account,
                coalesce(b.debit_posted, 0) AS s_dp, coalesce(x.dp, 0) AS x_dp,
                coalesce(b.credit_posted, 0) AS s_cp, coalesce(x.cp, 0) AS x_cp,
                coalesce(b.debit_pending, 0) AS s_dq, coalesce(x.dq, 0) AS x_dq,
                coalesce(b.credit_pending, 0) AS s_cq, coalesce(x.cq, 0) AS x_cq
           FROM ledger_accounts a JOIN ledger_segments s ON s.id = a.segment_id
           LEFT JOIN ledger_balances b ON b.account_id = a.id
           LEFT JOIN sums x ON x.account_id = a.id
       )
       SELECT segment, account, f.field, f.stored::int8 AS stored, f.summed::int8 AS summed
         FROM cmp, LATERAL (VALUES ('debit_posted', s_dp, x_dp), ('credit_posted', s_cp, x_cp),
                                   ('debit_pending', s_dq, x_dq), ('credit_pending', s_cq, x_cq)) AS f(field, stored, summed)
        WHERE f.stored <> f.summed
        ORDER BY segment, account, f.field LIMIT $1`,
    [limit],
  );
  return rowsOf(bal, (b) => ({
    kind: 'balance_mismatch',
    segment: textOf(b, 'segment'),
    account: textOf(b, 'account'),
    field: oneOf(b, 'field', BALANCE_FIELDS),
    storedFen: intOf(b, 'stored'),
    postingsFen: intOf(b, 'summed'),
  }));
}

async function unbalancedTransactions(ex: Executor, limit: number): Promise<LedgerDifference[]> {
  const unb = await ex.query(
    `WITH seg AS (
         SELECT tx_seq, segment_id, count(*) AS legs,
                sum(amount) FILTER (WHERE side = 'D') AS d, sum(amount) FILTER (WHERE side = 'C') AS c
           FROM ledger_postings GROUP BY tx_seq, segment_id
       ), tx AS (
         SELECT tx_seq, sum(legs) AS legs, coalesce(sum(d), 0) AS d, coalesce(sum(c), 0) AS c,
                min(segment_id) FILTER (WHERE coalesce(d, 0) <> coalesce(c, 0)) AS bad_segment
           FROM seg GROUP BY tx_seq
       )
       SELECT t.id, s.code AS segment,
              format('legs %s of %s, debits %s, credits %s, total %s', coalesce(x.legs, 0), t.leg_count,
                     coalesce(x.d, 0), coalesce(x.c, 0), t.total_fen) AS detail
         FROM ledger_transactions t LEFT JOIN tx x ON x.tx_seq = t.seq
         LEFT JOIN ledger_segments s ON s.id = x.bad_segment
        WHERE x.tx_seq IS NULL OR x.legs <> t.leg_count OR x.d <> t.total_fen OR x.c <> t.total_fen
           OR x.bad_segment IS NOT NULL
        ORDER BY t.seq LIMIT $1`,
    [limit],
  );
  return rowsOf(unb, (u) => ({
    kind: 'unbalanced_transaction',
    id: textOf(u, 'id'),
    segment: textOrNullOf(u, 'segment'),
    detail: textOf(u, 'detail'),
  }));
}

async function orphanPostings(ex: Executor, limit: number): Promise<LedgerDifference[]> {
  const orphan = await ex.query(
    `SELECT p.tx_seq FROM ledger_postings p LEFT JOIN ledger_transactions t ON t.seq = p.tx_seq
        WHERE t.seq IS NULL LIMIT $1`,
    [limit],
  );
  return rowsOf(orphan, (o) => ({
    kind: 'unbalanced_transaction',
    id: `seq:${intOf(o, 'tx_seq')}`,
    segment: null,
    detail: 'postings without a transaction',
  }));
}

async function interSegmentMismatches(ex: Executor, limit: number): Promise<LedgerDifference[]> {
  const pairs = await ex.query(
    `SELECT least(s.code, c.code) AS a, greatest(s.code, c.code) AS b,
              sum(b.debit_posted - b.credit_posted + b.debit_pending - b.credit_pending)::int8 AS net
         FROM ledger_accounts acc JOIN ledger_balances b ON b.account_id = acc.id
         JOIN ledger_segments s ON s.id = acc.segment_id JOIN ledger_segments c ON c.id = acc.counterparty_segment_id
        WHERE acc.counterparty_segment_id IS NOT NULL
        GROUP BY 1, 2 HAVING sum(b.debit_posted - b.credit_posted + b.debit_pending - b.credit_pending) <> 0
        ORDER BY 1, 2 LIMIT $1`,
    [limit],
  );
  return rowsOf(pairs, (p) => ({
    kind: 'inter_segment_mismatch',
    segments: [textOf(p, 'a'), textOf(p, 'b')],
    netFen: intOf(p, 'net'),
  }));
}
