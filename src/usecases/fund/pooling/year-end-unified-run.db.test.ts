import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf } from '../../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { BudgetLine } from '../../../domain/fund/budgets/budget.ts';
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
import { checkLedger } from '../ledger/ledger-read.ts';
import { postTransactions } from '../ledger/ledger-write.ts';
import { openPeriod } from '../ledger/periods.ts';
import { approvedFundRequest, setUpFundLedger } from '../testing.ts';
import { transactionCount } from './testing.ts';
import { allocateToCity, sweepCityMonth } from './unified-flows.ts';
import { runYearEnd } from './year-end-adjustment-run.ts';
import { unifiedYearEndResult } from './year-end-unified-run.ts';

const { pooling } = testRuleBook();

/**
 * The unified (统收统支) year-end gap sharing of 浙江 2024, worked by hand with the parameters of
 * src/rules/params/pooling/330000.yaml `unified.gap_sharing` (demo: base 0.9 surplus / 0.8 deficit
 * budgeted; bands above 5 % → 0.6 and above 10 % → 0.4 of budgeted expenditure, marginal, policy
 * gap attributed to the highest band first; management gap 100 % the city's):
 *
 * 330100 budget 10 000 000 in / 9 000 000 out (surplus +1 000 000, base 0.9); actual 9 000 000 in,
 *   10 000 000 out → gap 1 000 000; management 100 000, policy 900 000; deviation = 1 000 000 −
 *   (−1 000 000 + 100 000) = 1 900 000; thresholds 450 000 / 900 000; band1 = min(900 000,
 *   1 900 000 − 900 000) = 900 000, band0 = 0, base = 0. Province = 0.4 × 900 000 = 360 000;
 *   city government = 640 000.
 * 330200 budget 5 000 000 / 5 500 000 (deficit −500 000, base 0.8); actual 5 020 000 (incl.
 *   20 000 interest) / 5 620 000 → gap 600 000; deviation 100 000 < 275 000 → all base.
 *   Province = 0.8 × 600 000 = 480 000; city government 120 000.
 * 330300 budget 2 000 000 / 2 000 000 (balanced = surplus, 0.9); actual 1 950 000 / 2 110 003 →
 *   gap 160 003 = deviation; thresholds 100 000 / 200 000: band1 0, band0 60 003, base 100 000.
 *   Province = 0.6 × 60 003 + 0.9 × 100 000 = 126 001.8 → 126 002 (half-up); city 34 001.
 * 330400 budget 1 000 000 / 800 000; actual 1 000 000 / 700 000 → surplus 300 000, no gap.
 *
 * True-up = −(own result + transfers net + city share):
 * 330100: sweep 9 000 000, allocation 9 500 000 → −(−1 000 000 + 500 000 + 640 000) = −140 000
 *   (the city remits); 330200: sweep 5 000 000 → −(−600 000 − 5 000 000 + 120 000) = 5 480 000;
 * 330300: nothing swept → 126 002; 330400: → −300 000 (the surplus goes up).
 * The province's net support per city (allocations − sweeps + true-up) equals its share.
 */
const P = '330000';
const CITIES = ['330100', '330200', '330300', '330400'];

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

const BUDGETS: Record<string, BudgetLine[]> = {
  '330100': [
    { account: '4101', amountFen: 10_000_000 },
    { account: '5101', amountFen: 9_000_000 },
    { account: '5302', amountFen: 10_000_000 }, // transfers are left out of the sharing
  ],
  '330200': [
    { account: '4101', amountFen: 5_000_000 },
    { account: '4104', amountFen: 500_000 },
    { account: '5101', amountFen: 5_500_000 },
  ],
  '330300': [
    { account: '4101', amountFen: 2_000_000 },
    { account: '5101', amountFen: 2_000_000 },
  ],
  '330400': [
    { account: '4101', amountFen: 1_000_000 },
    { account: '5101', amountFen: 800_000 },
  ],
};

let t: TestDatabase;

let f: Awaited<ReturnType<typeof setUpFundLedger>>;

let dir: string;

/** The run's approval (a supervisor approved the fund manager's request): consumed once posted. */
let approvalId: string;

const run = () =>
  runYearEnd(t.db, f.maker, {
    params: pooling,
    province: P,
    year: 2024,
    managementGapsFen: { '330100': 100_000 },
    reportsDir: dir,
    approvalId,
  });

async function approveAll() {
  for (const city of CITIES) {
    const s = await saveBudgetLines(t.db, f.maker, {
      regionCode: city,
      year: 2024,
      lines: BUDGETS[city]!,
    });
    if (!s.ok) throw new Error(s.message);
    const sub = await submitBudget(t.db, f.maker, { regionCode: city, year: 2024 });
    if (!sub.ok) throw new Error(sub.message);
  }
  const c = await consolidateBudgets(t.db, f.maker, { regionCode: P, year: 2024 });
  if (!c.ok) throw new Error(c.message);
  const d = await decideApproval(t.db, f.checker, {
    regionCode: P,
    id: c.value.approvalId,
    decision: 'approved',
  });
  if (!d.ok) throw new Error(d.message);
  const a = await approveBudgets(t.db, f.maker, {
    regionCode: P,
    year: 2024,
    approvalId: c.value.approvalId,
  });
  if (!a.ok) throw new Error(a.message);
}

