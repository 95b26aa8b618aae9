import type { Database, Executor } from '../../db/client.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import {
  paymentTransactions,
  STATEMENT_PAYMENT_ACTION,
  type StatementPayload,
  statementPayload,
} from '../../domain/settlement/statement.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
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
import {
  computeMonth,
  type InstitutionFacts,
  institutionFacts,
  type ShareMissing,
  type StatementView,
  statementInScope,
  storedStatement,
} from './statement-read.ts';

/**
 * The statement's payment, maker-checker (docs/security.md, "Maker-checker"): a city handler
 * proposes the payment of a reconciled statement, which asks an approval bound to the statement's
 * payload (totals and per-segment amounts); another person approves; applying it recomputes the
 * payload from the month's data (a settlement or deduction added since no longer fits), consumes
 * the approval and posts Dr 2101 / Cr 1003 per segment for the payable
 * (`settlement-statement:<institution>:<month>:paid:<segment>`) in the transaction that marks the
 * statement paid. A rerun after a kill posts once: the ids and the status say so.
 */
export type PaymentRefusalCode =
  | 'settlement.institution_not_found'
  | 'settlement.statement_not_reconciled'
  | 'settlement.statement_nothing_payable'
  | 'settlement.statement_paid'
  | 'settlement.statement_not_proposed'
  | ShareMissing
  | ApprovalRefusal
  | LedgerRefusalCode;

export type Proposed = {
  institutionId: string;
  month: string;
  approvalId: string;
  payableFen: number;
  replayed: boolean;
};

async function loadInScope(
  ex: Executor,
  actor: Actor,
  institutionId: string,
): Promise<Result<InstitutionFacts, 'settlement.institution_not_found'>> {
  const institution = await institutionFacts(ex, institutionId);
  if (
    institution === null ||
    actor.scopeKind === 'institution' ||
    !statementInScope(actor, institution)
  )
    return refuse('settlement.institution_not_found', `institution ${institutionId} not found`);
  return ok(institution);
}

/** The statement must be reconciled and owe something. */
function payable(view: StatementView): Refusal<PaymentRefusalCode> | null {
  if (view.reconciliation.status !== 'reconciled')
    return refuse(
      'settlement.statement_not_reconciled',
      view.reconciliation.status === 'not_declared'
        ? 'the institution has not declared its totals for the month'
        : "the institution's totals differ from ours: see the differing settlements",
      view.reconciliation.status === 'differs'
        ? { differences: view.reconciliation.differences.slice(0, 100) }
        : { status: view.reconciliation.status },
    );
  if (view.totals.payableFen <= 0 || view.segments.some((s) => s.payableFen < 0))
    return refuse(
      'settlement.statement_nothing_payable',
      `the month pays ${view.totals.payableFen} fen: nothing to propose`,
    );
  return null;
}

export async function proposeStatementPayment(
  db: Database,
  maker: Actor,
  rules: RuleSet,
  req: { institutionId: string; month: string },
  policy: ApprovalPolicy,
): Promise<Result<Proposed, PaymentRefusalCode>> {
  return db.transaction(async (tx): Promise<Result<Proposed, PaymentRefusalCode>> => {
    const institution = await loadInScope(tx, maker, req.institutionId);
    if (!institution.ok) return institution;
    const stored = await storedStatement(tx, req.institutionId, req.month, true);
    if (stored?.status === 'paid')
      return refuse('settlement.statement_paid', `the statement for ${req.month} is paid already`);
    const computed = await computeMonth(tx, rules, institution.value, req.month);
    if (!computed.ok) return computed;
    const view = computed.value;
    const refused = payable(view);
    if (refused !== null) return refused;
    const payload = statementPayload(view);
    const hash = payloadHash(payload);
    // The same proposal again, while its approval can still be used, is a replay.
    if (stored !== null && (await reusable(tx, stored.approvalRegionCode, stored.approvalId, hash)))
      return ok({
        ...req,
        approvalId: stored.approvalId,
        payableFen: stored.payableFen,
        replayed: true,
      });
    const approval = await requestApproval(tx, maker, {
      regionCode: institution.value.managingRegionCode,
      action: STATEMENT_PAYMENT_ACTION,
      payload,
      amountFen: payload.totals.payableFen,
      policy,
    });
    await tx.query(
      `INSERT INTO settlement_statements (institution_id, accounting_month, status, payload,
         payable_fen, approval_region_code, approval_id, proposed_by)
       VALUES ($1, $2, 'proposed', $3::jsonb, $4, $5, $6, $7)
       ON CONFLICT (institution_id, accounting_month) DO UPDATE SET payload = EXCLUDED.payload,
         payable_fen = EXCLUDED.payable_fen, approval_region_code = EXCLUDED.approval_region_code,
         approval_id = EXCLUDED.approval_id, proposed_by = EXCLUDED.proposed_by, proposed_at = now()`,
      [
        req.institutionId,
        req.month,
        JSON.stringify(payload),
        payload.totals.payableFen,
        institution.value.managingRegionCode,
        approval.id,
        maker.username,
      ],
    );
    await appendAudit(
      tx,
      okEventOf(
        maker,
        'settlement.statement.propose',
        `statement/${req.institutionId}/${req.month}`,
        {
          approvalId: approval.id,
          payloadSha256: hash,
          payableFen: payload.totals.payableFen,
        },
      ),
    );
    return ok({
      ...req,
      approvalId: approval.id,
      payableFen: payload.totals.payableFen,
      replayed: false,
    });
  });
}

