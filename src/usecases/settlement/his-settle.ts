import type { Database, Executor } from '../../db/client.ts';
import type { SettlementTxCode } from '../../db/schema-settlement.ts';
import type { AuditEventInput } from '../../domain/audit/chain.ts';
import { benefitExpenseAccount } from '../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import {
  type Adjudication,
  adjudicate,
  type SettlementCategory,
} from '../../domain/settlement/adjudicate.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { monthOf, todayInChina } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { inReviewSample } from '../../rules/settlement/settlement-rules.ts';
import { appendAudits, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { adjudicationInputOf, type FoodRefusalCode } from './his-adjudication-input.ts';
import {
  answerStored,
  claimMessage,
  institutionOf,
  type JsonObject,
  type MessageAnswer,
  type MessageKey,
  requestSha256,
  storedMessage,
} from './his-messages.ts';
import { checkSignIn, type Envelope, idFromKey } from './his-session.ts';
import {
  openVisitOf,
  runSigned,
  type VisitRefusalCode,
  type VisitRow,
  visitNotFound,
  visitOf,
} from './his-visits.ts';

/**
 * 费用预结算 2206 and 费用结算 2207 (docs/settlement-messages.md). Settling is one database
 * transaction through the ledger's write path: its guard claims the message, locks the visit,
 * adjudicates again under the lock and writes the settlement, its line results, the visit's
 * status and the stored answer; the ledger transaction (Dr 5101/5104/5105, Cr 2101 in the case's
 * segment) commits with them or not at all.
 */
export type SettleRefusalCode =
  | VisitRefusalCode
  | 'settlement.lines_mismatch'
  | 'settlement.visit_changed'
  | 'settlement.no_lines'
  | FoodRefusalCode
  | LedgerRefusalCode;

/** The institution's own count and total of the active lines (预结算: the centre detects a gap). */
export type SettleBody = { visitId: string; lineCount: number; claimedFen: number };

/** Medical, rehabilitation and device expense lines of the chart (src/domain/fund/ledger/accounts.ts). */
const CATEGORY_ACCOUNT: Record<SettlementCategory, string> = {
  medical: benefitExpenseAccount.medical,
  rehabilitation: benefitExpenseAccount.rehabilitation,
  device: benefitExpenseAccount.assistive_device,
};
/** 2101 应付医疗康复机构款: what the fund owes the institution until the statement pays it. */
export const INSTITUTIONS_PAYABLE = '2101';

export function settledTransactionId(settlementId: string): string {
  return `settlement:${settlementId}:settled`;
}

/** The expense legs of a settlement by category (and the food allowance), each > 0. */
export function expenseLegs(
  byCategory: Record<SettlementCategory, number>,
  foodAllowanceFen: number,
): { account: string; amountFen: number }[] {
  const legs = (Object.keys(CATEGORY_ACCOUNT) as SettlementCategory[])
    .filter((c) => byCategory[c] > 0)
    .map((c) => ({ account: CATEGORY_ACCOUNT[c], amountFen: byCategory[c] }));
  if (foodAllowanceFen > 0)
    legs.push({ account: benefitExpenseAccount.hospital_food, amountFen: foodAllowanceFen });
  return legs;
}

export function settlementTransaction(input: {
  id: string;
  settlementId: string;
  segment: string;
  effectiveDate: string;
  legs: readonly { account: string; amountFen: number }[];
  reverse: { corrects: string } | null;
}): TransactionRequest | null {
  if (input.legs.length === 0) return null;
  const expense = input.reverse ? ('credit' as const) : ('debit' as const);
  const payable = input.reverse ? ('debit' as const) : ('credit' as const);
  return {
    id: input.id,
    effectiveDate: input.effectiveDate,
    source: { type: 'settlement', id: input.settlementId },
    memo: input.reverse ? '联网结算撤销 settlement reversed' : '联网直接结算 direct settlement',
    corrects: input.reverse?.corrects ?? null,
    postings: input.legs.flatMap((l) => [
      { segment: input.segment, account: l.account, side: expense, amountFen: l.amountFen },
      {
        segment: input.segment,
        account: INSTITUTIONS_PAYABLE,
        side: payable,
        amountFen: l.amountFen,
      },
    ]),
  };
}

function adjudicationBody(visitId: string, a: Adjudication): JsonObject {
  return {
    visitId,
    totals: a.totals,
    lines: a.lines.map((l) => ({
      lineNo: l.lineNo,
      outcome: l.outcome,
      claimedFen: l.claimedFen,
      payableFen: l.payableFen,
      reasons: l.reasons,
      catalogueCode: l.catalogueCode,
      category: l.category,
    })),
  };
}

function checkCounts(body: SettleBody, a: Adjudication): Refusal<SettleRefusalCode> | null {
  if (a.totals.lineCount === 0)
    return refuse('settlement.no_lines', `visit ${body.visitId} has no active lines to settle`);
  if (a.totals.lineCount !== body.lineCount || a.totals.claimedFen !== body.claimedFen)
    return refuse(
      'settlement.lines_mismatch',
      'the active lines differ from the institution’s count or total',
      {
        ours: { lineCount: a.totals.lineCount, claimedFen: a.totals.claimedFen },
        theirs: { lineCount: body.lineCount, claimedFen: body.claimedFen },
      },
    );
  return null;
}

/** 2206 费用预结算: the adjudication of the active lines; writes nothing but the message. */
export async function preSettle(
  db: Database,
  rules: RuleSet,
  actor: Actor,
  envelope: Envelope,
  body: SettleBody,
): Promise<Result<MessageAnswer, SettleRefusalCode>> {
  return runSigned<SettleRefusalCode>(
    db,
    actor,
    '2206',
    envelope,
    body,
    async (tx, institutionId) => {
      const found = await openVisitOf(tx, institutionId, body.visitId);
      if (!found.ok) return found;
      const input = await adjudicationInputOf(tx, found.value, rules);
      if (!input.ok) return input;
      const a = adjudicate(input.value);
      const refused = checkCounts(body, a);
      if (refused) return refused;
      return ok(adjudicationBody(body.visitId, a));
    },
  );
}

/** Internal: the guard found the message already answered (a concurrent twin won). */
type Replayed = 'settlement.replayed';
const REPLAYED: Refusal<Replayed> = refuse('settlement.replayed', 'already answered');

type Plan = {
  visit: VisitRow;
  adjudication: Adjudication;
  settlementId: string;
  at: Date;
  /** Drawn for manual review (人工审核) by the rules' sample share: the same on every replay. */
  sampled: boolean;
};

/** The settlement's audit event: appended with the ledger's, last (see writeGuarded). */
function settleEvent(actor: Actor, key: MessageKey, plan: Plan, transactionId: string | null) {
  const { visit, settlementId } = plan;
  return okEventOf(
    actor,
    'settlement.his.settle',
    `settlement/${visit.regionCode}/${settlementId}`,
    {
      visitId: visit.id,
      serial: key.serial,
      fundFen: plan.adjudication.totals.fundFen,
      ledgerTransactionId: transactionId,
    },
  );
}

/**
 * The settlement, its line results, the visit settled and the message's stored answer, in one
 * statement (issue 13: four round trips of the settling transaction were these four writes).
 * Hand SQL on the measured hot path (bench/settlement.bench.ts); each part is the statement it
 * replaced (the message's answer as storeAnswer writes it).
 */
const WRITE_SQL = `
WITH settlement AS (
  INSERT INTO settlement_settlements (region_code, id, visit_id, institution_id, kind, serial,
    settled_at, accounting_month, line_count, claimed_fen, fund_fen, food_allowance_fen,
    rejected_fen, status, sampled, ledger_transaction_id)
  VALUES ($1, $2, $3, $4, 'settlement', $5, $6, $7, $8, $9, $10, $11, $12, 'active', $13, $14)),
line_results AS (
  INSERT INTO settlement_line_results (region_code, settlement_id, line_no, catalogue_code,
    category, outcome, claimed_fen, payable_fen, reasons)
  SELECT $1, $2, u.line_no, u.catalogue_code, u.category, u.outcome, u.claimed, u.payable,
         ARRAY(SELECT jsonb_array_elements_text(u.reasons))
    FROM unnest($15::int4[], $16::text[], $17::text[], $18::text[], $19::int8[], $20::int8[],
                $21::jsonb[]) AS u(line_no, catalogue_code, category, outcome, claimed, payable, reasons)),
visit AS (
  UPDATE settlement_visits SET status = 'settled', version = version + 1
   WHERE region_code = $1 AND id = $3)
UPDATE settlement_messages SET response = $23::jsonb
 WHERE institution_id = $24 AND tx_code = $22 AND serial = $5`;

/** The settlement's rows, the visit settled and the stored answer (which it returns). */
async function writeSettlement(
  tx: Executor,
  key: MessageKey,
  plan: Plan,
  transactionId: string | null,
): Promise<JsonObject> {
  const { visit, adjudication: a, settlementId, at, sampled } = plan;
  const t = a.totals;
  const answer = {
    ...adjudicationBody(visit.id, a),
    settlementId,
    settledAt: at.toISOString(),
    accountingMonth: monthOf(todayInChina(at.getTime())),
    fundFen: t.fundFen,
    sampled,
    ledgerTransactionId: transactionId,
  };
  const col = <K extends keyof Adjudication['lines'][number]>(k: K) => a.lines.map((l) => l[k]);
  await tx.query(WRITE_SQL, [
    visit.regionCode,
    settlementId,
    visit.id,
    visit.institutionId,
    key.serial,
    answer.settledAt,
    answer.accountingMonth,
    t.lineCount,
    t.claimedFen,
    t.fundFen,
    t.foodAllowanceFen,
    t.rejectedFen,
    sampled,
    transactionId,
    col('lineNo'),
    col('catalogueCode'),
    col('category'),
    col('outcome'),
    col('claimedFen'),
    col('payableFen'),
    a.lines.map((l) => JSON.stringify(l.reasons)),
    key.txCode,
    JSON.stringify(answer),
    key.institutionId,
  ]);
  return answer;
}

/**
 * The guard of 2207: claim, sign-in, lock, the same adjudication as planned, the writes; `written`
 * gets the stored answer (the caller answers it without reading it back).
 */
function settleGuard(
  rules: RuleSet,
  key: MessageKey,
  envelope: Envelope,
  body: SettleBody,
  plan: Plan,
  sha: string,
  transactionId: string | null,
  written: (answer: JsonObject) => void,
) {
  return async (tx: Executor): Promise<Refusal<SettleRefusalCode | Replayed> | null> => {
    const claim = await claimMessage(tx, key, sha);
    if (!claim.ok) return claim;
    if (claim.value.kind === 'replay') return REPLAYED;
    const signed = await checkSignIn(tx, key.institutionId, envelope.signInId);
    if (!signed.ok) return signed;
    const locked = await openVisitOf(tx, key.institutionId, body.visitId);
    if (!locked.ok) return locked;
    // The duplicate-line rule reads the case's other visits' settled lines: two visits of one case
    // settling at once would each miss the other's and pay a line twice. Under this lock the second
    // reads the first's committed lines, adjudicates differently from its plan and is refused
    // `visit_changed` (the institution settles again with a new serial, the duplicate rejected).
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('settlement-case:' || $1))", [
      locked.value.caseId,
    ]);
    const input = await adjudicationInputOf(tx, locked.value, rules);
    if (!input.ok) return input;
    const again = adjudicate(input.value);
    if (JSON.stringify(again) !== JSON.stringify(plan.adjudication))
      return refuse(
        'settlement.visit_changed',
        'the visit changed while it was settled: send 2207 again with a new serial',
      );
    written(await writeSettlement(tx, key, { ...plan, visit: locked.value }, transactionId));
    return null;
  };
}

