import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { systemActor } from '../../identity/actor.ts';
import { testDemoProvince } from '../../runtime/testing.ts';
import { listBudgets } from '../fund/budgets/budgets.ts';
import { checkLedger } from '../fund/ledger/ledger-read.ts';
import { seedDemo } from './seed-demo.ts';
import {
  FUND_DEMO_BUDGET_YEAR,
  FUND_DEMO_UNIFIED_BUDGET_YEAR,
  planFundDemo,
  seedFundDemo,
} from './seed-fund-demo.ts';

let t: TestDatabase;
let seedMs = 0;
beforeAll(async () => {
  t = await openTestDatabase();
  const started = performance.now();
  await seedDemo(t.db, systemActor('seed'), { seed: 2019164, province: testDemoProvince() });
  seedMs = performance.now() - started;
});
afterAll(async () => t.cleanup());

describe(`fund demo seed on ${testBackend}: ledger`, () => {
  it('posts a consistent ledger; a rerun posts and creates nothing', async () => {
    const tx = withColumns(await t.db.query('SELECT count(*)::int AS n FROM ledger_transactions'), {
      n: intOf,
    });
    expect(tx.rows[0]!.n).toBeGreaterThan(1_500);
    const check = await checkLedger(t.db);
    expect(check.differences).toEqual([]);
    const again = await seedFundDemo(t.db, systemActor('seed'), { seed: 2019164 });
    expect(again).toMatchObject({
      segmentsCreated: 0,
      periodsOpened: 0,
      transactionsCreated: 0,
      budgetsCreated: 0,
      budgetsApproved: 0,
      conflict: null,
    });
    expect(again.transactionsExisting).toBe(tx.rows[0]!.n);
    // Another seed number would post different amounts under the same ids: refused, nothing posted.
    const other = await seedFundDemo(t.db, systemActor('seed'), { seed: 7 });
    expect(other.conflict).toMatch(/another seed/);
    expect(other.transactionsCreated).toBe(0);
    const after = withColumns(
      await t.db.query('SELECT count(*)::int AS n FROM ledger_transactions'),
      { n: intOf },
    );
    expect(after.rows[0]!.n).toBe(tx.rows[0]!.n);
    console.info(
      `[seed timing ${testBackend}] seedDemo incl. fund demo: ${Math.round(seedMs)} ms; idempotent rerun ${again.ms} ms`,
    );
  });

  it('is deterministic from the seed number', () => {
    const cities = [
      { code: '330100', workers: 1_000_000 },
      { code: '330200', workers: 500_000 },
    ];
    const a = planFundDemo(1, '330000', cities);
    expect(planFundDemo(1, '330000', cities)).toEqual(a);
    expect(planFundDemo(2, '330000', cities).transactions).not.toEqual(a.transactions);
    expect(new Set(a.transactions.map((x) => x.id)).size).toBe(a.transactions.length);
  });
});

describe(`fund demo seed on ${testBackend}: prevention and budgets`, () => {
  it('prevention spending stays under 3 % of the previous year’s contribution income', async () => {
    const r = withColumns(
      await t.db.query(
        `WITH m AS (
         SELECT s.code AS segment, extract(year FROM t.effective_date)::int AS y, a.chart_code,
                sum(CASE WHEN p.side = 'D' THEN p.amount ELSE -p.amount END)::int8 AS net
           FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.tx_seq
           JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_segments s ON s.id = p.segment_id
          WHERE s.kind = 'city' AND a.chart_code IN ('4101', '5202')
          GROUP BY 1, 2, 3)
       SELECT cur.segment, cur.y, cur.net AS prevention, -prev.net AS contrib
         FROM m cur JOIN m prev ON prev.segment = cur.segment AND prev.y = cur.y - 1 AND prev.chart_code = '4101'
        WHERE cur.chart_code = '5202' ORDER BY 1, 2`,
      ),
      { segment: textOf, y: intOf, prevention: intOf, contrib: intOf },
    );
    expect(r.rows.length).toBe(22); // 11 cities × 2024, 2025
    for (const row of r.rows)
      expect(row.prevention * 100, row.segment).toBeLessThanOrEqual(row.contrib * 3);
  });

  it('budgets: approved for the province and six cities, submitted for three, drafts for two', async () => {
    const budgets = await listBudgets(t.db, { regionCode: '330000', year: FUND_DEMO_BUDGET_YEAR });
    const by = (s: string) => budgets.filter((b) => b.status === s).map((b) => b.regionCode);
    expect(by('approved')).toEqual([
      '330000',
      '330100',
      '330200',
      '330300',
      '330400',
      '330500',
      '330600',
    ]);
    expect(by('submitted')).toEqual(['330700', '330800', '330900']);
    expect(by('draft')).toEqual(['331000', '331100']);
    for (const b of budgets) expect(b.lines.length).toBeGreaterThan(2);
  });
});

describe(`fund demo seed on ${testBackend}: unified flows`, () => {
  it('from 2024 (统收统支) every month’s contributions are swept to the province and spending is allocated', async () => {
    const r = withColumns(
      await t.db.query(
        `SELECT extract(year FROM t.effective_date)::int AS y, s.code AS segment, a.chart_code AS code,
              sum(CASE WHEN p.side = 'C' THEN p.amount ELSE -p.amount END)::int8 AS net
         FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.tx_seq
         JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_segments s ON s.id = p.segment_id
        WHERE t.effective_date >= '2023-01-01' AND t.id NOT LIKE 'pooling:%'
          AND a.chart_code IN ('4101', '4104', '4105', '5301', '5302')
        GROUP BY 1, 2, 3`,
      ),
      { y: intOf, segment: textOf, code: textOf, net: intOf },
    );
    const sum = (y: number, pick: (x: { segment: string; code: string }) => boolean) =>
      r.rows.filter((x) => x.y === y && pick(x)).reduce((a, x) => a + Number(x.net), 0);
    for (const y of [2024, 2025]) {
      const contributions = sum(y, (x) => x.segment !== '330000' && x.code === '4101');
      expect(contributions).toBeGreaterThan(0);
      // The cities' contribution income stays visible; all of it reached the province.
      expect(sum(y, (x) => x.segment === '330000' && x.code === '4105')).toBe(contributions);
      expect(sum(y, (x) => x.segment !== '330000' && x.code === '5302')).toBe(-contributions);
      const allocated = sum(y, (x) => x.segment !== '330000' && x.code === '4104');
      expect(allocated).toBeGreaterThan(0);
      expect(sum(y, (x) => x.segment === '330000' && x.code === '5301')).toBe(-allocated);
    }
    expect(sum(2023, (x) => x.code === '4105' || x.code === '4104')).toBe(0);
    const sweeps = withColumns(
      await t.db.query(
        `SELECT count(*)::int AS n FROM ledger_transactions WHERE id LIKE 'unified:sweep:%' AND id NOT LIKE '%:transfer'`,
      ),
      { n: intOf },
    );
    expect(sweeps.rows[0]!.n).toBe(11 * 24);
    const budgets = await listBudgets(t.db, {
      regionCode: '330000',
      year: FUND_DEMO_UNIFIED_BUDGET_YEAR,
    });
    expect(budgets.length).toBe(12);
    expect(budgets.every((b) => b.status === 'approved')).toBe(true);
  });
});
