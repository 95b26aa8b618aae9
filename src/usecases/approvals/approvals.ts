import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, like, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Executor } from '../../db/client.ts';
import { oneOf } from '../../db/rows.ts';
import { type ApprovalStatus, approvalDecisions, approvals, users } from '../../db/schema.ts';
import { canonicalJson } from '../../domain/audit/chain.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { isProvinceCode } from '../../kernel/region-codes.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { type ApprovalPolicy, requiredCheckers } from './approval-policy.ts';

/**
 * Maker-checker (docs/security.md, "Maker-checker"; ADR 0007): a maker asks for approval of an
 * exact payload, stored canonically so the checker sees what they approve; one or two checkers
 * (amount tier) holding another role than the maker's decide — migration 0009's trigger refuses
 * the maker and the maker's role, whatever the caller does; the action then consumes the
 * approval in the transaction that applies it, which only matches the same action and payload,
 * only before it expires, and only once.
 */
export type ApprovalRefusal =
  | 'approval.not_found'
  | 'approval.self_approval'
  | 'approval.same_role'
  | 'approval.already_decided'
  | 'approval.not_pending'
  | 'approval.not_approved'
  | 'approval.expired'
  | 'approval.already_used'
  | 'approval.payload_mismatch'
  | 'approval.action_mismatch'
  | 'approval.withdrawn';

/**
 * An approval's states (migrations 0001, 0009, 0068), for the row readers of the lists that show
 * one. `withdrawn`: the proposal it was asked for was superseded (withdrawApproval).
 */
export const APPROVAL_STATUSES: readonly ApprovalStatus[] = [
  'pending',
  'approved',
  'rejected',
  'consumed',
  'expired',
  'withdrawn',
];

/**
 * The approval's state as a reader should see it, in SQL over the approvals row `alias`: a pending
 * or approved approval whose time ran out is `expired` although its row is still marked as it was
 * (only a decision on it, or a use, marks the row). The lists that show an approval's state
 * (approvals, indexation batches, reissue batches and releases) read it through this one fragment.
 */
export function effectiveApprovalStatusSql(alias: string): string {
  return `(CASE WHEN ${alias}.status IN ('pending', 'approved') AND ${alias}.expires_at <= now()
    THEN 'expired' ELSE ${alias}.status END)`;
}

/**
 * The same state as a column of the ORM's selects over the approvals table joined without an
 * alias (its own name qualifies the columns); null through a left join that found no approval.
 */
export function effectiveApprovalStatusColumn<S extends ApprovalStatus | null = ApprovalStatus>() {
  return sql<S>`${sql.raw(effectiveApprovalStatusSql('approvals'))}`;
}

/**
 * One approval's state as `effectiveApprovalStatusSql` gives it, or null when there is no such
 * approval: what an action asks before deciding whether a stored approval is still alive.
 */
export async function effectiveApprovalStatus(
  ex: Executor,
  regionCode: string,
  id: string,
): Promise<ApprovalStatus | null> {
  const r = await ex.query(
    `SELECT ${effectiveApprovalStatusSql('a')} AS status
       FROM approvals a WHERE a.region_code = $1 AND a.id = $2`,
    [regionCode, id],
  );
  const row = r.rows[0];
  return row === undefined ? null : oneOf(row, 'status', APPROVAL_STATUSES);
}

/**
 * Withdraws the approval of a proposal that a newer one superseded, in the superseding
 * transaction (migration 0068): pending or approved-but-unused becomes `withdrawn`, final; any
 * other state is left as it is (a decision or a use already closed it). Answers whether it did.
 */
