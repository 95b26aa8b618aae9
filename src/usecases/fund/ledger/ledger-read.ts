import type { Database, Executor } from '../../../db/client.ts';
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

type TbRow = {
  segment: string;
  account: string;
  chart_code: string;
  name: string;
  name_en: string;
  type: AccountType;
  normal_side: NormalSide;
  debit: number;
  credit: number;
};

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
    const s = await db.query('SELECT 1 FROM ledger_segments WHERE code = $1', [input.segment]);
    if (s.rows.length === 0)
      return refuse('ledger.unknown_segment', `segment ${input.segment} is not provisioned`, {
        segment: input.segment,
      });
  }
  const r = await db.query<TbRow>(
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
  const rows = r.rows.map((x): TrialBalanceRow => {
    debitFen += x.debit;
    creditFen += x.credit;
    return {
      segment: x.segment,
      account: x.account,
      chartCode: x.chart_code,
      name: x.name,
      nameEn: x.name_en,
      type: x.type,
      normalSide: x.normal_side,
      debitFen: x.debit,
      creditFen: x.credit,
      balanceFen: x.normal_side === 'D' ? x.debit - x.credit : x.credit - x.debit,
    };
  });
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
  const r = await db.query<{
    segment: string;
    account: string;
    name: string;
    name_en: string;
    type: AccountType;
    normal_side: NormalSide;
    debit_posted: number;
    credit_posted: number;
    debit_pending: number;
    credit_pending: number;
    version: number;
  }>(
    `SELECT s.code AS segment, a.code AS account, a.name, a.name_en, a.type, a.normal_side,
            b.debit_posted, b.credit_posted, b.debit_pending, b.credit_pending, b.version
       FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id
       JOIN ledger_segments s ON s.id = b.segment_id
      WHERE $1::text = 'all' OR s.code = $1
      ORDER BY s.code, a.code`,
    [input.segment],
  );
  return r.rows.map((x) => ({
    segment: x.segment,
    account: x.account,
    name: x.name,
    nameEn: x.name_en,
    type: x.type,
    normalSide: x.normal_side,
    debitPostedFen: x.debit_posted,
    creditPostedFen: x.credit_posted,
    debitPendingFen: x.debit_pending,
    creditPendingFen: x.credit_pending,
    balanceFen:
      x.normal_side === 'D' ? x.debit_posted - x.credit_posted : x.credit_posted - x.debit_posted,
    version: x.version,
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

type JournalRow = {
  seq: number;
  id: string;
  kind: 'posted' | 'pending';
  effective_date: string;
  source_type: string;
  source_id: string;
  snapshot_id: string | null;
  memo: string | null;
  corrects: string | null;
  actor: string;
  recorded_at: Date | string;
  r_action: 'post' | 'void' | null;
  r_at: Date | string | null;
  r_actor: string | null;
};

/**
 * Journal entries with their postings, for the transactions (alias `t`) that `where` selects
 * (a WHERE clause with ORDER BY / LIMIT, over `params`): the one reader of the journal that the
 * journal page and the region's transaction view share.
 */
export async function queryJournalEntries(
  ex: Executor,
  where: string,
  params: readonly unknown[],
): Promise<JournalEntry[]> {
  const t = await ex.query<JournalRow>(
    `SELECT t.seq, t.id, t.kind, t.effective_date::text AS effective_date, t.source_type, t.source_id,
            t.snapshot_id, t.memo, t.corrects, t.actor, t.recorded_at,
            r.action AS r_action, r.resolved_at AS r_at, r.actor AS r_actor
       FROM ledger_transactions t LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
      ${where}`,
    params,
  );
  const seqs = t.rows.map((x) => x.seq);
  const p = await ex.query<{
    tx_seq: number;
    segment: string;
    account: string;
    side: string;
    amount: number;
  }>(
    `SELECT p.tx_seq, s.code AS segment, a.code AS account, p.side, p.amount
       FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE p.tx_seq = ANY($1::int8[]) ORDER BY p.tx_seq, p.seq`,
    [seqs],
  );
  const legs = new Map<number, JournalEntry['postings']>();
  for (const l of p.rows) {
    const list = legs.get(l.tx_seq) ?? [];
    list.push({
      segment: l.segment,
      account: l.account,
      side: l.side === 'D' ? 'debit' : 'credit',
      amountFen: l.amount,
    });
    legs.set(l.tx_seq, list);
  }
  const iso = (v: Date | string) => new Date(v).toISOString();
  return t.rows.map(
    (x): JournalEntry => ({
      seq: x.seq,
      id: x.id,
      kind: x.kind,
      resolution:
        x.r_action && x.r_at && x.r_actor
          ? { action: x.r_action, resolvedAt: iso(x.r_at), actor: x.r_actor }
          : null,
      effectiveDate: x.effective_date,
      source: { type: x.source_type, id: x.source_id },
      parameterSnapshotId: x.snapshot_id,
      memo: x.memo,
      corrects: x.corrects,
      actor: x.actor,
      recordedAt: iso(x.recorded_at),
      postings: legs.get(x.seq) ?? [],
    }),
  );
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
    const differences: LedgerDifference[] = [];
    const bal = await ex.query<{
      segment: string;
      account: string;
      field: 'debit_posted' | 'credit_posted' | 'debit_pending' | 'credit_pending';
      stored: number;
      summed: number;
    }>(
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
    for (const b of bal.rows)
      differences.push({
        kind: 'balance_mismatch',
        segment: b.segment,
        account: b.account,
        field: b.field,
        storedFen: b.stored,
        postingsFen: b.summed,
      });
    const unb = await ex.query<{ id: string; segment: string | null; detail: string }>(
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
    for (const u of unb.rows)
      differences.push({
        kind: 'unbalanced_transaction',
        id: u.id,
        segment: u.segment,
        detail: u.detail,
      });
    const orphan = await ex.query<{ tx_seq: number }>(
      `SELECT p.tx_seq FROM ledger_postings p LEFT JOIN ledger_transactions t ON t.seq = p.tx_seq
        WHERE t.seq IS NULL LIMIT $1`,
      [limit],
    );
    for (const o of orphan.rows)
      differences.push({
        kind: 'unbalanced_transaction',
        id: `seq:${o.tx_seq}`,
        segment: null,
        detail: 'postings without a transaction',
      });
    const pairs = await ex.query<{ a: string; b: string; net: number }>(
      `SELECT least(s.code, c.code) AS a, greatest(s.code, c.code) AS b,
              sum(b.debit_posted - b.credit_posted + b.debit_pending - b.credit_pending)::int8 AS net
         FROM ledger_accounts acc JOIN ledger_balances b ON b.account_id = acc.id
         JOIN ledger_segments s ON s.id = acc.segment_id JOIN ledger_segments c ON c.id = acc.counterparty_segment_id
        WHERE acc.counterparty_segment_id IS NOT NULL
        GROUP BY 1, 2 HAVING sum(b.debit_posted - b.credit_posted + b.debit_pending - b.credit_pending) <> 0
        ORDER BY 1, 2 LIMIT $1`,
      [limit],
    );
    for (const p of pairs.rows)
      differences.push({ kind: 'inter_segment_mismatch', segments: [p.a, p.b], netFen: p.net });
    const counts = await ex.query<{ t: number; p: number; a: number }>(
      `SELECT (SELECT count(*) FROM ledger_transactions)::int8 AS t, (SELECT count(*) FROM ledger_postings)::int8 AS p,
              (SELECT count(*) FROM ledger_accounts)::int8 AS a`,
    );
    const c = counts.rows[0]!;
    return {
      ok: differences.length === 0,
      transactions: c.t,
      postings: c.p,
      accounts: c.a,
      differences: differences.slice(0, limit),
    };
  });
}
