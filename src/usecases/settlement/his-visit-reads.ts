import type { Database, Executor } from '../../db/client.ts';
import { intOf, intOrNullOf, type Row, textArrayOf, textOf, textOrNullOf } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import type { JsonObject, MessageAnswer } from './his-messages.ts';
import {
  type Envelope,
  type IdentifyBody,
  patientOf,
  type SessionRefusalCode,
} from './his-session.ts';
import { runSigned, type VisitRow, visitNotFound, visitOf } from './his-visits.ts';

/**
 * The transaction set's 查询 of a visit and of a patient (docs/settlement-messages.md): 9103 费用
 * 明细查询 (the fee lines with their adjudication), 9104 处方明细查询 (the drug lines), 9105 近期
 * 就诊查询 (a patient's recent visits at this institution). Reads, recorded and replayed like
 * every message; only the institution's own visits: another's is `visit_not_found`, as if it
 * did not exist, and a patient is seen only through the visits they made here.
 */
export type VisitReadRefusalCode = SessionRefusalCode | 'settlement.visit_not_found';

async function runOnVisit(
  db: Database,
  actor: Actor,
  txCode: '9103' | '9104',
  envelope: Envelope,
  body: { visitId: string },
  read: (tx: Executor, visit: VisitRow) => Promise<JsonObject>,
): Promise<Result<MessageAnswer, VisitReadRefusalCode>> {
  return runSigned<VisitReadRefusalCode>(db, actor, txCode, envelope, body, async (tx, inst) => {
    const visit = await visitOf(tx, inst, body.visitId, false);
    if (visit === null) return visitNotFound(body.visitId);
    return ok({
      visitId: visit.id,
      hisVisitNo: visit.hisVisitNo,
      caseId: visit.caseId,
      kind: visit.kind,
      openedOn: visit.openedOn,
      closedOn: visit.closedOn,
      status: visit.status,
      ...(await read(tx, visit)),
    });
  });
}

/** A fee line as uploaded; `status` cancelled: 明细撤销 (2205) or 冲正 of its upload (2209). */
function feeLineOf(r: Row): JsonObject {
  return {
    lineNo: intOf(r, 'line_no'),
    ownCode: textOf(r, 'own_code'),
    name: textOf(r, 'name'),
    servedOn: textOf(r, 'served_on'),
    quantityMilli: intOf(r, 'quantity_milli'),
    unitPriceFen: intOf(r, 'unit_price_fen'),
    amountFen: intOf(r, 'amount_fen'),
    status: textOf(r, 'status'),
  };
}

/** A cancelled line's cause: 2209 when its upload was reversed (冲正), else 2205 明细撤销. */
function cancelledByOf(r: Row): '2205' | '2209' | null {
  if (textOf(r, 'status') !== 'cancelled') return null;
  return r['upload_reversed'] === true ? '2209' : '2205';
}

function adjudicationOf(r: Row): JsonObject | null {
  const outcome = textOrNullOf(r, 'outcome');
  if (outcome === null) return null;
  return {
    outcome,
    catalogueCode: textOrNullOf(r, 'catalogue_code'),
    category: textOf(r, 'category'),
    payableFen: intOf(r, 'payable_fen'),
    reasons: textArrayOf(r, 'reasons'),
  };
}

/**
 * 9103 费用明细查询: every line of the visit in line order, cancelled ones marked (by 2205 or by a
 * 冲正 of their upload), each with its
 * result in the visit's active settlement (none while the visit is open, or after a 结算撤销:
 * the reversed settlement's results are history, 9103 answers what stands).
 */
export async function feeDetails(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { visitId: string },
): Promise<Result<MessageAnswer, VisitReadRefusalCode>> {
  return runOnVisit(db, actor, '9103', envelope, body, async (tx, v) => {
    const r = await tx.query(
      `SELECT l.line_no, l.own_code, l.name, l.served_on::text AS served_on, l.quantity_milli,
              l.unit_price_fen, l.amount_fen, l.status, s.id AS settlement_id, x.outcome,
              x.catalogue_code, x.category, x.payable_fen, x.reasons,
              (u.status = 'reversed') AS upload_reversed
         FROM settlement_fee_lines l
         LEFT JOIN settlement_messages u
           ON u.institution_id = $3 AND u.tx_code = '2204' AND u.serial = l.uploaded_serial
         LEFT JOIN settlement_settlements s
           ON s.region_code = l.region_code AND s.visit_id = l.visit_id
          AND s.kind = 'settlement' AND s.status = 'active'
         LEFT JOIN settlement_line_results x
           ON x.region_code = s.region_code AND x.settlement_id = s.id AND x.line_no = l.line_no
        WHERE l.region_code = $1 AND l.visit_id = $2 ORDER BY l.line_no`,
      [v.regionCode, v.id, v.institutionId],
    );
    const lines = r.rows.map((x) => ({
      ...feeLineOf(x),
      cancelledBy: cancelledByOf(x),
      adjudication: adjudicationOf(x),
    }));
    const active = r.rows.filter((x) => textOf(x, 'status') === 'active');
    return {
      settlementId: r.rows.map((x) => textOrNullOf(x, 'settlement_id')).find((s) => s) ?? null,
      lineCount: active.length,
      claimedFen: active.reduce((s, x) => s + intOf(x, 'amount_fen'), 0),
      payableFen: r.rows.reduce((s, x) => s + (intOrNullOf(x, 'payable_fen') ?? 0), 0),
      lines,
    };
  });
}