async function refusesWithoutBudgets(): Promise<void> {
  const r = await run();
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.code).toBe('pooling.budget_not_approved');
    expect(r.details?.['cities']).toHaveLength(4);
  }
  const runs = await t.db.query('SELECT 1 FROM pooling_year_end_runs');
  expect(runs.rows).toHaveLength(0);
}

/** The legs of the year-end transactions as "segment side account amount", by transaction id. */
async function expectYearEndLegs(): Promise<void> {
  const legs = await t.db.query(
    `SELECT t.id, s.code AS segment, a.code AS account, p.side, p.amount::int8 AS amount
       FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.tx_seq
       JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_segments s ON s.id = p.segment_id
      WHERE t.id LIKE 'pooling:330000:2024:%' ORDER BY t.seq, p.seq`,
  );
  const of = (id: string) =>
    legs.rows
      .filter((l) => textOf(l, 'id') === id)
      .map(
        (l) =>
          `${textOf(l, 'segment')} ${textOf(l, 'side')} ${textOf(l, 'account')} ${intOf(l, 'amount')}`,
      );
  expect(of('pooling:330000:2024:330100:city_share')).toEqual([
    '330100 D 1132 640000',
    '330100 C 4102 640000',
  ]);
  expect(of('pooling:330000:2024:330100:true_up')).toEqual([
    '330100 D 5302 140000',
    '330100 C 2151:330000 140000',
    '330000 D 1151:330100 140000',
    '330000 C 4105 140000',
  ]);
  expect(of('pooling:330000:2024:330200:true_up')).toEqual([
    '330000 D 5301 5480000',
    '330000 C 2151:330200 5480000',
    '330200 D 1151:330000 5480000',
    '330200 C 4104 5480000',
  ]);
}

/**
 * Every city's year closes at zero; the province bears Σ province shares (966 002) and takes
 * 330400's surplus (300 000).
 */
async function expectCitiesCloseAtZero(): Promise<void> {
  const year = await t.db.query(
    `SELECT s.code AS segment,
            sum(CASE WHEN p.side = 'C' THEN p.amount ELSE -p.amount END)::int8 AS net
       FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.tx_seq
       JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_segments s ON s.id = p.segment_id
      WHERE a.type IN ('income', 'expense') AND t.effective_date BETWEEN '2024-01-01' AND '2024-12-31'
      GROUP BY 1 ORDER BY 1`,
  );
  expect(year.rows.map((x) => [textOf(x, 'segment'), intOf(x, 'net')])).toEqual([
    ['330000', -966_002 + 300_000],
    ['330100', 0],
    ['330200', 0],
    ['330300', 0],
    ['330400', 0],
  ]);
}

async function settlesWorkedExample(): Promise<void> {
  await approveAll();
  const r = await run();
  if (!r.ok) throw new Error(r.message);
  if (r.value.mode !== 'unified') throw new Error('2024 is a unified year');
  const by = (code: string) => r.value.yearEnd.cities.find((c) => c.code === code)!;
  expect(by('330100')).toMatchObject({
    budgetType: 'surplus',
    gapFen: 1_000_000,
    managementPartFen: 100_000,
    policyPartFen: 900_000,
    deviationFen: 1_900_000,
    deviationRatio: '19/90',
    layers: [
      { band: 'base', provinceShare: '0.9', amountFen: 0 },
      { band: 'band0', provinceShare: '0.6', amountFen: 0 },
      { band: 'band1', provinceShare: '0.4', amountFen: 900_000 },
    ],
    provinceShareFen: 360_000,
    cityGovernmentShareFen: 640_000,
  });
  expect(by('330200')).toMatchObject({
    budgetType: 'deficit',
    gapFen: 600_000,
    deviationFen: 100_000,
    provinceShareFen: 480_000,
    cityGovernmentShareFen: 120_000,
  });
  expect(by('330300')).toMatchObject({
    budgetType: 'surplus',
    gapFen: 160_003,
    layers: [
      { band: 'base', amountFen: 100_000 },
      { band: 'band0', amountFen: 60_003 },
      { band: 'band1', amountFen: 0 },
    ],
    provinceShareFen: 126_002,
    cityGovernmentShareFen: 34_001,
  });
  expect(by('330400')).toMatchObject({ gapFen: 0, provinceShareFen: 0 });
  expect(r.value.yearEnd.totals).toEqual({
    gapFen: 1_760_003,
    provinceShareFen: 966_002,
    cityGovernmentShareFen: 794_001,
  });
  expect(r.value.figures.map((x) => [x.code, x.transfersNetFen, x.trueUpFen])).toEqual([
    ['330100', 500_000, -140_000],
    ['330200', -5_000_000, 5_480_000],
    ['330300', 0, 126_002],
    ['330400', 0, -300_000],
  ]);
  expect(r.value.demoParameters).toBe(true);
  expect(r.value.transactionIds).toEqual([
    'pooling:330000:2024:330100:city_share',
    'pooling:330000:2024:330100:true_up',
    'pooling:330000:2024:330200:city_share',
    'pooling:330000:2024:330200:true_up',
    'pooling:330000:2024:330300:city_share',
    'pooling:330000:2024:330300:true_up',
    'pooling:330000:2024:330400:true_up',
  ]);
  expect(r.value.postedNow).toBe(7);
  await expectYearEndLegs();
  await expectCitiesCloseAtZero();
  expect((await checkLedger(t.db)).differences).toEqual([]);
}

