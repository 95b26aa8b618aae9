import type { Database, Executor } from '../../db/client.ts';
import { intOf, textOf, textOrNullOf } from '../../db/rows.ts';
import { benefitExpenseAccount } from '../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import {
  type ApprovalRefusal,
  approveUnlessApproved,
  consumeApproval,
  payloadHash,
  requestApproval,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';

/**
 * The payment of a referral's travel and lodging claim (《浙江省工伤保险条例》第二十四条第二款, recorded by
 * recordTravelClaim), maker-checker as the other benefit payments: a city handler (fund:write) of
 * the case's city proposes (an approval bound to the claim's payload); another person
 * (fund:approve) approves; applying consumes the approval, marks the claim paid and posts two
 * ledger transactions in the case's segment — Dr 5103 统筹地区以外就医交通食宿费 / Cr 2102 应付待遇款 (the
 * payable, `settlement-travel:<city>:<referral>:<claim key>:payable`) and Dr 2102 / Cr 1003 (its
 * payment, `…:paid`). A rerun answers `replayed`.
 */
export const TRAVEL_CLAIM_PAYMENT_ACTION = 'settlement.travel_claim_payment';

export type TravelPaymentRefusalCode =
  | 'settlement.travel_claim_not_found'
  | 'settlement.travel_claim_paid'
  | 'settlement.travel_claim_not_proposed'
  | ApprovalRefusal
  | LedgerRefusalCode;

type Key = { city: string; referralId: string; claimKey: string };

type StoredClaim = {
  caseId: string;
  payableFen: number;
  status: 'recorded' | 'proposed' | 'paid';
  approvalId: string | null;
  ledgerTransactionId: string | null;
};

export type TravelPayment = Key & {
  payableFen: number;
  status: 'proposed' | 'paid';
  approvalId: string;
  ledgerTransactionId: string | null;
  replayed: boolean;
};

function inCity(actor: Actor, city: string): boolean {
  return actor.scopeKind === 'province' || (actor.scopeKind === 'city' && actor.scopeCode === city);
}

