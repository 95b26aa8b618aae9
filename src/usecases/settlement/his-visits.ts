import type { Database, Executor } from '../../db/client.ts';
import { intOf, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { SettlementVisitKindColumn } from '../../db/schema-settlement.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  institutionOf,
  type JsonObject,
  type MessageAnswer,
  type MessageKey,
  runMessage,
} from './his-messages.ts';
import { checkSignIn, type Envelope, idFromKey, type SessionRefusalCode } from './his-session.ts';

/**
 * 登记 2201, 登记撤销 2202, 登记信息修改 2203, 明细上报 2204, 明细撤销 2205
 * (docs/settlement-messages.md). A visit belongs to the institution that opened it: another
 * institution's message naming it is answered `settlement.visit_not_found`, as if it did not exist.
 */
export type VisitRefusalCode =
  | SessionRefusalCode
  | 'settlement.case_not_found'
  | 'settlement.case_not_accepted'
  | 'settlement.patient_not_identified'
  | 'settlement.visit_before_accident'
  | 'settlement.no_agreement'
  | 'settlement.visit_number_taken'
  | 'settlement.visit_not_found'
  | 'settlement.visit_not_open'
  | 'settlement.line_number_taken'
  | 'settlement.line_not_found';

export type FeeLine = {
  lineNo: number;
  ownCode: string;
  name: string;
  servedOn: IsoDate;
  quantityMilli: number;
  unitPriceFen: number;
  amountFen: number;
};

export type OpenVisitBody = {
  caseId: string;
  hisVisitNo: string;
  kind: SettlementVisitKindColumn;
  openedOn: IsoDate;
  diagnosisCode: string;
};

export type VisitRow = {
  regionCode: string;
  id: string;
  institutionId: string;
  caseId: string;
  workerId: string;
  agreementId: string;
  kind: SettlementVisitKindColumn;
  openedOn: IsoDate;
  closedOn: IsoDate | null;
  diagnosisCode: string;
  status: 'open' | 'settled' | 'cancelled';
  hisVisitNo: string;
  version: number;
};

const KINDS = ['outpatient', 'inpatient', 'rehabilitation', 'device'] as const;
const VISIT_STATUSES = ['open', 'settled', 'cancelled'] as const;

function oneOfText<const T extends string>(value: string, values: readonly T[]): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`unexpected value ${value}`);
  return found;
}

/** The columns visitRowOf reads (hand SQL of a batch of settlements reads them too, ADR 0019). */
export const VISIT_COLUMNS = `region_code, id, institution_id, case_id, worker_id, agreement_id, kind,
            opened_on::text AS opened_on, closed_on::text AS closed_on, diagnosis_code, status,
            his_visit_no, version`;

export function visitRowOf(row: Row): VisitRow {
  return {
    regionCode: textOf(row, 'region_code'),
    id: textOf(row, 'id'),
    institutionId: textOf(row, 'institution_id'),
    caseId: textOf(row, 'case_id'),
    workerId: textOf(row, 'worker_id'),
    agreementId: textOf(row, 'agreement_id'),
    kind: oneOfText(textOf(row, 'kind'), KINDS),
    openedOn: textOf(row, 'opened_on'),
    closedOn: textOrNullOf(row, 'closed_on'),
    diagnosisCode: textOf(row, 'diagnosis_code'),
    status: oneOfText(textOf(row, 'status'), VISIT_STATUSES),
    hisVisitNo: textOf(row, 'his_visit_no'),
    version: intOf(row, 'version'),
  };
}

