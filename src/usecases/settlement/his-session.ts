import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { textOf, textOrNullOf } from '../../db/rows.ts';
import type { SettlementTxCode } from '../../db/schema-settlement.ts';
import type { EcardRefusal } from '../../domain/settlement/ecard-code.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { workerOfEcardCode } from './ecard-code.ts';
import {
  institutionOf,
  type MessageAnswer,
  type MessageRefusalCode,
  runMessage,
} from './his-messages.ts';

/**
 * 签到 9001, 签退 9002 and 读卡 1101 (docs/settlement-messages.md). Every message after 9001 names
 * the sign-in it belongs to (`signInId`); a sign-in of another institution, or one signed out, is
 * refused (`settlement.not_signed_in`).
 */
export type Envelope = { version: 1; serial: string; signInId?: string | undefined };

export type SessionRefusalCode =
  | MessageRefusalCode
  | 'settlement.not_signed_in'
  | 'settlement.institution_inactive'
  | 'settlement.person_not_found'
  | EcardRefusal;

/** A deterministic id from the message key: a retried message writes the same row, never two. */
export function idFromKey(
  prefix: string,
  institutionId: string,
  txCode: SettlementTxCode,
  serial: string,
): string {
  const h = createHash('sha256').update(`${institutionId}|${txCode}|${serial}`).digest('hex');
  return `${prefix}_${h.slice(0, 16)}`;
}

export async function checkSignIn(
  ex: Executor,
  institutionId: string,
  signInId: string | undefined,
): Promise<Result<true, 'settlement.not_signed_in'>> {
  const r = await ex.query(
    `SELECT signed_out_at::text AS out FROM settlement_sign_ins WHERE id = $1 AND institution_id = $2`,
    [signInId ?? '', institutionId],
  );
  const row = r.rows[0];
  if (!row || textOrNullOf(row, 'out') !== null) return notSignedIn(signInId);
  return ok(true);
}

export function notSignedIn(signInId: string | undefined): Refusal<'settlement.not_signed_in'> {
  return refuse('settlement.not_signed_in', 'sign in (9001) first and send its signInId', {
    signInId: signInId ?? null,
  });
}

/** 9001 签到: an operator of the institution signs in; the answer's signInId rides every later message. */
export async function signIn(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { operator: string },
): Promise<Result<MessageAnswer, SessionRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode: '9001' as const, serial: envelope.serial };
  return runMessage(db, key, body, async (tx) => {
    const id = idFromKey('sgn', inst.value, '9001', envelope.serial);
    await tx.query(
      'INSERT INTO settlement_sign_ins (id, institution_id, operator) VALUES ($1, $2, $3)',
      [id, inst.value, body.operator],
    );
    return ok({ signInId: id, operator: body.operator });
  });
}

/** 9002 签退: later messages naming this sign-in are refused. */
export async function signOut(
  db: Database,
  actor: Actor,
  envelope: Envelope,
): Promise<Result<MessageAnswer, SessionRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode: '9002' as const, serial: envelope.serial };
  return runMessage(db, key, { signInId: envelope.signInId }, async (tx) => {
    const signed = await checkSignIn(tx, inst.value, envelope.signInId);
    if (!signed.ok) return signed;
    await tx.query('UPDATE settlement_sign_ins SET signed_out_at = now() WHERE id = $1', [
      envelope.signInId,
    ]);
    return ok({ signInId: envelope.signInId ?? null, signedOut: true });
  });
}

/** 1101's body: the patient by ID number, or by the electronic card code (exactly one). */
export type IdentifyBody = { idNumber?: string | undefined; ecardCode?: string | undefined };

export type PatientRefusal = 'settlement.person_not_found' | EcardRefusal;

/** The worker row of 1101's patient, by whichever of the two the institution sent. */
export async function patientOf(
  tx: Executor,
  body: IdentifyBody,
): Promise<Result<{ workerId: string; name: string; idNumber: string }, PatientRefusal>> {
  let w: Awaited<ReturnType<Executor['query']>>;
  if (body.ecardCode !== undefined) {
    const byCode = await workerOfEcardCode(tx, body.ecardCode);
    if (!byCode.ok) return byCode;
    w = await tx.query('SELECT id, name, id_number FROM workers WHERE id = $1', [byCode.value]);
  } else
    w = await tx.query('SELECT id, name, id_number FROM workers WHERE id_number = $1', [
      body.idNumber ?? '',
    ]);
  const worker = w.rows[0];
  if (!worker)
    return body.ecardCode !== undefined
      ? refuse(
          'settlement.person_not_found',
          'the worker of this electronic card code is not registered',
        )
      : refuse('settlement.person_not_found', 'no insured worker has this 社会保障号码', {
          idNumber: maskIdNumber(body.idNumber ?? ''),
        });
  return ok({
    workerId: textOf(worker, 'id'),
    name: textOf(worker, 'name'),
    idNumber: textOf(worker, 'id_number'),
  });
}

/**
 * 1101 读卡: the patient by 社会保障号码 (the ID number) or by the electronic card code the worker
 * shows (our own code standing in for the national e-card: docs/settlement.md). The answer, the
 * same either way, masks the name and the ID number and lists the worker's accepted cases (the
 * ones a visit may be opened against); it names `workerId`, which 2201 looks for. The read of
 * personal data is audited; the ID number never reaches a log line, only its masked form, and the
 * code never reaches one at all.
 */
export async function identifyPatient(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: IdentifyBody,
): Promise<Result<MessageAnswer, SessionRefusalCode>> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode: '1101' as const, serial: envelope.serial };
  return runMessage(db, key, body, async (tx) => {
    const signed = await checkSignIn(tx, inst.value, envelope.signInId);
    if (!signed.ok) return signed;
    const patient = await patientOf(tx, body);
    if (!patient.ok) return patient;
    const { workerId } = patient.value;
    const idNumber = maskIdNumber(patient.value.idNumber);
    const c = await tx.query(
      `SELECT region_code, id, accident_date::text AS accident_date, determination_outcome
         FROM cases WHERE worker_id = $1 AND determination_outcome IN ('recognised', 'deemed')
        ORDER BY accident_date, id`,
      [workerId],
    );
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.his.identify', `worker/${workerId}`, {
        idNumber,
        by: body.ecardCode !== undefined ? 'ecard_code' : 'id_number',
        serial: envelope.serial,
      }),
    );
    return ok({
      workerId,
      name: maskName(patient.value.name),
      idNumber,
      cases: c.rows.map((r) => ({
        caseId: textOf(r, 'id'),
        regionCode: textOf(r, 'region_code'),
        accidentDate: textOf(r, 'accident_date'),
        outcome: textOf(r, 'determination_outcome'),
      })),
    });
  });
}

/** 张三丰 → 张*丰, 张三 → 张*: enough for the counter to recognise the patient, no more. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