export async function withdrawApproval(
  tx: Executor,
  input: { regionCode: string; id: string },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE approvals SET status = 'withdrawn'
     WHERE region_code = $1 AND id = $2 AND status IN ('pending', 'approved')`,
    [input.regionCode, input.id],
  );
  return r.rowCount === 1;
}

export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/** The payload as stored and compared: canonical JSON (keys sorted, undefined fields dropped). */
export function canonicalPayload(payload: unknown): unknown {
  return JSON.parse(canonicalJson(payload));
}

export async function requestApproval(
  tx: Executor,
  maker: Actor,
  input: {
    regionCode: string;
    action: string;
    payload: unknown;
    /** The amount the tier is chosen by (null or absent: none known when asking). */
    amountFen?: number | null | undefined;
    policy: ApprovalPolicy;
  },
): Promise<{ id: string; payloadHash: string; requiredCheckers: 1 | 2; expiresAt: string }> {
  const id = `apr_${randomBytes(12).toString('hex')}`;
  const hash = payloadHash(input.payload);
  const amountFen = input.amountFen ?? null;
  const checkers = requiredCheckers(input.policy, input.action, amountFen);
  const [row] = await tx.orm
    .insert(approvals)
    .values({
      regionCode: input.regionCode,
      id,
      action: input.action,
      payloadHash: hash,
      payload: canonicalPayload(input.payload),
      makerId: maker.userId,
      // Overwritten by the trigger with the maker's role in users.
      makerRole: maker.role,
      expiresAt: sql`now() + make_interval(secs => ${input.policy.ttlMs / 1000})`,
      requiredCheckers: checkers,
      amountFen,
      status: 'pending',
    })
    .returning({ expiresAt: approvals.expiresAt });
  invariant(row, 'the approval insert returned no row');
  await appendAudit(tx, {
    actor: maker.username,
    role: maker.role,
    scope: scopeLabel(maker),
    action: 'approval.request',
    object: `approval/${input.regionCode}/${id}`,
    result: 'ok',
    requestId: maker.requestId,
    details: { action: input.action, payloadHash: hash, amountFen, requiredCheckers: checkers },
  });
  return {
    id,
    payloadHash: hash,
    requiredCheckers: checkers,
    expiresAt: row.expiresAt.toISOString(),
  };
}

const byKey = (regionCode: string, id: string) =>
  and(eq(approvals.regionCode, regionCode), eq(approvals.id, id));

async function lockApproval(tx: Executor, regionCode: string, id: string) {
  const [row] = await tx.orm
    .select({
      action: approvals.action,
      payloadHash: approvals.payloadHash,
      payload: approvals.payload,
      makerId: approvals.makerId,
      status: approvals.status,
      // The database's clock decides expiry, as its trigger does.
      expired: sql<boolean>`${approvals.expiresAt} <= now()`,
    })
    .from(approvals)
    .where(byKey(regionCode, id))
    .for('update');
  return row;
}

/** Migration 0009's SQLSTATEs: the trigger's word on separation of duties and status. */
const TRIGGER_REFUSALS: Readonly<Record<string, ApprovalRefusal>> = {
  TCA01: 'approval.self_approval',
  TCA02: 'approval.same_role',
  TCA03: 'approval.not_pending',
  TCA04: 'approval.expired',
};

/**
 * The database error behind `err` (Drizzle wraps the driver's error as its `cause`), with its
 * SQLSTATE, or null.
 */
function databaseError(err: unknown): { code: string; message: string } | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth += 1) {
    if ('code' in e && typeof e.code === 'string') return { code: e.code, message: e.message };
    e = e.cause;
  }
  return null;
}

/** The typed refusal of an error raised by migration 0009's triggers, or null for any other. */
export function approvalRefusalOf(err: unknown): Refusal<ApprovalRefusal> | null {
  const e = databaseError(err);
  const code = e === null ? undefined : TRIGGER_REFUSALS[e.code];
  if (e === null || code === undefined) return null;
  return refuse(code, e.message.replace(/^approval\.[a-z_]+: /, ''), { raisedBy: 'database' });
}

export type Decision = 'approved' | 'rejected';

export type DecisionOutcome = {
  id: string;
  /** pending: approved by fewer checkers than its tier needs so far. */
  status: 'pending' | 'approved' | 'rejected';
  approvingCheckers: number;
  requiredCheckers: number;
};

function isDuplicateDecision(err: unknown): boolean {
  return databaseError(err)?.code === '23505';
}

/**
 * A checker's decision. The database refuses the maker and anyone holding the maker's role
 * (migration 0009); the approval becomes approved when its tier's number of distinct checkers
 * approved it, rejected at the first rejection. A decision on an expired approval marks it expired.
 */
export async function decideApproval(
  db: Database,
  checker: Actor,
  input: { regionCode: string; id: string; decision: Decision },
): Promise<Result<DecisionOutcome, ApprovalRefusal>> {
  try {
    return await db.transaction(async (tx) => {
      const row = await lockApproval(tx, input.regionCode, input.id);
      if (!row) return refuse('approval.not_found', `approval ${input.id} not found`);
      if (row.expired && (row.status === 'pending' || row.status === 'approved')) {
        await tx.orm
          .update(approvals)
          .set({ status: 'expired' })
          .where(byKey(input.regionCode, input.id));
        return refuse('approval.expired', `approval ${input.id} has expired; ask for a new one`);
      }
      if (row.status !== 'pending')
        return refuse('approval.not_pending', `approval ${input.id} is already ${row.status}`);
      await tx.orm.insert(approvalDecisions).values({
        regionCode: input.regionCode,
        approvalId: input.id,
        checkerId: checker.userId,
        // Overwritten by the trigger with the checker's role in users.
        checkerRole: checker.role,
        decision: input.decision,
      });
      const outcome = await decisionOutcome(tx, input.regionCode, input.id);
      await appendAudit(tx, {
        actor: checker.username,
        role: checker.role,
        scope: scopeLabel(checker),
        action: `approval.${input.decision === 'approved' ? 'approve' : 'reject'}`,
        object: `approval/${input.regionCode}/${input.id}`,
        result: 'ok',
        requestId: checker.requestId,
        details: {
          status: outcome.status,
          approvingCheckers: outcome.approvingCheckers,
          requiredCheckers: outcome.requiredCheckers,
        },
      });
      return ok(outcome);
    });
  } catch (err) {
    const refusal = approvalRefusalOf(err);
    if (refusal) return refusal;
    if (isDuplicateDecision(err))
      return refuse(
        'approval.already_decided',
        `you already decided approval ${input.id}; a second checker must be another user`,
      );
    throw err;
  }
}

async function decisionOutcome(
  tx: Executor,
  regionCode: string,
  id: string,
): Promise<DecisionOutcome> {
  const [row] = await tx.orm
    .select({
      status: approvals.status,
      requiredCheckers: approvals.requiredCheckers,
      approving: sql<number>`(SELECT count(*)::int FROM approval_decisions d
        WHERE d.region_code = ${approvals.regionCode} AND d.approval_id = ${approvals.id}
          AND d.decision = 'approved')`,
    })
    .from(approvals)
    .where(byKey(regionCode, id));
  invariant(row, `approval ${id} vanished while being decided`);
  const status = row.status;
  invariant(
    status === 'pending' || status === 'approved' || status === 'rejected',
    `approval ${id} is ${status} right after a decision`,
  );
  return {
    id,
    status,
    approvingCheckers: Number(row.approving),
    requiredCheckers: row.requiredCheckers,
  };
}

/** Top-level payload fields whose values differ (what the refusal names). */
function differingFields(approved: unknown, requested: unknown): string[] {
  const a = approved !== null && typeof approved === 'object' ? approved : {};
  const b = requested !== null && typeof requested === 'object' ? requested : {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys]
    .filter(
      (k) =>
        canonicalJson((a as Record<string, unknown>)[k]) !==
        canonicalJson((b as Record<string, unknown>)[k]),
    )
    .sort();
}

/**
 * Inside the action's transaction: the approval must be for this action and this exact payload
 * (canonical JSON and its hash), approved by its tier's checkers, not expired, and not used yet.
 * It is then consumed, so a second use is refused.
 */
export async function consumeApproval(
  tx: Executor,
  input: { regionCode: string; id: string; action: string; payload: unknown },
): Promise<Result<{ checkerId: string }, ApprovalRefusal>> {
  const usable = await checkApproval(tx, input);
  if (!usable.ok) return usable;
  const [upd] = await tx.orm
    .update(approvals)
    .set({ status: 'consumed' })
    .where(byKey(input.regionCode, input.id))
    .returning({ checkerId: approvals.checkerId });
  // An approved approval always names its (last) checker (set by the decisions' trigger).
  invariant(upd?.checkerId, `approval ${input.id} was approved without a checker`);
  return ok({ checkerId: upd.checkerId });
}

/**
 * What `consumeApproval` checks, without consuming (the row stays locked until the transaction
 * ends): a multi-step action checks at its first step and consumes at the one that moves money.
 */
export async function checkApproval(
  tx: Executor,
  input: { regionCode: string; id: string; action: string; payload: unknown },
): Promise<Result<true, ApprovalRefusal>> {
  const row = await lockApproval(tx, input.regionCode, input.id);
  if (!row) return refuse('approval.not_found', `approval ${input.id} not found`);
  if (row.action !== input.action)
    return refuse(
      'approval.action_mismatch',
      `approval ${input.id} is for ${row.action}, not ${input.action}`,
    );
  if (row.status === 'consumed')
    return refuse(
      'approval.already_used',
      `approval ${input.id} was used already; it applies once`,
    );
  if (row.status === 'withdrawn')
    return refuse(
      'approval.withdrawn',
      `approval ${input.id} was withdrawn: the proposal it was asked for was superseded; use the new proposal's approval`,
    );
  if (row.status === 'expired' || (row.expired && row.status !== 'rejected'))
    return refuse('approval.expired', `approval ${input.id} has expired; ask for a new one`);
  if (row.status !== 'approved')
    return refuse(
      'approval.not_approved',
      `approval ${input.id} is ${row.status}; it must be approved first`,
    );
  const requested = canonicalPayload(input.payload);
  if (
    row.payloadHash !== payloadHash(input.payload) ||
    canonicalJson(row.payload) !== canonicalJson(requested)
  )
    return refuse(
      'approval.payload_mismatch',
      'the request differs from what was approved; ask for a new approval',
      { fields: differingFields(row.payload, requested) },
    );
  return ok(true);
}

