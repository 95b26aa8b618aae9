import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { persons } from '../../db/schema.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { checkCitizenId } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit } from '../audit/audit-log.ts';

/** A person as staff see it: the ID number masked. */
export type PersonView = { regionCode: string; id: string; name: string; idNumberMasked: string };

const personColumns = {
  regionCode: persons.regionCode,
  id: persons.id,
  name: persons.name,
  idNumber: persons.idNumber,
};

function view(r: { regionCode: string; id: string; name: string; idNumber: string }): PersonView {
  return {
    regionCode: r.regionCode,
    id: r.id,
    name: r.name,
    idNumberMasked: maskIdNumber(r.idNumber),
  };
}

export async function listPersons(
  db: Database,
  regionCode: string,
  limit: number,
): Promise<PersonView[]> {
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select(personColumns)
      .from(persons)
      .where(eq(persons.regionCode, regionCode))
      .orderBy(persons.id)
      .limit(limit),
  );
  return rows.map(view);
}

export async function getPerson(
  db: Database,
  regionCode: string,
  id: string,
): Promise<PersonView | null> {
  const [row] = await db.withConnection((ex) =>
    ex.orm
      .select(personColumns)
      .from(persons)
      .where(and(eq(persons.regionCode, regionCode), eq(persons.id, id))),
  );
  return row ? view(row) : null;
}

export type PersonRefusal =
  | 'person.invalid_id_number'
  | 'person.duplicate_id_number'
  | 'record.not_found';

export async function registerPerson(
  db: Database,
  actor: Actor,
  input: { regionCode: string; idNumber: string; name: string; today: string },
): Promise<Result<PersonView, PersonRefusal>> {
  const check = checkCitizenId(input.idNumber, input.today);
  if (!check.valid)
    return refuse(
      'person.invalid_id_number',
      `idNumber is not a valid 公民身份号码 (${check.reason}); check the 18 characters`,
      {
        reason: check.reason,
      },
    );
  return db.transaction(async (tx) => {
    const dup = await tx.orm
      .select({ id: persons.id })
      .from(persons)
      .where(and(eq(persons.regionCode, input.regionCode), eq(persons.idNumber, check.normalised)));
    if (dup.length > 0)
      return refuse(
        'person.duplicate_id_number',
        'a person with this ID number is already registered in this city',
      );
    const id = `per_${input.regionCode}_${randomBytes(5).toString('hex')}`;
    await tx.orm
      .insert(persons)
      .values({ regionCode: input.regionCode, id, idNumber: check.normalised, name: input.name });
    await appendAudit(tx, {
      actor: actor.username,
      role: actor.role,
      scope: scopeLabel(actor),
      action: 'persons.register',
      object: `person/${input.regionCode}/${id}`,
      result: 'ok',
      requestId: actor.requestId,
    });
    return ok({
      regionCode: input.regionCode,
      id,
      name: input.name,
      idNumberMasked: maskIdNumber(check.normalised),
    });
  });
}

/** Shows one unmasked ID number to a user holding pii:reveal; the reason is audited with the read. */
export async function revealIdNumber(
  db: Database,
  actor: Actor,
  input: { regionCode: string; id: string; reason: string },
): Promise<Result<{ idNumber: string }, 'record.not_found'>> {
  return db.transaction(async (tx) => {
    const [row] = await tx.orm
      .select({ idNumber: persons.idNumber })
      .from(persons)
      .where(and(eq(persons.regionCode, input.regionCode), eq(persons.id, input.id)));
    await appendAudit(tx, {
      actor: actor.username,
      role: actor.role,
      scope: scopeLabel(actor),
      action: 'pii.reveal',
      object: `person/${input.regionCode}/${input.id}`,
      result: row ? 'ok' : 'refused',
      requestId: actor.requestId,
      details: { reason: input.reason, field: 'id_number' },
    });
    if (!row)
      return refuse('record.not_found', `person ${input.id} not found in ${input.regionCode}`);
    return ok({ idNumber: row.idNumber });
  });
}