/** The institution's own visit, locked for the message's writes when `lock`. */
export async function visitOf(
  ex: Executor,
  institutionId: string,
  visitId: string,
  lock: boolean,
): Promise<VisitRow | null> {
  const r = await ex.query(
    `SELECT ${VISIT_COLUMNS}
       FROM settlement_visits WHERE id = $1 AND institution_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [visitId, institutionId],
  );
  const row = r.rows[0];
  return row ? visitRowOf(row) : null;
}

export function visitNotFound(visitId: string) {
  return refuse('settlement.visit_not_found', `visit ${visitId} not found`, { visitId });
}

export async function openVisitOf(
  tx: Executor,
  institutionId: string,
  visitId: string,
): Promise<Result<VisitRow, 'settlement.visit_not_found' | 'settlement.visit_not_open'>> {
  const visit = await visitOf(tx, institutionId, visitId, true);
  if (visit === null) return visitNotFound(visitId);
  if (visit.status !== 'open')
    return refuse('settlement.visit_not_open', `visit ${visitId} is ${visit.status}`, {
      visitId,
      status: visit.status,
    });
  return ok(visit);
}

/** Runs a signed message on one of the institution's open visits (2202–2205): the visit, then the handler. */
function runOnOpenVisit<C extends string>(
  db: Database,
  actor: Actor,
  txCode: MessageKey['txCode'],
  envelope: Envelope,
  body: { visitId: string },
  handler: (tx: Executor, visit: VisitRow) => Promise<Result<JsonObject, C | VisitRefusalCode>>,
): Promise<Result<MessageAnswer, C | VisitRefusalCode>> {
  return runSigned<C | VisitRefusalCode>(
    db,
    actor,
    txCode,
    envelope,
    body,
    async (tx, institutionId) => {
      const found = await openVisitOf(tx, institutionId, body.visitId);
      return found.ok ? handler(tx, found.value) : found;
    },
  );
}

/**
 * The agreement in force for a visit: the institution's active agreement whose scopes cover the
 * visit kind and whose dates hold the visit date (the latest one if several). Read directly from
 * settlement_agreements: a small query, not the reference helper's use cases.
 */
export async function agreementInForce(
  ex: Executor,
  institutionId: string,
  kind: string,
  on: IsoDate,
): Promise<{ id: string; scopes: string[]; validFrom: IsoDate; validTo: IsoDate } | null> {
  const r = await ex.query(
    `SELECT id, scopes, valid_from::text AS valid_from, valid_to::text AS valid_to
       FROM settlement_agreements
      WHERE institution_id = $1 AND status = 'active' AND $2 = ANY(scopes)
        AND valid_from <= $3::date AND valid_to >= $3::date
      ORDER BY valid_from DESC, id LIMIT 1`,
    [institutionId, kind, on],
  );
  const row = r.rows[0];
  if (!row) return null;
  const scopes = row['scopes'];
  return {
    id: textOf(row, 'id'),
    scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    validFrom: textOf(row, 'valid_from'),
    validTo: textOf(row, 'valid_to'),
  };
}

/** Runs a message of a signed-in institution: the key, the sign-in check, then the handler. */
export async function runSigned<C extends string>(
  db: Database,
  actor: Actor,
  txCode: MessageKey['txCode'],
  envelope: Envelope,
  body: unknown,
  handler: (tx: Executor, institutionId: string) => Promise<Result<JsonObject, C>>,
): Promise<Result<MessageAnswer, C | SessionRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode, serial: envelope.serial };
  return runMessage<C | SessionRefusalCode>(db, key, body, async (tx) => {
    const signed = await checkSignIn(tx, inst.value, envelope.signInId);
    if (!signed.ok) return signed;
    return handler(tx, inst.value);
  });
}

export async function acceptedCase(tx: Executor, caseId: string) {
  const r = await tx.query(
    `SELECT region_code, worker_id, accident_date::text AS accident_date, determination_outcome
       FROM cases WHERE id = $1`,
    [caseId],
  );
  const row = r.rows[0];
  if (!row) return refuse('settlement.case_not_found', `case ${caseId} not found`, { caseId });
  const outcome = textOrNullOf(row, 'determination_outcome');
  if (outcome !== 'recognised' && outcome !== 'deemed')
    return refuse(
      'settlement.case_not_accepted',
      `case ${caseId} is not recognised as a work injury`,
      {
        caseId,
        outcome,
      },
    );
  return ok({
    regionCode: textOf(row, 'region_code'),
    workerId: textOf(row, 'worker_id'),
    accidentDate: textOf(row, 'accident_date'),
  });
}

/**
 * Whether this institution has identified the worker with a done, unreversed 1101 读卡: a visit
 * is opened only for a patient the institution has read the card of, so a case id alone (seen on
 * a letter, guessed) bills nothing (migration 0032 indexes the probe).
 */
export async function identifiedByInstitution(
  tx: Executor,
  institutionId: string,
  workerId: string,
): Promise<boolean> {
  const r = await tx.query(
    `SELECT 1 FROM settlement_messages
      WHERE institution_id = $1 AND tx_code = '1101' AND status = 'done'
        AND response ->> 'workerId' = $2 LIMIT 1`,
    [institutionId, workerId],
  );
  return r.rows.length > 0;
}

/** 2201 登记: a visit against an accepted case, under the agreement in force for its kind. */
export async function openVisit(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: OpenVisitBody,
): Promise<Result<MessageAnswer, VisitRefusalCode>> {
  return runSigned<VisitRefusalCode>(
    db,
    actor,
    '2201',
    envelope,
    body,
    async (tx, institutionId) => {
      const found = await acceptedCase(tx, body.caseId);
      if (!found.ok) return found;
      const c = found.value;
      if (!(await identifiedByInstitution(tx, institutionId, c.workerId)))
        return refuse(
          'settlement.patient_not_identified',
          `read the patient's card (1101 读卡) before opening a visit against case ${body.caseId}`,
          { caseId: body.caseId },
        );
      if (body.openedOn < c.accidentDate)
        return refuse('settlement.visit_before_accident', 'the visit is before the accident date', {
          accidentDate: c.accidentDate,
        });
      const agreement = await agreementInForce(tx, institutionId, body.kind, body.openedOn);
      if (agreement === null)
        return refuse(
          'settlement.no_agreement',
          `no agreement in force covers ${body.kind} on ${body.openedOn}`,
          {
            kind: body.kind,
            on: body.openedOn,
          },
        );
      const id = idFromKey('vis', institutionId, '2201', envelope.serial);
      const inserted = await tx.query(
        `INSERT INTO settlement_visits (region_code, id, institution_id, his_visit_no, case_id, worker_id,
         agreement_id, kind, opened_on, diagnosis_code, status, opened_serial)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10, 'open', $11)
       ON CONFLICT (institution_id, his_visit_no) DO NOTHING RETURNING id`,
        [
          c.regionCode,
          id,
          institutionId,
          body.hisVisitNo,
          body.caseId,
          c.workerId,
          agreement.id,
          body.kind,
          body.openedOn,
          body.diagnosisCode,
          envelope.serial,
        ],
      );
      if (inserted.rows.length === 0)
        return refuse(
          'settlement.visit_number_taken',
          `visit number ${body.hisVisitNo} is already registered`,
          {
            hisVisitNo: body.hisVisitNo,
          },
        );
      return ok({
        visitId: id,
        regionCode: c.regionCode,
        agreementId: agreement.id,
        status: 'open',
      });
    },
  );
}