async function claimOf(ex: Executor, actor: Actor, key: Key, lock: boolean) {
  if (!inCity(actor, key.city)) return null;
  const r = await ex.query(
    `SELECT r.case_id, c.payable_fen, c.status, c.approval_id, c.ledger_transaction_id
       FROM settlement_referral_claims c
       JOIN settlement_referrals r ON r.region_code = c.region_code AND r.id = c.referral_id
      WHERE c.region_code = $1 AND c.referral_id = $2 AND c.claim_key = $3
      ${lock ? 'FOR UPDATE OF c' : ''}`,
    [key.city, key.referralId, key.claimKey],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  const status = textOf(row, 'status');
  const claim: StoredClaim = {
    caseId: textOf(row, 'case_id'),
    payableFen: intOf(row, 'payable_fen'),
    status: status === 'paid' ? 'paid' : status === 'proposed' ? 'proposed' : 'recorded',
    approvalId: textOrNullOf(row, 'approval_id'),
    ledgerTransactionId: textOrNullOf(row, 'ledger_transaction_id'),
  };
  return claim;
}

const notFound = (key: Key) =>
  refuse(
    'settlement.travel_claim_not_found',
    `no travel claim ${key.claimKey} of referral ${key.referralId} in ${key.city}`,
  );

/** What the checker approves: the claim and its amount. */
function payloadOf(key: Key, claim: StoredClaim) {
  // Named fields only: the approval's key may carry the payment day, which is not approved.
  return {
    city: key.city,
    referralId: key.referralId,
    claimKey: key.claimKey,
    caseId: claim.caseId,
    payableFen: claim.payableFen,
  };
}

/**
 * The payable (Dr 5103 / Cr 2102, `…:payable`) and its payment (Dr 2102 / Cr 1003, `…:paid`), two
 * transactions posted together: an account is not debited and credited within one transaction.
 */
export function travelPaymentTransactions(
  key: Key,
  payableFen: number,
  on: IsoDate,
): TransactionRequest[] {
  const leg = (account: string, side: 'debit' | 'credit') => ({
    segment: key.city,
    account,
    side,
    amountFen: payableFen,
  });
  const base = `settlement-travel:${key.city}:${key.referralId}:${key.claimKey}`;
  const source = { type: 'settlement_travel_claim', id: `${key.referralId}:${key.claimKey}` };
  return [
    {
      id: `${base}:payable`,
      effectiveDate: on,
      source,
      memo: `转诊交通食宿费应付 ${key.referralId} ${key.claimKey}`,
      postings: [leg(benefitExpenseAccount.travel_for_treatment, 'debit'), leg('2102', 'credit')],
    },
    {
      id: `${base}:paid`,
      effectiveDate: on,
      source,
      memo: `转诊交通食宿费支付 ${key.referralId} ${key.claimKey}`,
      postings: [leg('2102', 'debit'), leg('1003', 'credit')],
    },
  ];
}

const answerOf = (key: Key, claim: StoredClaim, replayed: boolean): TravelPayment => ({
  city: key.city,
  referralId: key.referralId,
  claimKey: key.claimKey,
  payableFen: claim.payableFen,
  status: claim.status === 'paid' ? 'paid' : 'proposed',
  approvalId: claim.approvalId ?? '',
  ledgerTransactionId: claim.ledgerTransactionId,
  replayed,
});

export async function proposeTravelPayment(
  db: Database,
  maker: Actor,
  key: Key,
  policy: ApprovalPolicy,
): Promise<Result<TravelPayment, TravelPaymentRefusalCode>> {
  return db.transaction(async (tx): Promise<Result<TravelPayment, TravelPaymentRefusalCode>> => {
    const claim = await claimOf(tx, maker, key, true);
    if (claim === null) return notFound(key);
    if (claim.status === 'paid')
      return refuse('settlement.travel_claim_paid', `claim ${key.claimKey} is paid already`);
    const payload = payloadOf(key, claim);
    if (claim.approvalId !== null && (await usable(tx, key.city, claim.approvalId)))
      return ok(answerOf(key, claim, true));
    const approval = await requestApproval(tx, maker, {
      regionCode: key.city,
      action: TRAVEL_CLAIM_PAYMENT_ACTION,
      payload,
      amountFen: claim.payableFen,
      policy,
    });
    await tx.query(
      `UPDATE settlement_referral_claims SET status = 'proposed', approval_region_code = $1,
         approval_id = $4, proposed_by = $5, proposed_at = now()
       WHERE region_code = $1 AND referral_id = $2 AND claim_key = $3`,
      [key.city, key.referralId, key.claimKey, approval.id, maker.username],
    );
    await appendAudit(
      tx,
      okEventOf(
        maker,
        'settlement.travel_claim.propose',
        `referral/${key.city}/${key.referralId}`,
        {
          claimKey: key.claimKey,
          approvalId: approval.id,
          payloadSha256: payloadHash(payload),
          payableFen: claim.payableFen,
        },
      ),
    );
    return ok(answerOf(key, { ...claim, status: 'proposed', approvalId: approval.id }, false));
  });
}

async function usable(tx: Executor, regionCode: string, id: string) {
  const r = await tx.query(
    `SELECT 1 FROM approvals WHERE region_code = $1 AND id = $2
        AND status IN ('pending', 'approved') AND expires_at > now()`,
    [regionCode, id],
  );
  return r.rows.length > 0;
}

/** The checker approves the proposed payment and it is posted (or answers the earlier payment). */
export async function approveTravelPayment(
  db: Database,
  checker: Actor,
  key: Key & { on: IsoDate },
): Promise<Result<TravelPayment, TravelPaymentRefusalCode>> {
  const claim = await db.withConnection((ex) => claimOf(ex, checker, key, false));
  if (claim === null) return notFound(key);
  if (claim.status === 'paid') return ok(answerOf(key, claim, true));
  if (claim.approvalId === null)
    return refuse(
      'settlement.travel_claim_not_proposed',
      `no payment proposed for ${key.claimKey}`,
    );
  const decided = await approveUnlessApproved(db, checker, {
    regionCode: key.city,
    id: claim.approvalId,
  });
  if (decided !== null) return decided;
  const requests = travelPaymentTransactions(key, claim.payableFen, key.on);
  const paidId = requests[1]!.id;
  const written = await postTransactions<TravelPaymentRefusalCode>(db, checker, requests, {
    auditAction: 'settlement.travel_claim.post',
    guard: (tx) => applyPayment(tx, checker, key, paidId),
  });
  const after = await db.withConnection((ex) => claimOf(ex, checker, key, false));
  if (after === null) return notFound(key);
  if (!written.ok) return after.status === 'paid' ? ok(answerOf(key, after, true)) : written;
  return ok(answerOf(key, after, false));
}

async function applyPayment(
  tx: Executor,
  checker: Actor,
  key: Key & { on: IsoDate },
  transactionId: string,
): Promise<Refusal<TravelPaymentRefusalCode> | null> {
  const claim = await claimOf(tx, checker, key, true);
  if (claim === null) return notFound(key);
  if (claim.status === 'paid')
    return refuse('settlement.travel_claim_paid', `claim ${key.claimKey} is paid already`);
  if (claim.approvalId === null)
    return refuse(
      'settlement.travel_claim_not_proposed',
      `no payment proposed for ${key.claimKey}`,
    );
  const used = await consumeApproval(tx, {
    regionCode: key.city,
    id: claim.approvalId,
    action: TRAVEL_CLAIM_PAYMENT_ACTION,
    payload: payloadOf(key, claim),
  });
  if (!used.ok) return used;
  await tx.query(
    `UPDATE settlement_referral_claims SET status = 'paid', paid_on = $4::date,
       approved_by = coalesce((SELECT username FROM users WHERE id = $5), $5),
       ledger_transaction_id = $6
     WHERE region_code = $1 AND referral_id = $2 AND claim_key = $3`,
    [key.city, key.referralId, key.claimKey, key.on, used.value.checkerId, transactionId],
  );
  await appendAudit(
    tx,
    okEventOf(
      checker,
      'settlement.travel_claim.approve',
      `referral/${key.city}/${key.referralId}`,
      {
        claimKey: key.claimKey,
        approvalId: claim.approvalId,
        payableFen: claim.payableFen,
        ledgerTransactionId: transactionId,
      },
    ),
  );
  return null;
}
