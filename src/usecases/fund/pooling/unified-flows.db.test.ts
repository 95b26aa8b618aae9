import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import { testRuleBook } from '../../../runtime/testing.ts';
import { decideApproval } from '../../approvals/approvals.ts';
import {
  approveBudgets,
  consolidateBudgets,
  saveBudgetLines,
  submitBudget,
} from '../budgets/budgets.ts';
import type { FundApprovalRequest } from '../fund-approvals.ts';
import { fundIndicators } from '../indicators/indicators.ts';
import { checkLedger, trialBalance } from '../ledger/ledger-read.ts';
import { postTransactions } from '../ledger/ledger-write.ts';
import { openPeriod } from '../ledger/periods.ts';
import { fundOverview } from '../overview/fund-overview.ts';
import { approvedFundRequest, setUpFundLedger } from '../testing.ts';
import { transactionCount } from './testing.ts';
import { allocateMonthFromBudget, allocateToCity, sweepCityMonth } from './unified-flows.ts';

const { pooling, indicators } = testRuleBook();

const HZ = '330100';
const NB = '330200';

function tx(id: string, date: string, segment: string, dr: string, cr: string, amountFen: number) {
  return {
    id,
    effectiveDate: date,
    source: { type: 'test', id },
    postings: [
      { segment, account: dr, side: 'debit', amountFen },
      { segment, account: cr, side: 'credit', amountFen },
    ],
  } satisfies TransactionRequest;
}

let t: TestDatabase;

let f: Awaited<ReturnType<typeof setUpFundLedger>>;

/** Refused before any approval is read (input, mode, budget, conflict): an id that exists nowhere. */
const UNUSED = `apr_${'0'.repeat(24)}`;

/** Each movement names an approval: the maker asks, a supervisor approves (maker-checker.db.test.ts). */
const approved = (request: FundApprovalRequest) =>
  approvedFundRequest(t.db, f.maker, [f.checker], request);
const sweepApproval = (city: string, period: string) =>
  approved({ action: 'pooling.sweep', city, period });

const balances = async (segment: string, asOf = '2024-03-31') => {
  const tb = await trialBalance(t.db, { segment, asOf });
  if (!tb.ok) throw new Error(tb.message);
  return (account: string) => tb.value.rows.find((x) => x.account === account)?.balanceFen ?? 0;
};

async function sweepsMonthBalanced(): Promise<void> {
  const r = await sweepCityMonth(t.db, f.system, {
    params: pooling,
    city: HZ,
    period: '2024-01',
    approvalId: await sweepApproval(HZ, '2024-01'),
  });
  if (!r.ok) throw new Error(r.message);
  expect(r.value).toEqual({
    city: HZ,
    period: '2024-01',
    status: 'posted',
    amountFen: 1_230_000, // 1 000 000 + 234 567 − 4 567
    transactionIds: ['unified:sweep:330100:2024-01', 'unified:sweep:330100:2024-01:transfer'],
  });
  const hz = await balances(HZ);
  expect(hz('4101')).toBe(1_230_010); // the city's contribution income stays visible
  expect(hz('5302')).toBe(1_230_000);
  expect(hz('2151:330000')).toBe(0); // due settled by the transfer
  expect(hz('1001')).toBe(1_230_010 - 300_000 - 1_230_000);
  const prov = await balances('330000');
  expect(prov('4105')).toBe(1_230_000);
  expect(prov('1151:330100')).toBe(0);
  expect(prov('1001')).toBe(1_230_000);
  const check = await checkLedger(t.db);
  expect(check.differences).toEqual([]);
  // Each transaction balances per segment (also checked by the database at COMMIT).
  const legs = await t.db.query(
    `SELECT t.id, s.code AS segment,
            sum(CASE WHEN p.side = 'D' THEN p.amount ELSE -p.amount END)::int8 AS net
       FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.tx_seq
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE t.id LIKE 'unified:sweep:%' GROUP BY 1, 2`,
  );
  expect(legs.rows.length).toBe(4);
  for (const row of legs.rows)
    expect(intOf(row, 'net'), `${textOf(row, 'id')} ${textOf(row, 'segment')}`).toBe(0);
}

