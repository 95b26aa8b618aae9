import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, withColumns } from '../../db/rows.ts';
import { contributionOffsets, employers } from '../../db/schema.ts';
import {
  OFFSET_ACTION,
  type OffsetPayload,
  offsetIdOf,
  offsetTransaction,
} from '../../domain/contributions/refund-postings.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { isIsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, payloadHash } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import {
  askOrPostExcess,
  badField,
  checkExcessFields,
  lockEmployerExcess,
} from './excess-movement.ts';
import { excessOf } from './overpayment-refund.ts';

/**
 * Offset (抵缴) of an employer's money held in 2103 暂收款 against a later assessment of the same
 * employer: Dr 2103 / Cr 1131, under the same maker-checker, client key and replay rules as a
 * refund (overpayment-refund.ts). The amount is at most the employer's excess and at most what the
 * month still owes (latest assessment − applied collections − earlier offsets), so an offset never
 * creates a new excess; arrears, the next collection posting and the reconciliation count it.
 */
export type OffsetRefusal =
  | 'refund.invalid_request'
  | 'refund.not_in_city'
  | 'refund.employer_not_found'
  | 'refund.exceeds_excess'
  | 'refund.key_conflict'
  | 'offset.exceeds_outstanding'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type OffsetOutcome = {
  status: 'approval_requested' | 'offset' | 'replayed';
  offsetId: string;
  transactionId: string;
  payload: OffsetPayload;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

function checkOffset(
  p: OffsetPayload,
): Result<true, 'refund.invalid_request' | 'refund.not_in_city'> {
  const common = checkExcessFields(p);
  if (!common.ok) return common;
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(p.month))
    return badField('month', 'the assessed month YYYY-MM');
  if (!isIsoDate(p.offsetOn)) return badField('offsetOn', 'a date YYYY-MM-DD');
  return ok(true);
}

/**
 * What the employer-month still owes: its latest assessment − applied collections − offsets. Hand
 * SQL: three sums over indexed rows, read through the typed mapper.
 */
async function outstandingOf(ex: Executor, p: OffsetPayload): Promise<number> {
  const r = await ex.query(
    `SELECT (coalesce((SELECT a.amount_fen FROM contribution_assessments a
                        WHERE a.region_code = $1 AND a.employer_id = $2 AND a.month = $3::date
                        ORDER BY a.version DESC LIMIT 1), 0)
           - coalesce((SELECT sum(c.applied_fen) FROM collection_records c
                        WHERE c.region_code = $1 AND c.employer_id = $2 AND c.match_month = $3::date
                          AND c.posting_id IS NOT NULL), 0)
           - coalesce((SELECT sum(o.amount_fen) FROM contribution_offsets o
                        WHERE o.region_code = $1 AND o.employer_id = $2 AND o.month = $3::date), 0))::int8 AS fen`,
    [p.city, p.employerId, `${p.month}-01`],
  );
  return withColumns(r, { fen: intOf }).rows[0]?.fen ?? 0;
}

async function checkState(
  ex: Executor,
  p: OffsetPayload,
): Promise<Result<'none' | 'same', OffsetRefusal>> {
  const [employer] = await ex.orm
    .select({ id: employers.id })
    .from(employers)
    .where(and(eq(employers.regionCode, p.city), eq(employers.id, p.employerId)));
  if (!employer)
    return refuse(
      'refund.employer_not_found',
      `no employer ${p.employerId} is registered in ${p.city}`,
      {
        employerId: p.employerId,
      },
    );
  const [row] = await ex.orm
    .select({ hash: contributionOffsets.payloadSha256 })
    .from(contributionOffsets)
    .where(
      and(
        eq(contributionOffsets.regionCode, p.city),
        eq(contributionOffsets.clientKey, p.clientKey),
      ),
    );
  if (row && row.hash !== payloadHash(p))
    return refuse(
      'refund.key_conflict',
      `the client key ${p.clientKey} was used for another offset: make a new key for a new offset`,
      { clientKey: p.clientKey },
    );
  if (row) return ok('same');
  const excessFen = await excessOf(ex, p.city, p.employerId);
  if (p.amountFen > excessFen)
    return refuse(
      'refund.exceeds_excess',
      `the offset of ${p.amountFen} fen is more than the ${excessFen} fen the employer has in 2103 暂收款`,
      { amountFen: p.amountFen, excessFen },
    );
  const outstandingFen = await outstandingOf(ex, p);
  if (p.amountFen > outstandingFen)
    return refuse(
      'offset.exceeds_outstanding',
      `${p.month} of the employer owes ${outstandingFen} fen: offset at most that (an offset never creates a new overpayment)`,
      { amountFen: p.amountFen, outstandingFen, month: p.month },
    );
  return ok('none');
}

export async function offsetOverpayment(
  db: Database,
  actor: Actor,
  input: OffsetPayload & { approvalId?: string | undefined; policy: ApprovalPolicy },
): Promise<Result<OffsetOutcome, OffsetRefusal>> {
  const { approvalId, policy, ...payload } = input;
  const valid = checkOffset(payload);
  if (!valid.ok) return valid;
  const state = await db.withConnection((ex) => checkState(ex, payload));
  if (!state.ok) return state;
  const request = offsetTransaction(payload);
  const base = {
    offsetId: offsetIdOf(payload.city, payload.clientKey),
    transactionId: request.id,
    payload,
    approval: null,
  };
  if (state.value === 'same') return ok({ ...base, status: 'replayed' });
  const step = await askOrPostExcess<OffsetRefusal>(db, actor, {
    payload,
    approvalId,
    policy,
    action: OFFSET_ACTION,
    auditAction: 'contributions.offset.post',
    request,
    write: (tx, id) => writeOffset(tx, actor, payload, id, request.id),
  });
  if (!step.ok) return step;
  const { step: done, approval } = step.value;
  return ok({ ...base, status: done === 'posted' ? 'offset' : done, approval });
}

async function writeOffset(
  tx: Executor,
  actor: Actor,
  p: OffsetPayload,
  approvalId: string,
  transactionId: string,
): Promise<Refusal<OffsetRefusal> | 'written' | 'replayed'> {
  // The refund's lock: a refund and an offset of the same employer's excess cannot both pass.
  await lockEmployerExcess(tx, p.city, p.employerId);
  // Collections posting the same month take the city's lock: an offset waits for them.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`collections:${p.city}`]);
  const state = await checkState(tx, p);
  if (!state.ok) return state;
  if (state.value === 'same') return 'replayed';
  const used = await consumeApproval(tx, {
    regionCode: p.city,
    id: approvalId,
    action: OFFSET_ACTION,
    payload: p,
  });
  if (!used.ok) return used;
  const id = offsetIdOf(p.city, p.clientKey);
  await tx.orm.insert(contributionOffsets).values({
    regionCode: p.city,
    id,
    clientKey: p.clientKey,
    employerId: p.employerId,
    month: `${p.month}-01`,
    amountFen: p.amountFen,
    reason: p.reason,
    offsetOn: p.offsetOn,
    payloadSha256: payloadHash(p),
    approvalId,
    transactionId,
    offsetBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(actor, 'contributions.offset', `offset/${p.city}/${id}`, {
      employerId: p.employerId,
      month: p.month,
      amountFen: p.amountFen,
      offsetOn: p.offsetOn,
      approvalId,
      checkerId: used.value.checkerId,
    }),
  );
  return 'written';
}
