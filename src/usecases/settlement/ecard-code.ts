import { randomBytes } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { textOf } from '../../db/rows.ts';
import {
  type EcardRefusal,
  encodeEcardCode,
  readEcardCode,
} from '../../domain/settlement/ecard-code.ts';
import type { Actor } from '../../identity/actor.ts';
import { todayInChina } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { ecardValidityMinutes } from '../../rules/settlement/ecard.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * The electronic card code (电子社保卡二维码, docs/settlement.md "Electronic card code"): our own
 * short-lived, signed code standing in for the national e-card until that platform is reachable.
 * A worker fetches one for itself; an institution's 1101 读卡 reads it instead of the ID number.
 */
export type IssuedEcardCode = {
  code: string;
  workerId: string;
  issuedAt: string;
  expiresAt: string;
  validityMinutes: number;
};

export type IssueRefusal =
  | 'settlement.ecard_not_worker'
  | 'settlement.person_not_found'
  | 'rules.parameter_missing';

/**
 * The signing key: one row, created on first use. Two first uses racing both insert; the primary
 * key keeps the first, the other's insert does nothing, and both then read the same row.
 */
export async function ecardKey(ex: Executor): Promise<Buffer> {
  await ex.query(
    'INSERT INTO settlement_ecard_keys (id, secret_hex) VALUES (1, $1) ON CONFLICT DO NOTHING',
    [randomBytes(32).toString('hex')],
  );
  const r = await ex.query('SELECT secret_hex FROM settlement_ecard_keys WHERE id = 1');
  const row = r.rows[0];
  if (!row) throw new Error('settlement_ecard_keys: the key row is missing after its insert');
  return Buffer.from(textOf(row, 'secret_hex'), 'hex');
}

/** The registered worker of a worker user's own person (matched by ID number, as the portal). */
async function ownWorker(
  ex: Executor,
  actor: Actor,
): Promise<Result<{ workerId: string; regionCode: string }, IssueRefusal>> {
  if (actor.scopeKind !== 'self' || actor.scopeCode === null)
    return refuse(
      'settlement.ecard_not_worker',
      'only a worker (a log-in scoped to its own person) gets an electronic card code',
    );
  const r = await ex.query(
    `SELECT w.id, p.region_code FROM persons p JOIN workers w ON w.id_number = p.id_number
      WHERE p.id = $1`,
    [actor.scopeCode],
  );
  const row = r.rows[0];
  if (!row)
    return refuse('settlement.person_not_found', 'your person is not a registered insured worker');
  return ok({ workerId: textOf(row, 'id'), regionCode: textOf(row, 'region_code') });
}

/**
 * Issues a code for the actor's own worker, valid for settlement.ecard.code_validity minutes (in
 * force on the day of issue, in the person's region). The issue is audited without the code: the
 * audit trail must not hold something that identifies the worker at a counter.
 */
export async function issueEcardCode(
  db: Database,
  rules: RuleSet,
  actor: Actor,
  clock: { nowMs?: number } = {},
): Promise<Result<IssuedEcardCode, IssueRefusal>> {
  const nowMs = clock.nowMs ?? Date.now();
  return db.transaction(async (tx) => {
    const own = await ownWorker(tx, actor);
    if (!own.ok) return own;
    const minutes = ecardValidityMinutes(rules, own.value.regionCode, todayInChina(nowMs));
    if (!minutes.ok) return minutes;
    const expiresAt = nowMs + minutes.value * 60_000;
    const key = await ecardKey(tx);
    const code = encodeEcardCode(key, {
      v: 1,
      workerId: own.value.workerId,
      issuedAt: nowMs,
      expiresAt,
      nonce: randomBytes(16).toString('hex'),
    });
    const issued = {
      workerId: own.value.workerId,
      issuedAt: new Date(nowMs).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
      validityMinutes: minutes.value,
    };
    await appendAudit(
      tx,
      okEventOf(actor, 'settlement.ecard.issue', `worker/${own.value.workerId}`, issued),
    );
    return ok({ code, ...issued });
  });
}

/**
 * The worker id a code names, if it is signed with our key and not expired at `nowMs`. Whether
 * that worker is still registered is the caller's read (1101 reads the worker row anyway).
 */
export async function workerOfEcardCode(
  ex: Executor,
  code: string,
  nowMs: number = Date.now(),
): Promise<Result<string, EcardRefusal>> {
  const claims = readEcardCode(await ecardKey(ex), code, nowMs);
  return claims.ok ? ok(claims.value.workerId) : claims;
}
