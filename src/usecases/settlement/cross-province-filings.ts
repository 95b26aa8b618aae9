import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { cases, settlementXpFilings } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import { isProvinceCode, provinceOf } from '../../kernel/region-codes.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { type FilingKind, filingValidity } from '../../rules/settlement/cross-province-filing.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * Filings (备案) of cross-province care (docs/settlement-cross-province.md): a city handler records
 * that the worker of an accepted case (认定 or 视同) is treated in another province, from a date,
 * for the term of the dated parameter of its kind; a filing can be revoked. Two filings of one case
 * never cover the same day: the case row is locked while the overlap is checked, so two concurrent
 * filings of a case run one after the other.
 */
export type FilingRefusal =
  | 'settlement.cross_province_case_not_found'
  | 'settlement.cross_province_case_not_accepted'
  | 'settlement.cross_province_own_province'
  | 'settlement.cross_province_filing_overlap'
  | 'settlement.cross_province_filing_not_found'
  | 'settlement.cross_province_filing_revoked'
  | 'settlement.cross_province_revocation_date'
  | 'rules.parameter_missing';

export type FilingView = {
  regionCode: string;
  id: string;
  caseId: string;
  kind: FilingKind;
  province: string;
  fromDate: IsoDate;
  validUntil: IsoDate;
  /** The last day the filing covers: the day before its revocation, else its validity end. */
  coveredUntil: IsoDate;
  validityCitation: string;
  status: 'active' | 'revoked';
  revokedOn: IsoDate | null;
  revokedReason: string | null;
};

const filingColumns = {
  regionCode: settlementXpFilings.regionCode,
  id: settlementXpFilings.id,
  caseId: settlementXpFilings.caseId,
  kind: settlementXpFilings.kind,
  province: settlementXpFilings.province,
  fromDate: settlementXpFilings.fromDate,
  validUntil: settlementXpFilings.validUntil,
  validityCitation: settlementXpFilings.validityCitation,
  status: settlementXpFilings.status,
  revokedOn: settlementXpFilings.revokedOn,
  revokedReason: settlementXpFilings.revokedReason,
};

type FilingRow = Omit<FilingView, 'coveredUntil'>;

export function viewOfFiling(row: FilingRow): FilingView {
  const coveredUntil = row.revokedOn === null ? row.validUntil : addDays(row.revokedOn, -1);
  return { ...row, coveredUntil };
}

/** The case, locked, if it is of this city and accepted (认定工伤 or 视同工伤). */
async function lockAcceptedCase(
  tx: Executor,
  city: string,
  caseId: string,
): Promise<Result<{ workerId: string }, FilingRefusal>> {
  const [row] = await tx.orm
    .select({ workerId: cases.workerId, outcome: cases.determinationOutcome })
    .from(cases)
    .where(and(eq(cases.regionCode, city), eq(cases.id, caseId)))
    .for('update');
  if (!row)
    return refuse(
      'settlement.cross_province_case_not_found',
      `case ${caseId} not found in ${city}`,
    );
  if (row.outcome !== 'recognised' && row.outcome !== 'deemed')
    return refuse(
      'settlement.cross_province_case_not_accepted',
      `case ${caseId} is not recognised or deemed a work injury (${row.outcome ?? 'not decided'}): only an accepted case can be filed`,
      { outcome: row.outcome },
    );
  return ok({ workerId: row.workerId });
}

async function overlapping(
  tx: Executor,
  city: string,
  caseId: string,
  range: { fromDate: IsoDate; until: IsoDate },
): Promise<FilingView | null> {
  const rows = await tx.orm
    .select(filingColumns)
    .from(settlementXpFilings)
    .where(
      and(
        eq(settlementXpFilings.regionCode, city),
        eq(settlementXpFilings.caseId, caseId),
        sql`${settlementXpFilings.fromDate} <= ${range.until}::date`,
        sql`coalesce(${settlementXpFilings.revokedOn} - 1, ${settlementXpFilings.validUntil}) >= ${range.fromDate}::date`,
      ),
    )
    .orderBy(asc(settlementXpFilings.fromDate))
    .limit(1);
  const [row] = rows;
  return row === undefined ? null : viewOfFiling(row);
}

export type FilingRequest = {
  city: string;
  caseId: string;
  kind: FilingKind;
  /** The other province's code (6 digits ending 0000). */
  province: string;
  fromDate: IsoDate;
};

