import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, gt, gte, isNull, lte, or } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { employers, employmentSpells, workers } from '../../db/schema.ts';
import { spellsOverlap } from '../../domain/registry/register.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { checkCitizenId, citizenIdFacts, type Sex } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { lockEmployer, withinRegion } from './employers.ts';

/**
 * Workers (职工) and their employment spells (增员 / 减员). A worker is one row per 公民身份号码 for
 * the whole province; a spell ties it to an employer of a city. 增员 finds the worker or registers
 * it, and answers the same either way: the answer echoes what the registrant gave (the name, the
 * number masked), never what was stored before, so hiring is no way to learn whether a guessed
 * number is known (docs/adr/0008-register-of-employers-and-workers.md, which also names what is left).
 */
export type WorkerRefusal =
  | 'worker.invalid_id_number'
  | 'worker.sex_mismatch'
  | 'worker.birth_date_mismatch'
  | 'worker.hire_rate_limited'
  | 'employer.cancelled'
  | 'spell.overlaps'
  | 'spell.already_ended'
  | 'spell.end_before_start'
  | 'record.not_found';

export type Viewer = Pick<Actor, 'permissions'>;

function canReveal(viewer: Viewer): boolean {
  return viewer.permissions.includes('pii:reveal');
}

/** A spell as a roster line: the number masked, the birth date only for holders of pii:reveal. */
export type SpellView = {
  regionCode: string;
  id: string;
  employerId: string;
  workerId: string;
  workerName: string;
  idNumberMasked: string;
  sex: Sex;
  birthDate?: IsoDate;
  startDate: IsoDate;
  endDate: IsoDate | null;
};

type SpellRow = typeof employmentSpells.$inferSelect;

function spellView(s: SpellRow, idNumber: string, viewer: Viewer): SpellView {
  const facts = citizenIdFacts(idNumber);
  return {
    regionCode: s.regionCode,
    id: s.id,
    employerId: s.employerId,
    workerId: s.workerId,
    workerName: s.workerName,
    idNumberMasked: maskIdNumber(idNumber),
    sex: facts.sex,
    ...(canReveal(viewer) ? { birthDate: facts.birthDate } : {}),
    startDate: s.startDate,
    endDate: s.endDate,
  };
}

export type Hire = {
  /** The employer's city, or the province code (a provincial user). */
  regionCode: string;
  employerId: string;
  idNumber: string;
  name: string;
  /** Optional: when given, each must agree with the number (GB 11643 §4.1). */
  sex?: Sex | undefined;
  birthDate?: IsoDate | undefined;
  startDate: IsoDate;
  today: IsoDate;
  /** 增员 one staff user without pii:reveal may make in an hour (PERSON_REGISTRATIONS_PER_HOUR). */
  perHourMax: number;
};

/** Checks the number and what was given with it; nothing here depends on what is stored. */
function checkIdentity(input: Hire): Result<string, WorkerRefusal> {
  const check = checkCitizenId(input.idNumber, input.today);
  if (!check.valid)
    return refuse(
      'worker.invalid_id_number',
      `idNumber is not a valid 公民身份号码 (${check.reason}); check the 18 characters`,
      { reason: check.reason },
    );
  const facts = citizenIdFacts(check.normalised);
  if (input.sex !== undefined && input.sex !== facts.sex)
    return refuse(
      'worker.sex_mismatch',
      `sex ${input.sex} disagrees with the ID number (its 17th digit says ${facts.sex})`,
    );
  if (input.birthDate !== undefined && input.birthDate !== facts.birthDate)
    return refuse(
      'worker.birth_date_mismatch',
      'birthDate disagrees with the birth date in the ID number (characters 7–14)',
    );
  return ok(check.normalised);
}

/** 增员: the worker (found or registered) starts a spell at the employer on `startDate`. */
export async function hireWorker(
  db: Database,
  actor: Actor,
  input: Hire,
): Promise<Result<SpellView, WorkerRefusal>> {
  const identity = checkIdentity(input);
  if (!identity.ok) return identity;
  const idNumber = identity.value;
  return db.transaction(async (tx) => {
    const employer = await lockEmployer(tx, input.regionCode, input.employerId, 'share');
    if (!employer) return refuse('record.not_found', `employer ${input.employerId} not found`);
    if (employer.status === 'cancelled')
      return refuse('employer.cancelled', 'the employer is cancelled (注销): no new 增员');
    const limited = await hourlyLimitReached(tx, actor, input.perHourMax);
    if (limited) return limited;
    const workerId = await findOrRegisterWorker(tx, actor, { idNumber, name: input.name });
    const pair = { regionCode: employer.regionCode, employerId: employer.id, workerId };
    const clash = await overlappingSpell(tx, pair, { startDate: input.startDate, endDate: null });
    if (clash) return clash;
    const [spell] = await tx.orm
      .insert(employmentSpells)
      .values({
        ...pair,
        id: `spl_${employer.regionCode}_${randomBytes(8).toString('hex')}`,
        workerName: input.name,
        startDate: input.startDate,
        hiredBy: actor.userId,
      })
      .returning();
    if (!spell) throw new Error('spell insert returned nothing');
    await appendAudit(
      tx,
      okEventOf(actor, 'registry.spell.hire', `spell/${spell.regionCode}/${spell.id}`, {
        employer: employer.id,
        startDate: input.startDate,
      }),
    );
    return ok(spellView(spell, idNumber, actor));
  });
}