/**
 * 9104 处方明细查询: the visit's drug lines — those whose own code maps, on the day served, to a
 * drug of the catalogue in force that day (the look-up the adjudication makes). Only what we
 * hold: the quantity and the catalogue's unit; no dose or days, which 2204 does not carry.
 */
export async function prescriptionDetails(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { visitId: string },
): Promise<Result<MessageAnswer, VisitReadRefusalCode>> {
  return runOnVisit(db, actor, '9104', envelope, body, async (tx, v) => {
    const r = await tx.query(
      `SELECT l.line_no, l.own_code, l.name, l.served_on::text AS served_on, l.quantity_milli,
              l.unit_price_fen, l.amount_fen, l.status, c.code, c.name AS catalogue_name,
              c.drug_class, c.unit
         FROM settlement_fee_lines l
         JOIN LATERAL (
           SELECT catalogue_code FROM settlement_code_maps m
            WHERE m.institution_id = $3 AND m.own_code = l.own_code AND m.valid_from <= l.served_on
              AND (m.valid_to IS NULL OR m.valid_to >= l.served_on)
            ORDER BY m.valid_from DESC LIMIT 1) m ON true
         JOIN LATERAL (
           SELECT code, name, kind, drug_class, unit FROM settlement_catalogue_items c
            WHERE c.code = m.catalogue_code AND c.valid_from <= l.served_on
              AND (c.valid_to IS NULL OR c.valid_to >= l.served_on)
            ORDER BY c.valid_from DESC LIMIT 1) c ON true
        WHERE l.region_code = $1 AND l.visit_id = $2 AND c.kind = 'drug' ORDER BY l.line_no`,
      [v.regionCode, v.id, v.institutionId],
    );
    return {
      lines: r.rows.map((x) => ({
        ...feeLineOf(x),
        catalogueCode: textOf(x, 'code'),
        catalogueName: textOf(x, 'catalogue_name'),
        drugClass: textOrNullOf(x, 'drug_class'),
        unit: textOf(x, 'unit'),
      })),
    };
  });
}

/** How many visits 9105 answers when the body does not say. */
export const RECENT_VISITS_DEFAULT = 10;

function recentVisitOf(r: Row): JsonObject {
  return {
    visitId: textOf(r, 'id'),
    hisVisitNo: textOf(r, 'his_visit_no'),
    caseId: textOf(r, 'case_id'),
    kind: textOf(r, 'kind'),
    openedOn: textOf(r, 'opened_on'),
    closedOn: textOrNullOf(r, 'closed_on'),
    status: textOf(r, 'status'),
    lineCount: intOf(r, 'line_count'),
    claimedFen: intOf(r, 'claimed_fen'),
    settlementId: textOrNullOf(r, 'settlement_id'),
    fundFen: intOrNullOf(r, 'fund_fen'),
  };
}

/**
 * 9105 近期就诊查询: the patient's visits at this institution, most recent first, with their
 * status and totals (active lines; the active settlement's fund share). The patient is named as
 * in 1101 and refused as in 1101; the answer masks the ID number and is audited as 1101 is.
 */
export async function recentVisits(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: IdentifyBody & { limit?: number | undefined },
): Promise<Result<MessageAnswer, SessionRefusalCode>> {
  return runSigned<SessionRefusalCode>(db, actor, '9105', envelope, body, async (tx, inst) => {
    const patient = await patientOf(tx, body);
    if (!patient.ok) return patient;
    const idNumber = maskIdNumber(patient.value.idNumber);
    const r = await tx.query(
      `SELECT v.id, v.his_visit_no, v.case_id, v.kind, v.opened_on::text AS opened_on,
              v.closed_on::text AS closed_on, v.status,
              (SELECT count(*) FROM settlement_fee_lines l WHERE l.region_code = v.region_code
                  AND l.visit_id = v.id AND l.status = 'active')::int AS line_count,
              (SELECT coalesce(sum(l.amount_fen), 0) FROM settlement_fee_lines l
                WHERE l.region_code = v.region_code AND l.visit_id = v.id
                  AND l.status = 'active')::bigint AS claimed_fen,
              s.id AS settlement_id, s.fund_fen
         FROM settlement_visits v
         LEFT JOIN settlement_settlements s
           ON s.region_code = v.region_code AND s.visit_id = v.id
          AND s.kind = 'settlement' AND s.status = 'active'
        WHERE v.institution_id = $1 AND v.worker_id = $2
        ORDER BY v.opened_on DESC, v.created_at DESC, v.id DESC LIMIT $3`,
      [inst, patient.value.workerId, body.limit ?? RECENT_VISITS_DEFAULT],
    );
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.his.recent_visits', `worker/${patient.value.workerId}`, {
        idNumber,
        by: body.ecardCode !== undefined ? 'ecard_code' : 'id_number',
        serial: envelope.serial,
      }),
    );
    return ok({ idNumber, visits: r.rows.map(recentVisitOf) });
  });
}