/** 2207 费用结算. A replay answers the stored settlement; 50 concurrent twins make one settlement. */
export async function settle(
  db: Database,
  rules: RuleSet,
  actor: Actor,
  envelope: Envelope,
  body: SettleBody,
): Promise<Result<MessageAnswer, SettleRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode: '2207' as const, serial: envelope.serial };
  const sha = requestSha256(body);
  const early = await replayOf(db, key, sha);
  if (early !== null) return early;
  const planned = await planSettlement(db, rules, key, body);
  if (!planned.ok) {
    // A twin of this very message may have settled the visit since the first look: its answer,
    // not "visit settled", is what this message gets.
    const late = planned.code === 'settlement.visit_not_open' ? await replayOf(db, key, sha) : null;
    return late ?? planned;
  }
  const plan = planned.value;
  const txRequest = settlementTransaction({
    id: settledTransactionId(plan.settlementId),
    settlementId: plan.settlementId,
    segment: plan.visit.regionCode,
    effectiveDate: todayInChina(plan.at.getTime()),
    legs: expenseLegs(
      plan.adjudication.totals.byCategory,
      plan.adjudication.totals.foodAllowanceFen,
    ),
    reverse: null,
  });
  const transactionId = txRequest?.id ?? null;
  let answer: JsonObject = {};
  const guard = settleGuard(rules, key, envelope, body, plan, sha, transactionId, (a) => {
    answer = a;
  });
  const event = settleEvent(actor, key, plan, transactionId);
  const written = await writeGuarded(db, actor, txRequest, guard, 'settlement.his.post', [event]);
  if (written.ok) return ok({ ...key, replayed: false, body: answer });
  const code = written.code;
  if (code === 'settlement.replayed') {
    const replay = await replayOf(db, key, sha);
    invariant(replay !== null, `message ${key.txCode}/${key.serial} answered but not stored`);
    return replay;
  }
  return withCode(code, written);
}

