import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { appendAudit, listAuditEvents, recordAudit, verifyAuditChain } from './audit-log.ts';

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
