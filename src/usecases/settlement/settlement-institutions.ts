import { and, asc, eq, gt, like, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { regions, settlementInstitutions } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { regionWithin } from '../../identity/policy.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { checkCreditCode } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * Contracted institutions (协议机构): hospitals, rehabilitation centres and assistive-device
 * suppliers that settle work-injury care with the fund online (《工伤保险条例》第四十七条,
 * docs/settlement.md). A city handler manages the institutions of its own city; the province
 * and the supervisor read them all. Every change is one row update with its audit event, in one
 * transaction.
 */
export type InstitutionKind = 'hospital' | 'rehabilitation' | 'device';
export type InstitutionLevel = 'tertiary' | 'secondary' | 'primary' | 'none';
export type InstitutionStatus = 'active' | 'suspended' | 'terminated';

export type InstitutionRefusal =
  | 'settlement.institution_invalid_credit_code'
  | 'settlement.institution_not_in_city'
  | 'settlement.institution_id_mismatch'
  | 'settlement.institution_exists'
  | 'settlement.institution_status_unchanged'
  | 'settlement.institution_terminated'
  | 'settlement.institution_change_out_of_order'
  | 'settlement.institution_not_found';

export type InstitutionRow = typeof settlementInstitutions.$inferSelect;

export type InstitutionView = {
  id: string;
  name: string;
  kind: InstitutionKind;
  level: InstitutionLevel;
  managingRegionCode: string;
  creditCode: string | null;
  status: InstitutionStatus;
  statusFrom: IsoDate;
};

export function institutionView(row: InstitutionRow): InstitutionView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    level: row.level,
    managingRegionCode: row.managingRegionCode,
    creditCode: row.creditCode,
    status: row.status,
    statusFrom: row.statusFrom,
  };
}

export type InstitutionCreation = {
  /** The acting city (the route's region): the institution's managing city. */
  regionCode: string;
  /** INST-<city>-<4 digits>; when absent, the next free number of the city. */
  id?: string | undefined;
  name: string;
  kind: InstitutionKind;
  level: InstitutionLevel;
  creditCode?: string | undefined;
  createdOn: IsoDate;
};

export function institutionNotFound(id: string): Result<never, 'settlement.institution_not_found'> {
  return refuse('settlement.institution_not_found', `institution ${id} not found in your scope`);
}

function checkCreation(
  input: InstitutionCreation,
): Result<{ creditCode: string | null }, InstitutionRefusal> {
  if (!/^\d{4}00$/.test(input.regionCode) || input.regionCode.endsWith('0000'))
    return refuse(
      'settlement.institution_not_in_city',
      'an institution is created by its managing city, not the province',
    );
  if (input.id !== undefined && !input.id.startsWith(`INST-${input.regionCode}-`))
    return refuse(
      'settlement.institution_id_mismatch',
      `the id must be INST-${input.regionCode}-<4 digits>: the city in it is the managing city`,
      { expectedPrefix: `INST-${input.regionCode}-` },
    );
  if (input.creditCode === undefined) return ok({ creditCode: null });
  const code = checkCreditCode(input.creditCode);
  if (!code.valid)
    return refuse(
      'settlement.institution_invalid_credit_code',
      `creditCode is not a valid 统一社会信用代码 (${code.reason}); check the 18 characters`,
      { reason: code.reason },
    );
  return ok({ creditCode: code.normalised });
}

/** The next free INST-<city>-NNNN, read under the city's creation lock. */
async function nextInstitutionId(tx: Executor, regionCode: string): Promise<string> {
  const rows = await tx.orm
    .select({ id: settlementInstitutions.id })
    .from(settlementInstitutions)
    .where(like(settlementInstitutions.id, `INST-${regionCode}-%`));
  const used = rows.map((r) => Number(r.id.slice(-4)));
  const next = used.length === 0 ? 1 : Math.max(...used) + 1;
  return `INST-${regionCode}-${String(next).padStart(4, '0')}`;
}

/** Creates an institution of the acting city; the id is given or the city's next number. */
export async function createInstitution(
  db: Database,
  actor: Actor,
  input: InstitutionCreation,
): Promise<Result<InstitutionView, InstitutionRefusal>> {
  const checked = checkCreation(input);
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `settlement-institutions:${input.regionCode}`,
    ]);
    const [city] = await tx.orm
      .select({ code: regions.code })
      .from(regions)
      .where(eq(regions.code, input.regionCode));
    if (!city)
      return refuse('settlement.institution_not_in_city', `region ${input.regionCode} is unknown`);
    const id = input.id ?? (await nextInstitutionId(tx, input.regionCode));
    const inserted = await tx.orm
      .insert(settlementInstitutions)
      .values({
        id,
        name: input.name,
        kind: input.kind,
        level: input.level,
        managingRegionCode: input.regionCode,
        creditCode: checked.value.creditCode,
        status: 'active',
        statusFrom: input.createdOn,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    const row = inserted[0];
    if (!row) return refuse('settlement.institution_exists', `institution ${id} already exists`);
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.institution.create', `institution/${id}`, {
        name: row.name,
        kind: row.kind,
      }),
    );
    return ok(institutionView(row));
  });
}

