import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { boolOf, jsonOf, oneOf, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { SettlementTxCode } from '../../db/schema-settlement.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';

/**
 * The message store of the institutions' transaction set (docs/settlement-messages.md): every
 * message is recorded once under (institution, transaction code, serial). The same key with the
 * same body answers the stored answer (`replayed: true`), with another body it is refused
 * (`settlement.serial_conflict`) and nothing is written; a key a 冲正 (2209) reached first is a
 * tombstone, and the original arriving late is refused (`settlement.serial_reversed`).
 *
 * The claim is an INSERT … ON CONFLICT DO NOTHING in the business transaction itself: a
 * concurrent twin waits on the primary key until the first commits (then replays its answer) or
 * rolls back (then runs itself). No lock table, no second round trip on the common path.
 */
export type JsonObject = { [key: string]: unknown };

/** What every transaction answers: its business body, and whether it is a stored replay. */
export type MessageAnswer = {
  txCode: SettlementTxCode;
  serial: string;
  replayed: boolean;
  body: JsonObject;
};

export type MessageRefusalCode =
  | 'settlement.serial_conflict'
  | 'settlement.serial_reversed'
  | 'settlement.not_institution'
  | 'settlement.institution_inactive';

export type MessageKey = { institutionId: string; txCode: SettlementTxCode; serial: string };

/** The institution is the actor's scope: never a field of the body. */
export function institutionOf(actor: Actor): Result<string, 'settlement.not_institution'> {
  if (actor.scopeKind !== 'institution' || actor.scopeCode === null)
    return refuse(
      'settlement.not_institution',
      'only an institution’s own system (an institution-scoped token) sends settlement messages',
    );
  return ok(actor.scopeCode);
}

/** sha256 of the body's canonical JSON (keys sorted at every level): the replay test. */
export function requestSha256(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const STATUSES = ['done', 'reversed', 'reversed_unseen'] as const;

export type StoredMessage = {
  status: (typeof STATUSES)[number];
  requestSha256: string | null;
  response: JsonObject | null;
  reversedBy: string | null;
  receivedAt: string;
};

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function storedOf(row: Row): StoredMessage {
  const response = jsonOf(row, 'response');
  return {
    status: oneOf(row, 'status', STATUSES),
    requestSha256: textOrNullOf(row, 'request_sha256'),
    response: isJsonObject(response) ? response : null,
    reversedBy: textOrNullOf(row, 'reversed_by'),
    receivedAt: textOf(row, 'received_at'),
  };
}

export async function storedMessage(ex: Executor, key: MessageKey): Promise<StoredMessage | null> {
  const r = await ex.query(
    `SELECT status, request_sha256, response, reversed_by, received_at::text AS received_at
       FROM settlement_messages WHERE institution_id = $1 AND tx_code = $2 AND serial = $3`,
    [key.institutionId, key.txCode, key.serial],
  );
  const row = r.rows[0];
  return row ? storedOf(row) : null;
}

/** The stored messages of many serials of one institution and code, by serial (one statement). */
export async function storedMessages(
  ex: Executor,
  institutionId: string,
  txCode: SettlementTxCode,
  serials: readonly string[],
): Promise<Map<string, StoredMessage>> {
  if (serials.length === 0) return new Map();
  const r = await ex.query(
    `SELECT serial, status, request_sha256, response, reversed_by, received_at::text AS received_at
       FROM settlement_messages
      WHERE institution_id = $1 AND tx_code = $2 AND serial = ANY($3::text[])`,
    [institutionId, txCode, [...serials]],
  );
  return new Map(r.rows.map((row) => [textOf(row, 'serial'), storedOf(row)]));
}

/** The stored message is a claim with its answer (or a tombstone): answered from the store. */
export function isAnswered(stored: StoredMessage | null | undefined): stored is StoredMessage {
  return stored != null && !(stored.status === 'done' && stored.response === null);
}

/** Claimed: run the transaction. Otherwise the stored answer to replay, or the refusal. */
export type Claim = { kind: 'new' } | { kind: 'replay'; body: JsonObject };

/** Claims the key inside the business transaction (see the module comment). */
export async function claimMessage(
  tx: Executor,
  key: MessageKey,
  sha: string,
): Promise<Result<Claim, MessageRefusalCode>> {
  // An institution suspended, terminated or unknown (a token whose scope names no institution)
  // sends nothing: refused before the key is claimed. One statement (issue 13, the settling hot
  // path): the key is inserted only when the institution is active, and the status is answered.
  const r = await tx.query(
    `WITH inst AS (SELECT status FROM settlement_institutions WHERE id = $1),
     claimed AS (
       INSERT INTO settlement_messages (institution_id, tx_code, serial, request_sha256, status)
       SELECT $1, $2, $3, $4, 'done' WHERE EXISTS (SELECT 1 FROM inst WHERE status = 'active')
       ON CONFLICT DO NOTHING RETURNING serial)
     SELECT (SELECT status FROM inst) AS status, EXISTS (SELECT 1 FROM claimed) AS inserted`,
    [key.institutionId, key.txCode, key.serial, sha],
  );
  const row = r.rows[0];
  invariant(row !== undefined, 'the claim answers one row');
  if (textOrNullOf(row, 'status') !== 'active')
    return refuse(
      'settlement.institution_inactive',
      `institution ${key.institutionId} is not active`,
      {
        institutionId: key.institutionId,
      },
    );
  if (boolOf(row, 'inserted')) return ok({ kind: 'new' });
  const stored = await storedMessage(tx, key);
  if (stored === null) return ok({ kind: 'new' });
  return answerStored(key, stored, sha);
}

export function answerStored(
  key: MessageKey,
  stored: StoredMessage,
  sha: string,
): Result<Claim, MessageRefusalCode> {
  if (stored.status === 'reversed_unseen')
    return refuse(
      'settlement.serial_reversed',
      `message ${key.txCode}/${key.serial} was reversed (冲正 ${stored.reversedBy ?? '?'}) before it arrived: send a new serial`,
      { txCode: key.txCode, serial: key.serial, reversedBy: stored.reversedBy },
    );
  if (stored.requestSha256 !== sha)
    return refuse(
      'settlement.serial_conflict',
      `serial ${key.serial} of transaction ${key.txCode} was already used for another message`,
      { txCode: key.txCode, serial: key.serial },
    );
  return ok({ kind: 'replay', body: stored.response ?? {} });
}

/** Stores the answer of a claimed message (same transaction). */
export async function storeAnswer(tx: Executor, key: MessageKey, body: JsonObject): Promise<void> {
  await tx.query(
    `UPDATE settlement_messages SET response = $4::jsonb
      WHERE institution_id = $1 AND tx_code = $2 AND serial = $3`,
    [key.institutionId, key.txCode, key.serial, JSON.stringify(body)],
  );
}

class RollBack extends Error {}

/**
 * Runs one message in one database transaction: claim, the handler, the stored answer. A refusal
 * (the claim's or the handler's) rolls everything back: nothing is written, a retry runs again.
 */
export async function runMessage<C extends string>(
  db: Database,
  key: MessageKey,
  body: unknown,
  handler: (tx: Executor) => Promise<Result<JsonObject, C>>,
): Promise<Result<MessageAnswer, C | MessageRefusalCode>> {
  const sha = requestSha256(body);
  let refused: Refusal<C | MessageRefusalCode> | null = null;
  let answer: MessageAnswer | null = null;
  try {
    await db.transaction(async (tx) => {
      refused = null;
      const claim = await claimMessage(tx, key, sha);
      if (!claim.ok) refused = claim;
      else if (claim.value.kind === 'replay')
        answer = { ...key, replayed: true, body: claim.value.body };
      else {
        const out = await handler(tx);
        if (!out.ok) refused = out;
        else {
          await storeAnswer(tx, key, out.value);
          answer = { ...key, replayed: false, body: out.value };
        }
      }
      if (refused !== null || answer?.replayed) throw new RollBack();
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
  }
  if (refused !== null) return refused;
  return answerOf(answer);
}

function answerOf(answer: MessageAnswer | null): Result<MessageAnswer, never> {
  if (answer === null)
    throw new Error('a settlement message ended with neither answer nor refusal');
  return ok({
    txCode: answer.txCode,
    serial: answer.serial,
    replayed: answer.replayed,
    body: answer.body,
  });
}
