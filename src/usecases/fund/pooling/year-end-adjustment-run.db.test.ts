import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import { systemActor } from '../../../identity/actor.ts';
import {
  SCENARIO_ADJUSTMENT_OPENING_FEN,
  SCENARIO_FIGURES,
  SCENARIO_MANAGEMENT_GAPS,
  SCENARIO_PROVINCE,
  SCENARIO_YEAR,
  seedYearEndScenario,
} from '../../../jobs/fund/pooling/year-end-run-scenario.ts';
import { settlePooling } from '../../../rules/fund/pooling/pooling-settle.ts';
import { testRuleBook } from '../../../runtime/testing.ts';
import { checkLedger, trialBalance } from '../ledger/ledger-read.ts';
import { approvedFundRequest, setUpFundLedger } from '../testing.ts';
import { transactionCount } from './testing.ts';
import { runYearEnd } from './year-end-adjustment-run.ts';

const { pooling } = testRuleBook();

const actor = systemActor('req-year-end-test', SCENARIO_PROVINCE);

let t: TestDatabase;

let dir: string;

/** The run's approval (a fund manager asks, a supervisor approves): consumed by the first run. */
let approvalId: string;

const run = () =>
  runYearEnd(t.db, actor, {
    params: pooling,
    province: SCENARIO_PROVINCE,
    year: SCENARIO_YEAR,
    managementGapsFen: SCENARIO_MANAGEMENT_GAPS,
    reportsDir: dir,
    approvalId,
  });

async function settlesAndPosts(): Promise<void> {
  const r = await run();
  if (!r.ok) throw new Error(r.message);
  if (r.value.mode !== 'adjustment_fund') throw new Error('2023 is an adjustment-fund year');
  const s = r.value.yearEnd;
  // The figures the run read, against the scenario as posted.
  const expectedInput = {
    mode: 'adjustment_fund' as const,
    year: SCENARIO_YEAR,
    rules: { remittanceRate: '0.05', reserveRate: '0.02', policyGapCoverageShare: '0.8' },
    adjustmentFundOpeningFen: SCENARIO_ADJUSTMENT_OPENING_FEN,
    cities: Object.entries(SCENARIO_FIGURES).map(([code, f]) => ({
      code,
      contributionIncomeFen: f.contribution,
      otherIncomeFen: f.other,
      expenditureFen: f.expenditure,
      openingBalanceFen: f.prior[0] - f.prior[1],
      managementGapFen: SCENARIO_MANAGEMENT_GAPS[code] ?? 0,
    })),
  };
  expect(s).toEqual(settlePooling(expectedInput));
  // Hand-checked: 330200 closing = 0 + 6 000 000 − 8 000 000 − 300 000 − 120 000.
  expect(s.cities.find((c) => c.code === '330200')).toMatchObject({
    gapFen: 2_420_000,
    claimFen: 1_936_000,
  });
  expect(s.availableFen).toBe(1_500_000);
  expect(s.coverageBasis).toBe('prorated');
  expect(r.value.demoParameters).toBe(true);
  expect(r.value.computedNow).toBe(true);
  // 4 remittances + 4 reserves + 2 coverages.
  expect(r.value.transactionIds).toHaveLength(10);
  expect(r.value.postedNow).toBe(10);
  const check = await checkLedger(t.db);
  expect(check.differences).toEqual([]);
  expect(check.ok).toBe(true);
  // The adjustment fund after the run: opening + remittances − coverage = its closing.
  const tb = await trialBalance(t.db, {
    segment: `${SCENARIO_PROVINCE}-ADJ`,
    asOf: '2023-12-31',
  });
  if (!tb.ok) throw new Error(tb.message);
  const bal = (code: string) => tb.value.rows.find((x) => x.account === code)?.balanceFen ?? 0;
  expect(bal('4106') + bal('4105') - bal('5301')).toBe(s.adjustmentFundClosingFen);
  expect(bal('1151:330100')).toBe(s.cities.find((c) => c.code === '330100')!.remittanceFen);
}