async function repeatOrChangedMonth(): Promise<void> {
  const before = await transactionCount(t.db);
  // A repeat under a new approval of the same figure posts nothing.
  const again = await sweepCityMonth(t.db, f.system, {
    params: pooling,
    city: HZ,
    period: '2024-01',
    approvalId: await sweepApproval(HZ, '2024-01'),
  });
  expect(again.ok && again.value.status).toBe('exists');
  expect(await transactionCount(t.db)).toBe(before);
  const late = await postTransactions(t.db, f.system, [
    tx('t:hz:late', '2024-01-31', HZ, '1001', '4101', 7),
  ]);
  expect(late.ok).toBe(true);
  const conflict = await sweepCityMonth(t.db, f.system, {
    params: pooling,
    city: HZ,
    period: '2024-01',
    approvalId: await sweepApproval(HZ, '2024-01'),
  });
  expect(conflict.ok).toBe(false);
  if (!conflict.ok)
    expect(conflict).toMatchObject({
      code: 'pooling.sweep_conflict',
      details: { sweptFen: 1_230_000, currentFen: 1_230_007, differenceFen: 7 },
    });
  const empty = await sweepCityMonth(t.db, f.system, {
    params: pooling,
    city: NB,
    period: '2024-03',
    approvalId: UNUSED,
  });
  expect(empty.ok && empty.value).toMatchObject({ status: 'nothing', transactionIds: [] });
}

async function refusesOldYearsAndProvince(): Promise<void> {
  const old = await sweepCityMonth(t.db, f.system, {
    params: pooling,
    city: HZ,
    period: '2023-12',
    approvalId: UNUSED,
  });
  expect(!old.ok && old.code).toBe('pooling.mode_not_unified');
  const prov = await sweepCityMonth(t.db, f.system, {
    params: pooling,
    city: '330000',
    period: '2024-01',
    approvalId: UNUSED,
  });
  expect(!prov.ok && prov.code).toBe('pooling.invalid_request');
}

async function allocatesIdempotently(): Promise<void> {
  const input = {
    allocationId: 'alloc-2024-02-hz',
    city: HZ,
    effectiveDate: '2024-02-01',
    amountFen: 400_000,
  };
  const allocation = (amountFen: number) =>
    approved({ action: 'pooling.allocate', ...input, amountFen });
  const r = await allocateToCity(t.db, f.system, {
    ...input,
    params: pooling,
    approvalId: await allocation(400_000),
  });
  if (!r.ok) throw new Error(r.message);
  expect(r.value.status).toBe('posted');
  expect(r.value.transactionIds).toEqual([
    'unified:allocation:alloc-2024-02-hz',
    'unified:allocation:alloc-2024-02-hz:transfer',
  ]);
  const hz = await balances(HZ);
  expect(hz('4104')).toBe(400_000);
  expect(hz('1151:330000')).toBe(0);
  const prov = await balances('330000');
  expect(prov('5301')).toBe(400_000);
  expect(prov('2151:330100')).toBe(0);
  expect(prov('1001')).toBe(1_230_000 - 400_000);
  const again = await allocateToCity(t.db, f.system, {
    ...input,
    params: pooling,
    approvalId: await allocation(400_000),
  });
  expect(again.ok && again.value.status).toBe('exists');
  const other = await allocateToCity(t.db, f.system, {
    params: pooling,
    ...input,
    amountFen: 400_001,
    approvalId: await allocation(400_001),
  });
  expect(!other.ok && other.code).toBe('ledger.idempotency_conflict');
  const bad = await allocateToCity(t.db, f.system, {
    params: pooling,
    ...input,
    allocationId: 'no spaces',
    approvalId: UNUSED,
  });
  expect(!bad.ok && bad.code).toBe('pooling.invalid_request');
}

async function allocatesBudgetShare(): Promise<void> {
  const none = await allocateMonthFromBudget(t.db, f.system, {
    params: pooling,
    city: NB,
    period: '2024-03',
    approvalId: UNUSED,
  });
  expect(!none.ok && none.code).toBe('pooling.budget_not_approved');
  const s = await saveBudgetLines(t.db, f.maker, {
    regionCode: NB,
    year: 2024,
    lines: [
      { account: '4101', amountFen: 9_000_000 },
      { account: '5101', amountFen: 1_000_005 },
      { account: '5201', amountFen: 200_000 },
      { account: '5302', amountFen: 9_000_000 }, // a transfer: not allocated
    ],
  });
  if (!s.ok) throw new Error(s.message);
  expect((await submitBudget(t.db, f.maker, { regionCode: NB, year: 2024 })).ok).toBe(true);
  const c = await consolidateBudgets(t.db, f.maker, { regionCode: '330000', year: 2024 });
  if (!c.ok) throw new Error(c.message);
  const d = await decideApproval(t.db, f.checker, {
    regionCode: '330000',
    id: c.value.approvalId,
    decision: 'approved',
  });
  if (!d.ok) throw new Error(d.message);
  const a = await approveBudgets(t.db, f.maker, {
    regionCode: '330000',
    year: 2024,
    approvalId: c.value.approvalId,
  });
  if (!a.ok) throw new Error(a.message);
  // 1 200 005 / 12 = 100 000 r 5: January … May take 100 001, the rest 100 000.
  const budgetApproval = () =>
    approved({ action: 'pooling.allocate_from_budget', city: NB, period: '2024-03' });
  const mar = await allocateMonthFromBudget(t.db, f.system, {
    params: pooling,
    city: NB,
    period: '2024-03',
    approvalId: await budgetApproval(),
  });
  if (!mar.ok) throw new Error(mar.message);
  expect(mar.value).toMatchObject({
    allocationId: 'budget:330200:2024-03',
    status: 'posted',
    amountFen: 100_001,
  });
  const again = await allocateMonthFromBudget(t.db, f.system, {
    params: pooling,
    city: NB,
    period: '2024-03',
    approvalId: await budgetApproval(),
  });
  expect(again.ok && again.value.status).toBe('exists');
  expect((await balances(NB))('4104')).toBe(100_001);
}

