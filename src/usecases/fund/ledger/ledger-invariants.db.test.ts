import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../../db/client.ts';
import { intOf, textOf, withColumns } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import { decideApproval } from '../../approvals/approvals.ts';
import { setUpFundLedger } from '../testing.ts';
import { checkLedger } from './ledger-read.ts';
import { postTransaction } from './ledger-write.ts';
import { closePeriod, openPeriod, requestPeriodClose } from './periods.ts';

/** The database itself refuses what the write path would never do (raw SQL, no TypeScript checks). */
let t: TestDatabase;
let cash: number;
let income: number;
let segment: number;
beforeAll(async () => {
  t = await openTestDatabase();
  const { maker, checker } = await setUpFundLedger(t.db, { cities: ['330100'] });
  for (const p of ['2026-01', '2026-02'])
    expect((await openPeriod(t.db, maker, { segment: 'all', period: p })).ok).toBe(true);
  const ids = withColumns(
    await t.db.query(
      `SELECT a.code, a.id, a.segment_id FROM ledger_accounts a JOIN ledger_segments s ON s.id = a.segment_id
      WHERE s.code = '330100' AND a.code IN ('1002', '4101')`,
    ),
    { code: textOf, id: intOf, segment_id: intOf },
  );
  cash = ids.rows.find((r) => r.code === '1002')!.id;
  income = ids.rows.find((r) => r.code === '4101')!.id;
  segment = ids.rows[0]!.segment_id;
  // One real transaction in January, then January closed through maker-checker.
  const posted = await postTransaction(t.db, maker, {
    id: 'jan-1',
    effectiveDate: '2026-01-10',
    source: { type: 'contribution', id: 'jan-1' },
    postings: [
      { segment: '330100', account: '1002', side: 'debit', amountFen: 1000 },
      { segment: '330100', account: '4101', side: 'credit', amountFen: 1000 },
    ],
  });
  expect(posted.ok).toBe(true);
  const req = await requestPeriodClose(t.db, maker, { segment: '330100', period: '2026-01' });
  if (!req.ok) throw new Error(req.message);
  const dec = await decideApproval(t.db, checker, {
    regionCode: '330100',
    id: req.value.approvalId,
    decision: 'approved',
  });
  expect(dec.ok).toBe(true);
  const closed = await closePeriod(t.db, maker, {
    segment: '330100',
    period: '2026-01',
    approvalId: req.value.approvalId,
  });
  expect(closed.ok).toBe(true);
});
afterAll(async () => t.cleanup());

async function rawTx(
  tx: Executor,
  id: string,
  date: string,
  legs: [number, 'D' | 'C', number][],
  total: number,
  declaredLegs = legs.length,
): Promise<void> {
  const r = withColumns(
    await tx.query(
      `INSERT INTO ledger_transactions (id, request_hash, kind, effective_date, source_type, source_id, leg_count, total_fen, actor)
     VALUES ($1, repeat('0', 64), 'posted', $2, 'raw', 'raw', $3, $4, 'raw-sql') RETURNING seq`,
      [id, date, declaredLegs, total],
    ),
    { seq: intOf },
  );
  const seq = r.rows[0]!.seq;
  for (const [i, [account, side, amount]] of legs.entries())
    await tx.query(
      'INSERT INTO ledger_postings (tx_seq, seq, account_id, segment_id, side, amount) VALUES ($1, $2, $3, $4, $5, $6)',
      [seq, i, account, segment, side, amount],
    );
}

const count = async (table: string) =>
  withColumns(await t.db.query(`SELECT count(*)::int AS n FROM ${table}`), { n: intOf }).rows[0]!.n;

describe(`ledger invariants in the database on ${testBackend}: raw transactions`, () => {
  it('a balanced raw transaction commits (control)', async () => {
    await t.db.transaction(async (tx) => {
      await rawTx(
        tx,
        'raw-ok',
        '2026-02-03',
        [
          [cash, 'D', 50],
          [income, 'C', 50],
        ],
        50,
      );
      // Raw SQL bypasses the write path, so it keeps the balances itself (checkLedger would say so).
      await tx.query(
        'UPDATE ledger_balances SET debit_posted = debit_posted + 50 WHERE account_id = $1',
        [cash],
      );
      await tx.query(
        'UPDATE ledger_balances SET credit_posted = credit_posted + 50 WHERE account_id = $1',
        [income],
      );
    });
    expect(await count('ledger_transactions')).toBe(2);
  });

  it('an unbalanced raw transaction fails at COMMIT', async () => {
    const before = await count('ledger_postings');
    await expect(
      t.db.transaction((tx) =>
        rawTx(
          tx,
          'raw-unbalanced',
          '2026-02-03',
          [
            [cash, 'D', 100],
            [income, 'C', 99],
          ],
          100,
        ),
      ),
    ).rejects.toThrow(/ledger\.unbalanced: transaction raw-unbalanced/);
    expect(await count('ledger_postings')).toBe(before);
  });

  it('a raw transaction with fewer legs than it declares fails at COMMIT', async () => {
    await expect(
      t.db.transaction((tx) =>
        rawTx(tx, 'raw-missing-leg', '2026-02-03', [[cash, 'D', 100]], 100, 2),
      ),
    ).rejects.toThrow(/ledger\.unbalanced/);
  });
});