export type ApprovalView = {
  regionCode: string;
  id: string;
  action: string;
  payloadHash: string;
  payload: unknown;
  maker: string;
  makerRole: string;
  checker: string | null;
  /** expired: also a pending or approved approval whose time ran out (not yet marked). */
  status: ApprovalStatus;
  requiredCheckers: number;
  amountFen: number | null;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
};

export type ApprovalDecisionView = {
  checker: string;
  checkerRole: string;
  decision: Decision;
  decidedAt: string;
};

const maker = alias(users, 'maker');
const checker = alias(users, 'checker');

function approvalColumns() {
  const a = approvals;
  return {
    regionCode: a.regionCode,
    id: a.id,
    action: a.action,
    payloadHash: a.payloadHash,
    payload: a.payload,
    maker: maker.username,
    makerRole: a.makerRole,
    checker: checker.username,
    status: effectiveApprovalStatusColumn(),
    requiredCheckers: a.requiredCheckers,
    amountFen: a.amountFen,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    decidedAt: a.decidedAt,
  };
}

type ApprovalRow = {
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  amountFen: number | string | null;
};

function viewOf<R extends ApprovalRow>(x: R) {
  return {
    ...x,
    // A computed column arrives untyped by the int8 column mapper; the stored one is a number.
    amountFen: x.amountFen === null ? null : Number(x.amountFen),
    createdAt: x.createdAt.toISOString(),
    expiresAt: x.expiresAt.toISOString(),
    decidedAt: x.decidedAt ? x.decidedAt.toISOString() : null,
  };
}

