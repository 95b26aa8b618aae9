import type { Database, Executor } from '../../db/client.ts';
import { boolOf, intOf, textArrayOf, textOf, textOrNullOf } from '../../db/rows.ts';
import type { SettlementTxCode } from '../../db/schema-settlement.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  institutionOf,
  type JsonObject,
  type MessageAnswer,
  storedMessage,
} from './his-messages.ts';
import type { Envelope, SessionRefusalCode } from './his-session.ts';
import { runSigned, visitNotFound, visitOf } from './his-visits.ts';

/**
 * Queries of the transaction set: what happened to a message (the answer to a timeout: query or
 * reverse, never resend blindly), a visit, a settlement; and reconciliation, totals (1320) and
 * detail (1321), of a day or a month. Queries read only the institution's own records: another
 * institution's visit or settlement is `not_found`.
 */
export type QueryRefusalCode =
  | 'settlement.not_institution'
  | 'settlement.message_not_found'
  | 'settlement.visit_not_found'
  | 'settlement.settlement_not_found';

/** The message (code, serial) as recorded: its status and the stored answer. */
export async function messageStatus(
  db: Database,
  actor: Actor,
  input: { txCode: SettlementTxCode; serial: string },
): Promise<Result<JsonObject, QueryRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const stored = await db.withConnection((ex) =>
    storedMessage(ex, { institutionId: inst.value, ...input }),
  );
  if (stored === null)
    return refuse(
      'settlement.message_not_found',
      `no message ${input.txCode}/${input.serial} was received`,
      input,
    );
  return ok({
    txCode: input.txCode,
    serial: input.serial,
    status: stored.status,
    reversedBy: stored.reversedBy,
    receivedAt: stored.receivedAt,
    answer: stored.response,
  });
}

async function settlementsOfVisit(ex: Executor, regionCode: string, visitId: string) {
  const r = await ex.query(
    `SELECT id, kind, reverses, serial, settled_at::text AS settled_at, accounting_month, fund_fen, status
       FROM settlement_settlements WHERE region_code = $1 AND visit_id = $2 ORDER BY created_at, id`,
    [regionCode, visitId],
  );
  return r.rows.map((x) => ({
    settlementId: textOf(x, 'id'),
    kind: textOf(x, 'kind'),
    reverses: textOrNullOf(x, 'reverses'),
    serial: textOf(x, 'serial'),
    settledAt: textOf(x, 'settled_at'),
    accountingMonth: textOf(x, 'accounting_month'),
    fundFen: intOf(x, 'fund_fen'),
    status: textOf(x, 'status'),
  }));
}

/** A visit of the institution: its registration, its lines and its settlements. */
export async function visitDetail(
  db: Database,
  actor: Actor,
  visitId: string,
): Promise<Result<JsonObject, QueryRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  return db.withConnection(async (ex) => {
    const v = await visitOf(ex, inst.value, visitId, false);
    if (v === null) return visitNotFound(visitId);
    const lines = await ex.query(
      `SELECT line_no, own_code, served_on::text AS served_on, quantity_milli, unit_price_fen, amount_fen, status
         FROM settlement_fee_lines WHERE region_code = $1 AND visit_id = $2 ORDER BY line_no`,
      [v.regionCode, v.id],
    );
    return ok({
      visitId: v.id,
      hisVisitNo: v.hisVisitNo,
      caseId: v.caseId,
      kind: v.kind,
      openedOn: v.openedOn,
      closedOn: v.closedOn,
      diagnosisCode: v.diagnosisCode,
      status: v.status,
      lines: lines.rows.map((l) => ({
        lineNo: intOf(l, 'line_no'),
        ownCode: textOf(l, 'own_code'),
        servedOn: textOf(l, 'served_on'),
        quantityMilli: intOf(l, 'quantity_milli'),
        unitPriceFen: intOf(l, 'unit_price_fen'),
        amountFen: intOf(l, 'amount_fen'),
        status: textOf(l, 'status'),
      })),
      settlements: await settlementsOfVisit(ex, v.regionCode, v.id),
    });
  });
}

