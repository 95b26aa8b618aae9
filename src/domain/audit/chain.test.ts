import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, eventHash, eventHashParts, GENESIS_HASH } from './chain.ts';

type Hashed = Omit<AuditEvent, 'hash' | 'prevHash'>;

/** What audit_append_events (migration 0045) computes from the parts, under the head's lock. */
function hashFromParts(prev: string, e: Hashed): string {
  const { seq, ...rest } = e;
  const { before, after } = eventHashParts(rest);
  return createHash('sha256')
    .update(`${prev}\n${before}${String(seq)}${after}`)
    .digest('hex');
}

const base: Hashed = {
  seq: 1,
  at: '2026-01-07T08:00:00.000Z',
  actor: 'inst-330100-001',
  role: 'institution',
  scope: 'institution:330100',
  action: 'settlement.his.settle',
  object: 'settlement/330100/stl_0123456789abcdef',
  result: 'ok',
  requestId: 'req-1',
  details: { visitId: 'vis_1', serial: 'S-1', fundFen: 12345, ledgerTransactionId: null },
  sourceAddress: null,
  userAgent: null,
};

describe('eventHashParts: the hash an append computes in the database', () => {
  it('equals eventHash for an event without origin, with origin, and a details object holding "seq"', () => {
    const cases: Hashed[] = [
      base,
      { ...base, seq: 9_007_199_254, sourceAddress: '::1', userAgent: 'HIS/1.0 (中文)' },
      { ...base, details: { seq: 0, nested: { seq: 7, z: [1, '二'] } }, actor: null, object: null },
      { ...base, details: {} },
    ];
    for (const e of cases) expect(hashFromParts(GENESIS_HASH, e)).toBe(eventHash(GENESIS_HASH, e));
  });

  it('equals eventHash for any event (property)', () => {
    const text = fc.option(fc.string(), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: 2 ** 40 }),
          actor: text,
          role: text,
          scope: text,
          action: fc.string(),
          object: text,
          requestId: fc.string(),
          details: fc.dictionary(fc.string(), fc.jsonValue()),
          sourceAddress: text,
          userAgent: text,
        }),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
        (r, prev) => {
          const e: Hashed = { ...r, at: base.at, result: 'ok' };
          expect(hashFromParts(prev, e)).toBe(eventHash(prev, e));
        },
      ),
      { numRuns: 200 },
    );
  });
});