/** The same refusal, its code narrowed (the internal replay signal removed). */
export function withCode<C extends string>(code: C, r: Refusal<string>): Refusal<C> {
  return r.details === undefined
    ? refuse(code, r.message)
    : refuse(code, r.message, { ...r.details });
}

async function planSettlement(
  db: Database,
  rules: RuleSet,
  key: MessageKey,
  body: SettleBody,
): Promise<Result<Plan, SettleRefusalCode>> {
  return db.withConnection(async (ex) => {
    const visit = await visitOf(ex, key.institutionId, body.visitId, false);
    if (visit === null) return visitNotFound(body.visitId);
    if (visit.status !== 'open')
      return refuse('settlement.visit_not_open', `visit ${visit.id} is ${visit.status}`, {
        visitId: visit.id,
        status: visit.status,
      });
    const input = await adjudicationInputOf(ex, visit, rules);
    if (!input.ok) return input;
    const adjudication = adjudicate(input.value);
    const refused = checkCounts(body, adjudication);
    if (refused) return refused;
    const settlementId = idFromKey('stl', key.institutionId, key.txCode, key.serial);
    const at = new Date();
    const sampled = inReviewSample(rules, visit.regionCode, {
      on: todayInChina(at.getTime()),
      settlementKey: settlementId,
    });
    if (!sampled.ok) return sampled;
    return ok({ visit, adjudication, settlementId, at, sampled: sampled.value });
  });
}

