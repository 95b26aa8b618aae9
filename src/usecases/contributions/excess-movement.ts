import type { Database, Executor } from '../../db/client.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { requestApproval } from '../approvals/approvals.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';

/**
 * What a refund (overpayment-refund.ts) and an offset (overpayment-offset.ts) of an employer's
 * money held in 2103 share: the checks of their common fields, and the two-step call — without an
 * approval it asks for one of the exact payload and changes nothing; with one it posts the ledger
 * transaction whose guard (the movement's own `write`, in the ledger's transaction) rechecks under
 * the employer's lock, consumes the approval and records the row, or answers that a retry wrote it.
 */
export type ExcessFields = {
  city: string;
  amountFen: number;
  clientKey: string;
  reason: string;
};

export const CLIENT_KEY = /^[0-9A-Za-z._:-]{8,100}$/;

/** Refunds and offsets are the collecting city's: a 6-digit code that is not the province's. */
export function checkCity(city: string): Result<true, 'refund.not_in_city'> {
  if (!/^[0-9]{6}$/.test(city) || city.endsWith('0000'))
    return refuse(
      'refund.not_in_city',
      `a refund or an offset is made by the city that collected the money; ${city} is not a city: give its code`,
      { city },
    );
  return ok(true);
}

export const badField = (field: string, reason: string) =>
  refuse('refund.invalid_request', `${field}: ${reason}`, { field });

/** The city, the amount, the client key and the reason: the first problem found, or ok. */
export function checkExcessFields(
  p: ExcessFields,
): Result<true, 'refund.invalid_request' | 'refund.not_in_city'> {
  const city = checkCity(p.city);
  if (!city.ok) return city;
  if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0)
    return badField('amountFen', 'a whole number of fen above 0');
  if (!CLIENT_KEY.test(p.clientKey))
    return badField('clientKey', '8–100 of 0-9 A-Z a-z . _ : - (make one when the form opens)');
  if (p.reason.trim().length === 0 || p.reason.length > 500)
    return badField('reason', '1–500 characters');
  return ok(true);
}

/** The ledger's per-employer lock both movements take, so they cannot both spend one excess. */
export async function lockEmployerExcess(tx: Executor, city: string, employerId: string) {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `contributions:refund:${city}:${employerId}`,
  ]);
}

export type ApprovalAsked = { id: string; requiredCheckers: 1 | 2; expiresAt: string };

export type MovementStep = {
  step: 'approval_requested' | 'posted' | 'replayed';
  approval: ApprovalAsked | null;
};

/** Asks for the approval of `payload`, or posts `request` with `write` as its guard. */
export async function askOrPostExcess<R extends string>(
  db: Database,
  actor: Actor,
  input: {
    payload: ExcessFields;
    approvalId: string | undefined;
    policy: ApprovalPolicy;
    action: string;
    auditAction: string;
    request: TransactionRequest;
    write: (tx: Executor, approvalId: string) => Promise<Refusal<R> | 'written' | 'replayed'>;
  },
): Promise<Result<MovementStep, R | LedgerRefusalCode>> {
  const { payload, approvalId } = input;
  if (approvalId === undefined) {
    const a = await db.transaction((tx) =>
      requestApproval(tx, actor, {
        regionCode: payload.city,
        action: input.action,
        payload,
        amountFen: payload.amountFen,
        policy: input.policy,
      }),
    );
    const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
    return ok({ step: 'approval_requested', approval });
  }
  let replayed = false;
  const r = await postTransactions<R>(db, actor, [input.request], {
    auditAction: input.auditAction,
    guard: async (tx) => {
      const g = await input.write(tx, approvalId);
      replayed = g === 'replayed';
      return g === 'written' || g === 'replayed' ? null : g;
    },
  });
  if (!r.ok) return r;
  return ok({ step: replayed ? 'replayed' : 'posted', approval: null });
}