describe(`ledger invariants in the database on ${testBackend}: immutability and periods`, () => {
  it('UPDATE of a posting is refused', async () => {
    await expect(t.db.query('UPDATE ledger_postings SET amount = amount + 1')).rejects.toThrow(
      /ledger\.append_only: UPDATE on ledger_postings/,
    );
  });

  it('DELETE of a posting is refused', async () => {
    await expect(t.db.query('DELETE FROM ledger_postings')).rejects.toThrow(
      /ledger\.append_only: DELETE on ledger_postings/,
    );
  });

  it('UPDATE and DELETE of a transaction are refused', async () => {
    await expect(t.db.query(`UPDATE ledger_transactions SET memo = 'x'`)).rejects.toThrow(
      /append_only/,
    );
    await expect(t.db.query('DELETE FROM ledger_transactions')).rejects.toThrow(/append_only/);
  });

  it('a raw posting into a closed period is refused', async () => {
    await expect(
      t.db.transaction((tx) =>
        rawTx(
          tx,
          'raw-closed',
          '2026-01-20',
          [
            [cash, 'D', 5],
            [income, 'C', 5],
          ],
          5,
        ),
      ),
    ).rejects.toThrow(/ledger\.period_closed: period 2026-01/);
  });
});

describe(`ledger invariants in the database on ${testBackend}: legs and claims`, () => {
  it('a raw posting into a period never opened is refused', async () => {
    await expect(
      t.db.transaction((tx) =>
        rawTx(
          tx,
          'raw-unopened',
          '2026-07-01',
          [
            [cash, 'D', 5],
            [income, 'C', 5],
          ],
          5,
        ),
      ),
    ).rejects.toThrow(/ledger\.period_not_open/);
  });

  it('a leg added to a committed transaction is refused', async () => {
    const seq = withColumns(
      await t.db.query(`SELECT seq FROM ledger_transactions WHERE id = 'raw-ok'`),
      { seq: intOf },
    ).rows[0]!.seq;
    await expect(
      t.db.query(
        `INSERT INTO ledger_postings (tx_seq, seq, account_id, segment_id, side, amount) VALUES ($1, 9, $2, $3, 'D', 1)`,
        [seq, cash, segment],
      ),
    ).rejects.toThrow(/ledger\.posting_outside_transaction/);
  });

  it('a transaction row claiming another database transaction is refused', async () => {
    await expect(
      t.db.query(
        `INSERT INTO ledger_transactions (id, request_hash, kind, effective_date, source_type, source_id, leg_count, total_fen, actor, db_xact)
         VALUES ('spoof', repeat('0', 64), 'posted', '2026-02-03', 'raw', 'raw', 2, 1, 'raw', '3')`,
      ),
    ).rejects.toThrow(/db_xact/);
  });
});

describe(`ledger invariants in the database on ${testBackend}: write path and check`, () => {
  it('the write path refuses a closed period with a typed refusal', async () => {
    const { maker } = await setUpFundLedger(t.db, { cities: ['330100'] });
    const r = await postTransaction(t.db, maker, {
      id: 'late-jan',
      effectiveDate: '2026-01-31',
      source: { type: 'contribution', id: 'late' },
      postings: [
        { segment: '330100', account: '1002', side: 'debit', amountFen: 1 },
        { segment: '330100', account: '4101', side: 'credit', amountFen: 1 },
      ],
    });
    expect(!r.ok && r.code).toBe('ledger.period_closed');
  });

  it('checkLedger is clean, then names a balance changed behind the write path', async () => {
    expect(await checkLedger(t.db)).toMatchObject({ ok: true, transactions: 2 });
    await t.db.query(
      'UPDATE ledger_balances SET debit_posted = debit_posted + 7 WHERE account_id = $1',
      [cash],
    );
    const c = await checkLedger(t.db);
    expect(c.ok).toBe(false);
    expect(c.differences[0]).toEqual({
      kind: 'balance_mismatch',
      segment: '330100',
      account: '1002',
      field: 'debit_posted',
      storedFen: 1057,
      postingsFen: 1050,
    });
    await t.db.query(
      'UPDATE ledger_balances SET debit_posted = debit_posted - 7 WHERE account_id = $1',
      [cash],
    );
  });
});
