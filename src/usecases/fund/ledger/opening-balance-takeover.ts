import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { poolingOpeningTakeovers } from '../../../db/schema.ts';
import { provinceOfSegment } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import {
  planOpeningBalanceTakeover,
  type TakeoverInput,
  type TakeoverPlan,
  type TakeoverRefusalCode,
} from '../../../domain/fund/ledger/opening-balance-takeover.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../../kernel/result.ts';
import { type ApprovalRefusal, consumeApproval } from '../../approvals/approvals.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { postTransactions } from './ledger-write.ts';

export type TakeoverUseCaseRefusal =
  | TakeoverRefusalCode
  | 'fund.opening_balance_already_taken_over'
  | ApprovalRefusal
  | LedgerRefusalCode;

export const OPENING_BALANCE_ACTION = 'ledger.opening_balance';

/** What a checker approves for a take-over: every figure the plan is made from. */
export function openingBalancePayload(input: TakeoverInput) {
  return {
    city: input.city,
    rule: input.rule,
    share: input.share ?? null,
    target: input.target ?? 'province',
    balanceFen: input.balanceFen,
    effectiveDate: input.effectiveDate,
  };
}

type StoredTakeover = {
  rule: string;
  share: string | null;
  targetSegment: string;
  balanceFen: number;
  effectiveDate: string;
};

/** The refusal of a second take-over that differs from the stored one, or null when it is the same. */
function storedConflict(
  row: StoredTakeover,
  input: TakeoverInput,
  plan: TakeoverPlan,
): Refusal<'fund.opening_balance_already_taken_over'> | null {
  const same =
    row.rule === input.rule &&
    row.share === (input.share ?? null) &&
    row.targetSegment === plan.targetSegment &&
    row.balanceFen === input.balanceFen &&
    row.effectiveDate === input.effectiveDate;
  if (!same)
    return refuse(
      'fund.opening_balance_already_taken_over',
      `the balance of ${input.city} was already taken over (${row.rule}${row.share ? ` ${row.share}` : ''}, ${row.balanceFen} fen on ${row.effectiveDate}); corrections are new transactions`,
      {
        city: input.city,
        // The stored row under its column names, as the refusal has always shown it.
        stored: {
          rule: row.rule,
          share: row.share,
          target_segment: row.targetSegment,
          balance_fen: row.balanceFen,
          effective_date: row.effectiveDate,
        },
      },
    );
  return null;
}

/**
 * The posting guard: consumes the approval in the write transaction, except when completing a
 * take-over that was posted but not recorded (a crash between the two), whose approval went with
 * its postings.
 */
function approvalGuard(
  input: TakeoverInput & { approvalId: string },
  firstId: string | undefined,
  unrecorded: boolean,
) {
  return async (tx: Executor) => {
    if (unrecorded && firstId !== undefined) {
      const done = await tx.query('SELECT 1 FROM ledger_transactions WHERE id = $1', [firstId]);
      if (done.rows.length > 0) return null;
    }
    const used = await consumeApproval(tx, {
      regionCode: provinceOfSegment(input.city),
      id: input.approvalId,
      action: OPENING_BALANCE_ACTION,
      payload: openingBalancePayload(input),
    });
    return used.ok ? null : used;
  };
}

/**
 * Takes a city's historical balance (原基金结余) over into the provincial fund, once per city.
 * Posts the planned transactions through the ledger write path (deterministic ids: a repeat records
 * nothing new), then records the take-over in `pooling_opening_takeovers` with its audit event. A
 * second take-over of the same city under another rule, target or amount is refused. If a crash
 * falls between the posting and the record, repeating the same call completes it.
 *
 * A money movement under maker-checker: `approvalId` names an approved approval of action
 * `ledger.opening_balance` with `openingBalancePayload(input)`, consumed in the posting's
 * transaction (a completion after such a crash finds it consumed with the postings it allowed).
 */
export async function takeOverOpeningBalance(
  db: Database,
  actor: Actor,
  input: TakeoverInput & { approvalId: string },
): Promise<Result<TakeoverPlan & { recordedNow: boolean }, TakeoverUseCaseRefusal>> {
  const planned = planOpeningBalanceTakeover(input);
  if (!planned.ok) return planned;
  const plan = planned.value;
  const o = poolingOpeningTakeovers;
  const [row] = await db.withConnection((ex) =>
    ex.orm
      .select({
        rule: o.rule,
        share: o.share,
        targetSegment: o.targetSegment,
        balanceFen: o.balanceFen,
        effectiveDate: o.effectiveDate,
      })
      .from(o)
      .where(eq(o.city, input.city)),
  );
  if (row) {
    const conflict = storedConflict(row, input, plan);
    if (conflict) return conflict;
  }
  const posted = await postTransactions<ApprovalRefusal>(db, actor, plan.transactions, {
    auditAction: 'pooling.opening_balance.post',
    guard: approvalGuard(input, plan.transactions[0]?.id, row === undefined),
  });
  if (!posted.ok) return posted;
  const recordedNow = await db.transaction(async (tx) => {
    const ins = await tx.orm
      .insert(o)
      .values({
        city: input.city,
        province: provinceOfSegment(input.city),
        rule: input.rule,
        share: input.share ?? null,
        targetSegment: plan.targetSegment,
        effectiveDate: input.effectiveDate,
        balanceFen: input.balanceFen,
        transferredFen: plan.transferredFen,
        keptFen: plan.keptFen,
        transactionIds: plan.transactions.map((t) => t.id),
        actor: actor.username,
      })
      .onConflictDoNothing({ target: o.city })
      .returning({ city: o.city });
    if (ins.length === 0) return false;
    await appendAudit(tx, {
      actor: actor.username,
      role: actor.role,
      scope: scopeLabel(actor),
      action: 'pooling.opening_balance.take_over',
      object: `opening-balance/${input.city}`,
      result: 'ok',
      requestId: actor.requestId,
      details: {
        rule: input.rule,
        share: input.share ?? null,
        balanceFen: input.balanceFen,
        transferredFen: plan.transferredFen,
      },
    });
    return true;
  });
  return ok({ ...plan, recordedNow });
}
