import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { Actor } from '../../../identity/actor.ts';
import { testRuleBook } from '../../../runtime/testing.ts';
import { decideApproval } from '../../approvals/approvals.ts';
import { checkLedger } from '../ledger/ledger-read.ts';
import { postTransaction } from '../ledger/ledger-write.ts';
import { openPeriod } from '../ledger/periods.ts';
import { setUpFundLedger } from '../testing.ts';
import {
  grantPreventionCap,
  requestPreventionCapRaise,
  spendPreventionFee,
} from './prevention-spending.ts';

const { pooling } = testRuleBook();

let t: TestDatabase;
let maker: Actor;
let checker: Actor;
beforeAll(async () => {
  t = await openTestDatabase();
  ({ maker, checker } = await setUpFundLedger(t.db, { cities: ['330100'] }));
  for (const period of ['2023-06', '2024-03'])
    expect((await openPeriod(t.db, maker, { segment: 'all', period })).ok).toBe(true);
  // 2023 contribution income of 330100: 10 000 000 fen → 2024 cap 3 % = 300 000 fen.
  const r = await postTransaction(t.db, maker, {
    id: 'contrib-2023',
    effectiveDate: '2023-06-15',
    source: { type: 'contribution', id: 'c2023' },
    postings: [
      { segment: '330100', account: '1002', side: 'debit', amountFen: 10_000_000 },
      { segment: '330100', account: '4101', side: 'credit', amountFen: 10_000_000 },
    ],
  });
  expect(r.ok).toBe(true);
});
afterAll(async () => t.cleanup());

const spend = (id: string, amountFen: number) =>
  spendPreventionFee(t.db, maker, {
    params: pooling,
    transactionId: id,
    segment: '330100',
    date: '2024-03-10',
    amountFen,
    sourceId: id,
  });

describe(`工伤预防费 cap on ${testBackend}: spending`, () => {
  it('spends up to 3 % of the previous year’s contribution income', async () => {
    const r = await spend('prev-1', 250_000);
    expect(r).toMatchObject({
      ok: true,
      value: { capFen: 300_000, spentFen: 0, remainingFen: 50_000, capRatio: '0.03' },
    });
  });

  it('refuses above the cap with fund.prevention_cap_exceeded giving cap, spent and requested', async () => {
    const r = await spend('prev-2', 50_001);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('fund.prevention_cap_exceeded');
    expect(r.details).toMatchObject({ capFen: 300_000, spentFen: 250_000, requestedFen: 50_001 });
    expect(r.message).toContain('上限 3,000.00 元');
    const n = await t.db.query('SELECT 1 FROM ledger_transactions WHERE id = $1', ['prev-2']);
    expect(n.rows).toHaveLength(0);
  });

  it('a retry of a recorded payment is not refused by its own amount', async () => {
    const r = await spend('prev-1', 250_000);
    expect(r.ok).toBe(true);
  });
});

