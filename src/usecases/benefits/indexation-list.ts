import type { Database } from '../../db/client.ts';
import {
  dateOf,
  dateOrNullOf,
  intOf,
  jsonOf,
  oneOf,
  oneOrNullOf,
  type Row,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import type { ApprovalStatus } from '../../db/schema.ts';
import type { IndexationPayload } from '../../domain/benefits/indexation.ts';
import { indexationPayloadSchema } from '../../rules/benefits/indexation.ts';
import { APPROVAL_STATUSES, effectiveApprovalStatusSql } from '../approvals/approvals.ts';

/**
 * A city's indexation batches (待遇调整) as the page's list shows them (read-only): newest year
 * first, each with its monthly totals before and after (all items and payers, from the stored
 * payload the checker approves), its skipped counts, and the state of its approval — the batch's
 * own status stays `proposed` until the apply, so the approval is what tells "approved, not yet
 * applied" apart. The batch view (indexation-read.ts) gives the lines.
 */
export type IndexationBatchSummary = {
  batchId: string;
  year: number;
  status: 'proposed' | 'applied';
  lineCount: number;
  beforeFen: number;
  afterFen: number;
  skipped: IndexationPayload['skipped'];
  proposedBy: string;
  proposedAt: string;
  appliedBy: string | null;
  appliedAt: string | null;
  approvalId: string;
  /**
   * As a reader should see it: `expired` also when a pending or approved approval's time ran out
   * unmarked (effectiveApprovalStatusSql). Null only if the approval row is missing (it never is:
   * the proposal writes both).
   */
  approvalStatus: ApprovalStatus | null;
  /** The checker's log-in name once one decided (null before, or no such user). */
  checkerUsername: string | null;
};

/**
 * One batch per city and year (a unique key) and years 2011–2100 (a check): a city has at most
 * 90 batches, so the list is whole; the bound only states it.
 */
export const INDEXATION_LIST_MAX = 100;

function summaryOf(r: Row): IndexationBatchSummary {
  const payload = indexationPayloadSchema.parse(jsonOf(r, 'payload'));
  const sum = (pick: (t: IndexationPayload['totals'][number]) => number) =>
    payload.totals.reduce((total, t) => total + pick(t), 0);
  const appliedAt = dateOrNullOf(r, 'applied_at');
  return {
    batchId: textOf(r, 'id'),
    year: intOf(r, 'year'),
    status: oneOf(r, 'status', ['proposed', 'applied'] as const),
    lineCount: payload.lineCount,
    beforeFen: sum((t) => t.beforeFen),
    afterFen: sum((t) => t.afterFen),
    skipped: payload.skipped,
    proposedBy: textOf(r, 'proposed_by'),
    proposedAt: dateOf(r, 'proposed_at').toISOString(),
    appliedBy: textOrNullOf(r, 'applied_by'),
    appliedAt: appliedAt === null ? null : appliedAt.toISOString(),
    approvalId: textOf(r, 'approval_id'),
    approvalStatus: oneOrNullOf(r, 'approval_status', APPROVAL_STATUSES),
    checkerUsername: textOrNullOf(r, 'checker_username'),
  };
}

export async function listIndexationBatches(
  db: Database,
  input: { regionCode: string },
): Promise<IndexationBatchSummary[]> {
  return db.withConnection(async (ex) => {
    const r = await ex.query(
      `SELECT b.id, b.year, b.status, b.payload, b.proposed_by, b.proposed_at, b.applied_by,
         b.applied_at, b.approval_id, ${effectiveApprovalStatusSql('a')} AS approval_status,
         u.username AS checker_username
       FROM benefit_indexation_batches b
       LEFT JOIN approvals a ON a.region_code = b.region_code AND a.id = b.approval_id
       LEFT JOIN users u ON u.id = a.checker_id
       WHERE b.region_code = $1
       ORDER BY b.year DESC
       LIMIT ${INDEXATION_LIST_MAX}`,
      [input.regionCode],
    );
    return r.rows.map(summaryOf);
  });
}
