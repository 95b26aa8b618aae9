import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { Actor } from '../../identity/actor.ts';
import { systemActor } from '../../identity/actor.ts';
import { provisionAccounts } from './accounts.ts';
import { accountBalances, checkLedger } from './ledger-read.ts';
import { postTransaction } from './ledger-write.ts';
import { openPeriod } from './periods.ts';
import { setAsideReserve } from './reserve-set-aside.ts';

/** A 河南 city (410100) under the dated reserve rule of 410000: 7 % = 2 % province + 5 % city. */
describe(`reserve set-aside (河南) on ${testBackend}`, () => {
  let t: TestDatabase;
  let actor: Actor;
  beforeAll(async () => {
    t = await openTestDatabase();
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level) VALUES ('410000', '河南省', 'Henan', 'province')`,
    );
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ('410100', '郑州市', 'Zhengzhou', 'city', '410000')`,
    );
    actor = systemActor('req-reserve', '410000');
    for (const code of ['410000', '410100'])
      expect((await provisionAccounts(t.db, actor, { regionCode: code })).ok).toBe(true);
    for (const period of ['2024-06', '2024-12'])
      expect((await openPeriod(t.db, actor, { segment: 'all', period })).ok).toBe(true);
    const r = await postTransaction(t.db, actor, {
      id: 'hn-contrib-2024',
      effectiveDate: '2024-06-15',
      source: { type: 'contribution', id: 'hn' },
      postings: [
        { segment: '410100', account: '1002', side: 'debit', amountFen: 10_000_000 },
        { segment: '410100', account: '4101', side: 'credit', amountFen: 10_000_000 },
      ],
    });
    expect(r.ok).toBe(true);
  });
  afterAll(async () => t.cleanup());

  it('posts 5 % kept at the city and 2 % to the provincial reserve; a rerun posts nothing new', async () => {
    const r = await setAsideReserve(t.db, actor, { city: '410100', year: 2024 });
    expect(r).toMatchObject({
      ok: true,
      value: { provinceFen: 200_000, cityFen: 500_000, totalFen: 700_000 },
    });
    const again = await setAsideReserve(t.db, actor, { city: '410100', year: 2024 });
    expect(again.ok).toBe(true);
    const n = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_transactions WHERE source_type = 'reserve_set_aside'`,
    );
    expect(n.rows[0]!.n).toBe(2);
    const balances = await accountBalances(t.db, { segment: 'all' });
    const bal = (segment: string, account: string) =>
      balances.find((b) => b.segment === segment && b.account === account);
    expect(bal('410100', '3101')).toMatchObject({ creditPostedFen: 500_000 });
    expect(bal('410000', '3101')).toMatchObject({ creditPostedFen: 200_000 });
    expect((await checkLedger(t.db)).ok).toBe(true);
  });
});
