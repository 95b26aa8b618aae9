import { randomBytes } from 'node:crypto';
import { and, asc, type Column, eq, like, max, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { employerEvents, employers } from '../../db/schema.ts';
import { checkStatusChange, type EmployerStatus } from '../../domain/registry/register.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { checkCreditCode } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { makeContext } from '../../rules/context.ts';
import {
  type EmployerCategory,
  type FloatGrade,
  gradeAllowed,
  type IndustryStandard,
  riskClassOf,
} from '../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * Employers (参保单位): registration with a checked 统一社会信用代码 and a GB/T 4754 division that
 * must have a risk class in force, dated status changes (暂停, 恢复, 注销) and floating grades, each
 * one event in employer_events beside the current value on the employer row, written with the
 * audit event in one transaction. The risk class is never stored: it is read from the dated
 * tables in rules whenever an employer is shown (docs/adr/0008-register-of-employers-and-workers.md).
 */
export type EmployerRefusal =
  | 'employer.invalid_credit_code'
  | 'employer.credit_code_taken'
  | 'employer.not_in_city'
  | 'employer.status_unchanged'
  | 'employer.cancelled'
  | 'employer.has_open_spells'
  | 'employer.event_out_of_order'
  | 'record.not_found'
  | 'rules.parameter_missing'
  | 'contribution.division_unknown'
  | 'contribution.division_unclassified'
  | 'contribution.grade_not_allowed';

export type EmployerRow = typeof employers.$inferSelect;

export type EmployerView = {
  regionCode: string;
  id: string;
  creditCode: string;
  name: string;
  address: string;
  industry: { standard: IndustryStandard; division: string };
  category: EmployerCategory;
  registeredOn: IsoDate;
  status: EmployerStatus;
  statusFrom: IsoDate;
  floatingGrade: FloatGrade;
  floatingGradeFrom: IsoDate;
  /** The risk class (1–8) on `asOf`, from the dated tables; null with the reason when none is in force. */
  riskClass: number | null;
  riskClassNote: string | null;
  asOf: IsoDate;
};

/** The employer as shown, with its risk class read from the rules on `asOf`. */
export function employerView(rules: RuleSet, row: EmployerRow, asOf: IsoDate): EmployerView {
  const risk = riskClassOf(
    makeContext(rules, row.regionCode, {}, false),
    row.industryStandard,
    row.industryDivision,
    asOf,
  );
  return {
    regionCode: row.regionCode,
    id: row.id,
    creditCode: row.creditCode,
    name: row.name,
    address: row.address,
    industry: { standard: row.industryStandard, division: row.industryDivision },
    category: row.category,
    registeredOn: row.registeredOn,
    status: row.status,
    statusFrom: row.statusFrom,
    floatingGrade: row.floatingGrade,
    floatingGradeFrom: row.floatingGradeFrom,
    riskClass: risk.ok ? risk.value : null,
    riskClassNote: risk.ok ? null : `${risk.code}: ${risk.message}`,
    asOf,
  };
}

/** Rows of a city (a 6-digit city code) or of the whole province (a code ending in 0000). */
export function withinRegion(column: Column, regionCode: string): SQL {
  return regionCode.endsWith('0000')
    ? like(column, `${regionCode.slice(0, 2)}%`)
    : eq(column, regionCode);
}

export type EmployerRegistration = {
  regionCode: string;
  creditCode: string;
  name: string;
  address: string;
  industry: { standard: IndustryStandard; division: string };
  category: EmployerCategory;
  registeredOn: IsoDate;
};

export async function registerEmployer(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: EmployerRegistration,
): Promise<Result<EmployerView, EmployerRefusal>> {
  const code = checkCreditCode(input.creditCode);
  if (!code.valid)
    return refuse(
      'employer.invalid_credit_code',
      `creditCode is not a valid 统一社会信用代码 (${code.reason}); check the 18 characters`,
      { reason: code.reason },
    );
  if (input.regionCode.endsWith('0000'))
    return refuse('employer.not_in_city', 'an employer is registered in a city, not the province');
  const risk = riskClassOf(
    makeContext(rules, input.regionCode, {}, false),
    input.industry.standard,
    input.industry.division,
    input.registeredOn,
  );
  if (!risk.ok) return risk;
  const row = employerRowOf(actor, { ...input, creditCode: code.normalised });
  return db.transaction(async (tx) => {
    const inserted = await tx.orm
      .insert(employers)
      .values(row)
      .onConflictDoNothing({ target: employers.creditCode })
      .returning();
    const created = inserted[0];
    if (!created)
      return refuse(
        'employer.credit_code_taken',
        `an employer with credit code ${code.normalised} is already registered in the province`,
      );
    await appendEvent(tx, actor, created, {
      kind: 'registered',
      effectiveFrom: input.registeredOn,
      data: { status: 'registered', floatingGrade: 'base', riskClass: String(risk.value) },
    });
    await appendAudit(
      tx,
      okEventOf(actor, 'registry.employer.register', objectOf(created), {
        creditCode: created.creditCode,
      }),
    );
    return ok(employerView(rules, created, input.registeredOn));
  });
}

function employerRowOf(actor: Actor, input: EmployerRegistration): typeof employers.$inferInsert {
  return {
    regionCode: input.regionCode,
    id: `emp_${input.regionCode}_${randomBytes(8).toString('hex')}`,
    creditCode: input.creditCode,
    name: input.name,
    address: input.address,
    industryStandard: input.industry.standard,
    industryDivision: input.industry.division,
    category: input.category,
    registeredOn: input.registeredOn,
    status: 'registered',
    statusFrom: input.registeredOn,
    floatingGrade: 'base',
    floatingGradeFrom: input.registeredOn,
    createdBy: actor.userId,
  };
}

function objectOf(e: { regionCode: string; id: string }): string {
  return `employer/${e.regionCode}/${e.id}`;
}

async function appendEvent(
  tx: Executor,
  actor: Actor,
  employer: { regionCode: string; id: string },
  event: {
    kind: 'registered' | 'status' | 'floating_grade';
    effectiveFrom: IsoDate;
    data: Record<string, string>;
  },
): Promise<void> {
  const [last] = await tx.orm
    .select({ seq: max(employerEvents.seq) })
    .from(employerEvents)
    .where(
      and(
        eq(employerEvents.regionCode, employer.regionCode),
        eq(employerEvents.employerId, employer.id),
      ),
    );
  await tx.orm.insert(employerEvents).values({
    regionCode: employer.regionCode,
    employerId: employer.id,
    seq: (last?.seq ?? 0) + 1,
    ...event,
    recordedBy: actor.userId,
  });
}

/** The employer row locked for a change (events are numbered under this lock). */
export async function lockEmployer(
  tx: Executor,
  regionCode: string,
  id: string,
  strength: 'update' | 'share' = 'update',
): Promise<EmployerRow | null> {
  const [row] = await tx.orm
    .select()
    .from(employers)
    .where(and(withinRegion(employers.regionCode, regionCode), eq(employers.id, id)))
    .for(strength);
  return row ?? null;
}

function notFound(id: string): Result<never, 'record.not_found'> {
  return refuse('record.not_found', `employer ${id} not found`);
}

export type StatusChange = {
  regionCode: string;
  employerId: string;
  status: EmployerStatus;
  effectiveFrom: IsoDate;
  reason: string;
};

/** A dated status change (暂停 / 恢复 / 注销); 注销 needs every worker to have left first (减员). */
export async function changeEmployerStatus(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: StatusChange,
): Promise<Result<EmployerView, EmployerRefusal>> {
  return db.transaction(async (tx) => {
    const row = await lockEmployer(tx, input.regionCode, input.employerId);
    if (!row) return notFound(input.employerId);
    const change = checkStatusChange(row.status, input.status);
    if (!change.ok) return change;
    if (input.effectiveFrom < row.statusFrom)
      return refuse(
        'employer.event_out_of_order',
        `the status has been ${row.status} since ${row.statusFrom}; a change must take effect on or after it`,
        { since: row.statusFrom },
      );
    if (input.status === 'cancelled') {
      const open = await openSpellCount(tx, row);
      if (open > 0)
        return refuse(
          'employer.has_open_spells',
          `${open} workers are still employed: record their 减员 before cancelling (注销)`,
          { openSpells: open },
        );
    }
    const updated = await recordChange(tx, actor, row, {
      set: { status: input.status, statusFrom: input.effectiveFrom },
      kind: 'status',
      action: 'registry.employer.status',
      effectiveFrom: input.effectiveFrom,
      from: row.status,
      to: input.status,
      reason: input.reason,
    });
    return ok(employerView(rules, updated, input.effectiveFrom));
  });
}

type EmployerChange = {
  set: Partial<Pick<EmployerRow, 'status' | 'statusFrom' | 'floatingGrade' | 'floatingGradeFrom'>>;
  kind: 'status' | 'floating_grade';
  action: 'registry.employer.status' | 'registry.employer.floating_grade';
  effectiveFrom: IsoDate;
  from: string;
  to: string;
  reason: string;
};

/** A status or grade change of a locked employer: the row, its dated event and the audit event. */
async function recordChange(
  tx: Executor,
  actor: Actor,
  row: EmployerRow,
  change: EmployerChange,
): Promise<EmployerRow> {
  const [updated] = await tx.orm
    .update(employers)
    .set({ ...change.set, updatedAt: new Date() })
    .where(and(eq(employers.regionCode, row.regionCode), eq(employers.id, row.id)))
    .returning();
  if (!updated) throw new Error('employer vanished under its lock');
  const { from, to, effectiveFrom } = change;
  await appendEvent(tx, actor, row, {
    kind: change.kind,
    effectiveFrom,
    data: { from, to, reason: change.reason },
  });
  await appendAudit(
    tx,
    okEventOf(actor, change.action, objectOf(row), { from, to, effectiveFrom }),
  );
  return updated;
}

async function openSpellCount(tx: Executor, row: EmployerRow): Promise<number> {
  // Hand SQL: one count with a partial-index condition; the rows mapper is not needed for it.
  const r = await tx.query(
    `SELECT count(*)::int AS n FROM employment_spells
      WHERE region_code = $1 AND employer_id = $2 AND end_date IS NULL`,
    [row.regionCode, row.id],
  );
  const n = r.rows[0]?.['n'];
  return typeof n === 'number' ? n : 0;
}

export type GradeChange = {
  regionCode: string;
  employerId: string;
  grade: FloatGrade;
  effectiveFrom: IsoDate;
  reason: string;
};

/**
 * The grade change's checks, inside the caller's transaction with the employer row locked (so
 * nothing can change it between the checks and the write): the one path every grade change takes
 * (an approved single change, registry/floating-grade.ts; an approved floating-rate review).
 * Writes nothing.
 */
export async function checkGradeChange(
  tx: Executor,
  rules: RuleSet,
  input: GradeChange,
): Promise<Result<EmployerRow, EmployerRefusal>> {
  const row = await lockEmployer(tx, input.regionCode, input.employerId);
  if (!row) return notFound(input.employerId);
  if (row.status === 'cancelled')
    return refuse('employer.cancelled', 'the employer is cancelled (注销): its grade is final');
  if (input.effectiveFrom < row.floatingGradeFrom)
    return refuse(
      'employer.event_out_of_order',
      `the grade has been ${row.floatingGrade} since ${row.floatingGradeFrom}; a change must take effect on or after it`,
      { since: row.floatingGradeFrom },
    );
  const before = employerView(rules, row, input.effectiveFrom);
  if (before.riskClass === null)
    return refuse('contribution.division_unclassified', before.riskClassNote ?? 'no risk class');
  const allowed = gradeAllowed(before.riskClass, input.grade);
  if (!allowed.ok) return allowed;
  return ok(row);
}

/** Writes a checked grade change (the row `checkGradeChange` returned): dated event and audit. */
export async function writeGradeChange(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  row: EmployerRow,
  input: GradeChange,
): Promise<EmployerView> {
  const updated = await recordChange(tx, actor, row, {
    set: { floatingGrade: input.grade, floatingGradeFrom: input.effectiveFrom },
    kind: 'floating_grade',
    action: 'registry.employer.floating_grade',
    effectiveFrom: input.effectiveFrom,
    from: row.floatingGrade,
    to: input.grade,
    reason: input.reason,
  });
  return employerView(rules, updated, input.effectiveFrom);
}

/** Check and write in the caller's transaction (an approved review applies each item so). */
export async function changeFloatingGrade(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  input: GradeChange,
): Promise<Result<EmployerView, EmployerRefusal>> {
  const checked = await checkGradeChange(tx, rules, input);
  if (!checked.ok) return checked;
  return ok(await writeGradeChange(tx, actor, rules, checked.value, input));
}

export type EmployerSearch = {
  /** A city code, or the province code for the whole province. */
  regionCode: string;
  namePrefix?: string | undefined;
  creditCode?: string | undefined;
  limit: number;
};

/** Employers by name prefix or exact credit code, in a city or the province, by name. */
export async function searchEmployers(
  db: Database,
  rules: RuleSet,
  input: EmployerSearch,
  asOf: IsoDate,
): Promise<EmployerView[]> {
  const conditions = [withinRegion(employers.regionCode, input.regionCode)];
  if (input.creditCode) conditions.push(eq(employers.creditCode, input.creditCode.toUpperCase()));
  if (input.namePrefix)
    conditions.push(like(employers.name, `${input.namePrefix.replace(/[\\%_]/g, '\\$&')}%`));
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(employers)
      .where(and(...conditions))
      .orderBy(asc(employers.name), asc(employers.id))
      .limit(input.limit),
  );
  return rows.map((r) => employerView(rules, r, asOf));
}

/** The employer of a credit code (unique in the province), or null. */
export async function employerByCreditCode(
  db: Database,
  creditCode: string,
): Promise<EmployerRow | null> {
  const code = creditCode.trim().toUpperCase();
  const [row] = await db.withConnection((ex) =>
    ex.orm.select().from(employers).where(eq(employers.creditCode, code)),
  );
  return row ?? null;
}

/** The employer an employer-role user stands for (its scope code is the credit code). */
export async function employerOfActor(db: Database, actor: Actor): Promise<EmployerRow | null> {
  if (actor.scopeKind !== 'employer' || actor.scopeCode === null) return null;
  return employerByCreditCode(db, actor.scopeCode);
}