async function reusable(tx: Executor, regionCode: string, id: string, hash: string) {
  const r = await tx.query(
    `SELECT 1 FROM approvals WHERE region_code = $1 AND id = $2 AND payload_hash = $3
        AND status IN ('pending', 'approved') AND expires_at > now()`,
    [regionCode, id, hash],
  );
  return r.rows.length > 0;
}

export type Paid = {
  institutionId: string;
  month: string;
  payableFen: number;
  ledgerTransactionIds: string[];
  replayed: boolean;
};

/** The checker approves the proposed payment and it is applied (or answers the earlier one). */
export async function approveStatementPayment(
  db: Database,
  checker: Actor,
  rules: RuleSet,
  req: { institutionId: string; month: string; on: IsoDate },
): Promise<Result<Paid, PaymentRefusalCode>> {
  const loaded = await db.withConnection(async (ex) => {
    const institution = await loadInScope(ex, checker, req.institutionId);
    if (!institution.ok) return institution;
    return ok({
      institution: institution.value,
      stored: await storedStatement(ex, req.institutionId, req.month, false),
    });
  });
  if (!loaded.ok) return loaded;
  const { stored, institution } = loaded.value;
  if (stored === null)
    return refuse('settlement.statement_not_proposed', `no payment proposed for ${req.month}`);
  if (stored.status === 'paid')
    return ok(paidOf(req, stored.payableFen, stored.ledgerTransactionIds, true));
  const decided = await approveUnlessApproved(db, checker, {
    regionCode: stored.approvalRegionCode,
    id: stored.approvalId,
  });
  if (decided !== null) return decided;
  const computed = await db.withConnection((ex) => computeMonth(ex, rules, institution, req.month));
  if (!computed.ok) return computed;
  const view = computed.value;
  const refused = payable(view);
  if (refused !== null) return refused;
  const payload = statementPayload(view);
  const requests = paymentTransactions(payload, req.on);
  const ids = requests.map((r) => r.id);
  const written = await postTransactions<PaymentRefusalCode>(db, checker, requests, {
    auditAction: 'settlement.statement.post',
    guard: (tx) => applyPayment(tx, checker, { ...req, payload, ids }),
  });
  if (!written.ok) {
    // A concurrent approval that won the race makes this one a replay, not a refusal.
    const after = await db.withConnection((ex) =>
      storedStatement(ex, req.institutionId, req.month, false),
    );
    if (after?.status === 'paid')
      return ok(paidOf(req, after.payableFen, after.ledgerTransactionIds, true));
    return written;
  }
  return ok(paidOf(req, payload.totals.payableFen, ids, false));
}

function paidOf(
  req: { institutionId: string; month: string },
  payableFen: number,
  ids: string[],
  replayed: boolean,
): Paid {
  return {
    institutionId: req.institutionId,
    month: req.month,
    payableFen,
    ledgerTransactionIds: ids,
    replayed,
  };
}

async function applyPayment(
  tx: Executor,
  checker: Actor,
  input: {
    institutionId: string;
    month: string;
    on: IsoDate;
    payload: StatementPayload;
    ids: string[];
  },
): Promise<Refusal<PaymentRefusalCode> | null> {
  const stored = await storedStatement(tx, input.institutionId, input.month, true);
  if (stored === null)
    return refuse('settlement.statement_not_proposed', `no payment proposed for ${input.month}`);
  if (stored.status === 'paid')
    return refuse('settlement.statement_paid', `the statement for ${input.month} is paid already`);
  const used = await consumeApproval(tx, {
    regionCode: stored.approvalRegionCode,
    id: stored.approvalId,
    action: STATEMENT_PAYMENT_ACTION,
    payload: input.payload,
  });
  if (!used.ok) return used;
  await tx.query(
    `UPDATE settlement_statements SET status = 'paid',
       approved_by = coalesce((SELECT username FROM users WHERE id = $3), $3), paid_on = $4::date,
       ledger_transaction_ids = $5::text[]
     WHERE institution_id = $1 AND accounting_month = $2`,
    [input.institutionId, input.month, used.value.checkerId, input.on, input.ids],
  );
  await appendAudit(
    tx,
    okEventOf(
      checker,
      'settlement.statement.approve',
      `statement/${input.institutionId}/${input.month}`,
      {
        approvalId: stored.approvalId,
        payloadSha256: payloadHash(input.payload),
        payableFen: input.payload.totals.payableFen,
        ledgerTransactionIds: input.ids,
      },
    ),
  );
  return null;
}