/** The approvals of a region (a province sees its cities' too), newest first: a checker's work list. */
export async function listApprovals(
  db: Database,
  input: { within: string; status?: ApprovalView['status'] | undefined; limit: number },
): Promise<ApprovalView[]> {
  const a = approvals;
  const cols = approvalColumns();
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select(cols)
      .from(a)
      .innerJoin(maker, eq(maker.id, a.makerId))
      .leftJoin(checker, eq(checker.id, a.checkerId))
      .where(
        and(
          // A province sees its cities' approvals too: the same two leading digits.
          isProvinceCode(input.within)
            ? like(a.regionCode, `${input.within.slice(0, 2)}%`)
            : eq(a.regionCode, input.within),
          input.status === undefined ? undefined : sql`${cols.status} = ${input.status}`,
        ),
      )
      .orderBy(desc(a.createdAt), a.id)
      .limit(input.limit),
  );
  return rows.map(viewOf);
}

/** One approval with its decisions, or null. */
export async function getApproval(
  db: Database,
  input: { regionCode: string; id: string },
): Promise<(ApprovalView & { decisions: ApprovalDecisionView[] }) | null> {
  const d = approvalDecisions;
  return db.withConnection(async (ex) => {
    const [row] = await ex.orm
      .select(approvalColumns())
      .from(approvals)
      .innerJoin(maker, eq(maker.id, approvals.makerId))
      .leftJoin(checker, eq(checker.id, approvals.checkerId))
      .where(byKey(input.regionCode, input.id));
    if (!row) return null;
    const decisions = await ex.orm
      .select({
        checker: users.username,
        checkerRole: d.checkerRole,
        decision: d.decision,
        decidedAt: d.decidedAt,
      })
      .from(d)
      .innerJoin(users, eq(users.id, d.checkerId))
      .where(and(eq(d.regionCode, input.regionCode), eq(d.approvalId, input.id)))
      .orderBy(asc(d.decidedAt), d.checkerId);
    return {
      ...viewOf(row),
      decisions: decisions.map((x) => ({ ...x, decidedAt: x.decidedAt.toISOString() })),
    };
  });
}

/**
 * The checker approves, unless the approval is already approved: a step that decides and then
 * applies (a payroll run, a statement's payment) may be rerun after the decision, before applying.
 * Null when approved (now or before); otherwise the decision's refusal.
 */
export async function approveUnlessApproved(
  db: Database,
  checker: Actor,
  input: { regionCode: string; id: string },
): Promise<Refusal<ApprovalRefusal> | null> {
  const r = await db.query('SELECT status FROM approvals WHERE region_code = $1 AND id = $2', [
    input.regionCode,
    input.id,
  ]);
  if (r.rows[0]?.['status'] === 'approved') return null;
  const outcome = await decideApproval(db, checker, { ...input, decision: 'approved' });
  return outcome.ok ? null : outcome;
}
