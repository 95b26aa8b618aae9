import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { textOf, textOrNullOf } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import {
  type CollectionRecordView,
  cityRequest,
  RECORD_COLUMNS,
  recordViewOf,
  type UNMATCHED_REASONS,
} from './collections.ts';

/**
 * Forwarding (转交) an unmatched collection record to the city its employer is registered in
 * (docs/contributions.md, "Forwarding a record to another city"). The tax bureau paid the money into
 * the receiving city's 财政专户, but the receivable is in the employer's city. The receiving
 * city's handler forwards the record: it leaves this city's queue and moves, under a one-record
 * import of the employer's city, to that city, matched there when its assessment (or project)
 * exists, else in that city's queue. Nothing moves in the ledger here: the record posts with the
 * employer's city's posting of that import, under that city's maker-checker, and the posting then
 * carries the cash from the receiving city's 1001 through the province's due accounts
 * (collection-postings.ts). Audited in the receiving city; refused with typed codes.
 */
export type ForwardRefusal =
  | 'contributions.invalid_request'
  | 'contributions.not_found'
  | 'forward.not_in_city'
  | 'forward.already_matched'
  | 'forward.unknown_employer'
  | 'forward.same_city';

export type ForwardOutcome = {
  fromCity: string;
  toCity: string;
  toImportId: string;
  record: CollectionRecordView;
};

type Held = {
  creditCode: string;
  importId: string;
  amountFen: number;
  month: string;
  projectRef: string | null;
};

/** The record in the receiving city, locked; a voucher held by another city is named. */
async function heldRecord(
  tx: Executor,
  city: string,
  voucher: string,
): Promise<Result<Held, ForwardRefusal>> {
  const r = await tx.query(
    `SELECT region_code, status, credit_code, import_id, amount_fen::text AS amount,
            to_char(month, 'YYYY-MM-DD') AS month, project_ref
       FROM collection_records WHERE voucher = $1 FOR UPDATE`,
    [voucher],
  );
  const row = r.rows[0];
  if (row === undefined)
    return refuse('contributions.not_found', `no collection record ${voucher}`, { voucher });
  const holder = textOf(row, 'region_code');
  if (holder !== city)
    return refuse(
      'forward.not_in_city',
      `record ${voucher} is held by ${holder}, not ${city}: only the city holding it forwards it`,
      { voucher, regionCode: holder },
    );
  if (textOf(row, 'status') !== 'unmatched')
    return refuse(
      'forward.already_matched',
      `record ${voucher} is ${textOf(row, 'status')}: only an unmatched record is forwarded`,
      { voucher, status: textOf(row, 'status') },
    );
  return ok({
    creditCode: textOf(row, 'credit_code'),
    importId: textOf(row, 'import_id'),
    amountFen: Number(textOf(row, 'amount')),
    month: textOf(row, 'month'),
    projectRef: textOrNullOf(row, 'project_ref'),
  });
}

/** The employer named (by id) or the record's credit code's employer, of another city. */
async function targetEmployer(
  tx: Executor,
  city: string,
  held: Held,
  employerId: string | undefined,
): Promise<Result<{ id: string; city: string }, ForwardRefusal>> {
  const r =
    employerId === undefined
      ? await tx.query('SELECT id, region_code FROM employers WHERE credit_code = $1', [
          held.creditCode,
        ])
      : await tx.query('SELECT id, region_code FROM employers WHERE id = $1', [employerId]);
  const row = r.rows[0];
  if (row === undefined)
    return refuse(
      'forward.unknown_employer',
      employerId === undefined
        ? 'no employer of the province has the record’s credit code: reject the record, or name the employer'
        : `no employer ${employerId} is registered in the province`,
      { employerId: employerId ?? null },
    );
  const target = { id: textOf(row, 'id'), city: textOf(row, 'region_code') };
  if (target.city === city)
    return refuse(
      'forward.same_city',
      `employer ${target.id} is registered in ${city}: assign the record here instead`,
      { employerId: target.id },
    );
  return ok(target);
}

/** What the record becomes in the employer's city: matched, or queued with the reason. */
async function reasonThere(
  tx: Executor,
  to: { id: string; city: string },
  held: Held,
): Promise<(typeof UNMATCHED_REASONS)[number] | null> {
  if (held.projectRef !== null) {
    const p = await tx.query(
      'SELECT employer_id FROM construction_projects WHERE region_code = $1 AND id = $2',
      [to.city, held.projectRef],
    );
    const row = p.rows[0];
    if (row === undefined) return 'unknown_project';
    return textOf(row, 'employer_id') === to.id ? null : 'project_other_employer';
  }
  const a = await tx.query(
    `SELECT 1 FROM contribution_assessments WHERE region_code = $1 AND employer_id = $2 AND month = $3::date LIMIT 1`,
    [to.city, to.id, held.month],
  );
  return a.rows.length === 0 ? 'no_assessment' : null;
}

