import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../../identity/actor.ts';
import { adjustment, setUpFundLedger } from '../testing.ts';
import { postTransaction, postTransactions, resolvePending } from './ledger-write.ts';
import { openPeriod } from './periods.ts';

function contribution(id: string, amountFen: number, date = '2026-01-15'): TransactionRequest {
  return {
    id,
    effectiveDate: date,
    source: { type: 'contribution', id: `c-${id}` },
    postings: [
      { segment: '330100', account: '1002', side: 'debit', amountFen },
      { segment: '330100', account: '4101', side: 'credit', amountFen },
    ],
  };
}

describe(`ledger write path on ${testBackend}`, () => {
  let t: TestDatabase;
  let maker: Actor;
  beforeAll(async () => {
    t = await openTestDatabase();
    ({ maker } = await setUpFundLedger(t.db, { cities: ['330100', '330200'] }));
    const o = await openPeriod(t.db, maker, { segment: 'all', period: '2026-01' });
    expect(o.ok).toBe(true);
  });
  afterAll(async () => t.cleanup());

  it('posts, replays the same request without writing, refuses a different one naming the fields', async () => {
    const first = await postTransaction(t.db, maker, contribution('tx-1', 12_345));
    expect(first).toMatchObject({ ok: true, value: { status: 'created', kind: 'posted' } });
    const again = await postTransaction(t.db, maker, contribution('tx-1', 12_345));
    expect(again.ok && again.value.status).toBe('exists');
    expect(again.ok && first.ok && again.value.seq === first.value.seq).toBe(true);
    const other = await postTransaction(t.db, maker, contribution('tx-1', 99, '2026-01-16'));
    expect(other.ok).toBe(false);
    if (!other.ok) {
      expect(other.code).toBe('ledger.idempotency_conflict');
      expect(other.details?.['fields']).toEqual([
        'effectiveDate',
        'postings[0].amountFen',
        'postings[1].amountFen',
      ]);
    }
    const count = withColumns(await t.db.query('SELECT count(*)::int AS n FROM ledger_postings'), {
      n: intOf,
    });
    expect(count.rows[0]?.n).toBe(2);
  });

  it('a cross-segment remittance balances per segment through due accounts', async () => {
    const r = await postTransactions(t.db, maker, [
      {
        id: 'remit-1',
        effectiveDate: '2026-01-31',
        source: { type: 'remittance', id: 'r1' },
        postings: [
          { segment: '330100', account: '5302', side: 'debit', amountFen: 500 },
          { segment: '330100', account: `2151:${adjustment}`, side: 'credit', amountFen: 500 },
          { segment: adjustment, account: '1151:330100', side: 'debit', amountFen: 500 },
          { segment: adjustment, account: '4105', side: 'credit', amountFen: 500 },
        ],
      },
    ]);
    expect(r.ok).toBe(true);
  });

  it('two-phase: pending then post exactly once', async () => {
    const p = await postTransaction(t.db, maker, { ...contribution('pend-1', 700), pending: true });
    expect(p.ok && p.value.kind).toBe('pending');
    const r1 = await resolvePending(t.db, maker, { id: 'pend-1', action: 'post' });
    expect(r1.ok).toBe(true);
    const r2 = await resolvePending(t.db, maker, { id: 'pend-1', action: 'void' });
    expect(!r2.ok && r2.code).toBe('ledger.pending_already_resolved');
  });
});
