import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from './testing.ts';

/**
 * A transaction is retried on a serialization failure (40001) or a deadlock (40P01) whether the
 * statement that met it was hand SQL or a Drizzle query — Drizzle wraps the driver's error (its
 * code on `cause`), and such failures inside ORM statements once escaped the retry (seen as a
 * deadlock under 50 concurrent case writes). A function fails the first `n` calls with the code.
 */
let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase({ migrate: false });
  await t.db.query(`CREATE FUNCTION flaky(failures integer, code text) RETURNS integer
    LANGUAGE plpgsql AS $$
    DECLARE seen integer;
    BEGIN
      -- Counted outside the failing transaction's reach: a sequence is not rolled back.
      seen := nextval('flaky_calls');
      IF seen <= failures THEN RAISE EXCEPTION 'provoked %', code USING ERRCODE = code; END IF;
      RETURN seen;
    END $$`);
});
afterAll(async () => t.cleanup());

async function resetCalls(): Promise<void> {
  await t.db.query(`DROP SEQUENCE IF EXISTS flaky_calls`);
  await t.db.query(`CREATE SEQUENCE flaky_calls`);
}

describe(`transaction retry on ${testBackend}`, () => {
  for (const code of ['40001', '40P01']) {
    it(`retries ${code} raised inside a Drizzle statement, and inside hand SQL`, async () => {
      await resetCalls();
      await t.db.transaction((tx) => tx.orm.execute(sql`SELECT flaky(2, ${code}) AS seen`));
      // Two failed attempts, then the third call succeeded.
      const calls = await t.db.query(`SELECT last_value::int AS n FROM flaky_calls`);
      expect(calls.rows[0]?.['n']).toBe(3);
      await resetCalls();
      const viaSql = await t.db.transaction((tx) =>
        tx.query(`SELECT flaky(1, $1) AS seen`, [code]),
      );
      expect(viaSql.rows[0]?.['seen']).toBe(2);
    });
  }

  it('gives up after the retries, and never retries another error', async () => {
    await resetCalls();
    await expect(
      t.db.transaction((tx) => tx.orm.execute(sql`SELECT flaky(10, '40001')`), { retries: 2 }),
    ).rejects.toThrow();
    const calls = await t.db.query(`SELECT last_value::int AS n FROM flaky_calls`);
    expect(calls.rows[0]?.['n']).toBe(3);
    await resetCalls();
    await expect(
      t.db.transaction((tx) => tx.orm.execute(sql`SELECT flaky(1, '23505')`)),
    ).rejects.toThrow();
    const once = await t.db.query(`SELECT last_value::int AS n FROM flaky_calls`);
    expect(once.rows[0]?.['n']).toBe(1);
  });
});
