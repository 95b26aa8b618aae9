import type { Database } from '../../db/client.ts';
import type { IndexationLine, IndexationPayload } from '../../domain/benefits/indexation.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type IndexationNotice, indexationNoticeOf } from './indexation-notice.ts';
import { batchRow, linePage } from './indexation-store.ts';

/**
 * An indexation batch with one page of its before/after report (lines in entitlement order;
 * `nextAfter` is the cursor of the next page, null at the end). The lines carry ids, kinds and
 * amounts, no personal data.
 */
export type IndexationView = {
  regionCode: string;
  batchId: string;
  year: number;
  status: 'proposed' | 'applied';
  approvalId: string;
  snapshotId: string;
  proposedBy: string;
  appliedBy: string | null;
  approvedBy: string | null;
  payload: IndexationPayload;
  lines: IndexationLine[];
  nextAfter: string | null;
  /** The notice issued when the batch was applied (indexation-notice.ts); null before. */
  notice: IndexationNotice | null;
};

export const INDEXATION_PAGE_MAX = 1000;

export async function indexationView(
  db: Database,
  input: {
    regionCode: string;
    batchId: string;
    after?: string | undefined;
    limit?: number | undefined;
  },
): Promise<Result<IndexationView, 'benefit.indexation_not_found'>> {
  const limit = Math.min(input.limit ?? INDEXATION_PAGE_MAX, INDEXATION_PAGE_MAX);
  return db.withConnection(async (ex) => {
    const b = await batchRow(ex, input.regionCode, input.batchId, false);
    if (b === null)
      return refuse('benefit.indexation_not_found', `indexation batch ${input.batchId} not found`);
    const lines = await linePage(ex, {
      regionCode: b.regionCode,
      batchId: b.id,
      afterId: input.after ?? '',
      limit,
    });
    const last = lines.at(-1);
    return ok({
      regionCode: b.regionCode,
      batchId: b.id,
      year: b.year,
      status: b.status,
      approvalId: b.approvalId,
      snapshotId: b.snapshotId,
      proposedBy: b.proposedBy,
      appliedBy: b.appliedBy,
      approvedBy: b.approvedBy,
      payload: b.payload,
      lines,
      nextAfter: lines.length === limit && last !== undefined ? last.entitlementId : null,
      notice: await indexationNoticeOf(ex, b.regionCode, b.id),
    });
  });
}
