import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  contributionRefundFailures,
  contributionRefundFileItems,
  contributionRefunds,
} from '../../db/schema.ts';
import {
  type RefundFailurePayload,
  refundFailureIdOf,
  refundFailureTransaction,
} from '../../domain/contributions/refund-bank.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { isIsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { payloadHash } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { badField, CLIENT_KEY, checkCity, lockEmployerExcess } from './excess-movement.ts';
import { excessOf } from './overpayment-refund.ts';

/**
 * The bank reports a sent refund not paid (a closed account, a wrong name): the handler records the
 * failure with its reason and the day, and the refund's posting is reversed as a transaction of its
 * own, Dr 1001 财政专户存款 / Cr 2103 暂收款, so the money is held for the employer again and can be
 * refunded (to a corrected account) or offset. No approval: the money comes back into the fund's
 * account, it does not leave it. Idempotent by the handler's client key; a refund fails once.
 */
export type RefundFailureRefusal =
  | 'refund.invalid_request'
  | 'refund.not_in_city'
  | 'refund.not_found'
  | 'refund.not_sent'
  | 'refund.already_failed'
  | 'refund.key_conflict'
  | LedgerRefusalCode;

export type RefundFailureOutcome = {
  status: 'failed' | 'replayed';
  failureId: string;
  refundId: string;
  transactionId: string;
  amountFen: number;
  /** The employer's excess in 2103 after the reversal (as of the answer). */
  excessFen: number;
};

function checkRequest(
  p: RefundFailurePayload,
): Result<true, 'refund.invalid_request' | 'refund.not_in_city'> {
  const city = checkCity(p.city);
  if (!city.ok) return city;
  if (!/^crf_[0-9]{6}_[0-9a-f]{16}$/.test(p.refundId)) return badField('refundId', 'crf_<city>_…');
  if (!CLIENT_KEY.test(p.clientKey))
    return badField('clientKey', '8–100 of 0-9 A-Z a-z . _ : - (make one when the form opens)');
  if (p.reason.trim().length === 0 || p.reason.length > 500)
    return badField('reason', '1–500 characters');
  if (!isIsoDate(p.failedOn)) return badField('failedOn', 'a date YYYY-MM-DD');
  return ok(true);
}

type Found = {
  refund: { employerId: string; amountFen: number; refundOn: string; sent: boolean };
  byKey: 'none' | 'same' | 'other';
  failedBefore: boolean;
};

async function look(
  ex: Executor,
  p: RefundFailurePayload,
): Promise<Result<Found, 'refund.not_found'>> {
  const r = contributionRefunds;
  const items = contributionRefundFileItems;
  const [refund] = await ex.orm
    .select({
      employerId: r.employerId,
      amountFen: r.amountFen,
      refundOn: r.refundOn,
      fileId: items.fileId,
    })
    .from(r)
    .leftJoin(items, and(eq(items.regionCode, r.regionCode), eq(items.refundId, r.id)))
    .where(and(eq(r.regionCode, p.city), eq(r.id, p.refundId)));
  if (!refund)
    return refuse('refund.not_found', `no refund ${p.refundId} was posted in ${p.city}`, {
      refundId: p.refundId,
    });
  const f = contributionRefundFailures;
  const rows = await ex.orm
    .select({ id: f.id })
    .from(f)
    .where(and(eq(f.regionCode, p.city), eq(f.refundId, p.refundId)));
  const keyed = await ex.orm
    .select({ hash: f.payloadSha256 })
    .from(f)
    .where(and(eq(f.regionCode, p.city), eq(f.clientKey, p.clientKey)));
  const byKey = keyed.length === 0 ? 'none' : keyed[0]?.hash === payloadHash(p) ? 'same' : 'other';
  const { fileId, ...rest } = refund;
  return ok({ refund: { ...rest, sent: fileId !== null }, byKey, failedBefore: rows.length > 0 });
}

function refusalOf(p: RefundFailurePayload, found: Found): Refusal<RefundFailureRefusal> | null {
  if (found.byKey === 'same') return null;
  if (found.byKey === 'other')
    return refuse(
      'refund.key_conflict',
      `the client key ${p.clientKey} was used for another failure: make a new key`,
      { clientKey: p.clientKey },
    );
  if (found.failedBefore)
    return refuse(
      'refund.already_failed',
      `the refund ${p.refundId} was recorded as failed already; its money is back in 2103`,
      { refundId: p.refundId },
    );
  if (!found.refund.sent)
    return refuse(
      'refund.not_sent',
      `the refund ${p.refundId} is in no refund file: the bank cannot have reported it`,
      { refundId: p.refundId },
    );
  if (p.failedOn < found.refund.refundOn)
    return badField('failedOn', `on or after the refund day ${found.refund.refundOn}`);
  return null;
}

export async function recordRefundFailure(
  db: Database,
  actor: Actor,
  p: RefundFailurePayload,
): Promise<Result<RefundFailureOutcome, RefundFailureRefusal>> {
  const valid = checkRequest(p);
  if (!valid.ok) return valid;
  const found = await db.withConnection((ex) => look(ex, p));
  if (!found.ok) return found;
  const refused = refusalOf(p, found.value);
  if (refused) return refused;
  const { employerId, amountFen } = found.value.refund;
  const request = refundFailureTransaction(p, amountFen);
  let replayed = found.value.byKey === 'same';
  if (!replayed) {
    const posted = await postTransactions<RefundFailureRefusal>(db, actor, [request], {
      auditAction: 'contributions.refund.failure.post',
      guard: async (tx) => {
        const g = await writeFailure(tx, actor, p, request.id);
        replayed = g === 'replayed';
        return g === 'written' || g === 'replayed' ? null : g;
      },
    });
    if (!posted.ok) return posted;
  }
  const excessFen = await db.withConnection((ex) => excessOf(ex, p.city, employerId));
  return ok({
    status: replayed ? 'replayed' : 'failed',
    failureId: refundFailureIdOf(p.city, p.clientKey),
    refundId: p.refundId,
    transactionId: request.id,
    amountFen,
    excessFen,
  });
}

/**
 * In the ledger's write transaction: recheck under the employer's lock, record, audit. The bank's
 * return file (refund-return.ts) writes its failures through it too.
 */
export async function writeFailure(
  tx: Executor,
  actor: Actor,
  p: RefundFailurePayload,
  transactionId: string,
): Promise<Refusal<RefundFailureRefusal> | 'written' | 'replayed'> {
  const first = await look(tx, p);
  if (!first.ok) return first;
  await lockEmployerExcess(tx, p.city, first.value.refund.employerId);
  const found = await look(tx, p);
  if (!found.ok) return found;
  const refused = refusalOf(p, found.value);
  if (refused) return refused;
  // A concurrent retry with the same key wrote it first: the ledger recognises its transaction.
  if (found.value.byKey === 'same') return 'replayed';
  const id = refundFailureIdOf(p.city, p.clientKey);
  const { employerId, amountFen } = found.value.refund;
  await tx.orm.insert(contributionRefundFailures).values({
    regionCode: p.city,
    id,
    clientKey: p.clientKey,
    refundId: p.refundId,
    employerId,
    amountFen,
    reason: p.reason,
    failedOn: p.failedOn,
    payloadSha256: payloadHash(p),
    transactionId,
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(actor, 'contributions.refund.failure', `refund/${p.city}/${p.refundId}`, {
      failureId: id,
      employerId,
      amountFen,
      failedOn: p.failedOn,
    }),
  );
  return 'written';
}
