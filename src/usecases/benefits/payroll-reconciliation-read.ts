import type { Executor } from '../../db/client.ts';
import { boolOf, intOf, oneOf, textOf, textOrNullOf } from '../../db/rows.ts';
import { BENEFITS_PAYABLE } from '../../domain/benefits/ledger-postings.ts';
import {
  type BucketCount,
  type RunReconciliation,
  reconcileRun,
} from '../../domain/benefits/payroll-reconciliation.ts';
import type { RunRow } from './payroll-store.ts';

/**
 * The reads behind a run's reconciliation report (hand-written SQL read through rows.ts: set-based
 * aggregates over the run's lines and the ledger). The ledger's view is read from the run's own
 * transactions — the payable the run row names and the confirmations its lines name — found by id
 * (the journal's unique index) and checked to be the run's by their source.
 */
export const EXCEPTIONS_LISTED_MAX = 10_000;

const BUCKETS = [
  'confirmed',
  'failed',
  'outstanding',
  'held',
  'to_send',
  'released_sent',
  'released_held',
] as const;

/**
 * Where each line stands; a line in payroll_released_lines (a release or a death's reversal, by
 * its primary key) is released whatever the bank said — it is owed to no one now.
 */
const LINE_BUCKET_SQL = `CASE
  WHEN EXISTS (SELECT 1 FROM payroll_released_lines z
               WHERE z.region_code = l.region_code AND z.line_id = l.id)
    THEN CASE WHEN l.account_number IS NULL THEN 'released_held' ELSE 'released_sent' END
  WHEN l.account_number IS NULL THEN 'held'
  WHEN l.status = 'paid' THEN 'confirmed'
  WHEN l.status = 'failed' THEN 'failed'
  WHEN $3::boolean THEN 'outstanding'
  ELSE 'to_send' END`;

async function bucketCounts(ex: Executor, run: RunRow): Promise<BucketCount[]> {
  const r = await ex.query(
    `SELECT l.kind, ${LINE_BUCKET_SQL} AS bucket, l.reissue_of IS NOT NULL AS reissue,
       count(*)::int AS lines, coalesce(sum(l.amount_fen), 0)::bigint AS amount_fen
     FROM payroll_lines l WHERE l.region_code = $1 AND l.run_id = $2
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [run.regionCode, run.id, run.fileSha256 !== null],
  );
  return r.rows.map((row) => ({
    kind: textOf(row, 'kind'),
    bucket: oneOf(row, 'bucket', BUCKETS),
    reissue: boolOf(row, 'reissue'),
    lines: intOf(row, 'lines'),
    amountFen: intOf(row, 'amount_fen'),
  }));
}

/** This run's lines that a later run pays again (the reissue's unique index finds them). */
async function reissuedLater(ex: Executor, run: RunRow) {
  const r = await ex.query(
    `SELECT o.kind, count(*)::int AS lines, sum(o.amount_fen)::bigint AS amount_fen
     FROM payroll_lines o
     JOIN payroll_lines n ON n.region_code = o.region_code AND n.reissue_of = o.id
     WHERE o.region_code = $1 AND o.run_id = $2 GROUP BY o.kind ORDER BY o.kind`,
    [run.regionCode, run.id],
  );
  return r.rows.map((row) => ({
    kind: textOf(row, 'kind'),
    lines: intOf(row, 'lines'),
    amountFen: intOf(row, 'amount_fen'),
  }));
}

async function ledgerOfRun(ex: Executor, run: RunRow) {
  const paid = await ex.query(
    `SELECT DISTINCT paid_transaction_id FROM payroll_lines
     WHERE region_code = $1 AND run_id = $2 AND paid_transaction_id IS NOT NULL`,
    [run.regionCode, run.id],
  );
  const ids = [
    ...(run.payableTransactionId === null ? [] : [run.payableTransactionId]),
    ...paid.rows.map((row) => textOf(row, 'paid_transaction_id')),
  ];
  const r = await ex.query(
    `SELECT coalesce(sum(p.amount) FILTER (WHERE p.side = 'C'), 0)::int8 AS credit,
            coalesce(sum(p.amount) FILTER (WHERE p.side = 'D'), 0)::int8 AS debit
       FROM ledger_transactions t
       JOIN ledger_postings p ON p.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE t.id = ANY($1::text[]) AND t.kind = 'posted'
        AND t.source_type = 'benefit.payroll' AND t.source_id = $2
        AND a.code = $3 AND s.code = $4`,
    [ids, run.id, BENEFITS_PAYABLE, run.regionCode],
  );
  const row = r.rows[0];
  return row === undefined
    ? { creditFen: 0, debitFen: 0 }
    : { creditFen: intOf(row, 'credit'), debitFen: intOf(row, 'debit') };
}

export async function runReconciliation(ex: Executor, run: RunRow): Promise<RunReconciliation> {
  return reconcileRun({
    counts: await bucketCounts(ex, run),
    reissuedLater: await reissuedLater(ex, run),
    ledger: await ledgerOfRun(ex, run),
    payablePosted: run.payableTransactionId !== null,
  });
}

/** A line the bank has not confirmed (failed, outstanding, held or not yet sent): ids, no account. */
export type ExceptionLine = {
  lineId: string;
  workerId: string;
  kind: string;
  amountFen: number;
  /** `released`: owed to no one, its liability out of 2102 (a release or a death's reversal). */
  state: 'failed' | 'outstanding' | 'held' | 'released';
  reason: string | null;
  reissueOf: string | null;
  reissuedIn: string | null;
};

/** The run's unconfirmed lines in id order, at most EXCEPTIONS_LISTED_MAX, and how many there are. */
export async function exceptionLines(
  ex: Executor,
  run: RunRow,
): Promise<{ lines: ExceptionLine[]; count: number }> {
  const r = await ex.query(
    `SELECT l.id, l.worker_id, l.kind, l.amount_fen, l.failure_reason, l.reissue_of,
       CASE WHEN EXISTS (SELECT 1 FROM payroll_released_lines z
                         WHERE z.region_code = l.region_code AND z.line_id = l.id) THEN 'released'
            WHEN l.account_number IS NULL THEN 'held' WHEN l.status = 'failed' THEN 'failed'
            ELSE 'outstanding' END AS state,
       (SELECT coalesce(n.run_id, n.batch_id) FROM payroll_lines n
         WHERE n.region_code = l.region_code AND n.reissue_of = l.id) AS reissued_in,
       count(*) OVER ()::int AS n
     FROM payroll_lines l
     WHERE l.region_code = $1 AND l.run_id = $2 AND l.status <> 'paid'
     ORDER BY l.id LIMIT $3`,
    [run.regionCode, run.id, EXCEPTIONS_LISTED_MAX],
  );
  return {
    count: r.rows[0] === undefined ? 0 : intOf(r.rows[0], 'n'),
    lines: r.rows.map((row) => ({
      lineId: textOf(row, 'id'),
      workerId: textOf(row, 'worker_id'),
      kind: textOf(row, 'kind'),
      amountFen: intOf(row, 'amount_fen'),
      state: oneOf(row, 'state', ['failed', 'outstanding', 'held', 'released'] as const),
      reason: textOrNullOf(row, 'failure_reason'),
      reissueOf: textOrNullOf(row, 'reissue_of'),
      reissuedIn: textOrNullOf(row, 'reissued_in'),
    })),
  };
}
