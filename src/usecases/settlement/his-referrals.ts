import type { Database, Executor } from '../../db/client.ts';
import { textOf, textOrNullOf } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { JsonObject, MessageAnswer } from './his-messages.ts';
import { type Envelope, idFromKey, type SessionRefusalCode } from './his-session.ts';
import { acceptedCase, identifiedByInstitution, runSigned } from './his-visits.ts';

/**
 * 转诊转院 上传 2301, 查询 2302, 撤销 2303 (docs/settlement-messages.md). The institution certifies
 * that the worker of an accepted case needs treatment or rehabilitation outside the city or county
 * (《浙江省工伤保险条例》第二十四条第二款 "经医疗机构出具证明，报市、县社会保险经办机构同意"); the referral
 * waits for the case's city agency to consent (referral-consent.ts). An institution sees and
 * cancels only its own referrals, and only while they wait.
 */
export type ReferralMessageRefusal =
  | SessionRefusalCode
  | 'settlement.case_not_found'
  | 'settlement.case_not_accepted'
  | 'settlement.patient_not_identified'
  | 'settlement.referral_within_area'
  | 'settlement.referral_before_accident'
  | 'settlement.referral_not_found'
  | 'settlement.referral_not_pending';

export type ReferralKind = 'treatment' | 'rehabilitation';
export type ReferralStatus = 'pending' | 'approved' | 'refused' | 'cancelled';

export type FileReferralBody = {
  caseId: string;
  toRegionCode: string;
  toInstitution: string;
  kind: ReferralKind;
  reason: string;
  referredOn: IsoDate;
  doctor: { name: string; licence: string };
};

/**
 * Out of the city or county: another city (the first four digits differ). A county-level code of
 * the same city is still the city (市、县 as the agency's area), so it is refused as within.
 */
export function outsideArea(fromRegionCode: string, toRegionCode: string): boolean {
  return fromRegionCode.slice(0, 4) !== toRegionCode.slice(0, 4);
}

async function managingRegionOf(tx: Executor, institutionId: string): Promise<string> {
  const r = await tx.query(
    'SELECT managing_region_code FROM settlement_institutions WHERE id = $1',
    [institutionId],
  );
  return textOf(r.rows[0] ?? { managing_region_code: '' }, 'managing_region_code');
}

/** 2301 转诊转院上传: a pending referral of an accepted case the institution has identified. */
export async function fileReferral(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: FileReferralBody,
): Promise<Result<MessageAnswer, ReferralMessageRefusal>> {
  return runSigned<ReferralMessageRefusal>(db, actor, '2301', envelope, body, async (tx, inst) => {
    const found = await acceptedCase(tx, body.caseId);
    if (!found.ok) return found;
    const c = found.value;
    if (!(await identifiedByInstitution(tx, inst, c.workerId)))
      return refuse(
        'settlement.patient_not_identified',
        `read the patient's card (1101 读卡) before referring case ${body.caseId}`,
        { caseId: body.caseId },
      );
    if (body.referredOn < c.accidentDate)
      return refuse('settlement.referral_before_accident', 'the referral is before the accident', {
        accidentDate: c.accidentDate,
      });
    const from = await managingRegionOf(tx, inst);
    if (!outsideArea(from, body.toRegionCode))
      return refuse(
        'settlement.referral_within_area',
        `${body.toRegionCode} is within the city or county of ${from}: no referral is needed`,
        { fromRegionCode: from, toRegionCode: body.toRegionCode },
      );
    const id = idFromKey('ref', inst, '2301', envelope.serial);
    await tx.query(
      `INSERT INTO settlement_referrals (region_code, id, institution_id, case_id, worker_id,
         from_region_code, to_region_code, to_institution, kind, reason, referred_on, doctor_name,
         doctor_licence, status, filed_serial)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12, $13, 'pending', $14)`,
      [
        c.regionCode,
        id,
        inst,
        body.caseId,
        c.workerId,
        from,
        body.toRegionCode,
        body.toInstitution,
        body.kind,
        body.reason,
        body.referredOn,
        body.doctor.name,
        body.doctor.licence,
        envelope.serial,
      ],
    );
    return ok({ referralId: id, regionCode: c.regionCode, status: 'pending' });
  });
}

const columns = `region_code, id, case_id, from_region_code, to_region_code, to_institution, kind,
  reason, referred_on::text AS referred_on, status, decision_note, decided_at::text AS decided_at`;

function referralJson(row: Record<string, unknown>): JsonObject {
  return {
    referralId: textOf(row, 'id'),
    regionCode: textOf(row, 'region_code'),
    caseId: textOf(row, 'case_id'),
    fromRegionCode: textOf(row, 'from_region_code'),
    toRegionCode: textOf(row, 'to_region_code'),
    toInstitution: textOf(row, 'to_institution'),
    kind: textOf(row, 'kind'),
    reason: textOf(row, 'reason'),
    referredOn: textOf(row, 'referred_on'),
    status: textOf(row, 'status'),
    decisionNote: textOrNullOf(row, 'decision_note'),
    decidedAt: textOrNullOf(row, 'decided_at'),
  };
}

/** 2302 转诊转院查询: the institution's own referrals (of one case if named), newest first. */
export async function queryReferrals(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { caseId?: string | undefined },
): Promise<Result<MessageAnswer, ReferralMessageRefusal>> {
  return runSigned<ReferralMessageRefusal>(db, actor, '2302', envelope, body, async (tx, inst) => {
    const r = await tx.query(
      `SELECT ${columns} FROM settlement_referrals
        WHERE institution_id = $1 AND ($2::text IS NULL OR case_id = $2)
        ORDER BY referred_on DESC, created_at DESC, id LIMIT 200`,
      [inst, body.caseId ?? null],
    );
    return ok({ referrals: r.rows.map(referralJson) });
  });
}

/** 2303 转诊转院撤销: a referral of the institution still waiting for the agency is cancelled. */
export async function cancelReferral(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: { referralId: string },
): Promise<Result<MessageAnswer, ReferralMessageRefusal>> {
  return runSigned<ReferralMessageRefusal>(db, actor, '2303', envelope, body, async (tx, inst) => {
    const r = await tx.query(
      `SELECT region_code, status FROM settlement_referrals
        WHERE id = $1 AND institution_id = $2 FOR UPDATE`,
      [body.referralId, inst],
    );
    const row = r.rows[0];
    if (!row)
      return refuse('settlement.referral_not_found', `referral ${body.referralId} not found`, {
        referralId: body.referralId,
      });
    const status = textOf(row, 'status');
    if (status !== 'pending')
      return refuse(
        'settlement.referral_not_pending',
        `referral ${body.referralId} is ${status}: only a pending referral is cancelled`,
        { referralId: body.referralId, status },
      );
    await tx.query(
      `UPDATE settlement_referrals SET status = 'cancelled', cancelled_serial = $3
        WHERE region_code = $1 AND id = $2`,
      [textOf(row, 'region_code'), body.referralId, envelope.serial],
    );
    return ok({ referralId: body.referralId, status: 'cancelled' });
  });
}
