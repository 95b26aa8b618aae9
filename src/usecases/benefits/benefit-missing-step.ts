import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitMissing } from '../../db/schema.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { ok, type Refusal, type Result } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { type MissingView, missingOf } from './benefit-missing-read.ts';

/** What a paying step on a missing event answers: asked for approval, or done (maybe replayed). */
export type MissingStepOutcome<S extends string> = {
  status: 'approval_requested' | S;
  replayed: boolean;
  missing: MissingView;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

/** One paying step (the advance, the declared death) of a recorded, checked missing event. */
export type MissingStep<G extends string, S extends string> = {
  held: MissingView;
  approvalId: string | undefined;
  policy: ApprovalPolicy;
  action: string;
  payload: unknown;
  amountFen: number;
  transaction: TransactionRequest;
  auditAction: string;
  /** Inside the ledger write: the event locked and checked again, the approval consumed, the row. */
  guard: (tx: Executor, approvalId: string) => Promise<Refusal<G> | null>;
  /** Whether the event as read now carries this step on this approval (a retry's answer). */
  replays: (m: MissingView) => boolean;
  done: S;
};

/**
 * The maker-checker skeleton both paying steps of 第四十一条 share: without an approval id, the
 * approval of the exact payload is asked for; with one, the ledger transaction is posted with the
 * step's guard in its transaction, and a refused write whose step stands already (a retry) answers
 * replayed instead of the refusal.
 */
export async function askOrPostMissingStep<G extends string, S extends string>(
  db: Database,
  actor: Actor,
  step: MissingStep<G, S>,
): Promise<Result<MissingStepOutcome<S>, G | LedgerRefusalCode>> {
  const { held } = step;
  const approvalId = step.approvalId;
  if (approvalId === undefined) {
    const a = await db.transaction((tx) =>
      requestApproval(tx, actor, {
        regionCode: held.regionCode,
        action: step.action,
        payload: step.payload,
        amountFen: step.amountFen,
        policy: step.policy,
      }),
    );
    const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
    return ok({ status: 'approval_requested', replayed: false, missing: held, approval });
  }
  const written = await postTransactions<G>(db, actor, [step.transaction], {
    auditAction: step.auditAction,
    guard: (tx) => step.guard(tx, approvalId),
  });
  const now = await db.withConnection((ex) => missingOf(ex, held.regionCode, held.caseId));
  invariant(now !== null, 'the missing event vanished');
  if (!written.ok)
    return step.replays(now)
      ? ok({ status: step.done, replayed: true, missing: now, approval: null })
      : written;
  return ok({ status: step.done, replayed: false, missing: now, approval: null });
}

/**
 * Inside a step's ledger write: the event's row locked, the event read again under the lock, the
 * step's checks rerun on it and its approval consumed against the payload as it reads now. The
 * event, or the refusal that stops the write.
 */
export async function lockApprovedMissing<G extends string>(
  tx: Executor,
  key: { regionCode: string; caseId: string },
  approval: { id: string; action: string },
  step: {
    check: (m: MissingView | null) => Promise<Refusal<G> | null> | Refusal<G> | null;
    payloadOf: (m: MissingView) => unknown;
  },
): Promise<Result<MissingView, G | ApprovalRefusal>> {
  await tx.orm
    .select({ id: benefitMissing.id })
    .from(benefitMissing)
    .where(missingKey(key))
    .for('update');
  const m = await missingOf(tx, key.regionCode, key.caseId);
  const refused = await step.check(m);
  if (refused !== null) return refused;
  invariant(m !== null, 'a step checked on an event that is not recorded');
  const used = await consumeApproval(tx, {
    regionCode: key.regionCode,
    id: approval.id,
    action: approval.action,
    payload: step.payloadOf(m),
  });
  if (!used.ok) return used;
  return ok(m);
}

/** The missing event's row of a case (the key its steps update). */
export function missingKey(key: { regionCode: string; caseId: string }) {
  return and(eq(benefitMissing.regionCode, key.regionCode), eq(benefitMissing.caseId, key.caseId));
}

/** A step's payment id, derived from its approval and item: a rerun names the same row. */
export function missingPaymentId(regionCode: string, approvalId: string, item: string): string {
  const digest = createHash('sha256').update(`${approvalId}|${item}`).digest('hex');
  return `bpy_${regionCode}_${digest.slice(0, 16)}`;
}
