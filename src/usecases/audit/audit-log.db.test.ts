import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { canonicalJson, eventHash } from '../../domain/audit/chain.ts';
import { appendAudit, listAuditEvents, recordAudit, verifyAuditChain } from './audit-log.ts';
import { forgetRequestOrigin, rememberRequestOrigin } from './request-origin.ts';

function testEvent(i: number) {
  return {
    actor: `w${i}`,
    role: 'city_handler',
    scope: 'city:330100',
    action: 'test.write',
    object: `obj/${i}`,
    result: 'ok' as const,
    requestId: `req-w${i}`,
  };
}

describe(`audit chain on ${testBackend}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase({ poolMax: 60 });
  });
  afterAll(async () => t.cleanup());

  it('50 concurrent writers keep one unbroken chain', async () => {
    const writers = Array.from({ length: 50 }, (_, i) =>
      recordAudit(t.db, {
        actor: `u${i}`,
        role: 'city_handler',
        scope: '330100',
        action: 'test.write',
        object: `obj/${i}`,
        result: 'ok',
        requestId: `req-${i}`,
        details: { i },
      }),
    );
    const events = await Promise.all(writers);
    expect(new Set(events.map((e) => e.seq)).size).toBe(50);
    const verdict = await verifyAuditChain(t.db);
    expect(verdict).toMatchObject({ ok: true, events: 50 });
    const page = await listAuditEvents(t.db, { limit: 10 });
    expect(page.events[0]?.seq).toBe(50);
    expect(page.head.seq).toBe(50);
  });

  it('an event rolled back with its business change leaves the chain intact', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await appendAudit(tx, {
          actor: 'x',
          role: null,
          scope: null,
          action: 'a',
          object: null,
          result: 'ok',
          requestId: 'r',
        });
        throw new Error('business failure');
      }),
    ).rejects.toThrow('business failure');
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('altering one event as superuser makes verify fail naming it', async () => {
    await t.db.transaction(async (tx) => {
      // A superuser can switch triggers off; the chain still catches the change.
      await tx.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await tx.query(`UPDATE audit_events SET object = 'obj/forged' WHERE seq = 17`);
      await tx.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    });
    const verdict = await verifyAuditChain(t.db);
    expect(verdict).toMatchObject({ ok: false, brokenSeq: 17 });
  });
});

describe(`audit verify in one snapshot, origins on ${testBackend}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase({ poolMax: 4 });
    for (let i = 0; i < 30; i++) await recordAudit(t.db, testEvent(i));
  });
  afterAll(async () => t.cleanup());

  // PGlite is one connection: an append from "another connection" cannot run while verify holds
  // it, so the race exists on the server only.
  it.runIf(testBackend === 'pg')(
    'an event appended while verify reads its pages is no false break',
    async () => {
      let appended = 0;
      const verdict = await verifyAuditChain(t.db, {
        pageSize: 7,
        // Another connection appends after every page verify has read, the last one included
        // (between the last page and the head: where separate snapshots saw a newer head).
        afterPage: async () => {
          await recordAudit(t.db, testEvent(100 + appended));
          appended += 1;
        },
      });
      expect(appended).toBeGreaterThanOrEqual(5);
      expect(verdict).toMatchObject({ ok: true, events: 30 });
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 30 + appended });
    },
  );

  it('an event records the source address and user agent of its request, under the hash', async () => {
    rememberRequestOrigin('req-origin', { sourceAddress: '203.0.113.7', userAgent: 'probe/1.0' });
    const e = await recordAudit(t.db, { ...testEvent(0), requestId: 'req-origin' });
    forgetRequestOrigin('req-origin');
    expect(e).toMatchObject({ sourceAddress: '203.0.113.7', userAgent: 'probe/1.0' });
    const bare = await recordAudit(t.db, { ...testEvent(1), requestId: 'req-unknown' });
    expect(bare).toMatchObject({ sourceAddress: null, userAgent: null });
    const rows = await t.db.query(
      'SELECT source_address, user_agent FROM audit_events WHERE seq = $1',
      [e.seq],
    );
    expect(rows.rows[0]).toEqual({ source_address: '203.0.113.7', user_agent: 'probe/1.0' });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    await t.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await tx.query(`UPDATE audit_events SET source_address = '10.0.0.1' WHERE seq = $1`, [e.seq]);
      await tx.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenSeq: e.seq });
  });

  it('an event without an origin hashes as events did before origins were recorded', () => {
    const e = { ...testEvent(3), seq: 9, at: '2026-01-02T03:04:05.000Z', details: { a: 1 } };
    const prev = 'ab'.repeat(32);
    const before = createHash('sha256')
      .update(prev)
      .update('\n')
      .update(canonicalJson({ ...e }))
      .digest('hex');
    expect(eventHash(prev, { ...e, sourceAddress: null, userAgent: null })).toBe(before);
    expect(eventHash(prev, { ...e, sourceAddress: '::1', userAgent: null })).not.toBe(before);
  });
});
