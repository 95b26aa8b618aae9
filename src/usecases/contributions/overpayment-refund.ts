import { and, asc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, withColumns } from '../../db/rows.ts';
import {
  contributionOffsets,
  contributionRefundFailures,
  contributionRefundFileItems,
  contributionRefunds,
  employers,
} from '../../db/schema.ts';
import {
  REFUND_ACTION,
  type RefundPayload,
  refundIdOf,
  refundTransaction,
} from '../../domain/contributions/refund-postings.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { isIsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, payloadHash } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { withinRegion } from '../registry/employers.ts';
import {
  askOrPostExcess,
  badField,
  checkExcessFields,
  lockEmployerExcess,
} from './excess-movement.ts';

/**
 * Refund of contributions an employer paid beyond what it owed (held in 2103 暂收款 by the
 * collection postings, ADR 0010). 《社会保险法》第九十条 names the refund of contributions not owed
 * ("退还不应当缴纳的社会保险费"); no held text sets a procedure, so it follows the fund's: the handler
 * proposes (amount, reason, the employer's bank account, the day), a checker of another role
 * approves that exact payload, and the same call with the approval posts Dr 2103 / Cr 1001 with the
 * refund row and the audit event in one transaction. The refund's id and its ledger transaction
 * derive from the city and the handler's client key, so a retry answers `replayed` and moves
 * nothing; an amount above the employer's 2103 balance is refused and nothing is written.
 */
