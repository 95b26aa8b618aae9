import { randomBytes } from 'node:crypto';
import { and, count, eq, gt, min } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { personAliases, persons } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { checkCitizenId } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * Insured persons, and the rule that keeps their ID numbers from leaking: staff without pii:reveal
 * see a number masked (first 6 and last 4 digits), so nothing they can do may tell them whether a
 * full number they guess is registered — otherwise about 1–3 thousand guesses of the hidden birth
 * date recover it. Registering therefore answers the same for a new and a known number: each
 * registration gives the registrant a record of their own, a new person or an alias (a handle on
 * the person registered before), showing the name they gave; the link is shown only to holders of
 * pii:reveal. A registrant's repeat of the same number answers their first record again.
 */

/** A person (or an alias) as staff see it: the ID number masked. */
export type PersonView = {
  regionCode: string;
  id: string;
  name: string;
  idNumberMasked: string;
  /** For an alias, the person it stands for — shown only to holders of pii:reveal. */
  linkedPersonId?: string;
};

export type PersonViewer = Pick<Actor, 'permissions'>;

function canReveal(viewer: PersonViewer): boolean {
  return viewer.permissions.includes('pii:reveal');
}

type Found = { regionCode: string; id: string; name: string; idNumber: string; personId: string };

function view(r: Found, viewer: PersonViewer): PersonView {
  const base = {
    regionCode: r.regionCode,
    id: r.id,
    name: r.name,
    idNumberMasked: maskIdNumber(r.idNumber),
  };
  return r.personId !== r.id && canReveal(viewer) ? { ...base, linkedPersonId: r.personId } : base;
}

const personColumns = {
  regionCode: persons.regionCode,
  id: persons.id,
  name: persons.name,
  idNumber: persons.idNumber,
  personId: persons.id,
};

const aliasColumns = {
  regionCode: personAliases.regionCode,
  id: personAliases.id,
  name: personAliases.name,
  idNumber: persons.idNumber,
  personId: personAliases.personId,
};

function aliasesJoined(ex: Executor) {
  return ex.orm
    .select(aliasColumns)
    .from(personAliases)
    .innerJoin(
      persons,
      and(eq(persons.regionCode, personAliases.regionCode), eq(persons.id, personAliases.personId)),
    );
}

/** Persons and aliases alike, by id (random, so the order tells nothing either). */
export async function listPersons(
  db: Database,
  viewer: PersonViewer,
  regionCode: string,
  limit: number,
): Promise<PersonView[]> {
  const rows = await db.withConnection(async (ex) => [
    ...(await ex.orm
      .select(personColumns)
      .from(persons)
      .where(eq(persons.regionCode, regionCode))
      .orderBy(persons.id)
      .limit(limit)),
    ...(await aliasesJoined(ex)
      .where(eq(personAliases.regionCode, regionCode))
      .orderBy(personAliases.id)
      .limit(limit)),
  ]);
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.slice(0, limit).map((r) => view(r, viewer));
}

async function findPerson(ex: Executor, regionCode: string, id: string): Promise<Found | null> {
  const [person] = await ex.orm
    .select(personColumns)
    .from(persons)
    .where(and(eq(persons.regionCode, regionCode), eq(persons.id, id)));
  if (person) return person;
  const [alias] = await aliasesJoined(ex).where(
    and(eq(personAliases.regionCode, regionCode), eq(personAliases.id, id)),
  );
  return alias ?? null;
}

export async function getPerson(
  db: Database,
  viewer: PersonViewer,
  regionCode: string,
  id: string,
): Promise<PersonView | null> {
  const found = await db.withConnection((ex) => findPerson(ex, regionCode, id));
  return found ? view(found, viewer) : null;
}

export type PersonRefusal = 'person.invalid_id_number' | 'person.registration_rate_limited';

export type Registration = {
  regionCode: string;
  idNumber: string;
  name: string;
  today: string;
  /** Registrations one user may make in an hour (PERSON_REGISTRATIONS_PER_HOUR). */
  perHourMax: number;
};

export async function registerPerson(
  db: Database,
  actor: Actor,
  input: Registration,
): Promise<Result<PersonView, PersonRefusal>> {
  const check = checkCitizenId(input.idNumber, input.today);
  if (!check.valid)
    return refuse(
      'person.invalid_id_number',
      `idNumber is not a valid 公民身份号码 (${check.reason}); check the 18 characters`,
      { reason: check.reason },
    );
  const idNumber = check.normalised;
  return db.transaction(async (tx) => {
    // One user's registrations one after another, so that the hourly count is exact.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`persons:${actor.userId}`]);
    const limited = await hourlyLimitReached(tx, actor.userId, input.perHourMax);
    if (limited) return limited;
    const outcome = await recordRegistration(tx, actor, { ...input, idNumber });
    await appendAudit(
      tx,
      okEventOf(actor, 'persons.register', `person/${input.regionCode}/${outcome.row.id}`, {
        registration: outcome.kind,
      }),
    );
    return ok(view(outcome.row, actor));
  });
}