async function indicatorsSeeOwnFlows(): Promise<void> {
  const city = await fundOverview(
    t.db,
    {
      regionCode: HZ,
      asOf: '2024-01-31',
      today: '2024-12-31',
    },
    indicators,
  );
  if (!city.ok) throw new Error(city.message);
  const jan = city.value.total.months[0]!;
  // Own flows only: the sweep is a transfer between segments, shown in the balance, not as the
  // city's expenditure (else a unified city's expenditure would mirror its income).
  expect(jan.incomeFen).toBe(1_230_007);
  expect(jan.expenditureFen).toBe(300_000);
  expect(city.value.total.balanceFen).toBe(1_230_007 - 300_000 - 1_230_000);
  const prov = await fundOverview(
    t.db,
    {
      regionCode: '330000',
      asOf: '2024-01-31',
      today: '2024-12-31',
    },
    indicators,
  );
  if (!prov.ok) throw new Error(prov.message);
  expect(prov.value.total.months[0]).toEqual({
    period: '2024-01',
    incomeFen: 1_230_007 + 500_000,
    expenditureFen: 300_000,
  });
  const province = prov.value.segments.find((x) => x.segment === '330000')!;
  expect(province.balanceFen).toBe(1_230_000);
  // Months of expenditure leave transfers out of the denominator.
  const ind = await fundIndicators(
    t.db,
    {
      regionCode: HZ,
      asOf: '2024-01-31',
      today: '2024-12-31',
    },
    indicators,
  );
  if (!ind.ok) throw new Error(ind.message);
  expect(ind.value.cities[0]!.monthsOfExpenditure).toMatchObject({
    balanceFen: 1_230_007 - 300_000 - 1_230_000,
    expenditure12Fen: 300_000,
  });
}

describe(`unified mode: sweep and allocation on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    f = await setUpFundLedger(t.db, { cities: [HZ, NB] });
    for (const period of ['2023-12', '2024-01', '2024-02', '2024-03']) {
      const o = await openPeriod(t.db, f.system, { segment: 'all', period });
      if (!o.ok) throw new Error(o.message);
    }
    const r = await postTransactions(t.db, f.system, [
      tx('t:hz:c1', '2024-01-10', HZ, '1001', '4101', 1_000_000),
      tx('t:hz:c2', '2024-01-20', HZ, '1001', '4101', 234_567),
      tx('t:hz:refund', '2024-01-25', HZ, '4101', '1001', 4_567),
      tx('t:hz:b1', '2024-01-26', HZ, '5101', '1001', 300_000),
      tx('t:nb:c1', '2024-01-15', NB, '1001', '4101', 500_000),
      tx('t:hz:c3', '2024-02-15', HZ, '1001', '4101', 10),
    ]);
    if (!r.ok) throw new Error(r.message);
  });
  afterAll(async () => t.cleanup());
  it(
    'sweeps the month’s net contribution income to the province through the due accounts, balanced per segment',
    sweepsMonthBalanced,
  );
  it(
    'a repeat posts nothing; a changed month is refused naming both amounts; a zero month posts nothing',
    repeatOrChangedMonth,
  );
  it(
    'refuses a month of the adjustment-fund years and a non-city segment',
    refusesOldYearsAndProvince,
  );
  it(
    'allocates to a city through the due accounts, idempotent by allocation id',
    allocatesIdempotently,
  );
  it(
    'allocates the month’s share of the approved budget’s own expense lines (largest remainder)',
    allocatesBudgetShare,
  );
  it(
    'indicators still see each city’s own income and expenditure; the province total counts each yuan once',
    indicatorsSeeOwnFlows,
  );
});
