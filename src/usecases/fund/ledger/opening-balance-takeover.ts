import type { Database } from '../../../db/client.ts';
import { provinceOfSegment } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import {
  planOpeningBalanceTakeover,
  type TakeoverInput,
  type TakeoverPlan,
  type TakeoverRefusalCode,
} from '../../../domain/fund/ledger/opening-balance-takeover.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { postTransactions } from './ledger-write.ts';

export type TakeoverUseCaseRefusal =
  | TakeoverRefusalCode
  | 'fund.opening_balance_already_taken_over'
  | LedgerRefusalCode;

type TakeoverRow = {
  rule: string;
  share: string | null;
  target_segment: string;
  balance_fen: number;
  effective_date: string;
};

/**
 * Takes a city's historical balance (原基金结余) over into the provincial fund, once per city.
 * Posts the planned transactions through the ledger write path (deterministic ids: a repeat records
 * nothing new), then records the take-over in `pooling_opening_takeovers` with its audit event. A
 * second take-over of the same city under another rule, target or amount is refused. If a crash
 * falls between the posting and the record, repeating the same call completes it.
 */
export async function takeOverOpeningBalance(
  db: Database,
  actor: Actor,
  input: TakeoverInput,
): Promise<Result<TakeoverPlan & { recordedNow: boolean }, TakeoverUseCaseRefusal>> {
  const planned = planOpeningBalanceTakeover(input);
  if (!planned.ok) return planned;
  const plan = planned.value;
  const existing = await db.query<TakeoverRow>(
    `SELECT rule, share, target_segment, balance_fen, to_char(effective_date, 'YYYY-MM-DD') AS effective_date
       FROM pooling_opening_takeovers WHERE city = $1`,
    [input.city],
  );
  const row = existing.rows[0];
  if (row) {
    const same =
      row.rule === input.rule &&
      row.share === (input.share ?? null) &&
      row.target_segment === plan.targetSegment &&
      row.balance_fen === input.balanceFen &&
      row.effective_date === input.effectiveDate;
    if (!same)
      return refuse(
        'fund.opening_balance_already_taken_over',
        `the balance of ${input.city} was already taken over (${row.rule}${row.share ? ` ${row.share}` : ''}, ${row.balance_fen} fen on ${row.effective_date}); corrections are new transactions`,
        { city: input.city, stored: row },
      );
  }
  const posted = await postTransactions(db, actor, plan.transactions, {
    auditAction: 'pooling.opening_balance.post',
  });
  if (!posted.ok) return posted;
  const recordedNow = await db.transaction(async (tx) => {
    const ins = await tx.query(
      `INSERT INTO pooling_opening_takeovers
         (city, province, rule, share, target_segment, effective_date, balance_fen, transferred_fen, kept_fen, transaction_ids, actor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (city) DO NOTHING`,
      [
        input.city,
        provinceOfSegment(input.city),
        input.rule,
        input.share ?? null,
        plan.targetSegment,
        input.effectiveDate,
        input.balanceFen,
        plan.transferredFen,
        plan.keptFen,
        plan.transactions.map((t) => t.id),
        actor.username,
      ],
    );
    if (ins.rowCount === 0) return false;
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
