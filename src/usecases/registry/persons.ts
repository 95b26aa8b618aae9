import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { checkCitizenId } from '../../kernel/ids.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit } from '../audit/audit-log.ts';

/** A person as staff see it: the ID number masked. */
export type PersonView = { regionCode: string; id: string; name: string; idNumberMasked: string };

type Row = { region_code: string; id: string; name: string; id_number: string };

function view(r: Row): PersonView {
  return {
    regionCode: r.region_code,
    id: r.id,
    name: r.name,
    idNumberMasked: maskIdNumber(r.id_number),
  };
}

export async function listPersons(
  db: Database,
  regionCode: string,
  limit: number,
): Promise<PersonView[]> {
  const r = await db.query<Row>(
    'SELECT region_code, id, name, id_number FROM persons WHERE region_code = $1 ORDER BY id LIMIT $2',
    [regionCode, limit],
  );
  return r.rows.map(view);
}

export async function getPerson(
  db: Database,
  regionCode: string,
  id: string,
): Promise<PersonView | null> {
  const r = await db.query<Row>(
    'SELECT region_code, id, name, id_number FROM persons WHERE region_code = $1 AND id = $2',
    [regionCode, id],
  );
  return r.rows[0] ? view(r.rows[0]) : null;
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
    const dup = await tx.query('SELECT 1 FROM persons WHERE region_code = $1 AND id_number = $2', [
      input.regionCode,
      check.normalised,
    ]);
    if (dup.rows.length > 0)
      return refuse(
        'person.duplicate_id_number',
        'a person with this ID number is already registered in this city',
      );
    const id = `per_${input.regionCode}_${randomBytes(5).toString('hex')}`;
    await tx.query(
      'INSERT INTO persons (region_code, id, id_number, name) VALUES ($1, $2, $3, $4)',
      [input.regionCode, id, check.normalised, input.name],
    );
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
    const r = await tx.query<{ id_number: string }>(
      'SELECT id_number FROM persons WHERE region_code = $1 AND id = $2',
      [input.regionCode, input.id],
    );
    const row = r.rows[0];
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
    return ok({ idNumber: row.id_number });
  });
}
