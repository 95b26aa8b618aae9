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
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudits } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { adjudicationInputOf, type FoodRefusalCode } from './his-adjudication-input.ts';
import {
  answerStored,
  type JsonObject,
  type MessageAnswer,
  type MessageKey,
  storedMessage,
} from './his-messages.ts';
import type { Envelope } from './his-session.ts';
import { openVisitOf, runSigned, type VisitRefusalCode } from './his-visits.ts';

/**
 * 费用预结算 2206 and what 费用结算 2207 shares with 2208/2209 (docs/settlement-messages.md): the
 * ledger transaction of a settlement (Dr 5101/5104/5105/5102, Cr 2101 in the case's segment), the
 * answer's adjudication body, the count check, the replay and the guarded write. 2207 itself is
 * settled by group commit in his-settle-batch.ts (ADR 0019). `visit_changed` is kept in the codes
 * for clients that handle it; 2207 no longer answers it (it adjudicates once, under its locks).
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

export function adjudicationBody(visitId: string, a: Adjudication): JsonObject {
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

export function checkCounts(body: SettleBody, a: Adjudication): Refusal<SettleRefusalCode> | null {
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

/** The same refusal, its code narrowed (the internal replay signal removed). */
export function withCode<C extends string>(code: C, r: Refusal<string>): Refusal<C> {
  return r.details === undefined
    ? refuse(code, r.message)
    : refuse(code, r.message, { ...r.details });
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
  return writeGuardedAll(db, actor, request === null ? [] : [request], guard, auditAction, audit);
}

/** writeGuarded of any number of ledger transactions, posted as one batch (ADR 0019). */
export async function writeGuardedAll<C extends string>(
  db: Database,
  actor: Actor,
  requests: readonly TransactionRequest[],
  guard: (tx: Executor) => Promise<Refusal<C> | null>,
  auditAction: string,
  audit: readonly AuditEventInput[] = [],
): Promise<Result<true, C | LedgerRefusalCode>> {
  if (requests.length > 0) {
    const posted = await postTransactions<C>(db, actor, requests, { auditAction, guard, audit });
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
