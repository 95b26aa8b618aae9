import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { auditEvents } from '../../db/schema.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { eventHash, GENESIS_HASH } from '../../domain/audit/chain.ts';
import {
  type Checkpoint,
  generateSigningKey,
  signingKeyOf,
  verifyingKeyOf,
} from '../../domain/audit/checkpoint.ts';
import { listAuditEvents, recordAudit, verifyAuditChain } from './audit-log.ts';
import { listCheckpoints, writeCheckpoint } from './checkpoints.ts';

const pair = generateSigningKey();
const key = signingKeyOf(pair.privatePem);
const publicKey = verifyingKeyOf(pair.publicPem);

async function append(db: Database, n: number, from: number): Promise<void> {
  for (let i = from; i < from + n; i++)
    await recordAudit(db, {
      actor: `u${i}`,
      role: 'city_handler',
      scope: 'city:330100',
      action: 'persons.register',
      object: `person/330100/per_${i}`,
      result: 'ok',
      requestId: `req-${i}`,
    });
}

/**
 * What a database owner can do and the chain alone cannot catch: switch the trigger off, change one
 * event, recompute every hash from there on and move the head.
 */
async function rewriteChain(db: Database, seq: number, object: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await tx.query('UPDATE audit_events SET object = $1 WHERE seq = $2', [object, seq]);
    const rows = await tx.orm.select().from(auditEvents).orderBy(auditEvents.seq);
    let prev = GENESIS_HASH;
    for (const e of rows) {
      const hash = eventHash(prev, { ...e, at: e.at.toISOString() });
      await tx.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3', [
        prev,
        hash,
        e.seq,
      ]);
      prev = hash;
    }
    await tx.query('UPDATE audit_chain_head SET hash = $1 WHERE id = 1', [prev]);
    await tx.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  });
}

describe(`signed audit checkpoints on ${testBackend}`, () => {
  let t: TestDatabase;
  let first: Checkpoint;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('signs the head; an idle hour adds nothing; the chain verifies against it', async () => {
    expect(await writeCheckpoint(t.db, key)).toMatchObject({
      written: false,
      reason: 'empty_chain',
    });
    await append(t.db, 12, 1);
    const out = await writeCheckpoint(t.db, key);
    if (!out.written) throw new Error('checkpoint not written');
    first = out.checkpoint;
    expect(first).toMatchObject({ seq: 12, keyId: key.keyId });
    expect(await writeCheckpoint(t.db, key)).toMatchObject({ written: false });
    await append(t.db, 5, 13);
    expect(await writeCheckpoint(t.db, key)).toMatchObject({ written: true });
    const verdict = await verifyAuditChain(t.db, { checkpoints: { keys: [publicKey] } });
    expect(verdict).toMatchObject({ ok: true, events: 17, checkpointsVerified: 2 });
  });

  it('another key cannot vouch for the checkpoints', async () => {
    const stranger = verifyingKeyOf(generateSigningKey().publicPem);
    const verdict = await verifyAuditChain(t.db, { checkpoints: { keys: [stranger] } });
    expect(verdict).toMatchObject({ ok: false, brokenSeq: 12 });
    if (!verdict.ok) expect(verdict.reason).toContain('not one of the keys given');
  });

  it('a copy kept outside the database catches a checkpoint the database lost or changed', async () => {
    const lost = { ...first, seq: 99 };
    const missing = await verifyAuditChain(t.db, {
      checkpoints: { keys: [publicKey], copy: [first, lost] },
    });
    expect(missing).toMatchObject({ ok: false, brokenSeq: 99 });
    const changed = await verifyAuditChain(t.db, {
      checkpoints: { keys: [publicKey], copy: [{ ...first, at: '2020-01-01T00:00:00.000Z' }] },
    });
    expect(changed).toMatchObject({ ok: false, brokenSeq: 12 });
  });

  it('an event rewritten after its checkpoint, hashes recomputed, is caught by the signature', async () => {
    await rewriteChain(t.db, 5, 'person/330100/per_forged');
    // The chain alone is consistent again: only the signed hash at seq 12 tells.
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 17 });
    const verdict = await verifyAuditChain(t.db, { checkpoints: { keys: [publicKey] } });
    expect(verdict).toMatchObject({ ok: false, brokenSeq: 12 });
    if (!verdict.ok) expect(verdict.reason).toContain('rewritten');
  });

  it('a checkpoint altered to match the rewrite fails its signature', async () => {
    const { events } = await listAuditEvents(t.db, { limit: 100 });
    const forgedHash = events.find((e) => e.seq === 12)?.hash ?? '';
    await t.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
      await tx.query('UPDATE audit_checkpoints SET head_hash = $1 WHERE seq = 12', [forgedHash]);
      await tx.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
    });
    const stored = await t.db.withConnection(listCheckpoints);
    expect(stored.find((c) => c.seq === 12)?.headHash).toBe(forgedHash);
    const verdict = await verifyAuditChain(t.db, { checkpoints: { keys: [publicKey] } });
    expect(verdict).toMatchObject({ ok: false, brokenSeq: 12 });
    if (!verdict.ok) expect(verdict.reason).toContain('signature is not valid');
  });
});

describe(`checkpoint beyond a truncated chain on ${testBackend}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('events removed after a checkpoint (head moved back) are reported', async () => {
    await append(t.db, 6, 1);
    await writeCheckpoint(t.db, key);
    await t.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await tx.query('DELETE FROM audit_events WHERE seq > 4');
      await tx.query(
        'UPDATE audit_chain_head SET seq = 4, hash = (SELECT hash FROM audit_events WHERE seq = 4)',
      );
      await tx.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 4 });
    const verdict = await verifyAuditChain(t.db, { checkpoints: { keys: [publicKey] } });
    expect(verdict).toMatchObject({ ok: false, brokenSeq: 6 });
  });
});
