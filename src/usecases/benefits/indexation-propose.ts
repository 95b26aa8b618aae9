import type { Database, Executor } from '../../db/client.ts';
import { benefitIndexationBatches, benefitParameterSnapshots } from '../../db/schema.ts';
import {
  foldedPayload,
  foldPage,
  INDEXATION_APPROVAL_ACTION,
  type IndexationPayload,
  type IndexationRefusalCode,
  type IndexationScope,
  indexationBatchId,
  indexationFold,
  indexationScope,
  pageLines,
} from '../../domain/benefits/indexation.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { adjustmentsOfYear } from '../../rules/benefits/indexation.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import {
  effectiveApprovalStatus,
  payloadHash,
  requestApproval,
  withdrawApproval,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import {
  type BatchRow,
  batchKey,
  batchRow,
  deleteLines,
  type IndexationRefusalStoreCode,
  indexedEntitlementPage,
  insertLines,
  REGISTER_PAGE,
  registerNow,
  runMonthFrom,
} from './indexation-store.ts';

/**
 * Proposes the indexation batch (待遇调整) of a city and year: the year's adjustments from the
 * rules (src/rules/values/<province>/indexation.yaml), the city's active entitlements read page
 * by page, the before/after line of each one that changes, stored with the pinned parameter
 * snapshot, and an approval asked for the exact payload (action benefits.indexation: line count,
 * digest of every line, totals, and the witness of the register the lines came from). One batch
 * per city and year (a unique key): a second proposal while the register and the rules are as the
 * first read them answers the first and writes nothing, unless the batch's approval was rejected
 * or ran out — then it asks a new approval of the same stored payload (askAgain); one made after
 * the entitlements changed, while the batch is still proposed, replaces its lines and asks for a
 * new approval (the old one no longer fits). An applied batch only answers.
 */
export type IndexationProposeCode =
  | IndexationRefusalCode
  | IndexationRefusalStoreCode
  | 'rules.parameter_missing';

/**
 * Why a proposal asked a new approval of a batch that had one: its approval was rejected or ran
 * out while the batch still fitted (the same payload asked again), or the register or the rules
 * changed since (the lines computed again).
 */
export type IndexationRenewal = 'approval_rejected' | 'approval_expired' | 'register_changed';

export type IndexationProposed = {
  batchId: string;
  status: 'proposed' | 'applied';
  approvalId: string;
  replayed: boolean;
  /** Null for a first proposal and a replay. */
  renewed: IndexationRenewal | null;
  /** The approval the renewal replaced (null when nothing was renewed). */
  previousApprovalId: string | null;
};

/**
 * The year's adjustments of the city under `rules`, checked, or the refusal: none set, a
 * mid-month date, or a payroll run already covering the first effective month.
 */
export async function scopeNow(
  ex: Executor,
  rules: RuleSet,
  input: { regionCode: string; year: number },
): Promise<Result<IndexationScope, IndexationProposeCode>> {
  const adjustments = adjustmentsOfYear(rules, input.regionCode, input.year);
  if (!adjustments.ok) return adjustments;
  const scope = indexationScope({ ...input, adjustments: adjustments.value });
  if (!scope.ok) return scope;
  const refused = await monthPaid(ex, input.regionCode, scope.value.adjustments);
  return refused ?? scope;
}

/** Refused when a payroll run of the city covers the adjustments' first effective month. */
export async function monthPaid(
  ex: Executor,
  regionCode: string,
  adjustments: IndexationPayload['adjustments'],
): Promise<Refusal<'benefit.indexation_month_paid'> | null> {
  const first = adjustments.map((a) => a.effectiveOn.slice(0, 7)).sort()[0] ?? '';
  const ran = await runMonthFrom(ex, regionCode, first);
  if (ran === null) return null;
  return refuse(
    'benefit.indexation_month_paid',
    `the payroll of ${ran} already ran for ${regionCode}, on or after the adjustment's effective month ${first}: arrears of a back-dated adjustment are not computed by the batch`,
    { month: ran, effectiveMonth: first },
  );
}

/**
 * Streams the register in pages of REGISTER_PAGE entitlements: each page's lines computed by the
 * domain (pageLines), inserted, and folded into the payload (digest, totals, register witness),
 * so memory holds one page whatever the register's size.
 */
async function streamLines(
  tx: Executor,
  scope: IndexationScope,
  input: { year: number; snapshotId: string },
): Promise<IndexationPayload> {
  const fold = indexationFold();
  let afterId = '';
  for (;;) {
    const entitlements = await indexedEntitlementPage(tx, {
      regionCode: scope.regionCode,
      afterId,
      limit: REGISTER_PAGE,
    });
    const page = pageLines(scope, entitlements);
    await insertLines(tx, scope.regionCode, scope.batchId, page.lines);
    foldPage(fold, entitlements, page);
    const last = entitlements.at(-1);
    if (last === undefined || entitlements.length < REGISTER_PAGE) break;
    afterId = last.id;
  }
  return foldedPayload(scope, input.year, input.snapshotId, fold);
}

/**
 * A proposed batch still fits the register when its snapshot is the rules' and the register
 * witness it recorded is the register's now: the lines are a function of both, so they would be
 * computed again identically (one aggregate instead of the whole computation).
 */
async function stillFits(tx: Executor, batch: BatchRow, snapshotId: string): Promise<boolean> {
  const recorded = batch.payload.register;
  if (recorded === undefined || batch.snapshotId !== snapshotId) return false;
  const now = await registerNow(tx, batch.regionCode);
  return (
    now.entitlements === recorded.entitlements &&
    now.amountFen === recorded.amountFen &&
    now.checksum === recorded.checksum
  );
}

export async function proposeIndexation(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: { regionCode: string; year: number },
  options: { policy: ApprovalPolicy },
): Promise<Result<IndexationProposed, IndexationProposeCode>> {
  const answer: { value: IndexationProposed | null } = { value: null };
  const written = await guardOnly<IndexationProposeCode>(db, async (tx) => {
    const out = await writeProposal(tx, actor, rules, input, options.policy);
    if (!out.ok) return out;
    answer.value = out.value;
    return null;
  });
  if (!written.ok) return written;
  if (answer.value === null) throw new Error('the proposal wrote no answer');
  return ok(answer.value);
}

async function writeProposal(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  input: { regionCode: string; year: number },
  policy: ApprovalPolicy,
): Promise<Result<IndexationProposed, IndexationProposeCode>> {
  const batchId = indexationBatchId(input.regionCode, input.year);
  // Concurrent proposals of one city and year queue here; the unique key backs it up.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('indexation:' || $1))", [batchId]);
  const existing = await batchRow(tx, input.regionCode, batchId, true);
  if (existing?.status === 'applied') return replayOf(existing);
  const scope = await scopeNow(tx, rules, input);
  if (!scope.ok) return scope;
  if (existing !== null && (await stillFits(tx, existing, rules.snapshotId))) {
    const dead = await deadApproval(tx, existing);
    return dead === null ? replayOf(existing) : askAgain(tx, actor, existing, dead, policy);
  }
  await tx.orm
    .insert(benefitParameterSnapshots)
    .values({ snapshotId: rules.snapshotId, content: snapshotContentOf(rules) })
    .onConflictDoNothing();
  if (existing !== null) {
    await deleteLines(tx, input.regionCode, batchId);
    // The lines it was asked for are gone: out of the checkers' queue (migration 0068).
    await withdrawApproval(tx, { regionCode: input.regionCode, id: existing.approvalId });
  }
  const payload = await streamLines(tx, scope.value, {
    year: input.year,
    snapshotId: rules.snapshotId,
  });
  const hash = payloadHash(payload);
  const approval = await requestApproval(tx, actor, {
    regionCode: input.regionCode,
    action: INDEXATION_APPROVAL_ACTION,
    payload,
    amountFen: null,
    policy,
  });
  const row = {
    status: 'proposed' as const,
    snapshotId: rules.snapshotId,
    payload,
    payloadSha256: hash,
    approvalId: approval.id,
    proposedBy: actor.username,
  };
  if (existing === null)
    await tx.orm
      .insert(benefitIndexationBatches)
      .values({ regionCode: input.regionCode, id: batchId, year: input.year, ...row });
  else
    await tx.orm
      .update(benefitIndexationBatches)
      .set(row)
      .where(batchKey(input.regionCode, batchId));
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.indexation.propose', `indexation/${input.regionCode}/${batchId}`, {
      approvalId: approval.id,
      payloadSha256: hash,
      lineCount: payload.lineCount,
      renewed: existing !== null,
      renewedBecause: existing === null ? null : 'register_changed',
      previousApprovalId: existing?.approvalId ?? null,
    }),
  );
  return ok({
    batchId,
    status: 'proposed',
    approvalId: approval.id,
    replayed: false,
    renewed: existing === null ? null : 'register_changed',
    previousApprovalId: existing?.approvalId ?? null,
  });
}