async function rerunPostsNothing(): Promise<void> {
  const before = await transactionCount(t.db);
  const files = ['xlsx', 'pdf'].map((e) => join(dir, `pooling-year-end-330000-2023.${e}`));
  const bytes = files.map((f) => readFileSync(f));
  const r = await run();
  if (!r.ok) throw new Error(r.message);
  expect(r.value.computedNow).toBe(false);
  expect(r.value.postedNow).toBe(0);
  expect(await transactionCount(t.db)).toBe(before);
  for (const [i, f] of files.entries()) expect(readFileSync(f).equals(bytes[i]!)).toBe(true);
}

async function damagedReportRewritten(): Promise<void> {
  const xlsx = join(dir, 'pooling-year-end-330000-2023.xlsx');
  const good = readFileSync(xlsx);
  writeFileSync(xlsx, 'garbage');
  const r = await run();
  expect(r.ok).toBe(true);
  expect(readFileSync(xlsx).equals(good)).toBe(true);
}

async function excelListsCities(): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(join(dir, 'pooling-year-end-330000-2023.xlsx')) as never);
  const ws = wb.getWorksheet('结算')!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  const city = rows.find((r) => r[0] === '330200')!;
  expect(city[1]).toBe('宁波市');
  expect(city).toContain(2_420_000);
  expect(ws.getCell(`A${rows.indexOf(city) + 1}`).numFmt).toBe('@');
}

async function pdfEmbedsFont(): Promise<void> {
  const pdf = readFileSync(join(dir, 'pooling-year-end-330000-2023.pdf'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // The npm font (@embedpdf/fonts-sc) comes first, so a fresh machine needs no system font.
  expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
}

async function tableRefusesChange(): Promise<void> {
  await expect(
    t.db.query(`UPDATE pooling_year_end_runs SET result = '{}'::jsonb WHERE province = '330000'`),
  ).rejects.toThrow(/pooling.run_immutable/);
  await expect(
    t.db.query(`UPDATE pooling_year_end_runs SET status = 'computed' WHERE province = '330000'`),
  ).rejects.toThrow(/pooling.run_status/);
  await expect(t.db.query(`DELETE FROM pooling_year_end_runs`)).rejects.toThrow(
    /pooling.run_immutable/,
  );
}

async function otherGapsRefused(): Promise<void> {
  const r = await runYearEnd(t.db, actor, {
    params: pooling,
    province: SCENARIO_PROVINCE,
    year: SCENARIO_YEAR,
    managementGapsFen: { '330300': 1 },
    reportsDir: dir,
    approvalId,
  });
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.code).toBe('pooling.run_conflict');
}

async function unifiedYearDispatched(): Promise<void> {
  const r = await runYearEnd(t.db, actor, {
    params: pooling,
    province: SCENARIO_PROVINCE,
    year: 2024,
    reportsDir: dir,
    approvalId,
  });
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.code).toBe('pooling.budget_not_approved');
  expect(existsSync(join(dir, 'pooling-year-end-330000-2024.pdf'))).toBe(false);
}

describe(`year-end run on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    await seedYearEndScenario(t.db);
    const f = await setUpFundLedger(t.db, { cities: [] });
    approvalId = await approvedFundRequest(t.db, f.maker, [f.checker], {
      action: 'pooling.year_end_run',
      province: SCENARIO_PROVINCE,
      year: SCENARIO_YEAR,
      managementGapsFen: SCENARIO_MANAGEMENT_GAPS,
    });
    dir = mkdtempSync(join(tmpdir(), 'tc-settle-'));
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  it(
    'reads the figures from the ledger, settles them exactly as the pure calculation, posts balanced transactions',
    settlesAndPosts,
  );
  it(
    'a rerun posts nothing new and rewrites nothing: idempotent by (province, year)',
    rerunPostsNothing,
  );
  it(
    'a damaged report file is rewritten from the stored run, byte for byte',
    damagedReportRewritten,
  );
  it('the Excel report lists every city with codes as text and amounts in fen', excelListsCities);
  it('the PDF report exists and embeds the Chinese font', pdfEmbedsFont);
  it('the run table refuses to change a stored yearEnd (database trigger)', tableRefusesChange);
  it('a rerun with other management gaps is refused, naming both', otherGapsRefused);
  it(
    'a unified-mode year is dispatched to the unified run, which needs every city’s approved budget',
    unifiedYearDispatched,
  );
});
