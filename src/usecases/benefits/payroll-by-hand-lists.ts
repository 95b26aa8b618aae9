import type { Database } from '../../db/client.ts';
import { intOf, oneOfReader, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { ApprovalStatus, PayrollReleaseStatus, ReissueBatchStatus } from '../../db/schema.ts';
import { APPROVAL_STATUSES, effectiveApprovalStatusSql } from '../approvals/approvals.ts';

/**
 * The city's reissue batches (`prb_…`, "Reissue by hand") and releases (`prr_…`, "Release of failed
 * lines owed to no one") as the payroll page and `tongchou payroll reissue|release list` show them
 * (docs/benefits.md; reads). Without them the only way back to a batch or a release is its id.
 * Newest first — the proposal's day, then the moment it was written, then the id — keyset-paged
 * by id as the failed-lines list is: `after` names the last row of the previous page and the next
 * page starts below that row's key. A city holds few of either (each is a handler's selection),
 * so the city's primary key finds them and the sort is small: no index of its own.
 */

/** The approval as the list can tell at once: `expired` also when its time has run out unmarked. */
export type ListedApprovalStatus = ApprovalStatus;

export type ReissueBatchListItem = {
  id: string;
  status: ReissueBatchStatus;
  /** The proposal's day (the day whose card accounts the lines take). */
  proposedOn: string;
  lineCount: number;
  totalFen: number;
  proposedBy: string;
  approvalId: string;
  approvalStatus: ListedApprovalStatus;
  /** The payment file's sha256 once issued (null: not issued yet). */
  fileSha256: string | null;
  /** The bank's answers so far, from the batch's lines (all zero before the apply writes them). */
  confirmedLines: number;
  failedLines: number;
  outstandingLines: number;
};

export type ReleaseListItem = {
  id: string;
  status: PayrollReleaseStatus;
  proposedOn: string;
  lineCount: number;
  totalFen: number;
  proposedBy: string;
  approvalId: string;
  approvalStatus: ListedApprovalStatus;
  appliedBy: string | null;
  /** The ledger transaction (Dr 2102 / Cr 51xx) once applied. */
  transactionId: string | null;
};

export type ListPage<T> = { items: T[]; nextAfter: string | null };

type ListInput<S extends string> = {
  regionCode: string;
  status: S | null;
  after: string | null;
  limit: number;
};

const approvalStatus = oneOfReader<ListedApprovalStatus>(APPROVAL_STATUSES);
const batchStatus = oneOfReader<ReissueBatchStatus>([
  'proposed',
  'applied',
  'file_issued',
  'reconciled',
]);
const releaseStatus = oneOfReader<PayrollReleaseStatus>(['proposed', 'applied']);

/** The approval's state as approvalDead (payroll-reissue-batch-store.ts) reads it. */
const APPROVAL_STATUS_SQL = `(SELECT ${effectiveApprovalStatusSql('a')}
         FROM approvals a WHERE a.region_code = x.region_code AND a.id = x.approval_id)`;

function pageOf<T extends { id: string }>(rows: T[], limit: number): ListPage<T> {
  const items = rows.slice(0, limit);
  return { items, nextAfter: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

function batchItemOf(r: Row): ReissueBatchListItem {
  return {
    id: textOf(r, 'id'),
    status: batchStatus(r, 'status'),
    proposedOn: textOf(r, 'proposed_on'),
    lineCount: intOf(r, 'line_count'),
    totalFen: intOf(r, 'total_fen'),
    proposedBy: textOf(r, 'proposed_by'),
    approvalId: textOf(r, 'approval_id'),
    approvalStatus: approvalStatus(r, 'approval_status'),
    fileSha256: textOrNullOf(r, 'file_sha256'),
    confirmedLines: intOf(r, 'confirmed_lines'),
    failedLines: intOf(r, 'failed_lines'),
    outstandingLines: intOf(r, 'outstanding_lines'),
  };
}

export async function listReissueBatches(
  db: Database,
  input: ListInput<ReissueBatchStatus>,
): Promise<ListPage<ReissueBatchListItem>> {
  return db.withConnection(async (ex) => {
    // The lines' answers come from the batch's own index (payroll_lines_batch_order_idx).
    const r = await ex.query(
      `SELECT x.id, x.status, x.accounts_on::text AS proposed_on, x.line_count, x.total_fen,
         x.proposed_by, x.approval_id, ${APPROVAL_STATUS_SQL} AS approval_status, x.file_sha256,
         l.confirmed_lines, l.failed_lines, l.outstanding_lines
       FROM payroll_reissue_batches x
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE p.status = 'paid')::int AS confirmed_lines,
                count(*) FILTER (WHERE p.status = 'failed')::int AS failed_lines,
                count(*) FILTER (WHERE p.status = 'issued' AND x.file_sha256 IS NOT NULL)::int
                  AS outstanding_lines
         FROM payroll_lines p WHERE p.region_code = x.region_code AND p.batch_id = x.id) l
       WHERE x.region_code = $1 AND ($2::text IS NULL OR x.status = $2::text)
         AND ($3::text IS NULL OR (x.accounts_on, x.proposed_at, x.id) <
           (SELECT c.accounts_on, c.proposed_at, c.id FROM payroll_reissue_batches c
             WHERE c.region_code = $1 AND c.id = $3::text))
       ORDER BY x.accounts_on DESC, x.proposed_at DESC, x.id DESC LIMIT $4`,
      [input.regionCode, input.status, input.after, input.limit + 1],
    );
    return pageOf(r.rows.map(batchItemOf), input.limit);
  });
}

function releaseItemOf(r: Row): ReleaseListItem {
  return {
    id: textOf(r, 'id'),
    status: releaseStatus(r, 'status'),
    proposedOn: textOf(r, 'proposed_on'),
    lineCount: intOf(r, 'line_count'),
    totalFen: intOf(r, 'total_fen'),
    proposedBy: textOf(r, 'proposed_by'),
    approvalId: textOf(r, 'approval_id'),
    approvalStatus: approvalStatus(r, 'approval_status'),
    appliedBy: textOrNullOf(r, 'applied_by'),
    transactionId: textOrNullOf(r, 'transaction_id'),
  };
}

export async function listReleases(
  db: Database,
  input: ListInput<PayrollReleaseStatus>,
): Promise<ListPage<ReleaseListItem>> {
  return db.withConnection(async (ex) => {
    const r = await ex.query(
      `SELECT x.id, x.status, x.proposed_on::text, x.line_count, x.total_fen, x.proposed_by,
         x.approval_id, ${APPROVAL_STATUS_SQL} AS approval_status, x.applied_by, x.transaction_id
       FROM payroll_releases x
       WHERE x.region_code = $1 AND ($2::text IS NULL OR x.status = $2::text)
         AND ($3::text IS NULL OR (x.proposed_on, x.proposed_at, x.id) <
           (SELECT c.proposed_on, c.proposed_at, c.id FROM payroll_releases c
             WHERE c.region_code = $1 AND c.id = $3::text))
       ORDER BY x.proposed_on DESC, x.proposed_at DESC, x.id DESC LIMIT $4`,
      [input.regionCode, input.status, input.after, input.limit + 1],
    );
    return pageOf(r.rows.map(releaseItemOf), input.limit);
  });
}