async function hourlyLimitReached(
  tx: Executor,
  userId: string,
  perHourMax: number,
): Promise<Result<never, PersonRefusal> | null> {
  const since = new Date(Date.now() - 3_600_000);
  const counted = [
    await tx.orm
      .select({ n: count(), first: min(persons.createdAt) })
      .from(persons)
      .where(and(eq(persons.registeredBy, userId), gt(persons.createdAt, since))),
    await tx.orm
      .select({ n: count(), first: min(personAliases.createdAt) })
      .from(personAliases)
      .where(and(eq(personAliases.registeredBy, userId), gt(personAliases.createdAt, since))),
  ];
  const rows = counted.map(([r]) => r ?? { n: 0, first: null });
  const made = rows.reduce((sum, r) => sum + r.n, 0);
  if (made < perHourMax) return null;
  const oldest = Math.min(...rows.map((r) => r.first?.getTime() ?? Number.POSITIVE_INFINITY));
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + 3_600_000 - Date.now()) / 1000));
  return refuse(
    'person.registration_rate_limited',
    `at most ${perHourMax} person registrations per user and hour; try again in ${retryAfterSeconds} s`,
    { perHour: perHourMax, retryAfterSeconds },
  );
}

type Outcome = { kind: 'new' | 'alias' | 'repeat'; row: Found };

function newId(regionCode: string): string {
  // Persons and aliases draw ids alike: the id of an answer tells nothing about which it is.
  return `per_${regionCode}_${randomBytes(8).toString('hex')}`;
}

/**
 * The same statements on either path (a look-up, then one insert), so the two answers also take
 * about the same time. The person insert yields on a concurrent registration of the same number
 * (no unique-constraint error, whose message would carry the number into the log); the alias
 * insert yields on the registrant's own concurrent repeat.
 */
async function recordRegistration(
  tx: Executor,
  actor: Actor,
  input: { regionCode: string; idNumber: string; name: string },
): Promise<Outcome> {
  const existing = await personByNumber(tx, input.regionCode, input.idNumber);
  if (!existing) {
    const id = newId(input.regionCode);
    const inserted = await tx.orm
      .insert(persons)
      .values({ ...input, id, registeredBy: actor.userId })
      .onConflictDoNothing({ target: [persons.regionCode, persons.idNumber] })
      .returning({ id: persons.id });
    if (inserted.length > 0) return { kind: 'new', row: { ...input, id, personId: id } };
  }
  const person = existing ?? (await personByNumber(tx, input.regionCode, input.idNumber));
  if (!person) throw new Error('person vanished during its registration');
  if (person.registeredBy === actor.userId) return { kind: 'repeat', row: person };
  return aliasFor(tx, actor, input, person);
}

async function personByNumber(tx: Executor, regionCode: string, idNumber: string) {
  const [row] = await tx.orm
    .select({ ...personColumns, registeredBy: persons.registeredBy })
    .from(persons)
    .where(and(eq(persons.regionCode, regionCode), eq(persons.idNumber, idNumber)));
  return row ?? null;
}

async function aliasFor(
  tx: Executor,
  actor: Actor,
  input: { regionCode: string; idNumber: string; name: string },
  person: Found,
): Promise<Outcome> {
  const id = newId(input.regionCode);
  const inserted = await tx.orm
    .insert(personAliases)
    .values({
      regionCode: input.regionCode,
      id,
      personId: person.id,
      name: input.name,
      registeredBy: actor.userId,
    })
    .onConflictDoNothing({
      target: [personAliases.regionCode, personAliases.registeredBy, personAliases.personId],
    })
    .returning({ id: personAliases.id });
  if (inserted.length > 0) return { kind: 'alias', row: { ...input, id, personId: person.id } };
  const [mine] = await aliasesJoined(tx).where(
    and(
      eq(personAliases.regionCode, input.regionCode),
      eq(personAliases.registeredBy, actor.userId),
      eq(personAliases.personId, person.id),
    ),
  );
  if (!mine) throw new Error('alias vanished during its registration');
  return { kind: 'repeat', row: mine };
}

/**
 * Shows one unmasked ID number to a user holding pii:reveal (an alias shows its person's); the
 * reason is audited with the read.
 */
export async function revealIdNumber(
  db: Database,
  actor: Actor,
  input: { regionCode: string; id: string; reason: string },
): Promise<Result<{ idNumber: string }, 'record.not_found'>> {
  return db.transaction(async (tx) => {
    const found = await findPerson(tx, input.regionCode, input.id);
    await appendAudit(tx, {
      ...okEventOf(actor, 'pii.reveal', `person/${input.regionCode}/${input.id}`, {
        reason: input.reason,
        field: 'id_number',
        ...(found && found.personId !== found.id ? { person: found.personId } : {}),
      }),
      result: found ? 'ok' : 'refused',
    });
    if (!found)
      return refuse('record.not_found', `person ${input.id} not found in ${input.regionCode}`);
    return ok({ idNumber: found.idNumber });
  });
}