/**
 * Staff without pii:reveal (province and city scopes) may make only so many 增员 an hour, new and
 * known numbers alike: an overlap refusal or the worker page would otherwise let them test guessed
 * numbers at will. An employer's own users are not limited (they hold their staff's ID cards).
 */
async function hourlyLimitReached(
  tx: Executor,
  actor: Actor,
  perHourMax: number,
): Promise<Result<never, WorkerRefusal> | null> {
  if (actor.scopeKind === 'employer' || canReveal(actor)) return null;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`hires:${actor.userId}`]);
  const since = new Date(Date.now() - 3_600_000);
  const [made] = await tx.orm
    .select({ n: count() })
    .from(employmentSpells)
    .where(and(eq(employmentSpells.hiredBy, actor.userId), gt(employmentSpells.createdAt, since)));
  if ((made?.n ?? 0) < perHourMax) return null;
  return refuse(
    'worker.hire_rate_limited',
    `at most ${perHourMax} 增员 per user and hour; try again later`,
    { perHour: perHourMax },
  );
}

/**
 * The worker of a number: inserted when new, else the row registered before (its name stays the
 * first registration's). The insert yields on a concurrent registration of the same number, so no
 * unique-constraint error carries the number into a log.
 */
export async function findOrRegisterWorker(
  tx: Executor,
  actor: Actor,
  input: { idNumber: string; name: string },
): Promise<string> {
  const facts = citizenIdFacts(input.idNumber);
  const inserted = await tx.orm
    .insert(workers)
    .values({
      id: `wkr_${randomBytes(8).toString('hex')}`,
      idNumber: input.idNumber,
      name: input.name,
      sex: facts.sex,
      birthDate: facts.birthDate,
      registeredBy: actor.userId,
    })
    .onConflictDoNothing({ target: workers.idNumber })
    .returning({ id: workers.id });
  if (inserted[0]) return inserted[0].id;
  const [found] = await tx.orm
    .select({ id: workers.id })
    .from(workers)
    .where(eq(workers.idNumber, input.idNumber));
  if (!found) throw new Error('worker vanished during its registration');
  return found.id;
}

type Pair = { regionCode: string; employerId: string; workerId: string };

/** Refuses a spell that would share a day with another of the same worker at the same employer. */
async function overlappingSpell(
  tx: Executor,
  pair: Pair,
  dates: { startDate: IsoDate; endDate: IsoDate | null },
  exceptId?: string,
): Promise<Result<never, WorkerRefusal> | null> {
  // The trigger's lock: spells of one (employer, worker) are checked and written one at a time.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `employment_spells:${pair.employerId}:${pair.workerId}`,
  ]);
  const others = await tx.orm
    .select({
      id: employmentSpells.id,
      startDate: employmentSpells.startDate,
      endDate: employmentSpells.endDate,
    })
    .from(employmentSpells)
    .where(
      and(
        eq(employmentSpells.regionCode, pair.regionCode),
        eq(employmentSpells.employerId, pair.employerId),
        eq(employmentSpells.workerId, pair.workerId),
      ),
    );
  const clash = others.find((o) => o.id !== exceptId && spellsOverlap(o, dates));
  if (!clash) return null;
  return refuse(
    'spell.overlaps',
    `the worker already has a spell at this employer from ${clash.startDate} to ${clash.endDate ?? '(open)'}`,
    { spellId: clash.id, startDate: clash.startDate, endDate: clash.endDate },
  );
}

export type Leave = { regionCode: string; spellId: string; endDate: IsoDate; employerId?: string };