async function rerunReturnsStored(): Promise<void> {
  const before = await transactionCount(t.db);
  const files = ['xlsx', 'pdf'].map((e) =>
    readFileSync(join(dir, `pooling-year-end-330000-2024.${e}`)),
  );
  const r = await run();
  if (!r.ok) throw new Error(r.message);
  expect(r.value).toMatchObject({ computedNow: false, postedNow: 0, mode: 'unified' });
  expect(await transactionCount(t.db)).toBe(before);
  for (const [i, e] of ['xlsx', 'pdf'].entries())
    expect(readFileSync(join(dir, `pooling-year-end-330000-2024.${e}`)).equals(files[i]!)).toBe(
      true,
    );
  const other = await runYearEnd(t.db, f.maker, {
    params: pooling,
    province: P,
    year: 2024,
    reportsDir: dir,
    approvalId,
  });
  expect(!other.ok && other.code).toBe('pooling.run_conflict');
}

async function excelAndCityView(): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(join(dir, 'pooling-year-end-330000-2024.xlsx')) as never);
  const rows: unknown[][] = [];
  wb.getWorksheet('结算')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  const wz = rows.find((r) => r[0] === '330300')!;
  expect(wz[1]).toBe('温州市');
  expect(wz).toContain(126_002);
  expect(wz).toContain(34_001);
  const pdf = readFileSync(join(dir, 'pooling-year-end-330000-2024.pdf'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const mine = await unifiedYearEndResult(t.db, { regionCode: '330200', year: 2024 });
  if (!mine.ok) throw new Error(mine.message);
  expect(mine.value.cities.map((c) => [c.code, c.provinceShareFen, c.trueUpFen])).toEqual([
    ['330200', 480_000, 5_480_000],
  ]);
  expect(mine.value.totals).toBeNull();
  expect(mine.value.status).toBe('reported');
}

describe(`unified year-end gap sharing on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'tc-unified-'));
    f = await setUpFundLedger(t.db, { cities: CITIES });
    for (const period of ['2024-06', '2024-12']) {
      const o = await openPeriod(t.db, f.system, { segment: 'all', period });
      if (!o.ok) throw new Error(o.message);
    }
    const r = await postTransactions(t.db, f.system, [
      tx('u:hz:c', '2024-06-10', '330100', '1001', '4101', 9_000_000),
      tx('u:hz:b', '2024-12-10', '330100', '5101', '1001', 10_000_000),
      tx('u:nb:c', '2024-06-10', '330200', '1001', '4101', 5_000_000),
      tx('u:nb:i', '2024-06-30', '330200', '1001', '4103', 20_000),
      tx('u:nb:b', '2024-12-10', '330200', '5101', '1001', 5_600_000),
      tx('u:nb:a', '2024-12-11', '330200', '5201', '1001', 20_000),
      tx('u:wz:c', '2024-06-10', '330300', '1001', '4101', 1_950_000),
      tx('u:wz:b', '2024-12-10', '330300', '5101', '1001', 2_110_003),
      tx('u:jx:c', '2024-06-10', '330400', '1001', '4101', 1_000_000),
      tx('u:jx:b', '2024-12-10', '330400', '5101', '1001', 700_000),
    ]);
    if (!r.ok) throw new Error(r.message);
    const approved = (request: FundApprovalRequest) =>
      approvedFundRequest(t.db, f.maker, [f.checker], request);
    for (const city of ['330100', '330200']) {
      const s = await sweepCityMonth(t.db, f.system, {
        params: pooling,
        city,
        period: '2024-06',
        approvalId: await approved({ action: 'pooling.sweep', city, period: '2024-06' }),
      });
      if (!s.ok) throw new Error(s.message);
    }
    const allocation = {
      allocationId: 'hz-2024',
      city: '330100',
      effectiveDate: '2024-06-20',
      amountFen: 9_500_000,
    };
    const a = await allocateToCity(t.db, f.system, {
      params: pooling,
      ...allocation,
      approvalId: await approved({ action: 'pooling.allocate', ...allocation }),
    });
    if (!a.ok) throw new Error(a.message);
    approvalId = await approved({
      action: 'pooling.year_end_run',
      province: P,
      year: 2024,
      managementGapsFen: { '330100': 100_000 },
    });
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  it('refuses while a city has no approved budget, storing nothing', refusesWithoutBudgets);
  it('settles the worked example exactly and posts it', settlesWorkedExample);
  it(
    'a rerun posts nothing and returns the stored result; other management gaps are refused',
    rerunReturnsStored,
  );
  it(
    'the Excel report lists every city, codes as text, amounts in fen; the view shows a city its own row',
    excelAndCityView,
  );
});
