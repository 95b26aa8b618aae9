import type { Database, Executor } from '../../db/client.ts';
import { intOf, textOf, textOrNullOf } from '../../db/rows.ts';
import type { SettlementTxCode } from '../../db/schema-settlement.ts';
import type { SettlementCategory } from '../../domain/settlement/adjudicate.ts';
import type { Actor } from '../../identity/actor.ts';
import { monthOf, todayInChina } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import {
  claimMessage,
  institutionOf,
  type JsonObject,
  type MessageAnswer,
  type MessageKey,
  requestSha256,
  storeAnswer,
  storedMessage,
} from './his-messages.ts';
import { checkSignIn, type Envelope, idFromKey } from './his-session.ts';
import {
  expenseLegs,
  replayOf,
  type SettleRefusalCode,
  settlementTransaction,
  withCode,
  writeGuarded,
} from './his-settle.ts';
import { runSigned } from './his-visits.ts';

/**
 * 结算撤销 2208 (business cancellation) and 冲正 2209 (technical reversal of any earlier message by
 * its transaction code and serial). Reversing a settlement writes a negative settlement record
 * (kind 'reversal', linked to the original, nothing deleted), puts the visit back to open (it may
 * be settled again) and posts a correcting ledger transaction (Dr 2101, Cr 51xx) that `corrects`
 * the original: settle + reverse nets to zero in every account.
 */
export type ReverseRefusalCode =
  | SettleRefusalCode
  | 'settlement.settlement_not_found'
  | 'settlement.already_reversed'
  | 'settlement.reversal_unsupported';

type Original = {
  regionCode: string;
  id: string;
  visitId: string;
  ledgerTransactionId: string | null;
  byCategory: Record<SettlementCategory, number>;
  foodAllowanceFen: number;
  claimedFen: number;
  fundFen: number;
  rejectedFen: number;
  lineCount: number;
  status: string;
};