export type RefundRefusal =
  | 'refund.invalid_request'
  | 'refund.not_in_city'
  | 'refund.employer_not_found'
  | 'refund.exceeds_excess'
  | 'refund.key_conflict'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type RefundOutcome = {
  status: 'approval_requested' | 'refunded' | 'replayed';
  refundId: string;
  transactionId: string;
  payload: RefundPayload;
  /** The employer's 2103 balance before this refund and after it (as of the answer). */
  excessBeforeFen: number;
  excessAfterFen: number;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

function checkRequest(
  p: RefundPayload,
): Result<true, 'refund.invalid_request' | 'refund.not_in_city'> {
  const common = checkExcessFields(p);
  if (!common.ok) return common;
  if (!/^[0-9]{8,32}$/.test(p.accountNumber))
    return badField('accountNumber', '8–32 digits of the employer’s bank account');
  if (p.bankName.trim().length === 0 || p.bankName.length > 100)
    return badField('bankName', '1–100 characters');
  if (p.accountName.trim().length === 0 || p.accountName.length > 200)
    return badField('accountName', '1–200 characters');
  if (!isIsoDate(p.refundOn)) return badField('refundOn', 'a date YYYY-MM-DD');
  return ok(true);
}

/**
 * The employer's money held in 2103: the overpaid parts of its posted collection records (employer
 * months and projects alike) minus its refunds and offsets, plus the refunds the bank reported not
 * paid (refund-failure.ts: their money came back). Hand SQL: two sums over indexed rows, read through
 * the typed mapper.
 */
export async function excessOf(ex: Executor, city: string, employerId: string): Promise<number> {
  const r = await ex.query(
    `SELECT (coalesce((SELECT sum(overpaid_fen) FROM collection_records
                        WHERE region_code = $1 AND employer_id = $2 AND posting_id IS NOT NULL), 0)
           - coalesce((SELECT sum(amount_fen) FROM contribution_refunds
                        WHERE region_code = $1 AND employer_id = $2), 0)
           - coalesce((SELECT sum(amount_fen) FROM contribution_offsets
                        WHERE region_code = $1 AND employer_id = $2), 0)
           + coalesce((SELECT sum(amount_fen) FROM contribution_refund_failures
                        WHERE region_code = $1 AND employer_id = $2), 0))::int8 AS fen`,
    [city, employerId],
  );
  return withColumns(r, { fen: intOf }).rows[0]?.fen ?? 0;
}

type Found = { excessFen: number; existing: 'none' | 'same' | 'other' };

async function look(
  ex: Executor,
  p: RefundPayload,
): Promise<Result<Found, 'refund.employer_not_found'>> {
  const [employer] = await ex.orm
    .select({ id: employers.id })
    .from(employers)
    .where(and(eq(employers.regionCode, p.city), eq(employers.id, p.employerId)));
  if (!employer)
    return refuse(
      'refund.employer_not_found',
      `no employer ${p.employerId} is registered in ${p.city}`,
      { employerId: p.employerId },
    );
  const [row] = await ex.orm
    .select({ hash: contributionRefunds.payloadSha256 })
    .from(contributionRefunds)
    .where(
      and(
        eq(contributionRefunds.regionCode, p.city),
        eq(contributionRefunds.clientKey, p.clientKey),
      ),
    );
  const existing = !row ? 'none' : row.hash === payloadHash(p) ? 'same' : 'other';
  return ok({ excessFen: await excessOf(ex, p.city, p.employerId), existing });
}

function refusalOf(p: RefundPayload, found: Found): Refusal<RefundRefusal> | null {
  if (found.existing === 'other')
    return refuse(
      'refund.key_conflict',
      `the client key ${p.clientKey} was used for another refund: make a new key for a new refund`,
      { clientKey: p.clientKey },
    );
  if (found.existing === 'none' && p.amountFen > found.excessFen)
    return refuse(
      'refund.exceeds_excess',
      `the refund of ${p.amountFen} fen is more than the ${found.excessFen} fen the employer has in 2103 暂收款: refund at most that`,
      { amountFen: p.amountFen, excessFen: found.excessFen },
    );
  return null;
}

export async function refundOverpayment(
  db: Database,
  actor: Actor,
  input: RefundPayload & { approvalId?: string | undefined; policy: ApprovalPolicy },
): Promise<Result<RefundOutcome, RefundRefusal>> {
  const { approvalId, policy, ...payload } = input;
  const valid = checkRequest(payload);
  if (!valid.ok) return valid;
  const found = await db.withConnection((ex) => look(ex, payload));
  if (!found.ok) return found;
  const refused = refusalOf(payload, found.value);
  if (refused) return refused;
  const request = refundTransaction(payload);
  const base = {
    refundId: refundIdOf(payload.city, payload.clientKey),
    transactionId: request.id,
    payload,
    approval: null,
  };
  const { excessFen } = found.value;
  if (found.value.existing === 'same')
    return ok({
      ...base,
      status: 'replayed',
      excessBeforeFen: excessFen + payload.amountFen,
      excessAfterFen: excessFen,
    });
  const step = await askOrPostExcess<RefundRefusal>(db, actor, {
    payload,
    approvalId,
    policy,
    action: REFUND_ACTION,
    auditAction: 'contributions.refund.post',
    request,
    write: (tx, id) => writeRefund(tx, actor, payload, id, request.id),
  });
  if (!step.ok) return step;
  const { step: done, approval } = step.value;
  if (done === 'approval_requested')
    return ok({
      ...base,
      status: done,
      excessBeforeFen: excessFen,
      excessAfterFen: excessFen - payload.amountFen,
      approval,
    });
  const now = await db.withConnection((ex) => excessOf(ex, payload.city, payload.employerId));
  return ok({
    ...base,
    status: done === 'posted' ? 'refunded' : done,
    excessBeforeFen: now + payload.amountFen,
    excessAfterFen: now,
  });
}

/** In the ledger's write transaction: recheck under the employer's lock, consume, record, audit. */
async function writeRefund(
  tx: Executor,
  actor: Actor,
  p: RefundPayload,
  approvalId: string,
  transactionId: string,
): Promise<Refusal<RefundRefusal> | 'written' | 'replayed'> {
  await lockEmployerExcess(tx, p.city, p.employerId);
  const found = await look(tx, p);
  if (!found.ok) return found;
  const refused = refusalOf(p, found.value);
  if (refused) return refused;
  // A concurrent retry of the same refund wrote it first: the ledger recognises its transaction.
  if (found.value.existing === 'same') return 'replayed';
  const used = await consumeApproval(tx, {
    regionCode: p.city,
    id: approvalId,
    action: REFUND_ACTION,
    payload: p,
  });
  if (!used.ok) return used;
  const id = refundIdOf(p.city, p.clientKey);
  await tx.orm.insert(contributionRefunds).values({
    regionCode: p.city,
    id,
    clientKey: p.clientKey,
    employerId: p.employerId,
    amountFen: p.amountFen,
    reason: p.reason,
    bankName: p.bankName,
    accountNumber: p.accountNumber,
    accountName: p.accountName,
    refundOn: p.refundOn,
    payloadSha256: payloadHash(p),
    approvalId,
    transactionId,
    refundedBy: actor.userId,
  });
  // The account number is the employer's, not a person's ID number; it stays in the refund row
  // and is left out of the audit details all the same (the audit log is read more widely).
  await appendAudit(
    tx,
    okEventOf(actor, 'contributions.refund', `refund/${p.city}/${id}`, {
      employerId: p.employerId,
      amountFen: p.amountFen,
      refundOn: p.refundOn,
      approvalId,
      checkerId: used.value.checkerId,
      excessBeforeFen: found.value.excessFen,
    }),
  );
  return 'written';
}

export type RefundList = {
  employerId: string;
  excessFen: number;
  overpaidFen: number;
  refundedFen: number;
  /** Refunds the bank reported not paid (refund-failure.ts): their money is in the excess again. */
  failedFen: number;
  /** Applied to later assessments of the employer (overpayment-offset.ts). */
  offsetFen: number;
  refunds: {
    id: string;
    amountFen: number;
    reason: string;
    refundOn: string;
    transactionId: string;
    approvalId: string;
    refundedBy: string;
    /** The refund file that carried it to the bank, or null while it waits to be sent. */
    fileId: string | null;
    failure: { reason: string; failedOn: string } | null;
  }[];
  offsets: { id: string; month: string; amountFen: number; reason: string; offsetOn: string }[];
};

async function refundRows(ex: Executor, city: string, employerId: string) {
  const r = contributionRefunds;
  const items = contributionRefundFileItems;
  const f = contributionRefundFailures;
  const rows = await ex.orm
    .select({
      id: r.id,
      amountFen: r.amountFen,
      reason: r.reason,
      refundOn: r.refundOn,
      transactionId: r.transactionId,
      approvalId: r.approvalId,
      refundedBy: r.refundedBy,
      fileId: items.fileId,
      failureReason: f.reason,
      failedOn: f.failedOn,
    })
    .from(r)
    .leftJoin(items, and(eq(items.regionCode, r.regionCode), eq(items.refundId, r.id)))
    .leftJoin(f, and(eq(f.regionCode, r.regionCode), eq(f.refundId, r.id)))
    .where(and(eq(r.regionCode, city), eq(r.employerId, employerId)))
    .orderBy(asc(r.refundedAt));
  return rows.map(({ failureReason, failedOn, ...x }) => ({
    ...x,
    failure:
      failureReason !== null && failedOn !== null ? { reason: failureReason, failedOn } : null,
  }));
}

async function offsetRows(ex: Executor, city: string, employerId: string) {
  const o = contributionOffsets;
  const rows = await ex.orm
    .select({
      id: o.id,
      month: o.month,
      amountFen: o.amountFen,
      reason: o.reason,
      offsetOn: o.offsetOn,
    })
    .from(o)
    .where(and(eq(o.regionCode, city), eq(o.employerId, employerId)))
    .orderBy(asc(o.offsetAt));
  // The month is stored as its first day; the contract speaks YYYY-MM.
  return rows.map((x) => ({ ...x, month: x.month.slice(0, 7) }));
}

/**
 * An employer's excess in 2103, its refunds (with their file and failure) and its offsets, oldest
 * first (a city, or the province's cities: the employer's own city is read from its row).
 */
export async function listRefunds(
  db: Database,
  input: { regionCode: string; employerId: string },
): Promise<RefundList> {
  return db.withConnection(async (ex) => {
    const [employer] = await ex.orm
      .select({ regionCode: employers.regionCode })
      .from(employers)
      .where(
        and(
          withinRegion(employers.regionCode, input.regionCode),
          eq(employers.id, input.employerId),
        ),
      );
    const city = employer?.regionCode ?? '';
    const refunds = employer ? await refundRows(ex, city, input.employerId) : [];
    const offsets = employer ? await offsetRows(ex, city, input.employerId) : [];
    const excessFen = employer ? await excessOf(ex, city, input.employerId) : 0;
    const sum = (xs: readonly { amountFen: number }[]) => xs.reduce((s, x) => s + x.amountFen, 0);
    const refundedFen = sum(refunds);
    const failedFen = sum(refunds.filter((x) => x.failure !== null));
    const offsetFen = sum(offsets);
    return {
      employerId: input.employerId,
      excessFen,
      overpaidFen: excessFen + refundedFen - failedFen + offsetFen,
      refundedFen,
      failedFen,
      offsetFen,
      refunds,
      offsets,
    };
  });
}
