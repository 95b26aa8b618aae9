import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { type BenefitPaymentStatus, benefitDecisions, benefitPayments } from '../../db/schema.ts';
import { paidTransaction, returnedTransaction } from '../../domain/benefits/ledger-postings.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';
import { guardOnly } from './benefit-decision-approve.ts';

/**
 * The second phase of a lump sum's payment, recorded by a handler from the bank's answer: paid
 * (Dr 2102 / Cr 1003, with the bank reference), or failed — before a confirmation nothing was
 * posted; after one (a returned transfer) the reversal is posted (Dr 1003 / Cr 2102, correcting
 * the paid transaction). A failed payment is reissued as a new attempt of the same lump sum. Each
 * state change and its posting commit together (the write's guard); ids derive from the payment,
 * so a retry posts nothing twice.
 */
export type PaymentRefusalCode =
  | 'benefit.payment_not_found'
  | 'benefit.payment_not_issued'
  | 'benefit.payment_already_failed'
  | 'benefit.payment_not_failed'
  | 'benefit.payment_already_reissued'
  | LedgerRefusalCode;

export type PaymentView = {
  id: string;
  decisionId: string;
  caseId: string;
  itemCode: string;
  amountFen: number;
  attempt: number;
  status: BenefitPaymentStatus;
  paidTransactionId: string | null;
  reversalTransactionId: string | null;
  bankReference: string | null;
};

async function paymentRow(ex: Executor, regionCode: string, paymentId: string, lock: boolean) {
  const q = ex.orm
    .select({
      id: benefitPayments.id,
      decisionId: benefitPayments.decisionId,
      caseId: benefitDecisions.caseId,
      itemCode: benefitPayments.itemCode,
      account: benefitPayments.account,
      amountFen: benefitPayments.amountFen,
      attempt: benefitPayments.attempt,
      status: benefitPayments.status,
      payableTransactionId: benefitPayments.payableTransactionId,
      paidTransactionId: benefitPayments.paidTransactionId,
      reversalTransactionId: benefitPayments.reversalTransactionId,
      bankReference: benefitPayments.bankReference,
    })
    .from(benefitPayments)
    .innerJoin(
      benefitDecisions,
      and(
        eq(benefitDecisions.regionCode, benefitPayments.regionCode),
        eq(benefitDecisions.id, benefitPayments.decisionId),
      ),
    )
    .where(and(eq(benefitPayments.regionCode, regionCode), eq(benefitPayments.id, paymentId)));
  const [row] = lock ? await q.for('update', { of: benefitPayments }) : await q;
  return row ?? null;
}

type PaymentRow = NonNullable<Awaited<ReturnType<typeof paymentRow>>>;

const byPayment = (regionCode: string, id: string) =>
  and(eq(benefitPayments.regionCode, regionCode), eq(benefitPayments.id, id));

function viewOf(row: PaymentRow): PaymentView {
  const { account: _a, payableTransactionId: _p, ...view } = row;
  return view;
}