/** 2202 登记撤销: an open visit with no active settlement is cancelled (its lines stay, unused). */
export async function cancelVisit(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { visitId: string },
): Promise<Result<MessageAnswer, VisitRefusalCode>> {
  return runOnOpenVisit<never>(db, actor, '2202', envelope, body, async (tx, visit) => {
    await tx.query(
      `UPDATE settlement_visits SET status = 'cancelled', version = version + 1
        WHERE region_code = $1 AND id = $2`,
      [visit.regionCode, visit.id],
    );
    return ok({ visitId: visit.id, status: 'cancelled' });
  });
}

/** 2203 登记信息修改: the discharge date and/or the diagnosis of an open visit. */
export async function amendVisit(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { visitId: string; closedOn?: IsoDate | undefined; diagnosisCode?: string | undefined },
): Promise<Result<MessageAnswer, VisitRefusalCode | 'settlement.invalid_dates'>> {
  return runOnOpenVisit<'settlement.invalid_dates'>(
    db,
    actor,
    '2203',
    envelope,
    body,
    async (tx, v) => {
      const closedOn = body.closedOn ?? v.closedOn;
      if (closedOn !== null && closedOn < v.openedOn)
        return refuse(
          'settlement.invalid_dates',
          'the discharge date is before the admission date',
          {
            openedOn: v.openedOn,
          },
        );
      const diagnosisCode = body.diagnosisCode ?? v.diagnosisCode;
      await tx.query(
        `UPDATE settlement_visits SET closed_on = $3::date, diagnosis_code = $4, version = version + 1
        WHERE region_code = $1 AND id = $2`,
        [v.regionCode, v.id, closedOn, diagnosisCode],
      );
      return ok({ visitId: v.id, closedOn, diagnosisCode, version: v.version + 1 });
    },
  );
}

