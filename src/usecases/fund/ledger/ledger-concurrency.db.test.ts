import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../../identity/actor.ts';
import { setUpFundLedger } from '../testing.ts';
import { accountBalances, checkLedger } from './ledger-read.ts';
import { postTransaction } from './ledger-write.ts';
import { openPeriod } from './periods.ts';

const ROUNDS = 20;
const WRITERS = 50;

function payment(id: string, amountFen: number): TransactionRequest {
  return {
    id,
    effectiveDate: '2026-03-05',
    source: { type: 'benefit_payment', id },
    postings: [
      { segment: '330100', account: '5107', side: 'debit', amountFen },
      { segment: '330100', account: '1003', side: 'credit', amountFen },
    ],
  };
}

/** R1 / R2: duplicates of one transaction id submitted at once, on a pool of 60 connections. */
describe(`idempotency under concurrency on ${testBackend}`, () => {
  let t: TestDatabase;
  let actor: Actor;
  /** The first test's ids (the conflict test names one of them). */
  let dupNonce = '';
  beforeAll(async () => {
    t = await openTestDatabase({ poolMax: 60 });
    ({ maker: actor } = await setUpFundLedger(t.db, { cities: ['330100'] }));
    expect((await openPeriod(t.db, actor, { segment: 'all', period: '2026-03' })).ok).toBe(true);
  });
  afterAll(async () => t.cleanup());

  const expenseDebits = async () =>
    (await accountBalances(t.db, { segment: '330100' })).find((b) => b.account === '5107')
      ?.debitPostedFen ?? 0;

  // Ids per attempt (a nonce): vitest's retry runs in the same database. 20 rounds of 50 writers
  // took over 30 s on PGlite with the two cores loaded; the rounds are the test, so it may take 120.
  it(`${WRITERS} concurrent submissions of one id → exactly one transaction, ${ROUNDS} rounds`, async () => {
    const nonce = randomBytes(3).toString('hex');
    const before = await expenseDebits();
    for (let round = 0; round < ROUNDS; round++) {
      const id = `dup-${nonce}-${round}`;
      const results = await Promise.all(
        Array.from({ length: WRITERS }, () =>
          postTransaction(t.db, actor, payment(id, 1000 + round)),
        ),
      );
      const statuses = results.map((r) => (r.ok ? r.value.status : r.code));
      expect(statuses.filter((s) => s === 'created')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'exists')).toHaveLength(WRITERS - 1);
      expect(new Set(results.map((r) => (r.ok ? r.value.seq : -1))).size).toBe(1);
      const rows = withColumns(
        await t.db.query(
          `SELECT count(DISTINCT t.seq)::int AS n, count(p.*)::int AS legs
           FROM ledger_transactions t JOIN ledger_postings p ON p.tx_seq = t.seq WHERE t.id = $1`,
          [id],
        ),
        { n: intOf, legs: intOf },
      );
      expect(rows.rows[0]).toEqual({ n: 1, legs: 2 });
    }
    dupNonce = nonce;
    // Σ (1000 + round) over the rounds, each counted once.
    expect((await expenseDebits()) - before).toBe(ROUNDS * 1000 + (ROUNDS * (ROUNDS - 1)) / 2);
  }, 120_000);

  it('the same id with a different body → conflict naming the field, nothing written', async () => {
    const before = await checkLedger(t.db);
    const r = await postTransaction(t.db, actor, payment(`dup-${dupNonce}-0`, 999_999));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('ledger.idempotency_conflict');
      expect(r.details?.['fields']).toEqual(['postings[0].amountFen', 'postings[1].amountFen']);
    }
    const after = await checkLedger(t.db);
    expect(after).toEqual(before);
    expect(after.ok).toBe(true);
  });

  it('two different bodies racing for one id: one wins, every other caller gets exists or conflict', async () => {
    const nonce = randomBytes(3).toString('hex');
    for (let round = 0; round < ROUNDS; round++) {
      const id = `race-${nonce}-${round}`;
      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          postTransaction(t.db, actor, payment(id, i % 2 === 0 ? 10 : 20)),
        ),
      );
      const created = results.filter((r) => r.ok && r.value.status === 'created');
      expect(created).toHaveLength(1);
      const winner = withColumns(
        await t.db.query('SELECT total_fen FROM ledger_transactions WHERE id = $1', [id]),
        { total_fen: intOf },
      ).rows[0]!.total_fen;
      results.forEach((r, i) => {
        const mine = i % 2 === 0 ? 10 : 20;
        if (mine === winner) expect(r.ok).toBe(true);
        else expect(!r.ok && r.code).toBe('ledger.idempotency_conflict');
      });
    }
    expect((await checkLedger(t.db)).ok).toBe(true);
  }, 120_000);
});
