import { createHash, randomBytes } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { canonicalJson } from '../../domain/audit/chain.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
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
  await tx.query(
    `INSERT INTO approvals (region_code, id, action, payload_hash, maker_id, status) VALUES ($1, $2, $3, $4, $5, 'pending')`,
    [input.regionCode, id, input.action, hash, maker.userId],
  );
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

type ApprovalRow = { action: string; payload_hash: string; maker_id: string; status: string };

async function lockApproval(
  tx: Executor,
  regionCode: string,
  id: string,
): Promise<ApprovalRow | undefined> {
  const r = await tx.query<ApprovalRow>(
    'SELECT action, payload_hash, maker_id, status FROM approvals WHERE region_code = $1 AND id = $2 FOR UPDATE',
    [regionCode, id],
  );
  return r.rows[0];
}

export async function decideApproval(
  db: Database,
  checker: Actor,
  input: { regionCode: string; id: string; decision: 'approved' | 'rejected' },
): Promise<Result<{ id: string; status: 'approved' | 'rejected' }, ApprovalRefusal>> {
  return db.transaction(async (tx) => {
    const row = await lockApproval(tx, input.regionCode, input.id);
    if (!row) return refuse('approval.not_found', `approval ${input.id} not found`);
    if (row.maker_id === checker.userId)
      return refuse(
        'approval.self_approval',
        'the maker of a request cannot approve it; another user must',
      );
    if (row.status !== 'pending')
      return refuse('approval.not_pending', `approval ${input.id} is already ${row.status}`);
    await tx.query(
      `UPDATE approvals SET status = $3, checker_id = $4, decided_at = now() WHERE region_code = $1 AND id = $2`,
      [input.regionCode, input.id, input.decision, checker.userId],
    );
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
  if (row.payload_hash !== payloadHash(input.payload))
    return refuse(
      'approval.payload_mismatch',
      'the request differs from what was approved; ask for a new approval',
    );
  const upd = await tx.query<{ checker_id: string }>(
    `UPDATE approvals SET status = 'consumed' WHERE region_code = $1 AND id = $2 RETURNING checker_id`,
    [input.regionCode, input.id],
  );
  return ok({ checkerId: upd.rows[0]!.checker_id });
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
  const provinceWide = input.within.endsWith('0000');
  const r = await db.query<{
    region_code: string;
    id: string;
    action: string;
    payload_hash: string;
    maker: string;
    checker: string | null;
    status: ApprovalView['status'];
    created_at: Date;
    decided_at: Date | null;
  }>(
    `SELECT a.region_code, a.id, a.action, a.payload_hash, m.username AS maker, c.username AS checker,
            a.status, a.created_at, a.decided_at
       FROM approvals a JOIN users m ON m.id = a.maker_id LEFT JOIN users c ON c.id = a.checker_id
      WHERE (CASE WHEN $2 THEN left(a.region_code, 2) = left($1, 2) ELSE a.region_code = $1 END)
        AND ($3::text IS NULL OR a.status = $3)
      ORDER BY a.created_at DESC, a.id LIMIT $4`,
    [input.within, provinceWide, input.status ?? null, input.limit],
  );
  return r.rows.map((x) => ({
    regionCode: x.region_code,
    id: x.id,
    action: x.action,
    payloadHash: x.payload_hash,
    maker: x.maker,
    checker: x.checker,
    status: x.status,
    createdAt: new Date(x.created_at).toISOString(),
    decidedAt: x.decided_at ? new Date(x.decided_at).toISOString() : null,
  }));
}
