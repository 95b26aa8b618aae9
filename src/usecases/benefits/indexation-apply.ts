import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitIndexationBatches } from '../../db/schema.ts';
import {
  foldedPayload,
  INDEXATION_APPROVAL_ACTION,
  type IndexationPayload,
} from '../../domain/benefits/indexation.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import {
  type ApprovalRefusal,
  approveUnlessApproved,
  consumeApproval,
  payloadHash,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { type IndexationNotice, issueIndexationNotice } from './indexation-notice.ts';
import { type IndexationProposeCode, monthPaid } from './indexation-propose.ts';
import {
  type BatchRow,
  batchKey,
  batchRow,
  registerNow,
  storedLinesFold,
} from './indexation-store.ts';

/**
 * The checker's side of an indexation batch (待遇调整). `approveIndexation` records their decision
 * on the batch's approval (migration 0009's trigger refuses the maker and the maker's role);
 * `applyIndexation` then, in one transaction: reads the stored lines' digest back and the
 * register's witness again (payloadNow; the plan is not recomputed over the register), consumes
 * the approval against that payload (an entitlement changed since the proposal no longer fits:
 * approval.payload_mismatch), ends each old entitlement the day
 * before the effective date and inserts its successor with the new amount from that date (ids
 * derived from the batch, so nothing is created twice), and marks the batch applied. A second
 * apply answers `replayed: true` and changes nothing.
 */
export type IndexationApplyCode =
  | IndexationProposeCode
  | ApprovalRefusal
  | 'benefit.indexation_not_found'
  | 'benefit.indexation_changed'
  | 'benefit.snapshot_invalid';

export async function approveIndexation(
  db: Database,
  checker: Actor,
  input: { regionCode: string; batchId: string },
): Promise<Result<BatchRow, IndexationApplyCode>> {
  const batch = await db.withConnection((ex) =>
    batchRow(ex, input.regionCode, input.batchId, false),
  );
  if (batch === null)
    return refuse('benefit.indexation_not_found', `indexation batch ${input.batchId} not found`);
  if (batch.status === 'applied') return ok(batch);
  const decided = await approveUnlessApproved(db, checker, {
    regionCode: batch.regionCode,
    id: batch.approvalId,
  });
  return decided ?? ok(batch);
}

export type IndexationApplied = {
  batchId: string;
  lineCount: number;
  replayed: boolean;
  /** The batch's notice (关于调整…工伤保险定期待遇的通知), issued once the batch is applied. */
  notice: IndexationNotice;
};

export async function applyIndexation(
  db: Database,
  actor: Actor,
  input: { regionCode: string; batchId: string },
): Promise<Result<IndexationApplied, IndexationApplyCode>> {
  const answer: { value: Omit<IndexationApplied, 'notice'> | null } = { value: null };
  const written = await guardOnly<IndexationApplyCode>(db, async (tx) => {
    const out = await writeApply(tx, actor, input);
    if (!out.ok) return out;
    answer.value = out.value;
    return null;
  });
  if (!written.ok) return written;
  if (answer.value === null) throw new Error('the apply wrote no answer');
  // In its own transaction: the notice's PDF is no part of the switch, and a replayed apply issues
  // the notice a crash after the switch did not.
  const notice = await issueIndexationNotice(db, actor, input);
  invariant(
    notice.ok,
    `the applied batch ${input.batchId} has no notice: ${notice.ok || notice.message}`,
  );
  return ok({
    ...answer.value,
    notice: { letterId: notice.value.letterId, documentNumber: notice.value.documentNumber },
  });
}