/** A settlement of the institution with its line results. */
export async function settlementDetail(
  db: Database,
  actor: Actor,
  settlementId: string,
): Promise<Result<JsonObject, QueryRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  return db.withConnection(async (ex) => {
    const r = await ex.query(
      `SELECT region_code, id, visit_id, kind, reverses, serial, settled_at::text AS settled_at,
              accounting_month, line_count, claimed_fen, fund_fen, food_allowance_fen, rejected_fen,
              status, sampled, ledger_transaction_id
         FROM settlement_settlements WHERE id = $1 AND institution_id = $2`,
      [settlementId, inst.value],
    );
    const s = r.rows[0];
    if (!s)
      return refuse('settlement.settlement_not_found', `settlement ${settlementId} not found`, {
        settlementId,
      });
    const lines = await ex.query(
      `SELECT line_no, catalogue_code, category, outcome, claimed_fen, payable_fen, reasons
         FROM settlement_line_results WHERE region_code = $1 AND settlement_id = $2 ORDER BY line_no`,
      [textOf(s, 'region_code'), settlementId],
    );
    return ok({
      settlementId,
      visitId: textOf(s, 'visit_id'),
      kind: textOf(s, 'kind'),
      reverses: textOrNullOf(s, 'reverses'),
      serial: textOf(s, 'serial'),
      settledAt: textOf(s, 'settled_at'),
      accountingMonth: textOf(s, 'accounting_month'),
      lineCount: intOf(s, 'line_count'),
      claimedFen: intOf(s, 'claimed_fen'),
      fundFen: intOf(s, 'fund_fen'),
      foodAllowanceFen: intOf(s, 'food_allowance_fen'),
      rejectedFen: intOf(s, 'rejected_fen'),
      status: textOf(s, 'status'),
      sampled: boolOf(s, 'sampled'),
      ledgerTransactionId: textOrNullOf(s, 'ledger_transaction_id'),
      lines: lines.rows.map((l) => ({
        lineNo: intOf(l, 'line_no'),
        catalogueCode: textOrNullOf(l, 'catalogue_code'),
        category: textOf(l, 'category'),
        outcome: textOf(l, 'outcome'),
        claimedFen: intOf(l, 'claimed_fen'),
        payableFen: intOf(l, 'payable_fen'),
        reasons: textArrayOf(l, 'reasons'),
      })),
    });
  });
}

/** A reconciliation period: a China date (YYYY-MM-DD) or an accounting month (YYYY-MM). */
export type ReconciliationPeriod = { day: string } | { month: string };

type OurSettlement = { settlementId: string; serial: string; fundFen: number };

/** Our settlement records (settlements and their negative twins) of the period. */
async function ours(
  ex: Executor,
  institutionId: string,
  period: ReconciliationPeriod,
): Promise<OurSettlement[]> {
  const byDay = 'day' in period;
  const r = await ex.query(
    `SELECT id, serial, fund_fen FROM settlement_settlements
      WHERE institution_id = $1
        AND ${byDay ? "(settled_at AT TIME ZONE 'Asia/Shanghai')::date = $2::date" : 'accounting_month = $2'}
      ORDER BY id`,
    [institutionId, byDay ? period.day : period.month],
  );
  return r.rows.map((x) => ({
    settlementId: textOf(x, 'id'),
    serial: textOf(x, 'serial'),
    fundFen: intOf(x, 'fund_fen'),
  }));
}

/** 1320 总额对账: the institution's count and fund total against ours; if they differ, our list. */
export async function reconcileTotals(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { period: ReconciliationPeriod; count: number; fundFen: number },
): Promise<Result<MessageAnswer, SessionRefusalCode>> {
  return runSigned<SessionRefusalCode>(
    db,
    actor,
    '1320',
    envelope,
    body,
    async (tx, institutionId) => {
      const list = await ours(tx, institutionId, body.period);
      const fundFen = list.reduce((s, x) => s + x.fundFen, 0);
      const match = list.length === body.count && fundFen === body.fundFen;
      return ok({ match, ours: { count: list.length, fundFen }, settlements: match ? [] : list });
    },
  );
}

/** 1321 明细对账: the institution's settlement list against ours, the differences named. */
export async function reconcileDetail(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { period: ReconciliationPeriod; settlements: { settlementId: string; fundFen: number }[] },
): Promise<Result<MessageAnswer, SessionRefusalCode>> {
  return runSigned<SessionRefusalCode>(
    db,
    actor,
    '1321',
    envelope,
    body,
    async (tx, institutionId) => {
      const list = await ours(tx, institutionId, body.period);
      const mine = new Map(list.map((x) => [x.settlementId, x]));
      const theirs = new Map(body.settlements.map((x) => [x.settlementId, x]));
      const onlyOurs = list.filter((x) => !theirs.has(x.settlementId));
      const onlyTheirs = body.settlements.filter((x) => !mine.has(x.settlementId));
      const amountDiffers = body.settlements.flatMap((x) => {
        const m = mine.get(x.settlementId);
        return m && m.fundFen !== x.fundFen
          ? [{ settlementId: x.settlementId, ours: m.fundFen, theirs: x.fundFen }]
          : [];
      });
      const match = onlyOurs.length === 0 && onlyTheirs.length === 0 && amountDiffers.length === 0;
      return ok({ match, onlyOurs, onlyTheirs, amountDiffers });
    },
  );
}
