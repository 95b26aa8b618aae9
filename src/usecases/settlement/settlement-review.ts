import type { Database, Executor } from '../../db/client.ts';
import {
  boolOf,
  intOf,
  oneOf,
  oneOrNullOf,
  textArrayOf,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import {
  deductionTransaction,
  deductionTransactionId,
  type LineCategory,
} from '../../domain/settlement/statement.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { guardOnly } from '../benefits/benefit-decision-approve.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';

/**
 * Manual review (人工审核, issue 13): the sampled settlements of a month wait for a reviewer, who
 * accepts or deducts each line; a non-sampled line found non-compliant is deducted the same way. A
 * deduction (reason code `deducted_after_review`) is booked Dr 2101 / Cr 51xx in the settlement's
 * segment with the id `settlement-review:<region>:<settlement>:<line>:deducted`, in the database
 * transaction that writes the review row (the ledger's guard): a retry posts nothing twice.
 */
export type ReviewRefusalCode =
  | 'settlement.settlement_not_found'
  | 'settlement.line_not_found'
  | 'settlement.settlement_reversed'
  | 'settlement.deduction_invalid'
  | 'settlement.deduction_over_payable'
  | 'settlement.line_already_reviewed'
  | 'settlement.statement_paid'
  | LedgerRefusalCode;

/** Staff see the settlements of their city (province staff: all); an institution, its own. */
export function inScope(actor: Actor, regionCode: string, institutionId: string): boolean {
  if (actor.scopeKind === 'institution') return actor.scopeCode === institutionId;
  if (actor.scopeKind === 'city') return actor.scopeCode === regionCode;
  return actor.scopeKind === 'province';
}

export type QueueEntry = {
  regionCode: string;
  settlementId: string;
  institutionId: string;
  serial: string;
  month: string;
  lineCount: number;
  fundFen: number;
  reviewedLines: number;
  deductedFen: number;
};

/** The sampled, active settlements of a month in the actor's scope, unreviewed lines first. */
export async function reviewQueue(
  db: Database,
  actor: Actor,
  filter: { month: string; institutionId?: string | undefined },
): Promise<QueueEntry[]> {
  const region = actor.scopeKind === 'city' ? actor.scopeCode : null;
  const r = await db.query(
    `SELECT s.region_code, s.id, s.institution_id, s.serial, s.accounting_month, s.line_count,
            s.fund_fen,
            (SELECT count(*)::int FROM settlement_line_reviews v
              WHERE v.region_code = s.region_code AND v.settlement_id = s.id) AS reviewed,
            (SELECT coalesce(sum(v.deducted_fen), 0)::bigint FROM settlement_line_reviews v
              WHERE v.region_code = s.region_code AND v.settlement_id = s.id) AS deducted
       FROM settlement_settlements s
      WHERE s.sampled AND s.kind = 'settlement' AND s.status = 'active'
        AND s.accounting_month = $1
        AND ($2::text IS NULL OR s.region_code = $2)
        AND ($3::text IS NULL OR s.institution_id = $3)
      ORDER BY (SELECT count(*) FROM settlement_line_reviews v
                 WHERE v.region_code = s.region_code AND v.settlement_id = s.id) >= s.line_count,
               s.settled_at, s.id
      LIMIT 500`,
    [filter.month, region, filter.institutionId ?? null],
  );
  return r.rows
    .map((row) => ({
      regionCode: textOf(row, 'region_code'),
      settlementId: textOf(row, 'id'),
      institutionId: textOf(row, 'institution_id'),
      serial: textOf(row, 'serial'),
      month: textOf(row, 'accounting_month'),
      lineCount: intOf(row, 'line_count'),
      fundFen: intOf(row, 'fund_fen'),
      reviewedLines: intOf(row, 'reviewed'),
      deductedFen: intOf(row, 'deducted'),
    }))
    .filter((e) => inScope(actor, e.regionCode, e.institutionId));
}

export type ReviewedLine = {
  lineNo: number;
  name: string;
  ownCode: string;
  category: LineCategory;
  outcome: 'payable' | 'partial' | 'rejected';
  claimedFen: number;
  payableFen: number;
  reasons: string[];
  review: {
    decision: 'accepted' | 'deducted';
    deductedFen: number;
    reason: string | null;
    reviewedBy: string;
    ledgerTransactionId: string | null;
  } | null;
};

export type SettlementDetail = {
  regionCode: string;
  id: string;
  institutionId: string;
  visitId: string;
  serial: string;
  kind: 'settlement' | 'reversal';
  status: 'active' | 'reversed';
  month: string;
  claimedFen: number;
  fundFen: number;
  sampled: boolean;
  ledgerTransactionId: string;
  lines: ReviewedLine[];
};

async function settlementHead(ex: Executor, regionCode: string, id: string, lock: boolean) {
  const r = await ex.query(
    `SELECT region_code, id, institution_id, visit_id, serial, kind, status, accounting_month,
            claimed_fen, fund_fen, sampled, ledger_transaction_id
       FROM settlement_settlements WHERE region_code = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [regionCode, id],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  return {
    regionCode: textOf(row, 'region_code'),
    id: textOf(row, 'id'),
    institutionId: textOf(row, 'institution_id'),
    visitId: textOf(row, 'visit_id'),
    serial: textOf(row, 'serial'),
    kind: oneOf(row, 'kind', ['settlement', 'reversal']),
    status: oneOf(row, 'status', ['active', 'reversed']),
    month: textOf(row, 'accounting_month'),
    claimedFen: intOf(row, 'claimed_fen'),
    fundFen: intOf(row, 'fund_fen'),
    sampled: boolOf(row, 'sampled'),
    ledgerTransactionId: textOf(row, 'ledger_transaction_id'),
  };
}

async function reviewedLines(ex: Executor, regionCode: string, id: string, visitId: string) {
  const r = await ex.query(
    `SELECT l.line_no, f.name, f.own_code, l.category, l.outcome, l.claimed_fen, l.payable_fen,
            l.reasons, v.decision, v.deducted_fen, v.reason, v.reviewed_by, v.ledger_transaction_id
       FROM settlement_line_results l
       JOIN settlement_fee_lines f
         ON f.region_code = l.region_code AND f.visit_id = $3 AND f.line_no = l.line_no
       LEFT JOIN settlement_line_reviews v ON v.region_code = l.region_code
        AND v.settlement_id = l.settlement_id AND v.line_no = l.line_no
      WHERE l.region_code = $1 AND l.settlement_id = $2
      ORDER BY l.line_no`,
    [regionCode, id, visitId],
  );
  return r.rows.map((row): ReviewedLine => {
    const decision = oneOrNullOf(row, 'decision', ['accepted', 'deducted']);
    return {
      lineNo: intOf(row, 'line_no'),
      name: textOf(row, 'name'),
      ownCode: textOf(row, 'own_code'),
      category: oneOf(row, 'category', ['medical', 'rehabilitation', 'device']),
      outcome: oneOf(row, 'outcome', ['payable', 'partial', 'rejected']),
      claimedFen: intOf(row, 'claimed_fen'),
      payableFen: intOf(row, 'payable_fen'),
      reasons: textArrayOf(row, 'reasons'),
      review:
        decision === null
          ? null
          : {
              decision,
              deductedFen: intOf(row, 'deducted_fen'),
              reason: textOrNullOf(row, 'reason'),
              reviewedBy: textOf(row, 'reviewed_by'),
              ledgerTransactionId: textOrNullOf(row, 'ledger_transaction_id'),
            },
    };
  });
}

/** One settlement with its lines, adjudication and reviews (out of scope reads as not found). */
export async function settlementDetail(
  db: Database,
  actor: Actor,
  key: { regionCode: string; settlementId: string },
): Promise<Result<SettlementDetail, 'settlement.settlement_not_found'>> {
  return db.withConnection(async (ex) => {
    const head = await settlementHead(ex, key.regionCode, key.settlementId, false);
    if (head === null || !inScope(actor, head.regionCode, head.institutionId))
      return refuse('settlement.settlement_not_found', `settlement ${key.settlementId} not found`);
    const lines = await reviewedLines(ex, head.regionCode, head.id, head.visitId);
    return ok({ ...head, lines });
  });
}

export type ReviewRequest = {
  regionCode: string;
  settlementId: string;
  lineNo: number;
  decision: 'accepted' | 'deducted';
  /** For a deduction: 0 < amount ≤ the line's payable. */
  deductedFen?: number | undefined;
  reason?: string | undefined;
  /** The deduction's effective date (its ledger period must be open). */
  on: IsoDate;
};

export type ReviewOutcome = {
  regionCode: string;
  settlementId: string;
  lineNo: number;
  decision: 'accepted' | 'deducted';
  deductedFen: number;
  ledgerTransactionId: string | null;
  replayed: boolean;
};

type LineFacts = { category: LineCategory; payableFen: number };

/** The checks, on the locked settlement (inside the write's transaction). */
async function checkReview(
  tx: Executor,
  actor: Actor,
  req: ReviewRequest,
): Promise<Result<{ line: LineFacts; month: string; institutionId: string }, ReviewRefusalCode>> {
  const head = await settlementHead(tx, req.regionCode, req.settlementId, true);
  if (head === null || !inScope(actor, head.regionCode, head.institutionId))
    return refuse('settlement.settlement_not_found', `settlement ${req.settlementId} not found`);
  if (head.kind !== 'settlement' || head.status !== 'active')
    return refuse(
      'settlement.settlement_reversed',
      `settlement ${head.id} is ${head.kind === 'reversal' ? 'a reversal' : 'reversed'}: nothing to review`,
    );
  const r = await tx.query(
    `SELECT category, payable_fen FROM settlement_line_results
      WHERE region_code = $1 AND settlement_id = $2 AND line_no = $3`,
    [req.regionCode, req.settlementId, req.lineNo],
  );
  const row = r.rows[0];
  if (row === undefined)
    return refuse('settlement.line_not_found', `settlement ${head.id} has no line ${req.lineNo}`);
  const line = {
    category: oneOf(row, 'category', ['medical', 'rehabilitation', 'device']),
    payableFen: intOf(row, 'payable_fen'),
  };
  if (req.decision === 'deducted' && (req.deductedFen ?? 0) > line.payableFen)
    return refuse(
      'settlement.deduction_over_payable',
      `line ${req.lineNo} pays ${line.payableFen} fen; a deduction cannot exceed it`,
      { payableFen: line.payableFen, deductedFen: req.deductedFen },
    );
  const paid = await tx.query(
    `SELECT 1 FROM settlement_statements
      WHERE institution_id = $1 AND accounting_month = $2 AND status = 'paid'`,
    [head.institutionId, head.month],
  );
  if (paid.rows.length > 0)
    return refuse(
      'settlement.statement_paid',
      `the statement of ${head.institutionId} for ${head.month} is paid: its lines are closed`,
    );
  return ok({ line, month: head.month, institutionId: head.institutionId });
}

/** The review row, once; the same review again is a replay, another one a refusal. */
async function writeReview(
  tx: Executor,
  actor: Actor,
  req: ReviewRequest,
  transactionId: string | null,
): Promise<Refusal<ReviewRefusalCode> | null> {
  const checked = await checkReview(tx, actor, req);
  if (!checked.ok) return checked;
  const deducted = req.decision === 'deducted' ? (req.deductedFen ?? 0) : 0;
  const existing = await tx.query(
    `SELECT decision, deducted_fen, reason FROM settlement_line_reviews
      WHERE region_code = $1 AND settlement_id = $2 AND line_no = $3`,
    [req.regionCode, req.settlementId, req.lineNo],
  );
  const prior = existing.rows[0];
  if (prior !== undefined) {
    const same =
      textOf(prior, 'decision') === req.decision &&
      intOf(prior, 'deducted_fen') === deducted &&
      textOrNullOf(prior, 'reason') === (req.reason ?? null);
    return same
      ? null
      : refuse(
          'settlement.line_already_reviewed',
          `line ${req.lineNo} of ${req.settlementId} was reviewed already (${textOf(prior, 'decision')})`,
          { decision: textOf(prior, 'decision'), deductedFen: intOf(prior, 'deducted_fen') },
        );
  }
  await tx.query(
    `INSERT INTO settlement_line_reviews (region_code, settlement_id, line_no, institution_id,
       accounting_month, decision, deducted_fen, reason_code, reason, ledger_transaction_id,
       reviewed_by, reviewed_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::date)`,
    [
      req.regionCode,
      req.settlementId,
      req.lineNo,
      checked.value.institutionId,
      checked.value.month,
      req.decision,
      deducted,
      req.decision === 'deducted' ? 'deducted_after_review' : null,
      req.reason ?? null,
      transactionId,
      actor.username,
      req.on,
    ],
  );
  await appendAudit(
    tx,
    okEventOf(actor, 'settlement.review', `settlement/${req.regionCode}/${req.settlementId}`, {
      lineNo: req.lineNo,
      decision: req.decision,
      deductedFen: deducted,
      ledgerTransactionId: transactionId,
    }),
  );
  return null;
}

/** Accepts or deducts one line (the route and the CLI call this). */
export async function reviewLine(
  db: Database,
  actor: Actor,
  req: ReviewRequest,
): Promise<Result<ReviewOutcome, ReviewRefusalCode>> {
  const head = await db.withConnection((ex) =>
    settlementHead(ex, req.regionCode, req.settlementId, false),
  );
  if (head === null || !inScope(actor, head.regionCode, head.institutionId))
    return refuse('settlement.settlement_not_found', `settlement ${req.settlementId} not found`);
  const deducted = req.decision === 'deducted' ? (req.deductedFen ?? 0) : 0;
  if (req.decision === 'deducted' && (deducted <= 0 || (req.reason ?? '').trim() === ''))
    return refuse(
      'settlement.deduction_invalid',
      'a deduction needs an amount above 0 fen and the reason the institution will read',
    );
  const before = await db.query(
    `SELECT 1 FROM settlement_line_reviews WHERE region_code = $1 AND settlement_id = $2 AND line_no = $3`,
    [req.regionCode, req.settlementId, req.lineNo],
  );
  const replayed = before.rows.length > 0;
  // A review already written is answered by the guard (same review: nothing written; another: a
  // refusal) without a ledger write, so a replay on another day is no idempotency conflict.
  const written =
    req.decision === 'accepted' || replayed
      ? await guardOnly(db, (tx) =>
          writeReview(
            tx,
            actor,
            req,
            replayed && req.decision === 'deducted'
              ? deductionTransactionId(req.regionCode, req.settlementId, req.lineNo)
              : null,
          ),
        )
      : await deduct(db, actor, req, deducted);
  if (!written.ok) return written;
  return ok({
    regionCode: req.regionCode,
    settlementId: req.settlementId,
    lineNo: req.lineNo,
    decision: req.decision,
    deductedFen: deducted,
    ledgerTransactionId:
      req.decision === 'deducted'
        ? deductionTransactionId(req.regionCode, req.settlementId, req.lineNo)
        : null,
    replayed,
  });
}

async function deduct(db: Database, actor: Actor, req: ReviewRequest, amountFen: number) {
  // The line's category picks the expense account; read before the write, re-checked in the guard.
  const r = await db.query(
    `SELECT category FROM settlement_line_results
      WHERE region_code = $1 AND settlement_id = $2 AND line_no = $3`,
    [req.regionCode, req.settlementId, req.lineNo],
  );
  const row = r.rows[0];
  if (row === undefined)
    return refuse(
      'settlement.line_not_found',
      `settlement ${req.settlementId} has no line ${req.lineNo}`,
    );
  const request = deductionTransaction({
    regionCode: req.regionCode,
    settlementId: req.settlementId,
    lineNo: req.lineNo,
    category: oneOf(row, 'category', ['medical', 'rehabilitation', 'device']),
    amountFen,
    effectiveDate: req.on,
  });
  return postTransaction<ReviewRefusalCode>(db, actor, request, {
    auditAction: 'settlement.review.post',
    guard: (tx) => writeReview(tx, actor, req, request.id),
  });
}