/** 2204 明细上报: a batch of lines, all or none; a line number is never reused in a visit. */
export async function uploadLines(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { visitId: string; lines: FeeLine[] },
): Promise<Result<MessageAnswer, VisitRefusalCode>> {
  return runOnOpenVisit<never>(db, actor, '2204', envelope, body, async (tx, v) => {
    const numbers = body.lines.map((l) => l.lineNo);
    const taken = await tx.query(
      'SELECT line_no FROM settlement_fee_lines WHERE region_code = $1 AND visit_id = $2 AND line_no = ANY($3::int4[])',
      [v.regionCode, v.id, numbers],
    );
    const dup = numbers.filter((n, i) => numbers.indexOf(n) !== i);
    const used = [...taken.rows.map((r) => intOf(r, 'line_no')), ...dup];
    if (used.length > 0)
      return refuse('settlement.line_number_taken', 'line numbers already used in this visit', {
        lineNos: [...new Set(used)].sort((a, b) => a - b),
      });
    const col = <K extends keyof FeeLine>(k: K) => body.lines.map((l) => l[k]);
    await tx.query(
      `INSERT INTO settlement_fee_lines (region_code, visit_id, line_no, own_code, name, served_on,
         quantity_milli, unit_price_fen, amount_fen, status, uploaded_serial)
       SELECT $1, $2, * , 'active', $10 FROM unnest($3::int4[], $4::text[], $5::text[], $6::date[],
         $7::int8[], $8::int8[], $9::int8[])`,
      [
        v.regionCode,
        v.id,
        col('lineNo'),
        col('ownCode'),
        col('name'),
        col('servedOn'),
        col('quantityMilli'),
        col('unitPriceFen'),
        col('amountFen'),
        envelope.serial,
      ],
    );
    return ok({ visitId: v.id, accepted: body.lines.length });
  });
}

/** 2205 明细撤销: active lines of an open visit become cancelled (their numbers stay used). */
export async function cancelLines(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { visitId: string; lineNos: number[] },
): Promise<Result<MessageAnswer, VisitRefusalCode>> {
  return runOnOpenVisit<never>(db, actor, '2205', envelope, body, async (tx, v) => {
    const r = await tx.query(
      `UPDATE settlement_fee_lines SET status = 'cancelled'
        WHERE region_code = $1 AND visit_id = $2 AND line_no = ANY($3::int4[]) AND status = 'active'
        RETURNING line_no`,
      [v.regionCode, v.id, body.lineNos],
    );
    const done = new Set(r.rows.map((x) => intOf(x, 'line_no')));
    const missing = body.lineNos.filter((n) => !done.has(n));
    if (missing.length > 0)
      return refuse('settlement.line_not_found', 'no active line with these numbers', {
        lineNos: missing,
      });
    return ok({ visitId: v.id, cancelled: body.lineNos.length });
  });
}