async function recordEvent(
  tx: Executor,
  actor: Actor,
  row: PaymentRow,
  input: { regionCode: string; kind: string; on: IsoDate; data: Record<string, unknown> },
) {
  await appendCaseEvent(tx, {
    regionCode: input.regionCode,
    caseId: row.caseId,
    kind: `benefit.${input.kind}`,
    occurredOn: input.on,
    data: { paymentId: row.id, itemCode: row.itemCode, amountFen: row.amountFen, ...input.data },
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(actor, `benefits.${input.kind}`, `benefit-payment/${input.regionCode}/${row.id}`, {
      decisionId: row.decisionId,
      ...input.data,
    }),
  );
}

/** Runs `change` on the locked payment inside the posting's transaction (or alone without one). */
async function changePayment(
  db: Database,
  actor: Actor,
  request: TransactionRequest | null,
  input: { regionCode: string; paymentId: string },
  change: (tx: Executor, row: PaymentRow) => Promise<Refusal<PaymentRefusalCode> | null>,
): Promise<Result<PaymentView, PaymentRefusalCode>> {
  const guard = async (tx: Executor) => {
    const row = await paymentRow(tx, input.regionCode, input.paymentId, true);
    if (row === null)
      return refuse('benefit.payment_not_found', `payment ${input.paymentId} not found`);
    return change(tx, row);
  };
  const written =
    request === null
      ? await guardOnly(db, guard)
      : await postTransaction<PaymentRefusalCode>(db, actor, request, {
          auditAction: 'benefits.payment.post',
          guard,
        });
  if (!written.ok) return written;
  const after = await db.withConnection((ex) =>
    paymentRow(ex, input.regionCode, input.paymentId, false),
  );
  if (after === null)
    return refuse('benefit.payment_not_found', `payment ${input.paymentId} not found`);
  return ok(viewOf(after));
}

export async function confirmBenefitPayment(
  db: Database,
  actor: Actor,
  input: { regionCode: string; paymentId: string; bankReference: string; paidOn: IsoDate },
): Promise<Result<PaymentView, PaymentRefusalCode>> {
  const before = await db.withConnection((ex) =>
    paymentRow(ex, input.regionCode, input.paymentId, false),
  );
  if (before === null)
    return refuse('benefit.payment_not_found', `payment ${input.paymentId} not found`);
  // A repeated confirmation of the same bank reference is the same answer, not a second payment.
  if (before.status === 'paid' && before.bankReference === input.bankReference)
    return ok(viewOf(before));
  const request = paidTransaction({
    paymentId: before.id,
    segment: input.regionCode,
    paidOn: input.paidOn,
    amountFen: before.amountFen,
    bankReference: input.bankReference,
  });
  return changePayment(db, actor, request, input, async (tx, row) => {
    if (row.status !== 'issued')
      return refuse('benefit.payment_not_issued', `payment ${row.id} is ${row.status}`, {
        status: row.status,
      });
    await tx.orm
      .update(benefitPayments)
      .set({
        status: 'paid',
        paidTransactionId: request.id,
        bankReference: input.bankReference,
        paidOn: input.paidOn,
        updatedBy: actor.username,
      })
      .where(byPayment(input.regionCode, row.id));
    await recordEvent(tx, actor, row, {
      regionCode: input.regionCode,
      kind: 'payment_confirmed',
      on: input.paidOn,
      data: { bankReference: input.bankReference, transactionId: request.id },
    });
    return null;
  });
}

export async function failBenefitPayment(
  db: Database,
  actor: Actor,
  input: { regionCode: string; paymentId: string; reason: string; on: IsoDate },
): Promise<Result<PaymentView, PaymentRefusalCode>> {
  const before = await db.withConnection((ex) =>
    paymentRow(ex, input.regionCode, input.paymentId, false),
  );
  if (before === null)
    return refuse('benefit.payment_not_found', `payment ${input.paymentId} not found`);
  if (before.status === 'failed')
    return refuse(
      'benefit.payment_already_failed',
      `payment ${before.id} failed already: reissue it`,
    );
  const request =
    before.status === 'paid' && before.paidTransactionId !== null
      ? returnedTransaction({
          paymentId: before.id,
          paidTransactionId: before.paidTransactionId,
          segment: input.regionCode,
          returnedOn: input.on,
          amountFen: before.amountFen,
        })
      : null;
  return changePayment(db, actor, request, input, async (tx, row) => {
    if (row.status !== before.status)
      return refuse('benefit.payment_not_issued', `payment ${row.id} changed to ${row.status}`);
    await tx.orm
      .update(benefitPayments)
      .set({
        status: 'failed',
        failureReason: input.reason,
        reversalTransactionId: request?.id ?? null,
        updatedBy: actor.username,
      })
      .where(byPayment(input.regionCode, row.id));
    await recordEvent(tx, actor, row, {
      regionCode: input.regionCode,
      kind: 'payment_failed',
      on: input.on,
      data: { reason: input.reason, reversalTransactionId: request?.id ?? null },
    });
    return null;
  });
}

/** A new attempt of a failed payment's lump sum (the liability in 2102 still stands). */
export async function reissueBenefitPayment(
  db: Database,
  actor: Actor,
  input: { regionCode: string; paymentId: string; on: IsoDate },
): Promise<Result<PaymentView, PaymentRefusalCode>> {
  const newId = `bpy_${input.regionCode}_${randomBytes(8).toString('hex')}`;
  const done = await changePayment(db, actor, null, input, async (tx, row) => {
    if (row.status !== 'failed')
      return refuse(
        'benefit.payment_not_failed',
        `payment ${row.id} is ${row.status}: only a failed payment is reissued`,
      );
    const [live] = await tx.orm
      .select({ id: benefitPayments.id })
      .from(benefitPayments)
      .where(
        and(
          eq(benefitPayments.regionCode, input.regionCode),
          eq(benefitPayments.decisionId, row.decisionId),
          // One chain per payable: another change's payment of the same item is not this one's.
          eq(benefitPayments.payableTransactionId, row.payableTransactionId),
          eq(benefitPayments.itemCode, row.itemCode),
          inArray(benefitPayments.status, ['issued', 'paid']),
        ),
      );
    if (live !== undefined)
      return refuse(
        'benefit.payment_already_reissued',
        `payment ${row.id} was reissued as ${live.id}`,
        {
          paymentId: live.id,
        },
      );
    await tx.orm.insert(benefitPayments).values({
      regionCode: input.regionCode,
      id: newId,
      decisionId: row.decisionId,
      itemCode: row.itemCode,
      account: row.account,
      amountFen: row.amountFen,
      attempt: row.attempt + 1,
      status: 'issued',
      payableTransactionId: row.payableTransactionId,
      reissueOf: row.id,
      issuedBy: actor.username,
    });
    await recordEvent(tx, actor, row, {
      regionCode: input.regionCode,
      kind: 'payment_reissued',
      on: input.on,
      data: { newPaymentId: newId, attempt: row.attempt + 1 },
    });
    return null;
  });
  if (!done.ok) return done;
  const fresh = await db.withConnection((ex) => paymentRow(ex, input.regionCode, newId, false));
  if (fresh === null) return refuse('benefit.payment_not_found', `payment ${newId} not found`);
  return ok(viewOf(fresh));
}
