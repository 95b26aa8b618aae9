import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { guardOnly } from '../benefits/benefit-decision-approve.ts';
import { institutionFacts, storedStatement } from './statement-read.ts';

/**
 * The institution declares its own totals for an accounting month (总额对账 1320: count and fund
 * share, reversals netted), with its per-settlement detail if it has one (明细对账 1321). It may
 * declare again (the last one counts) until the month's statement is paid.
 */
export type DeclareRefusalCode = 'settlement.institution_not_found' | 'settlement.statement_paid';

export type DeclareRequest = {
  institutionId: string;
  month: string;
  settlementCount: number;
  fundFen: number;
  detail?: readonly { serial: string; fundFen: number }[] | undefined;
};

export async function declareMonthTotals(
  db: Database,
  actor: Actor,
  req: DeclareRequest,
): Promise<Result<{ institutionId: string; month: string }, DeclareRefusalCode>> {
  // Only the institution itself declares its totals: staff reconcile against them.
  if (actor.scopeKind !== 'institution' || actor.scopeCode !== req.institutionId)
    return refuse('settlement.institution_not_found', `institution ${req.institutionId} not found`);
  const written = await guardOnly<DeclareRefusalCode>(db, async (tx) => {
    if ((await institutionFacts(tx, req.institutionId)) === null)
      return refuse(
        'settlement.institution_not_found',
        `institution ${req.institutionId} not found`,
      );
    const stored = await storedStatement(tx, req.institutionId, req.month, true);
    if (stored?.status === 'paid')
      return refuse('settlement.statement_paid', `the statement for ${req.month} is paid already`);
    await tx.query(
      `INSERT INTO settlement_declared_totals (institution_id, accounting_month, settlement_count,
         fund_fen, detail, declared_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (institution_id, accounting_month) DO UPDATE SET
         settlement_count = EXCLUDED.settlement_count, fund_fen = EXCLUDED.fund_fen,
         detail = EXCLUDED.detail, declared_by = EXCLUDED.declared_by, declared_at = now()`,
      [
        req.institutionId,
        req.month,
        req.settlementCount,
        req.fundFen,
        req.detail === undefined ? null : JSON.stringify(req.detail),
        actor.username,
      ],
    );
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.declare', `statement/${req.institutionId}/${req.month}`, {
        settlementCount: req.settlementCount,
        fundFen: req.fundFen,
        detailLines: req.detail?.length ?? null,
      }),
    );
    return null;
  });
  if (!written.ok) return written;
  return ok({ institutionId: req.institutionId, month: req.month });
}