async function originalOf(
  ex: Executor,
  institutionId: string,
  settlementId: string,
  lock: boolean,
): Promise<Original | null> {
  const r = await ex.query(
    `SELECT region_code, id, visit_id, ledger_transaction_id, food_allowance_fen, claimed_fen, fund_fen,
            rejected_fen, line_count, status
       FROM settlement_settlements
      WHERE id = $1 AND institution_id = $2 AND kind = 'settlement'${lock ? ' FOR UPDATE' : ''}`,
    [settlementId, institutionId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const c = await ex.query(
    `SELECT category, sum(payable_fen)::int8 AS fen FROM settlement_line_results
      WHERE region_code = $1 AND settlement_id = $2 GROUP BY category`,
    [textOf(row, 'region_code'), settlementId],
  );
  const byCategory: Record<SettlementCategory, number> = {
    medical: 0,
    rehabilitation: 0,
    device: 0,
  };
  for (const x of c.rows) {
    const cat = textOf(x, 'category');
    if (cat === 'medical' || cat === 'rehabilitation' || cat === 'device')
      byCategory[cat] = intOf(x, 'fen');
  }
  return {
    regionCode: textOf(row, 'region_code'),
    id: textOf(row, 'id'),
    visitId: textOf(row, 'visit_id'),
    ledgerTransactionId: textOrNullOf(row, 'ledger_transaction_id'),
    byCategory,
    foodAllowanceFen: intOf(row, 'food_allowance_fen'),
    claimedFen: intOf(row, 'claimed_fen'),
    fundFen: intOf(row, 'fund_fen'),
    rejectedFen: intOf(row, 'rejected_fen'),
    lineCount: intOf(row, 'line_count'),
    status: textOf(row, 'status'),
  };
}

function notFound(settlementId: string) {
  return refuse('settlement.settlement_not_found', `settlement ${settlementId} not found`, {
    settlementId,
  });
}

/** The negative twin, the original marked reversed, the visit open again. */
async function writeReversal(
  tx: Executor,
  actor: Actor,
  key: MessageKey,
  o: Original,
  at: Date,
  transactionId: string | null,
) {
  const id = idFromKey('stl', key.institutionId, key.txCode, key.serial);
  const accountingMonth = monthOf(todayInChina(at.getTime()));
  await tx.query(
    `UPDATE settlement_settlements SET status = 'reversed' WHERE region_code = $1 AND id = $2`,
    [o.regionCode, o.id],
  );
  await tx.query(
    `INSERT INTO settlement_settlements (region_code, id, visit_id, institution_id, kind, reverses, serial,
       settled_at, accounting_month, line_count, claimed_fen, fund_fen, food_allowance_fen, rejected_fen,
       status, ledger_transaction_id)
     VALUES ($1, $2, $3, $4, 'reversal', $5, $6, $7, $8, $9, $10, $11, $12, $13, 'active', $14)`,
    [
      o.regionCode,
      id,
      o.visitId,
      key.institutionId,
      o.id,
      key.serial,
      at.toISOString(),
      accountingMonth,
      -o.lineCount,
      -o.claimedFen,
      -o.fundFen,
      -o.foodAllowanceFen,
      -o.rejectedFen,
      transactionId,
    ],
  );
  await tx.query(
    `UPDATE settlement_visits SET status = 'open', version = version + 1 WHERE region_code = $1 AND id = $2`,
    [o.regionCode, o.visitId],
  );
  await appendAudit(
    tx,
    okEventOf(actor, 'settlement.his.reverse', `settlement/${o.regionCode}/${id}`, {
      reverses: o.id,
      txCode: key.txCode,
      serial: key.serial,
      fundFen: -o.fundFen,
    }),
  );
  return {
    reversalId: id,
    reverses: o.id,
    visitId: o.visitId,
    settledAt: at.toISOString(),
    accountingMonth,
    fundFen: -o.fundFen,
    ledgerTransactionId: transactionId,
  };
}

type ReversalPlan = { original: Original; at: Date; transactionId: string | null };

function reversalRequest(key: MessageKey, plan: ReversalPlan) {
  const o = plan.original;
  if (o.ledgerTransactionId === null) return null;
  const reversalId = idFromKey('stl', key.institutionId, key.txCode, key.serial);
  return settlementTransaction({
    id: `settlement:${reversalId}:reversed`,
    settlementId: reversalId,
    segment: o.regionCode,
    effectiveDate: todayInChina(plan.at.getTime()),
    legs: expenseLegs(o.byCategory, o.foodAllowanceFen),
    reverse: { corrects: o.ledgerTransactionId },
  });
}

/**
 * Reverses one settlement under a message key (2208's or 2209's): planned outside, written in
 * the ledger's guard after the claim, with the original locked and checked again.
 */
async function reverseSettlement(
  db: Database,
  actor: Actor,
  key: MessageKey,
  envelope: Envelope,
  body: unknown,
  settlementId: string,
  extra: (tx: Executor) => Promise<void>,
): Promise<Result<MessageAnswer, ReverseRefusalCode>> {
  const sha = requestSha256(body);
  const early = await replayOf(db, key, sha);
  if (early !== null) return early;
  const original = await db.withConnection((ex) =>
    originalOf(ex, key.institutionId, settlementId, false),
  );
  if (original === null) return notFound(settlementId);
  const plan: ReversalPlan = { original, at: new Date(), transactionId: null };
  const request = reversalRequest(key, plan);
  const guard = async (
    tx: Executor,
  ): Promise<Refusal<ReverseRefusalCode | 'settlement.replayed'> | null> => {
    const claim = await claimMessage(tx, key, sha);
    if (!claim.ok) return claim;
    if (claim.value.kind === 'replay') return refuse('settlement.replayed', 'already answered');
    const signed = await checkSignIn(tx, key.institutionId, envelope.signInId);
    if (!signed.ok) return signed;
    const o = await originalOf(tx, key.institutionId, settlementId, true);
    if (o === null) return notFound(settlementId);
    if (o.status !== 'active')
      return refuse(
        'settlement.already_reversed',
        `settlement ${settlementId} is already reversed`,
        { settlementId },
      );
    const answer: JsonObject = await writeReversal(tx, actor, key, o, plan.at, request?.id ?? null);
    await extra(tx);
    await storeAnswer(tx, key, answer);
    return null;
  };
  const written = await writeGuarded(db, actor, request, guard, 'settlement.his.reverse_post');
  if (written.ok)
    return ok({
      ...key,
      replayed: false,
      body: (await db.withConnection((ex) => storedMessage(ex, key)))?.response ?? {},
    });
  const code = written.code;
  if (code === 'settlement.replayed')
    return (await replayOf(db, key, sha)) ?? notFound(settlementId);
  return withCode(code, written);
}

/** 2208 结算撤销: the institution cancels a settlement of its own (the business decision). */
export async function cancelSettlement(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { settlementId: string },
): Promise<Result<MessageAnswer, ReverseRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode: '2208' as const, serial: envelope.serial };
  return reverseSettlement(db, actor, key, envelope, body, body.settlementId, async () => {});
}

export type ReversalBody = { txCode: SettlementTxCode; serial: string };

/**
 * 2209 冲正 of the message (txCode, serial). A 2207 received: its settlement is reversed. Never
 * received: a tombstone, so that the original, arriving late, is refused. A read or a
 * trial (9001, 9002, 1101, 2206, 1320, 1321, 2302, 1301, 9103, 9104, 9105): marked reversed, nothing else to undo. A
 * registration (2201) or an upload (2204): the visit cancelled, or the uploaded lines cancelled,
 * while the visit is open. The other business messages (2202, 2203, 2205, 2208) are undone by
 * their own business transaction, not by 冲正.
 */
