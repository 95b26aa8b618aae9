import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { TakeoverInput } from '../../../domain/fund/ledger/opening-balance-takeover.ts';
import type { Actor } from '../../../identity/actor.ts';
import { approvedFundRequest, setUpFundLedger } from '../testing.ts';
import { checkLedger, trialBalance } from './ledger-read.ts';
import { takeOverOpeningBalance } from './opening-balance-takeover.ts';
import { openPeriod } from './periods.ts';

let t: TestDatabase;
let maker: Actor;
let checker: Actor;

/** The take-over under an approval of exactly it (maker-checker.db.test.ts tests the refusals). */
const approved = async (input: TakeoverInput) => ({
  ...input,
  approvalId: await approvedFundRequest(t.db, maker, [checker], {
    action: 'ledger.opening_balance',
    ...input,
  }),
});

const balance = async (segment: string, account: string) => {
  const tb = await trialBalance(t.db, { segment, asOf: '2024-01-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
};

async function eachRulePosts(): Promise<void> {
  const d = '2024-01-01';
  const a = await takeOverOpeningBalance(
    t.db,
    maker,
    await approved({
      city: '330100',
      rule: 'transfer_all',
      balanceFen: 5_000_000,
      effectiveDate: d,
    }),
  );
  const b = await takeOverOpeningBalance(
    t.db,
    maker,
    await approved({
      city: '330200',
      rule: 'transfer_share',
      share: '0.3',
      balanceFen: 1_000_001,
      effectiveDate: d,
    }),
  );
  const c = await takeOverOpeningBalance(
    t.db,
    maker,
    await approved({
      city: '330300',
      rule: 'keep_at_city_use_first',
      balanceFen: 700_000,
      effectiveDate: d,
    }),
  );
  for (const r of [a, b, c]) expect(r.ok && r.value.recordedNow).toBe(true);
  expect(await balance('330100', '3001')).toBe(0);
  expect(await balance('330200', '3001')).toBe(700_001); // 1 000 001 − round(300 000.3)
  expect(await balance('330300', '3001')).toBe(700_000);
  expect(await balance('330000', '3001')).toBe(5_000_000 + 300_000);
  expect(await balance('330000', '1151:330200')).toBe(300_000);
  expect((await checkLedger(t.db)).ok).toBe(true);
}

describe(`原基金结余 take-over on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    ({ maker, checker } = await setUpFundLedger(t.db, { cities: ['330100', '330200', '330300'] }));
    expect((await openPeriod(t.db, maker, { segment: 'all', period: '2024-01' })).ok).toBe(true);
  });
  afterAll(async () => t.cleanup());

  it('each rule posts its transactions; the province receives what was transferred', eachRulePosts);

  it('repeating the same take-over records nothing new', async () => {
    const n = async () =>
      withColumns(await t.db.query('SELECT count(*)::int AS n FROM ledger_transactions'), {
        n: intOf,
      }).rows[0]!.n;
    const before = await n();
    const r = await takeOverOpeningBalance(
      t.db,
      maker,
      await approved({
        city: '330100',
        rule: 'transfer_all',
        balanceFen: 5_000_000,
        effectiveDate: '2024-01-01',
      }),
    );
    expect(r.ok && r.value.recordedNow).toBe(false);
    expect(await n()).toBe(before);
  });

  it('a second take-over under another rule is refused', async () => {
    const r = await takeOverOpeningBalance(
      t.db,
      maker,
      await approved({
        city: '330100',
        rule: 'keep_at_city_use_first',
        balanceFen: 5_000_000,
        effectiveDate: '2024-01-01',
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('fund.opening_balance_already_taken_over');
  });

  it('the take-over record cannot be changed (database trigger)', async () => {
    await expect(t.db.query(`UPDATE pooling_opening_takeovers SET kept_fen = 0`)).rejects.toThrow(
      /append_only/,
    );
  });
});