async function writeApply(
  tx: Executor,
  actor: Actor,
  input: { regionCode: string; batchId: string },
): Promise<Result<Omit<IndexationApplied, 'notice'>, IndexationApplyCode>> {
  const batch = await batchRow(tx, input.regionCode, input.batchId, true);
  if (batch === null)
    return refuse('benefit.indexation_not_found', `indexation batch ${input.batchId} not found`);
  if (batch.status === 'applied')
    return ok({ batchId: batch.id, lineCount: batch.payload.lineCount, replayed: true });
  const paid = await monthPaid(tx, batch.regionCode, batch.payload.adjustments);
  if (paid !== null) return paid;
  const payload = await payloadNow(tx, batch);
  const used = await consumeApproval(tx, {
    regionCode: batch.regionCode,
    id: batch.approvalId,
    action: INDEXATION_APPROVAL_ACTION,
    payload,
  });
  if (!used.ok) return used;
  const stale = await switchEntitlements(tx, actor, batch);
  if (stale !== null) return stale;
  await tx.orm
    .update(benefitIndexationBatches)
    .set({
      status: 'applied',
      appliedBy: actor.username,
      approvedBy: used.value.checkerId,
      appliedAt: sql`now()`,
    })
    .where(batchKey(batch.regionCode, batch.id));
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.indexation.apply', `indexation/${batch.regionCode}/${batch.id}`, {
      approvalId: batch.approvalId,
      payloadSha256: payloadHash(payload),
      lineCount: payload.lineCount,
    }),
  );
  return ok({ batchId: batch.id, lineCount: payload.lineCount, replayed: false });
}

/**
 * The payload as it stands now, for the approval to be consumed against: the approved one with
 * its lines' count, digest and totals read back from the stored lines (so the lines the apply
 * writes from are exactly the lines approved) and the register's witness computed again by one
 * aggregate (so an entitlement added, ended or changed since the proposal, lined or not, refuses
 * with approval.payload_mismatch). The rules need no recomputation: the snapshot is pinned and
 * the adjustments it gave are in the payload. A batch proposed before migration 0058 holds no
 * witness and never fits: it is proposed again.
 */
async function payloadNow(tx: Executor, batch: BatchRow): Promise<IndexationPayload> {
  const lines = await storedLinesFold(tx, batch.regionCode, batch.id);
  const register = await registerNow(tx, batch.regionCode);
  const folded = foldedPayload(
    {
      regionCode: batch.regionCode,
      batchId: batch.id,
      byKind: new Map(),
      adjustments: batch.payload.adjustments,
    },
    batch.year,
    batch.snapshotId,
    lines,
  );
  return {
    ...batch.payload,
    lineCount: folded.lineCount,
    linesSha256: folded.linesSha256,
    totals: folded.totals,
    register,
  };
}

/**
 * Set-based, as the register may hold a province's entitlements: the stored lines (equal to the
 * lines approved, their digest read back says so) end the old rows, then their successors are
 * inserted (after, so the one-active index never sees two). A count short of the lines means an
 * entitlement moved under the lock: refused, rolled back.
 */
async function switchEntitlements(
  tx: Executor,
  actor: Actor,
  batch: BatchRow,
): Promise<Refusal<'benefit.indexation_changed'> | null> {
  const ended = await tx.query(
    `UPDATE benefit_entitlements e SET status = 'ended', ends_on = l.effective_on - 1
     FROM benefit_indexation_lines l
     WHERE l.region_code = $1 AND l.batch_id = $2 AND e.region_code = l.region_code
       AND e.id = l.entitlement_id AND e.status = 'active' AND e.amount_fen = l.before_fen`,
    [batch.regionCode, batch.id],
  );
  const endedCount = ended.rowCount;
  if (endedCount !== batch.payload.lineCount)
    return refuse(
      'benefit.indexation_changed',
      `${batch.payload.lineCount - endedCount} entitlements of the batch changed since it was computed: propose it again`,
      { expected: batch.payload.lineCount, ended: endedCount },
    );
  await tx.query(
    `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen,
       payer, starts_on, ends_on, status, decision_id, snapshot_id, citation, dependant_id, created_by)
     SELECT l.region_code, l.new_entitlement_id, l.worker_id, l.kind, 'monthly', l.after_fen, l.payer,
       l.effective_on, l.ends_on, 'active', l.decision_id, $3, l.citation, l.dependant_id, $4
     FROM benefit_indexation_lines l WHERE l.region_code = $1 AND l.batch_id = $2`,
    [batch.regionCode, batch.id, batch.snapshotId, actor.username],
  );
  return null;
}