describe(`工伤预防费 cap on ${testBackend}: raised cap`, () => {
  it('a higher cap needs a maker and a different checker; then the larger payment passes', async () => {
    const req = await requestPreventionCapRaise(t.db, maker, {
      province: '330000',
      year: 2024,
      ratio: '0.04',
    });
    const self = await decideApproval(t.db, maker, {
      regionCode: '330000',
      id: req.id,
      decision: 'approved',
    });
    expect(self.ok).toBe(false);
    const notYet = await grantPreventionCap(t.db, maker, {
      params: pooling,
      province: '330000',
      year: 2024,
      ratio: '0.04',
      approvalId: req.id,
    });
    expect(notYet.ok).toBe(false);
    if (!notYet.ok) expect(notYet.code).toBe('approval.not_approved');
    expect(
      (
        await decideApproval(t.db, checker, {
          regionCode: '330000',
          id: req.id,
          decision: 'approved',
        })
      ).ok,
    ).toBe(true);
    const wrong = await grantPreventionCap(t.db, maker, {
      params: pooling,
      province: '330000',
      year: 2024,
      ratio: '0.045',
      approvalId: req.id,
    });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.code).toBe('approval.payload_mismatch');
    const g = await grantPreventionCap(t.db, maker, {
      params: pooling,
      province: '330000',
      year: 2024,
      ratio: '0.04',
      approvalId: req.id,
    });
    expect(g.ok).toBe(true);
    const r = await spend('prev-3', 150_000);
    expect(r).toMatchObject({
      ok: true,
      value: { capFen: 400_000, capRatio: '0.04', remainingFen: 0 },
    });
  });

  it('a raised ratio above the ceiling is refused before any approval is consumed', async () => {
    const r = await grantPreventionCap(t.db, maker, {
      params: pooling,
      province: '330000',
      year: 2025,
      ratio: '0.06',
      approvalId: 'x',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('fund.prevention_ratio_invalid');
  });
});

describe(`工伤预防费 cap under concurrent payments on ${testBackend}`, () => {
  let t: TestDatabase;
  let maker: Actor;
  beforeAll(async () => {
    // A pool wider than the number of concurrent payments: on PostgreSQL they really overlap.
    t = await openTestDatabase({ poolMax: 30 });
    ({ maker } = await setUpFundLedger(t.db, { cities: ['330100'] }));
    for (const period of ['2023-06', '2024-03'])
      expect((await openPeriod(t.db, maker, { segment: 'all', period })).ok).toBe(true);
    // 2023 contribution income 10 000 000 fen → 2024 cap 300 000 fen.
    const r = await postTransaction(t.db, maker, {
      id: 'contrib-2023',
      effectiveDate: '2023-06-15',
      source: { type: 'contribution', id: 'c2023' },
      postings: [
        { segment: '330100', account: '1002', side: 'debit', amountFen: 10_000_000 },
        { segment: '330100', account: '4101', side: 'credit', amountFen: 10_000_000 },
      ],
    });
    expect(r.ok).toBe(true);
  });
  afterAll(async () => t.cleanup());

  const spend = (id: string, amountFen: number) =>
    spendPreventionFee(t.db, maker, {
      params: pooling,
      transactionId: id,
      segment: '330100',
      date: '2024-03-10',
      amountFen,
      sourceId: id,
    });

  const spentFen = async () => {
    const r = withColumns(
      await t.db.query(
        `SELECT coalesce(sum(total_fen), 0)::int8 AS total FROM ledger_transactions
        WHERE source_type = 'prevention_fee'`,
      ),
      { total: intOf },
    );
    return r.rows[0]!.total;
  };

  it('20 concurrent payments of 40 000 fen: exactly the 7 that fit are posted, the rest refused', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `conc-${i}`);
    const results = await Promise.all(ids.map((id) => spend(id, 40_000)));
    const accepted = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(accepted).toHaveLength(7);
    expect(refused).toHaveLength(13);
    for (const r of refused) if (!r.ok) expect(r.code).toBe('fund.prevention_cap_exceeded');
    expect(await spentFen()).toBe(280_000);
    expect(await spentFen()).toBeLessThanOrEqual(300_000);
    const posted = withColumns(
      await t.db.query(`SELECT id FROM ledger_transactions WHERE source_type = 'prevention_fee'`),
      { id: textOf },
    );
    expect(posted.rows).toHaveLength(7);
    const check = await checkLedger(t.db);
    expect(check.differences).toEqual([]);
    expect(check.ok).toBe(true);
  });

  it('concurrent retries of a recorded payment all succeed and write nothing more', async () => {
    const posted = withColumns(
      await t.db.query(
        `SELECT id FROM ledger_transactions WHERE source_type = 'prevention_fee' ORDER BY id LIMIT 1`,
      ),
      { id: textOf },
    );
    const id = posted.rows[0]!.id;
    const results = await Promise.all(Array.from({ length: 5 }, () => spend(id, 40_000)));
    for (const r of results) expect(r.ok).toBe(true);
    expect(await spentFen()).toBe(280_000);
    // 20 000 fen still fit; two concurrent payments of 20 000 fen: one passes, one is refused.
    const pair = await Promise.all([spend('last-a', 20_000), spend('last-b', 20_000)]);
    expect(pair.filter((r) => r.ok)).toHaveLength(1);
    const no = pair.find((r) => !r.ok);
    expect(no?.ok === false && no.code).toBe('fund.prevention_cap_exceeded');
    expect(no?.ok === false && no.details).toMatchObject({
      capFen: 300_000,
      spentFen: 300_000,
      requestedFen: 20_000,
    });
    expect(await spentFen()).toBe(300_000);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });
});
