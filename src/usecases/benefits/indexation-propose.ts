import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitIndexationBatches, benefitParameterSnapshots } from '../../db/schema.ts';
import {
  INDEXATION_APPROVAL_ACTION,
  type IndexationPayload,
  type IndexationPlan,
  type IndexationRefusalCode,
  indexationBatchId,
  indexationPayload,
  indexationPlan,
} from '../../domain/benefits/indexation.ts';
import { snapshotContentOf } from '../../domain/benefits/parameter-snapshot.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { adjustmentsOfYear } from '../../rules/benefits/indexation.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { payloadHash, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import {
  activeIndexedEntitlements,
  batchRow,
  deleteLines,
  type IndexationRefusalStoreCode,
  insertLines,
  runMonthFrom,
} from './indexation-store.ts';

/**
 * Proposes the indexation batch (待遇调整) of a city and year: the year's adjustments from the
 * rules (src/rules/values/<province>/indexation.yaml), the city's active entitlements, the
 * before/after line of each one that changes, stored with the pinned parameter snapshot, and an
 * approval asked for the exact payload (action benefits.indexation). One batch per city and year
 * (a unique key): a second proposal computing the same payload answers the first and writes
 * nothing; one made after the entitlements changed, while the batch is still proposed, replaces
 * its lines and asks for a new approval (the old one no longer fits). An applied batch only answers.
 */
export type IndexationProposeCode =
  | IndexationRefusalCode
  | IndexationRefusalStoreCode
  | 'rules.parameter_missing';

export type IndexationProposed = {
  batchId: string;
  status: 'proposed' | 'applied';
  approvalId: string;
  replayed: boolean;
};

/** The plan and payload of a city's year computed now from the database under `rules`. */
export async function currentPlan(
  ex: Executor,
  rules: RuleSet,
  input: { regionCode: string; year: number },
): Promise<Result<{ plan: IndexationPlan; payload: IndexationPayload }, IndexationProposeCode>> {
  const adjustments = adjustmentsOfYear(rules, input.regionCode, input.year);
  if (!adjustments.ok) return adjustments;
  const entitlements = await activeIndexedEntitlements(ex, input.regionCode);
  const plan = indexationPlan({ ...input, adjustments: adjustments.value, entitlements });
  if (!plan.ok) return plan;
  const first = plan.value.adjustments.map((a) => a.effectiveOn.slice(0, 7)).sort()[0] ?? '';
  const ran = await runMonthFrom(ex, input.regionCode, first);
  if (ran !== null)
    return refuse(
      'benefit.indexation_month_paid',
      `the payroll of ${ran} already ran for ${input.regionCode}, on or after the adjustment's effective month ${first}: arrears of a back-dated adjustment are not computed by the batch`,
      { month: ran, effectiveMonth: first },
    );
  const payload = indexationPayload(input.regionCode, input.year, rules.snapshotId, plan.value);
  return ok({ plan: plan.value, payload });
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
  const replay = (b: NonNullable<typeof existing>) =>
    ok({ batchId, status: b.status, approvalId: b.approvalId, replayed: true });
  if (existing?.status === 'applied') return replay(existing);
  const now = await currentPlan(tx, rules, input);
  if (!now.ok) return now;
  const hash = payloadHash(now.value.payload);
  if (existing !== null && existing.payloadSha256 === hash) return replay(existing);
  await tx.orm
    .insert(benefitParameterSnapshots)
    .values({ snapshotId: rules.snapshotId, content: snapshotContentOf(rules) })
    .onConflictDoNothing();
  const approval = await requestApproval(tx, actor, {
    regionCode: input.regionCode,
    action: INDEXATION_APPROVAL_ACTION,
    payload: now.value.payload,
    amountFen: null,
    policy,
  });
  const row = {
    status: 'proposed' as const,
    snapshotId: rules.snapshotId,
    payload: now.value.payload,
    payloadSha256: hash,
    approvalId: approval.id,
    proposedBy: actor.username,
  };
  if (existing === null)
    await tx.orm
      .insert(benefitIndexationBatches)
      .values({ regionCode: input.regionCode, id: batchId, year: input.year, ...row });
  else {
    await deleteLines(tx, input.regionCode, batchId);
    await tx.orm
      .update(benefitIndexationBatches)
      .set(row)
      .where(
        and(
          eq(benefitIndexationBatches.regionCode, input.regionCode),
          eq(benefitIndexationBatches.id, batchId),
        ),
      );
  }
  await insertLines(tx, input.regionCode, batchId, now.value.plan.lines);
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.indexation.propose', `indexation/${input.regionCode}/${batchId}`, {
      approvalId: approval.id,
      payloadSha256: hash,
      lineCount: now.value.payload.lineCount,
      renewed: existing !== null,
    }),
  );
  return ok({ batchId, status: 'proposed', approvalId: approval.id, replayed: false });
}