/** The stored answer of a key already recorded (or its refusal), null when the key is new. */
export async function replayOf(
  db: Database,
  key: MessageKey,
  sha: string,
): Promise<Result<MessageAnswer, SettleRefusalCode> | null> {
  const stored = await db.withConnection((ex) => storedMessage(ex, key));
  if (stored === null || (stored.status === 'done' && stored.response === null)) return null;
  const answered = answerStored(key, stored, sha);
  if (!answered.ok) return answered;
  if (answered.value.kind !== 'replay') return null;
  return ok({ ...key, replayed: true, body: answered.value.body });
}

class RollBack extends Error {}

/**
 * Through the ledger when money moves; otherwise the guard alone in a transaction of its own.
 * `audit` (the guard's own events) is appended last, with the ledger's event when there is one:
 * the audit chain head is locked for the transaction's end only.
 */
export async function writeGuarded<C extends string>(
  db: Database,
  actor: Actor,
  request: TransactionRequest | null,
  guard: (tx: Executor) => Promise<Refusal<C> | null>,
  auditAction: string,
  audit: readonly AuditEventInput[] = [],
): Promise<Result<true, C | LedgerRefusalCode>> {
  if (request !== null) {
    const posted = await postTransactions<C>(db, actor, [request], { auditAction, guard, audit });
    return posted.ok ? ok(true) : posted;
  }
  let refused: Refusal<C> | null = null;
  try {
    await db.transaction(async (tx) => {
      refused = await guard(tx);
      if (refused !== null) throw new RollBack();
      if (audit.length > 0) await appendAudits(tx, audit);
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
  }
  return refused ?? ok(true);
}

export type { SettlementTxCode };
