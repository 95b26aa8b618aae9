import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { settlementAgreements, settlementInstitutions } from '../../db/schema.ts';
import {
  type AgreementScope,
  lastCoveredDay,
  rangesOverlap,
} from '../../domain/settlement/settlement-reference.ts';
import type { Actor } from '../../identity/actor.ts';
import { regionWithin } from '../../identity/policy.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { findInstitution, institutionNotFound } from './settlement-institutions.ts';

/**
 * Service agreements (服务协议, 《工伤保险条例》第四十七条): signed by the institution's managing
 * city, valid province-wide (one pool), for a set of scopes and dates. One institution never holds
 * two agreements covering the same day: the check runs under the institution's advisory lock, so
 * two concurrent signatures cannot both pass it. A termination is dated and keeps the days before.
 */
export type AgreementRefusal =
  | 'settlement.institution_not_found'
  | 'settlement.institution_not_active'
  | 'settlement.agreement_dates_invalid'
  | 'settlement.agreement_overlaps'
  | 'settlement.agreement_not_found'
  | 'settlement.agreement_terminated'
  | 'settlement.agreement_termination_out_of_range';

export type AgreementRow = typeof settlementAgreements.$inferSelect;

export type AgreementView = {
  id: string;
  institutionId: string;
  signedRegionCode: string;
  scopes: AgreementScope[];
  validFrom: IsoDate;
  validTo: IsoDate;
  crossProvince: boolean;
  status: 'active' | 'suspended' | 'terminated';
  terminatedFrom: IsoDate | null;
  terminatedReason: string | null;
};

export function agreementView(row: AgreementRow): AgreementView {
  return {
    id: row.id,
    institutionId: row.institutionId,
    signedRegionCode: row.signedRegionCode,
    scopes: [...row.scopes],
    validFrom: row.validFrom,
    validTo: row.validTo,
    crossProvince: row.crossProvince,
    status: row.status,
    terminatedFrom: row.terminatedFrom,
    terminatedReason: row.terminatedReason,
  };
}

export type AgreementSigning = {
  regionCode: string;
  institutionId: string;
  scopes: AgreementScope[];
  validFrom: IsoDate;
  validTo: IsoDate;
  crossProvince: boolean;
};

function lockKey(institutionId: string): string {
  return `settlement-agreements:${institutionId}`;
}

/** Signs an agreement for an institution of the acting city; refused if it overlaps another. */
export async function signAgreement(
  db: Database,
  actor: Actor,
  input: AgreementSigning,
): Promise<Result<AgreementView, AgreementRefusal>> {
  if (input.validTo < input.validFrom)
    return refuse(
      'settlement.agreement_dates_invalid',
      `validTo ${input.validTo} is before validFrom ${input.validFrom}`,
    );
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(input.institutionId)]);
    const institution = await findInstitution(tx, input.regionCode, input.institutionId);
    if (!institution) return institutionNotFound(input.institutionId);
    if (institution.status !== 'active')
      return refuse(
        'settlement.institution_not_active',
        `institution ${institution.id} is ${institution.status}: resume it before signing`,
        { status: institution.status },
      );
    const existing = await tx.orm
      .select()
      .from(settlementAgreements)
      .where(eq(settlementAgreements.institutionId, institution.id));
    const clash = existing.find((a) =>
      rangesOverlap({ validFrom: a.validFrom, validTo: lastCoveredDay(a) }, input),
    );
    if (clash)
      return refuse(
        'settlement.agreement_overlaps',
        `agreement ${clash.id} already covers ${clash.validFrom}…${lastCoveredDay(clash)}: terminate it or sign from the day after`,
        { agreementId: clash.id, validFrom: clash.validFrom, validTo: lastCoveredDay(clash) },
      );
    const [row] = await tx.orm
      .insert(settlementAgreements)
      .values({
        id: `agr_${randomBytes(8).toString('hex')}`,
        institutionId: institution.id,
        signedRegionCode: institution.managingRegionCode,
        scopes: [...new Set(input.scopes)],
        validFrom: input.validFrom,
        validTo: input.validTo,
        crossProvince: input.crossProvince,
        createdBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('agreement insert returned nothing');
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.agreement.sign', `agreement/${row.id}`, {
        institutionId: row.institutionId,
        scopes: row.scopes,
        validFrom: row.validFrom,
        validTo: row.validTo,
      }),
    );
    return ok(agreementView(row));
  });
}

export type AgreementTermination = {
  regionCode: string;
  agreementId: string;
  effectiveFrom: IsoDate;
  reason: string;
};

/** Terminates an agreement from a day (终止协议): it keeps covering the days before. */
export async function terminateAgreement(
  db: Database,
  actor: Actor,
  input: AgreementTermination,
): Promise<Result<AgreementView, AgreementRefusal>> {
  const [found] = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(settlementAgreements)
      .where(eq(settlementAgreements.id, input.agreementId)),
  );
  if (!found) return agreementNotFound(input.agreementId);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(found.institutionId)]);
    const [row] = await tx.orm
      .select()
      .from(settlementAgreements)
      .where(eq(settlementAgreements.id, input.agreementId));
    const institution = row ? await findInstitution(tx, input.regionCode, row.institutionId) : null;
    if (!row || !institution) return agreementNotFound(input.agreementId);
    if (row.status === 'terminated')
      return refuse(
        'settlement.agreement_terminated',
        `agreement ${row.id} was terminated from ${row.terminatedFrom}`,
      );
    if (input.effectiveFrom < row.validFrom || input.effectiveFrom > row.validTo)
      return refuse(
        'settlement.agreement_termination_out_of_range',
        `a termination takes effect within the agreement's dates ${row.validFrom}…${row.validTo}`,
        { validFrom: row.validFrom, validTo: row.validTo },
      );
    const [updated] = await tx.orm
      .update(settlementAgreements)
      .set({
        status: 'terminated',
        terminatedFrom: input.effectiveFrom,
        terminatedReason: input.reason,
      })
      .where(eq(settlementAgreements.id, row.id))
      .returning();
    if (!updated) throw new Error('agreement vanished under its lock');
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.agreement.terminate', `agreement/${row.id}`, {
        institutionId: row.institutionId,
        effectiveFrom: input.effectiveFrom,
        reason: input.reason,
      }),
    );
    return ok(agreementView(updated));
  });
}

function agreementNotFound(id: string): Result<never, 'settlement.agreement_not_found'> {
  return refuse('settlement.agreement_not_found', `agreement ${id} not found in your scope`);
}

/** The agreements of an institution visible from `regionCode`, oldest first. */
export async function listAgreements(
  db: Database,
  regionCode: string,
  institutionId: string,
): Promise<Result<AgreementView[], 'settlement.institution_not_found'>> {
  return db.withConnection(async (ex) => {
    const [institution] = await ex.orm
      .select({ region: settlementInstitutions.managingRegionCode })
      .from(settlementInstitutions)
      .where(eq(settlementInstitutions.id, institutionId));
    if (!institution || !regionWithin(regionCode, institution.region))
      return institutionNotFound(institutionId);
    const rows = await ex.orm
      .select()
      .from(settlementAgreements)
      .where(eq(settlementAgreements.institutionId, institutionId))
      .orderBy(asc(settlementAgreements.validFrom));
    return ok(rows.map(agreementView));
  });
}