function replayOf(batch: BatchRow): Result<IndexationProposed, never> {
  return ok({
    batchId: batch.id,
    status: batch.status,
    approvalId: batch.approvalId,
    replayed: true,
    renewed: null,
    previousApprovalId: null,
  });
}

/** Why the batch's approval can no longer be used (rejected, or its time ran out), or null. */
async function deadApproval(
  tx: Executor,
  batch: BatchRow,
): Promise<'approval_rejected' | 'approval_expired' | null> {
  const status = await effectiveApprovalStatus(tx, batch.regionCode, batch.approvalId);
  if (status === 'rejected') return 'approval_rejected';
  if (status === 'expired') return 'approval_expired';
  return null;
}

/**
 * A batch that still fits the register and the rules but whose approval was rejected or expired:
 * its stored lines and payload stand (they would be computed again identically), so only a new
 * approval of that same payload is asked, by this maker, and the batch points at it. Replaying
 * the dead approval would leave the batch stuck: nothing else asks again while nothing changes.
 */
async function askAgain(
  tx: Executor,
  actor: Actor,
  batch: BatchRow,
  because: 'approval_rejected' | 'approval_expired',
  policy: ApprovalPolicy,
): Promise<Result<IndexationProposed, IndexationProposeCode>> {
  const approval = await requestApproval(tx, actor, {
    regionCode: batch.regionCode,
    action: INDEXATION_APPROVAL_ACTION,
    payload: batch.payload,
    amountFen: null,
    policy,
  });
  invariant(
    approval.payloadHash === batch.payloadSha256,
    `batch ${batch.id}'s stored payload no longer hashes to ${batch.payloadSha256}`,
  );
  await tx.orm
    .update(benefitIndexationBatches)
    .set({ approvalId: approval.id, proposedBy: actor.username })
    .where(batchKey(batch.regionCode, batch.id));
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.indexation.propose', `indexation/${batch.regionCode}/${batch.id}`, {
      approvalId: approval.id,
      payloadSha256: batch.payloadSha256,
      lineCount: batch.payload.lineCount,
      renewed: true,
      renewedBecause: because,
      previousApprovalId: batch.approvalId,
    }),
  );
  return ok({
    batchId: batch.id,
    status: 'proposed',
    approvalId: approval.id,
    replayed: false,
    renewed: because,
    previousApprovalId: batch.approvalId,
  });
}