/** 减员: the spell ends on `endDate` (the last day employed). */
export async function endSpell(
  db: Database,
  actor: Actor,
  input: Leave,
): Promise<Result<SpellView, WorkerRefusal>> {
  return db.transaction(async (tx) => {
    const [found] = await tx.orm
      .select({ spell: employmentSpells, idNumber: workers.idNumber })
      .from(employmentSpells)
      .innerJoin(workers, eq(workers.id, employmentSpells.workerId))
      .where(
        and(
          withinRegion(employmentSpells.regionCode, input.regionCode),
          eq(employmentSpells.id, input.spellId),
          ...(input.employerId ? [eq(employmentSpells.employerId, input.employerId)] : []),
        ),
      )
      .for('update', { of: employmentSpells });
    if (!found) return refuse('record.not_found', `spell ${input.spellId} not found`);
    const { spell } = found;
    if (spell.endDate !== null)
      return refuse('spell.already_ended', `the spell ended on ${spell.endDate} (减员 recorded)`, {
        endDate: spell.endDate,
      });
    if (input.endDate < spell.startDate)
      return refuse(
        'spell.end_before_start',
        `the 减员 date ${input.endDate} is before the 增员 date ${spell.startDate}`,
      );
    const [ended] = await tx.orm
      .update(employmentSpells)
      .set({ endDate: input.endDate, leftBy: actor.userId })
      .where(
        and(eq(employmentSpells.regionCode, spell.regionCode), eq(employmentSpells.id, spell.id)),
      )
      .returning();
    if (!ended) throw new Error('spell vanished under its lock');
    await appendAudit(
      tx,
      okEventOf(actor, 'registry.spell.leave', `spell/${spell.regionCode}/${spell.id}`, {
        employer: spell.employerId,
        endDate: input.endDate,
      }),
    );
    return ok(spellView(ended, found.idNumber, actor));
  });
}

/** The employer's workers on a date (增员 on or before it, no 减员 before it), by name. */
export async function rosterAt(
  db: Database,
  viewer: Viewer,
  employer: { regionCode: string; id: string },
  date: IsoDate,
  limit: number,
): Promise<SpellView[]> {
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({ spell: employmentSpells, idNumber: workers.idNumber })
      .from(employmentSpells)
      .innerJoin(workers, eq(workers.id, employmentSpells.workerId))
      .where(
        and(
          eq(employmentSpells.regionCode, employer.regionCode),
          eq(employmentSpells.employerId, employer.id),
          lte(employmentSpells.startDate, date),
          or(isNull(employmentSpells.endDate), gte(employmentSpells.endDate, date)),
        ),
      )
      .orderBy(asc(employmentSpells.workerName), asc(employmentSpells.id))
      .limit(limit),
  );
  return rows.map((r) => spellView(r.spell, r.idNumber, viewer));
}

export type WorkerView = {
  id: string;
  name: string;
  idNumberMasked: string;
  sex: Sex;
  birthDate?: IsoDate;
  /** The worker's spells at employers in the viewer's region (a city, or the whole province). */
  spells: (SpellView & { employerName: string; employerCreditCode: string })[];
};

/**
 * One worker with the spells a viewer of `regionCode` may see: a city handler the spells in the
 * city, the province every spell in the province. A worker without a spell there is not found.
 */
export async function getWorker(
  db: Database,
  viewer: Viewer,
  input: { regionCode: string; workerId: string },
): Promise<WorkerView | null> {
  return db.withConnection(async (ex) => {
    const [worker] = await ex.orm.select().from(workers).where(eq(workers.id, input.workerId));
    if (!worker) return null;
    const spells = await ex.orm
      .select({
        spell: employmentSpells,
        employerName: employers.name,
        creditCode: employers.creditCode,
      })
      .from(employmentSpells)
      .innerJoin(
        employers,
        and(
          eq(employers.regionCode, employmentSpells.regionCode),
          eq(employers.id, employmentSpells.employerId),
        ),
      )
      .where(
        and(
          eq(employmentSpells.workerId, worker.id),
          withinRegion(employmentSpells.regionCode, input.regionCode),
        ),
      )
      .orderBy(asc(employmentSpells.startDate), asc(employmentSpells.id));
    if (spells.length === 0) return null;
    return {
      id: worker.id,
      name: worker.name,
      idNumberMasked: maskIdNumber(worker.idNumber),
      sex: worker.sex,
      ...(canReveal(viewer) ? { birthDate: worker.birthDate } : {}),
      spells: spells.map((s) => ({
        ...spellView(s.spell, worker.idNumber, viewer),
        employerName: s.employerName,
        employerCreditCode: s.creditCode,
      })),
    };
  });
}

/**
 * The worker holding a 公民身份号码, with the spells a viewer of `regionCode` may see (as
 * `getWorker`): null when the number is unknown or has no spell in the region. Two indexed look-ups
 * (the unique number, then the worker's spells). A full number is what makes this an existence
 * oracle, so the route lets only holders of pii:reveal ask, and audits each question.
 */
export async function findWorkerByIdNumber(
  db: Database,
  viewer: Viewer,
  input: { regionCode: string; idNumber: string },
): Promise<WorkerView | null> {
  const number = input.idNumber.trim().toUpperCase();
  const [found] = await db.withConnection((ex) =>
    ex.orm.select({ id: workers.id }).from(workers).where(eq(workers.idNumber, number)),
  );
  if (!found) return null;
  return getWorker(db, viewer, { regionCode: input.regionCode, workerId: found.id });
}