/** The institution if it is managed within `regionCode` (a city, or the province for all). */
export async function findInstitution(
  ex: Executor,
  regionCode: string,
  id: string,
): Promise<InstitutionRow | null> {
  const [row] = await ex.orm
    .select()
    .from(settlementInstitutions)
    .where(eq(settlementInstitutions.id, id));
  return row && regionWithin(regionCode, row.managingRegionCode) ? row : null;
}

export async function getInstitution(
  db: Database,
  regionCode: string,
  id: string,
): Promise<Result<InstitutionView, 'settlement.institution_not_found'>> {
  const row = await db.withConnection((ex) => findInstitution(ex, regionCode, id));
  return row ? ok(institutionView(row)) : institutionNotFound(id);
}

export type InstitutionListQuery = {
  regionCode: string;
  status?: InstitutionStatus | undefined;
  namePrefix?: string | undefined;
  /** Keyset paging: the last id of the previous page. */
  after?: string | undefined;
  limit: number;
};

/** Institutions of a city (or the province), by id, one page at a time. */
export async function listInstitutions(
  db: Database,
  query: InstitutionListQuery,
): Promise<{ institutions: InstitutionView[]; next: string | null }> {
  const where: SQL[] = [
    query.regionCode.endsWith('0000')
      ? like(settlementInstitutions.managingRegionCode, `${query.regionCode.slice(0, 2)}%`)
      : eq(settlementInstitutions.managingRegionCode, query.regionCode),
  ];
  if (query.status) where.push(eq(settlementInstitutions.status, query.status));
  if (query.namePrefix)
    where.push(like(settlementInstitutions.name, `${escapeLike(query.namePrefix)}%`));
  if (query.after) where.push(gt(settlementInstitutions.id, query.after));
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(settlementInstitutions)
      .where(and(...where))
      .orderBy(asc(settlementInstitutions.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    institutions: page.map(institutionView),
    next: rows.length > query.limit && last ? last.id : null,
  };
}

/** LIKE's own characters in a prefix are matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type InstitutionStatusChange = {
  regionCode: string;
  institutionId: string;
  status: InstitutionStatus;
  effectiveFrom: IsoDate;
  reason: string;
};

/** 暂停 (suspended), 恢复 (active) or 终止 (terminated, final), dated and audited. */
export async function changeInstitutionStatus(
  db: Database,
  actor: Actor,
  input: InstitutionStatusChange,
): Promise<Result<InstitutionView, InstitutionRefusal>> {
  return db.transaction(async (tx) => {
    const [row] = await tx.orm
      .select()
      .from(settlementInstitutions)
      .where(eq(settlementInstitutions.id, input.institutionId))
      .for('update');
    if (!row || !regionWithin(input.regionCode, row.managingRegionCode))
      return institutionNotFound(input.institutionId);
    const refusal = checkStatusChange(row, input);
    if (refusal) return refusal;
    const [updated] = await tx.orm
      .update(settlementInstitutions)
      .set({ status: input.status, statusFrom: input.effectiveFrom, updatedAt: new Date() })
      .where(eq(settlementInstitutions.id, row.id))
      .returning();
    if (!updated) throw new Error('institution vanished under its lock');
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.institution.status', `institution/${row.id}`, {
        from: row.status,
        to: input.status,
        effectiveFrom: input.effectiveFrom,
        reason: input.reason,
      }),
    );
    return ok(institutionView(updated));
  });
}

function checkStatusChange(
  row: InstitutionRow,
  input: InstitutionStatusChange,
): Result<never, InstitutionRefusal> | null {
  if (row.status === 'terminated')
    return refuse(
      'settlement.institution_terminated',
      `institution ${row.id} was terminated on ${row.statusFrom}; a terminated agreement relationship is final`,
    );
  if (row.status === input.status)
    return refuse(
      'settlement.institution_status_unchanged',
      `institution ${row.id} is already ${row.status}`,
    );
  if (input.effectiveFrom < row.statusFrom)
    return refuse(
      'settlement.institution_change_out_of_order',
      `the status has been ${row.status} since ${row.statusFrom}; a change takes effect on or after it`,
      { since: row.statusFrom },
    );
  return null;
}
