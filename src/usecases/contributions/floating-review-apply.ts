import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { floatingReviewItems, floatingReviews } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { type ApprovalRefusal, consumeApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { changeFloatingGrade, lockEmployer } from '../registry/employers.ts';
import {
  FLOATING_REVIEW_ACTION,
  type FloatingReviewRefusal,
  type FloatingReviewView,
  floatingReviewPayload,
  itemsOf,
  proposalsHashOf,
  reviewRow,
  reviewViewOf,
} from './floating-review.ts';

/**
 * Applies an approved review: consumes the approval bound to the review's payload (the proposals'
 * hash is recomputed from the stored rows, so a proposal edited after approval no longer matches),
 * then changes each changed grade from the effective date through the register's grade change
 * (changeFloatingGrade: employer_events, audit), all in one transaction. A review applied already
 * answers as it stands and writes nothing, so a retry never applies a grade twice.
 */
export type ApplyRefusal = FloatingReviewRefusal | ApprovalRefusal;

type ItemRow = typeof floatingReviewItems.$inferSelect;
type Application = { application: 'changed' | 'unchanged' | 'skipped'; note: string | null };

export async function applyFloatingReview(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: { regionCode: string; reviewId: string; approvalId: string },
): Promise<Result<FloatingReviewView, ApplyRefusal>> {
  return db.transaction(async (tx) => {
    const review = await reviewRow(tx, input.regionCode, input.reviewId, true);
    if (!review)
      return refuse('record.not_found', `floating-rate review ${input.reviewId} not found`);
    if (review.status === 'applied') return ok(reviewViewOf(review, await itemsOf(tx, review)));
    if (review.status === 'superseded')
      return refuse(
        'floating_review.superseded',
        `review ${review.id} was replaced by a later run for ${review.reviewYear}: apply that one`,
      );
    const items = await itemsOf(tx, review);
    const payload = floatingReviewPayload({ ...review, proposalsHash: proposalsHashOf(items) });
    const consumed = await consumeApproval(tx, {
      regionCode: review.regionCode,
      id: input.approvalId,
      action: FLOATING_REVIEW_ACTION,
      payload,
    });
    if (!consumed.ok) return consumed;
    for (const item of items) {
      if (item.outcome !== 'proposed') continue;
      const done = await applyItem(tx, actor, rules, review, item);
      await tx.orm
        .update(floatingReviewItems)
        .set({ application: done.application, applicationNote: done.note })
        .where(
          and(
            eq(floatingReviewItems.regionCode, item.regionCode),
            eq(floatingReviewItems.reviewId, item.reviewId),
            eq(floatingReviewItems.employerId, item.employerId),
          ),
        );
    }
    const [applied] = await tx.orm
      .update(floatingReviews)
      .set({ status: 'applied', appliedBy: actor.userId, appliedAt: new Date() })
      .where(
        and(eq(floatingReviews.regionCode, review.regionCode), eq(floatingReviews.id, review.id)),
      )
      .returning();
    if (!applied) throw new Error('the review vanished under its lock');
    const after = await itemsOf(tx, applied);
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'contributions.floating_review.apply',
        `floating_review/${review.regionCode}/${review.id}`,
        {
          approvalId: input.approvalId,
          checker: consumed.value.checkerId,
          changed: after.filter((i) => i.application === 'changed').length,
          skipped: after.filter((i) => i.application === 'skipped').length,
        },
      ),
    );
    return ok(reviewViewOf(applied, after));
  });
}

async function applyItem(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  review: { id: string; effectiveFrom: string; reviewYear: number },
  item: ItemRow,
): Promise<Application> {
  if (item.proposedGrade === null || item.proposedGrade === item.currentGrade)
    return { application: 'unchanged', note: null };
  const now = await lockEmployer(tx, item.regionCode, item.employerId);
  // The grade was changed by hand since the run: the proposal was computed against another grade.
  if (now && now.floatingGrade !== item.currentGrade)
    return {
      application: 'skipped',
      note: `the grade became ${now.floatingGrade} (from ${now.floatingGradeFrom}) after the review was run`,
    };
  const changed = await changeFloatingGrade(tx, actor, rules, {
    regionCode: item.regionCode,
    employerId: item.employerId,
    grade: item.proposedGrade,
    effectiveFrom: review.effectiveFrom,
    reason: `浮动费率评审 ${review.reviewYear} (${review.id})`,
  });
  return changed.ok
    ? { application: 'changed', note: null }
    : { application: 'skipped', note: `${changed.code}: ${changed.message}` };
}
