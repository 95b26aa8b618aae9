import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, like, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Executor } from '../../db/client.ts';
import { approvals, users } from '../../db/schema.ts';
import { canonicalJson } from '../../domain/audit/chain.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { isProvinceCode } from '../../kernel/region-codes.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit } from '../audit/audit-log.ts';

/**
 * Maker-checker: a maker asks for approval of an exact payload; a different user approves it; the
 * action then consumes the approval, which only matches the same payload (by hash) and only once.
 */
export type ApprovalRefusal =
  | 'approval.not_found'
  | 'approval.self_approval'
  | 'approval.not_pending'
  | 'approval.not_approved'
  | 'approval.payload_mismatch'
  | 'approval.action_mismatch';

export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

export async function requestApproval(
  tx: Executor,
  maker: Actor,
  input: { regionCode: string; action: string; payload: unknown },
): Promise<{ id: string; payloadHash: string }> {
  const id = `apr_${randomBytes(12).toString('hex')}`;
  const hash = payloadHash(input.payload);
  await tx.orm.insert(approvals).values({
    regionCode: input.regionCode,
    id,
    action: input.action,
    payloadHash: hash,
    makerId: maker.userId,
    status: 'pending',
  });
  await appendAudit(tx, {
    actor: maker.username,
    role: maker.role,
    scope: scopeLabel(maker),
    action: 'approval.request',
    object: `approval/${input.regionCode}/${id}`,
    result: 'ok',
    requestId: maker.requestId,
    details: { action: input.action, payloadHash: hash },
  });
  return { id, payloadHash: hash };
}

const byKey = (regionCode: string, id: string) =>
  and(eq(approvals.regionCode, regionCode), eq(approvals.id, id));

async function lockApproval(tx: Executor, regionCode: string, id: string) {
  const [row] = await tx.orm
    .select({
      action: approvals.action,
      payloadHash: approvals.payloadHash,
      makerId: approvals.makerId,
      status: approvals.status,
    })
    .from(approvals)
    .where(byKey(regionCode, id))
    .for('update');
  return row;
}

export async function decideApproval(
  db: Database,
  checker: Actor,
  input: { regionCode: string; id: string; decision: 'approved' | 'rejected' },
): Promise<Result<{ id: string; status: 'approved' | 'rejected' }, ApprovalRefusal>> {
  return db.transaction(async (tx) => {
    const row = await lockApproval(tx, input.regionCode, input.id);
    if (!row) return refuse('approval.not_found', `approval ${input.id} not found`);
    if (row.makerId === checker.userId)
      return refuse(
        'approval.self_approval',
        'the maker of a request cannot approve it; another user must',
      );
    if (row.status !== 'pending')
      return refuse('approval.not_pending', `approval ${input.id} is already ${row.status}`);
    await tx.orm
      .update(approvals)
      .set({ status: input.decision, checkerId: checker.userId, decidedAt: sql`now()` })
      .where(byKey(input.regionCode, input.id));
    await appendAudit(tx, {
      actor: checker.username,
      role: checker.role,
      scope: scopeLabel(checker),
      action: `approval.${input.decision === 'approved' ? 'approve' : 'reject'}`,
      object: `approval/${input.regionCode}/${input.id}`,
      result: 'ok',
      requestId: checker.requestId,
    });
    return ok({ id: input.id, status: input.decision });
  });
}

/** Inside the action's transaction: the approval must be approved, for this action and this exact payload. */
export async function consumeApproval(
  tx: Executor,
  input: { regionCode: string; id: string; action: string; payload: unknown },
): Promise<Result<{ checkerId: string }, ApprovalRefusal>> {
  const row = await lockApproval(tx, input.regionCode, input.id);
  if (!row) return refuse('approval.not_found', `approval ${input.id} not found`);
  if (row.action !== input.action)
    return refuse(
      'approval.action_mismatch',
      `approval ${input.id} is for ${row.action}, not ${input.action}`,
    );
  if (row.status !== 'approved')
    return refuse(
      'approval.not_approved',
      `approval ${input.id} is ${row.status}; it must be approved first`,
    );
  if (row.payloadHash !== payloadHash(input.payload))
    return refuse(
      'approval.payload_mismatch',
      'the request differs from what was approved; ask for a new approval',
    );
  const [upd] = await tx.orm
    .update(approvals)
    .set({ status: 'consumed' })
    .where(byKey(input.regionCode, input.id))
    .returning({ checkerId: approvals.checkerId });
  // An approved approval always names its checker (set by decideApproval).
  invariant(upd?.checkerId, `approval ${input.id} was approved without a checker`);
  return ok({ checkerId: upd.checkerId });
}

export type ApprovalView = {
  regionCode: string;
  id: string;
  action: string;
  payloadHash: string;
  maker: string;
  checker: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'consumed';
  createdAt: string;
  decidedAt: string | null;
};

/** The approvals of a region (a province sees its cities' too), newest first: a checker's work list. */
export async function listApprovals(
  db: Database,
  input: { within: string; status?: ApprovalView['status'] | undefined; limit: number },
): Promise<ApprovalView[]> {
  const maker = alias(users, 'maker');
  const checker = alias(users, 'checker');
  const a = approvals;
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({
        regionCode: a.regionCode,
        id: a.id,
        action: a.action,
        payloadHash: a.payloadHash,
        maker: maker.username,
        checker: checker.username,
        status: a.status,
        createdAt: a.createdAt,
        decidedAt: a.decidedAt,
      })
      .from(a)
      .innerJoin(maker, eq(maker.id, a.makerId))
      .leftJoin(checker, eq(checker.id, a.checkerId))
      .where(
        and(
          // A province sees its cities' approvals too: the same two leading digits.
          isProvinceCode(input.within)
            ? like(a.regionCode, `${input.within.slice(0, 2)}%`)
            : eq(a.regionCode, input.within),
          input.status === undefined ? undefined : eq(a.status, input.status),
        ),
      )
      .orderBy(desc(a.createdAt), a.id)
      .limit(input.limit),
  );
  return rows.map((x) => ({
    ...x,
    createdAt: x.createdAt.toISOString(),
    decidedAt: x.decidedAt ? x.decidedAt.toISOString() : null,
  }));
}
