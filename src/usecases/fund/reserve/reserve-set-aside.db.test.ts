import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { intOf, textOf, withColumns } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { Actor } from '../../../identity/actor.ts';
import { systemActor } from '../../../identity/actor.ts';
import { testRuleBook } from '../../../runtime/testing.ts';
import { decideApproval } from '../../approvals/approvals.ts';
import { provisionAccounts } from '../ledger/accounts.ts';
import { accountBalances, checkLedger } from '../ledger/ledger-read.ts';
import { postTransaction } from '../ledger/ledger-write.ts';
import { openPeriod } from '../ledger/periods.ts';
import { requestReserveReduction, setAsideReserve } from './reserve-set-aside.ts';

const { pooling } = testRuleBook();

/** A 河南 city (410100) under the dated reserve rule of 410000: 7 % = 2 % province + 5 % city. */
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

describe(`reserve set-aside (河南) on ${testBackend}: set-aside`, () => {
  it('posts 5 % kept at the city and 2 % to the provincial reserve; a rerun posts nothing new', async () => {
    const r = await setAsideReserve(t.db, actor, { params: pooling, city: '410100', year: 2024 });
    expect(r).toMatchObject({
      ok: true,
      value: { provinceFen: 200_000, cityFen: 500_000, totalFen: 700_000 },
    });
    const again = await setAsideReserve(t.db, actor, {
      params: pooling,
      city: '410100',
      year: 2024,
    });
    expect(again.ok).toBe(true);
    const n = withColumns(
      await t.db.query(
        `SELECT count(*)::int AS n FROM ledger_transactions WHERE source_type = 'reserve_set_aside'`,
      ),
      { n: intOf },
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

describe(`reserve set-aside (河南) on ${testBackend}: reduction`, () => {
  it('above the threshold the reduced ratio needs the province’s approval, consumed with the postings', async () => {
    const { maker, checker } = await provinceUsers(t.db, actor);
    await reserveAboveThreshold(t.db, actor);
    const refused = await setAsideReserve(t.db, actor, {
      params: pooling,
      city: '410100',
      year: 2025,
    });
    expect(refused, JSON.stringify(refused)).toMatchObject({
      ok: false,
      code: 'fund.reserve_reduction_needs_approval',
    });
    const req = await requestReserveReduction(t.db, maker, {
      params: pooling,
      city: '410100',
      year: 2025,
    });
    const early = await setAsideReserve(t.db, actor, {
      params: pooling,
      city: '410100',
      year: 2025,
      approvalId: req.id,
    });
    expect(early).toMatchObject({ ok: false, code: 'approval.not_approved' });
    expect(
      await decideApproval(t.db, maker, { regionCode: '410000', id: req.id, decision: 'approved' }),
    ).toMatchObject({ ok: false, code: 'approval.self_approval' });
    expect(
      (
        await decideApproval(t.db, checker, {
          regionCode: '410000',
          id: req.id,
          decision: 'approved',
        })
      ).ok,
    ).toBe(true);
    const done = await setAsideReserve(t.db, actor, {
      params: pooling,
      city: '410100',
      year: 2025,
      approvalId: req.id,
    });
    expect(done).toMatchObject({ ok: true, value: { reduced: true } });
    if (!done.ok) return;
    // 河南's reduced ratio is a demo 0 (the text gives none): the set-aside stops for the year.
    expect(done.value.totalFen).toBe(0);
    expect(done.value.provinceFen + done.value.cityFen).toBe(done.value.totalFen);
    // A rerun with the consumed approval posts nothing new and is not refused.
    const again = await setAsideReserve(t.db, actor, {
      params: pooling,
      city: '410100',
      year: 2025,
      approvalId: req.id,
    });
    expect(again.ok).toBe(true);
    const n = withColumns(
      await t.db.query(
        `SELECT count(*)::int AS n FROM ledger_transactions WHERE id LIKE 'reserve:410100:2025:%'`,
      ),
      { n: intOf },
    );
    expect(n.rows[0]!.n).toBe(0);
    const status = withColumns(
      await t.db.query('SELECT status FROM approvals WHERE id = $1', [req.id]),
      { status: textOf },
    );
    expect(status.rows[0]!.status).toBe('consumed');
    expect((await checkLedger(t.db)).ok).toBe(true);
  });
});

/** Two province users: the maker and the checker of the reduction. */
async function provinceUsers(
  db: Database,
  actor: Actor,
): Promise<{ maker: Actor; checker: Actor }> {
  // Two province users of two roles: the fund manager makes, the supervisor checks (the database
  // refuses a checker of the maker's role).
  for (const [id, username, role] of [
    ['usr_hn_maker', 'hn.fund', 'province_fund_manager'],
    ['usr_hn_checker', 'hn.supervisor', 'supervisor'],
  ] as const)
    await db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $2, $2, $3, 'province', '410000', '410000', 'x')`,
      [id, username, role],
    );
  const maker: Actor = { ...actor, userId: 'usr_hn_maker', username: 'hn.fund' };
  const checker: Actor = {
    ...actor,
    userId: 'usr_hn_checker',
    username: 'hn.supervisor',
    role: 'supervisor',
  };
  return { maker, checker };
}

/** Opens the periods and posts a rolling reserve above 50 % of the year's income. */
async function reserveAboveThreshold(db: Database, actor: Actor): Promise<void> {
  for (const period of ['2025-06', '2025-12'])
    expect((await openPeriod(db, actor, { segment: 'all', period })).ok).toBe(true);
  // The rolling reserve at the end of 2024 (500 000 kept + 6 000 000 more) is above 50 % of the
  // 2025 income (10 000 000).
  expect(
    (
      await postTransaction(db, actor, {
        id: 'hn-reserve-topup-2024',
        effectiveDate: '2024-12-20',
        source: { type: 'test', id: 'topup' },
        postings: [
          { segment: '410100', account: '3001', side: 'debit', amountFen: 6_000_000 },
          { segment: '410100', account: '3101', side: 'credit', amountFen: 6_000_000 },
        ],
      })
    ).ok,
  ).toBe(true);
  expect(
    (
      await postTransaction(db, actor, {
        id: 'hn-contrib-2025',
        effectiveDate: '2025-06-15',
        source: { type: 'contribution', id: 'hn25' },
        postings: [
          { segment: '410100', account: '1002', side: 'debit', amountFen: 10_000_000 },
          { segment: '410100', account: '4101', side: 'credit', amountFen: 10_000_000 },
        ],
      })
    ).ok,
  ).toBe(true);
}