/** The one-record import of the employer's city that carries a forwarded record (deterministic). */
export function forwardImportOf(fromCity: string, toCity: string, voucher: string) {
  const sha256 = createHash('sha256').update(`forward|${fromCity}|${voucher}`).digest('hex');
  return { id: `cim_${toCity}_${sha256.slice(0, 16)}`, sha256 };
}

export async function forwardCollectionRecord(
  db: Database,
  actor: Actor,
  input: { city: string; voucher: string; employerId?: string | undefined },
): Promise<Result<ForwardOutcome, ForwardRefusal>> {
  const valid = cityRequest(input.city);
  if (!valid.ok) return valid;
  return db.transaction(async (tx) => {
    // Forwards queue on one province-wide lock first: each then takes its own city's lock and the
    // employer's city's, so 杭州 → 宁波 and 宁波 → 杭州 at once would otherwise take the two city locks
    // in opposite orders and deadlock (a 500 to one of them). A city's posting takes only its own
    // city's lock, so it cannot close a cycle with a forward.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('collections:forward'))");
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`collections:${input.city}`]);
    const held = await heldRecord(tx, input.city, input.voucher);
    if (!held.ok) return held;
    const to = await targetEmployer(tx, input.city, held.value, input.employerId);
    if (!to.ok) return to;
    // The employer's city's postings take the same lock: a forward never lands mid-posting.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`collections:${to.value.city}`]);
    const reason = await reasonThere(tx, to.value, held.value);
    const imp = forwardImportOf(input.city, to.value.city, input.voucher);
    await tx.query(
      `INSERT INTO collection_imports (region_code, id, file_sha256, file_name, record_count, duplicate_count, imported_by)
       VALUES ($1, $2, $3, $4, 1, 0, $5)`,
      [to.value.city, imp.id, imp.sha256, `转交自 ${input.city} ${input.voucher}`, actor.username],
    );
    await tx.query(
      `INSERT INTO collection_forwards (region_code, voucher, to_region, from_import_id, to_import_id, employer_id,
         amount_fen, forwarded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        input.city,
        input.voucher,
        to.value.city,
        held.value.importId,
        imp.id,
        to.value.id,
        held.value.amountFen,
        actor.username,
      ],
    );
    const moved = await moveRecord(tx, actor, { ...input, to: to.value, importId: imp.id, reason });
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'contributions.collections.forward',
        `collections/${input.city}/${input.voucher}`,
        {
          toCity: to.value.city,
          toImportId: imp.id,
          employerId: to.value.id,
          amountFen: held.value.amountFen,
          matchedThere: reason === null,
        },
      ),
    );
    return ok({ fromCity: input.city, toCity: to.value.city, toImportId: imp.id, record: moved });
  });
}

async function moveRecord(
  tx: Executor,
  actor: Actor,
  m: {
    city: string;
    voucher: string;
    to: { id: string; city: string };
    importId: string;
    reason: (typeof UNMATCHED_REASONS)[number] | null;
  },
): Promise<CollectionRecordView> {
  const matched = m.reason === null;
  const r = await tx.query(
    `UPDATE collection_records
        SET region_code = $3, import_id = $4, status = $5, unmatched_reason = $6,
            employer_id = CASE WHEN $5 = 'matched' THEN $7 END,
            match_month = CASE WHEN $5 = 'matched' AND project_ref IS NULL THEN month END,
            project_id = CASE WHEN $5 = 'matched' THEN project_ref END,
            resolution = $8, resolved_by = $9, resolved_at = now()
      WHERE region_code = $1 AND voucher = $2
      RETURNING ${RECORD_COLUMNS}`,
    [
      m.city,
      m.voucher,
      m.to.city,
      m.importId,
      matched ? 'matched' : 'unmatched',
      m.reason,
      m.to.id,
      `forwarded from ${m.city} to ${m.to.city} (${m.to.id})`,
      actor.username,
    ],
  );
  const row = r.rows[0];
  if (row === undefined) throw new Error('the forwarded record vanished');
  return recordViewOf(row);
}

/** The city a forwarded import's record came from (its cash is in that city's 1001), or null. */
export async function forwardedFrom(
  ex: Executor,
  city: string,
  importId: string,
): Promise<string | null> {
  const r = await ex.query(
    'SELECT region_code FROM collection_forwards WHERE to_region = $1 AND to_import_id = $2',
    [city, importId],
  );
  const row = r.rows[0];
  return row === undefined ? null : textOf(row, 'region_code');
}