export async function reverseMessage(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: ReversalBody,
): Promise<Result<MessageAnswer, ReverseRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode: '2209' as const, serial: envelope.serial };
  const target = { institutionId: inst.value, txCode: body.txCode, serial: body.serial };
  const markTarget = (tx: Executor) => markReversed(tx, target, envelope.serial);
  const stored = await db.withConnection((ex) => storedMessage(ex, target));
  if (body.txCode === '2207' && stored?.status === 'done') {
    const settlementId = idFromKey('stl', inst.value, '2207', body.serial);
    return reverseSettlement(db, actor, key, envelope, body, settlementId, markTarget);
  }
  return reverseOther(db, actor, key, envelope, body, target);
}

async function markReversed(tx: Executor, target: MessageKey, by: string): Promise<void> {
  await tx.query(
    `UPDATE settlement_messages SET status = 'reversed', reversed_by = $4
      WHERE institution_id = $1 AND tx_code = $2 AND serial = $3`,
    [target.institutionId, target.txCode, target.serial, by],
  );
}

/** Messages that change nothing a 冲正 could undo: sessions, reads, the trial settlement. */
const READS: readonly SettlementTxCode[] = [
  '9001',
  '9002',
  '1101',
  '2206',
  '1320',
  '1321',
  '2302',
  '1301',
  '9103',
  '9104',
  '9105',
];

async function reverseOther(
  db: Database,
  actor: Actor,
  key: MessageKey,
  envelope: Envelope,
  body: ReversalBody,
  target: MessageKey,
): Promise<Result<MessageAnswer, ReverseRefusalCode>> {
  return runSigned<ReverseRefusalCode>(db, actor, '2209', envelope, body, async (tx) => {
    // The tombstone: inserted first (the key's row locks a late original out), or the row found.
    const tomb = await tx.query(
      `INSERT INTO settlement_messages (institution_id, tx_code, serial, status, reversed_by)
       VALUES ($1, $2, $3, 'reversed_unseen', $4) ON CONFLICT DO NOTHING RETURNING serial`,
      [target.institutionId, target.txCode, target.serial, key.serial],
    );
    if (tomb.rows.length > 0) return ok({ reversed: target, outcome: 'tombstone' });
    const r = await tx.query(
      `SELECT status FROM settlement_messages WHERE institution_id = $1 AND tx_code = $2 AND serial = $3 FOR UPDATE`,
      [target.institutionId, target.txCode, target.serial],
    );
    if (textOf(r.rows[0] ?? { status: 'done' }, 'status') !== 'done')
      return refuse(
        'settlement.already_reversed',
        `message ${target.txCode}/${target.serial} is already reversed`,
        {
          txCode: target.txCode,
          serial: target.serial,
        },
      );
    const undone = await undo(tx, target);
    if (!undone.ok) return undone;
    await markReversed(tx, target, key.serial);
    return ok({ reversed: target, outcome: undone.value });
  });
}

async function undo(tx: Executor, target: MessageKey): Promise<Result<string, ReverseRefusalCode>> {
  if (READS.includes(target.txCode)) return ok('marked');
  if (target.txCode === '2201') {
    const id = idFromKey('vis', target.institutionId, '2201', target.serial);
    const r = await tx.query(
      `UPDATE settlement_visits SET status = 'cancelled', version = version + 1
        WHERE id = $1 AND institution_id = $2 AND status = 'open' RETURNING id`,
      [id, target.institutionId],
    );
    return r.rows.length > 0
      ? ok('visit_cancelled')
      : unsupported(target, 'the visit is no longer open');
  }
  if (target.txCode === '2204') {
    const r = await tx.query(
      `UPDATE settlement_fee_lines l SET status = 'cancelled' FROM settlement_visits v
        WHERE v.region_code = l.region_code AND v.id = l.visit_id AND v.institution_id = $1
          AND v.status = 'open' AND l.uploaded_serial = $2 AND l.status = 'active' RETURNING l.line_no`,
      [target.institutionId, target.serial],
    );
    return r.rows.length > 0
      ? ok('lines_cancelled')
      : unsupported(target, 'the lines are no longer active on an open visit');
  }
  if (target.txCode === '2301') {
    // A referral filed by the reversed message, while the agency has not decided it.
    const id = idFromKey('ref', target.institutionId, '2301', target.serial);
    const r = await tx.query(
      `UPDATE settlement_referrals SET status = 'cancelled'
        WHERE id = $1 AND institution_id = $2 AND status = 'pending' RETURNING id`,
      [id, target.institutionId],
    );
    return r.rows.length > 0
      ? ok('referral_cancelled')
      : unsupported(target, 'the referral is no longer pending');
  }
  return unsupported(target, 'undo it with its own business transaction');
}

function unsupported(target: MessageKey, why: string): Refusal<'settlement.reversal_unsupported'> {
  return refuse(
    'settlement.reversal_unsupported',
    `message ${target.txCode}/${target.serial} cannot be reversed: ${why}`,
    {
      txCode: target.txCode,
      serial: target.serial,
    },
  );
}