/** Records a filing; refused for a case not accepted, our own province, or an overlap. */
export async function recordFiling(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: FilingRequest,
): Promise<Result<FilingView, FilingRefusal>> {
  if (!isProvinceCode(input.province) || input.province === provinceOf(input.city))
    return refuse(
      'settlement.cross_province_own_province',
      `${input.province} is not another province: treatment inside ${provinceOf(input.city)} settles as at home`,
      { province: input.province },
    );
  const validity = filingValidity(rules, input.city, input.kind, input.fromDate);
  if (!validity.ok) return validity;
  return db.transaction(async (tx) => {
    const found = await lockAcceptedCase(tx, input.city, input.caseId);
    if (!found.ok) return found;
    const range = { fromDate: input.fromDate, until: validity.value.validUntil };
    const other = await overlapping(tx, input.city, input.caseId, range);
    if (other !== null)
      return refuse(
        'settlement.cross_province_filing_overlap',
        `filing ${other.id} of the case already covers ${other.fromDate} – ${other.coveredUntil}: revoke it first or file from a later date`,
        { filingId: other.id, fromDate: other.fromDate, coveredUntil: other.coveredUntil },
      );
    const row: FilingRow = {
      regionCode: input.city,
      id: `xpf_${input.city}_${randomBytes(8).toString('hex')}`,
      caseId: input.caseId,
      kind: input.kind,
      province: input.province,
      fromDate: input.fromDate,
      validUntil: validity.value.validUntil,
      validityCitation: validity.value.citation,
      status: 'active',
      revokedOn: null,
      revokedReason: null,
    };
    await tx.orm.insert(settlementXpFilings).values({ ...row, recordedBy: actor.userId });
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.cross_province.file', `xp-filing/${row.regionCode}/${row.id}`, {
        caseId: row.caseId,
        kind: row.kind,
        province: row.province,
        fromDate: row.fromDate,
        validUntil: row.validUntil,
      }),
    );
    return ok(viewOfFiling(row));
  });
}

/**
 * Revokes a filing from a day on (its coverage ends the day before). The day lies between the
 * from-date and the day after the validity end; revoking twice is refused.
 */
export async function revokeFiling(
  db: Database,
  actor: Actor,
  input: { city: string; filingId: string; on: IsoDate; reason: string },
): Promise<Result<FilingView, FilingRefusal>> {
  return db.transaction(async (tx) => {
    const key = and(
      eq(settlementXpFilings.regionCode, input.city),
      eq(settlementXpFilings.id, input.filingId),
    );
    const [row] = await tx.orm
      .select(filingColumns)
      .from(settlementXpFilings)
      .where(key)
      .for('update');
    if (!row)
      return refuse(
        'settlement.cross_province_filing_not_found',
        `filing ${input.filingId} not found`,
      );
    if (row.status === 'revoked')
      return refuse(
        'settlement.cross_province_filing_revoked',
        `filing ${row.id} was revoked on ${row.revokedOn}`,
        { revokedOn: row.revokedOn },
      );
    if (input.on < row.fromDate || input.on > addDays(row.validUntil, 1))
      return refuse(
        'settlement.cross_province_revocation_date',
        `a revocation is dated between ${row.fromDate} and ${addDays(row.validUntil, 1)}`,
        { fromDate: row.fromDate, validUntil: row.validUntil },
      );
    const revoked = {
      status: 'revoked' as const,
      revokedOn: input.on,
      revokedReason: input.reason,
    };
    await tx.orm
      .update(settlementXpFilings)
      .set({ ...revoked, revokedBy: actor.userId })
      .where(key);
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'settlement.cross_province.revoke',
        `xp-filing/${row.regionCode}/${row.id}`,
        {
          revokedOn: input.on,
        },
      ),
    );
    return ok(viewOfFiling({ ...row, ...revoked }));
  });
}

/** The filings of a city, or of one case, oldest first (bounded). */
export async function listFilings(
  db: Database,
  input: { city: string; caseId?: string | undefined; limit: number },
): Promise<FilingView[]> {
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select(filingColumns)
      .from(settlementXpFilings)
      .where(
        and(
          eq(settlementXpFilings.regionCode, input.city),
          input.caseId === undefined ? undefined : eq(settlementXpFilings.caseId, input.caseId),
        ),
      )
      .orderBy(asc(settlementXpFilings.fromDate), asc(settlementXpFilings.id))
      .limit(input.limit),
  );
  return rows.map(viewOfFiling);
}
