import type { Executor } from '../../db/client.ts';
import { intOf, jsonOf, oneOfReader, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { ReissueBatchStatus } from '../../db/schema.ts';
import { effectiveApprovalStatus } from '../approvals/approvals.ts';
import { LINE_COLUMNS, type LineRow, lineOf } from './payroll-store.ts';

/** Reads of the reissue batches (migration 0059) shared by their use cases (hand SQL, rows.ts). */
export type BatchRow = {
  regionCode: string;
  id: string;
  status: ReissueBatchStatus;
  accountsOn: string;
  lineCount: number;
  totalFen: number;
  payload: unknown;
  approvalId: string;
  proposedBy: string;
  appliedBy: string | null;
  /** The checker's log-in name, for people to read (`applied_by` holds the user id). */
  appliedByUsername: string | null;
  fileSha256: string | null;
};

const batchStatus = oneOfReader<ReissueBatchStatus>([
  'proposed',
  'applied',
  'file_issued',
  'reconciled',
]);

function batchOf(r: Row): BatchRow {
  return {
    regionCode: textOf(r, 'region_code'),
    id: textOf(r, 'id'),
    status: batchStatus(r, 'status'),
    accountsOn: textOf(r, 'accounts_on'),
    lineCount: intOf(r, 'line_count'),
    totalFen: intOf(r, 'total_fen'),
    payload: jsonOf(r, 'payload'),
    approvalId: textOf(r, 'approval_id'),
    proposedBy: textOf(r, 'proposed_by'),
    appliedBy: textOrNullOf(r, 'applied_by'),
    appliedByUsername: textOrNullOf(r, 'applied_by_username'),
    fileSha256: textOrNullOf(r, 'file_sha256'),
  };
}

export async function batchRow(
  ex: Executor,
  regionCode: string,
  id: string,
  lock: boolean,
): Promise<BatchRow | null> {
  const r = await ex.query(
    `SELECT region_code::text, id, status, accounts_on::text, line_count, total_fen, payload,
       approval_id, proposed_by, applied_by,
       (SELECT u.username FROM users u WHERE u.id = applied_by) AS applied_by_username, file_sha256
     FROM payroll_reissue_batches WHERE region_code = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [regionCode, id],
  );
  const row = r.rows[0];
  return row === undefined ? null : batchOf(row);
}

export type BatchLine = LineRow & { reissueMonth: string };

/** The batch's lines in id order (a handler's selection: few), locked when asked. */
export async function batchLines(
  ex: Executor,
  input: { regionCode: string; batchId: string; ids?: readonly string[]; lock: boolean },
): Promise<BatchLine[]> {
  const r = await ex.query(
    `SELECT ${LINE_COLUMNS}, reissue_month::text FROM payroll_lines
     WHERE region_code = $1 AND batch_id = $2 AND ($3::text[] IS NULL OR id = ANY($3::text[]))
     ORDER BY id${input.lock ? ' FOR UPDATE' : ''}`,
    [input.regionCode, input.batchId, input.ids === undefined ? null : [...input.ids]],
  );
  return r.rows.map((row) => ({ ...lineOf(row), reissueMonth: textOf(row, 'reissue_month') }));
}

/**
 * Whether a proposal's approval can no longer be used: rejected, expired (marked, or its time run
 * out), or gone. A proposal of the same selection then starts a new one (a new id's generation).
 */
export async function approvalDead(
  ex: Executor,
  regionCode: string,
  approvalId: string,
): Promise<boolean> {
  const status = await effectiveApprovalStatus(ex, regionCode, approvalId);
  return status === null || status === 'rejected' || status === 'expired';
}

/** Generations tried before giving up (a selection rejected this often in one day is an error). */
export const GENERATIONS_MAX = 100;
