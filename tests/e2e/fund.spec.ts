import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type TestPage, textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 4 item 10 and its browser acceptance point: province staff run the year-end run
// and see the per-city result; a city handler cannot open another city's ledger.

/** A yuan amount as the exact formatter writes it: thousands commas, two decimals. */
const yuanPattern = /^-?\d{1,3}(,\d{3})*\.\d{2}$/;

const cities = [
  '杭州',
  '宁波',
  '温州',
  '嘉兴',
  '湖州',
  '绍兴',
  '金华',
  '衢州',
  '舟山',
  '台州',
  '丽水',
];

/** Picks an option of an antd Select by its visible label. */
async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page
    .locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`)
    .click();
}

async function rowTexts(page: Page, testId: string): Promise<string[]> {
  const rows = page.getByTestId(testId).locator('tbody tr.ant-table-row');
  await rows.first().waitFor();
  return rows.allInnerTexts();
}

/** The cells of one table row, by the first cell's text, as the person reads them. */
async function cellsOfRow(page: Page, testId: string, firstCell: string): Promise<string[]> {
  const row = page
    .getByTestId(testId)
    .locator('tbody tr.ant-table-row')
    .filter({ hasText: firstCell });
  const cells = await row.locator('td').allInnerTexts();
  return cells.map((c) => c.trim());
}

async function overviewOfAllCities({ page, errors }: TestPage): Promise<void> {
  await signIn(page, 'province.fund');
  await page.getByTestId('nav-fund').click();
  await page.getByTestId('nav-fund-overview').click();
  expect(new URL(page.url()).pathname).toBe('/fund');
  const rows = await rowTexts(page, 'fund-cities-table');
  expect(rows).toHaveLength(11);
  for (const city of cities) expect(rows.join('\n')).toContain(city);

  const hz = await cellsOfRow(page, 'fund-cities-table', '330100');
  // code, name, balance, reserve, income YTD, expenditure YTD, months, alert
  expect(hz[1]).toBe('杭州市工伤保险基金');
  for (const amount of hz.slice(2, 6)) expect(amount).toMatch(yuanPattern);
  expect(hz[6]).toMatch(/^\d+\.\d{2}$/);
  expect(hz[7]).not.toBe('');
  expect(await page.getByTestId('fund-cities-table').getByTestId('alert-tag').count()).toBe(11);
  expect(await textOf(page.getByTestId('fund-total-balance'))).toMatch(/\d{1,3}(,\d{3})*\.\d{2}/);
  expect(await page.getByTestId('fund-cities-chart').locator('canvas').count()).toBe(1);
  expect(await page.getByTestId('fund-monthly-chart').locator('canvas').count()).toBe(1);
  await page.screenshot({ path: '/tmp/tongchou-fund-overview-province.png', fullPage: true });

  // Drill down to one city.
  await page.getByTestId('city-link-330200').click();
  await page.getByTestId('fund-asof').waitFor();
  expect(new URL(page.url()).pathname).toBe('/fund/330200');
  expect(await textOf(page.getByTestId('fund-asof'))).toContain('宁波市工伤保险基金');
  expect(await page.getByTestId('fund-cities-table').count()).toBe(0);
  expect(errors).toEqual([]);
}

/**
 * 2025 (统收统支): refused while some 2025 city budgets are not approved — the problem code and
 * the server's explanation are on the page, and no result appears.
 */
async function yearEnd2025Refused(page: Page): Promise<void> {
  await choose(page, 'year-end-year', '2025');
  await page.getByTestId('year-end-approval-ready').waitFor();
  await page.getByTestId('year-end-run').click();
  const refusal = page.getByTestId('year-end-run-error');
  await refusal.waitFor();
  const refusalText = await textOf(refusal);
  expect(refusalText).toContain('pooling.budget_not_approved');
  expect(refusalText).toContain('331100');
  expect(await page.getByTestId('year-end-table').count()).toBe(0);
  await page.screenshot({ path: '/tmp/tongchou-fund-year-end-2025-refused.png', fullPage: true });
}

/** 2023: the run posts and shows every city; a rerun is idempotent by (province, year). */
async function yearEnd2023RunTwice(page: Page): Promise<void> {
  await choose(page, 'year-end-year', '2023');
  await page.getByTestId('year-end-not-run').waitFor();
  expect(await page.getByTestId('year-end-run-error').count()).toBe(0);
  await page.getByTestId('year-end-approval-ready').waitFor();
  await page.getByTestId('year-end-run').click();
  const outcome = page.locator('[data-testid="year-end-run-outcome"][data-computed-now="true"]');
  await outcome.waitFor();
  expect(await textOf(outcome)).toMatch(/本次生成并记账 \d+ 笔交易/);
  const first = await rowTexts(page, 'year-end-table');
  expect(first).toHaveLength(11);
  expect(await textOf(page.getByTestId('year-end-maker'))).toBe('province.fund');

  const hz = await cellsOfRow(page, 'year-end-table', '330100');
  // city, contribution income, remittance, reserve, closing before coverage, gap, coverage,
  // city government share, closing after coverage
  expect(hz[0]).toContain('杭州市');
  expect(hz).toHaveLength(9);
  for (const amount of hz.slice(1)) expect(amount).toMatch(yuanPattern);
  expect(hz[2]).not.toBe('0.00'); // remittance = 5 % of the contributions
  expect(await textOf(page.getByTestId('year-end-adj-closing'))).toMatch(yuanPattern);
  await page.screenshot({ path: '/tmp/tongchou-fund-year-end-2023.png', fullPage: true });

  // The approval went with the postings: another run of the year needs a new one.
  await page.getByTestId('year-end-approval-missing').waitFor();
  expect(await page.getByTestId('year-end-run').isDisabled()).toBe(true);
  await page.reload();
  await choose(page, 'year-end-year', '2023');
  expect(await rowTexts(page, 'year-end-table')).toEqual(first);
}

/** 2024 (统收统支): the unified gap sharing against the approved 2024 budgets. */
async function yearEnd2024Unified(page: Page): Promise<void> {
  await choose(page, 'year-end-year', '2024');
  await page.getByTestId('year-end-not-run').waitFor();
  await page.getByTestId('year-end-approval-ready').waitFor();
  await page.getByTestId('year-end-run').click();
  await page.locator('[data-testid="year-end-run-outcome"][data-computed-now="true"]').waitFor();
  expect(await page.getByTestId('year-end-mode').getAttribute('data-mode')).toBe('unified');
  expect(await rowTexts(page, 'year-end-table')).toHaveLength(11);
  const nb = await cellsOfRow(page, 'year-end-table', '330200');
  expect(nb[0]).toContain('宁波市');
  expect(nb[2]).toMatch(yuanPattern);
  await page.screenshot({ path: '/tmp/tongchou-fund-year-end-2024.png', fullPage: true });
}

/** The maker asks for approval of a year's run; answers the approval's id. */
async function requestRunApproval(page: Page, year: number): Promise<string> {
  await choose(page, 'year-end-year', String(year));
  expect(await page.getByTestId('year-end-run').isDisabled()).toBe(true);
  await page.getByTestId('year-end-request-approval').click();
  const requested = page.getByTestId('year-end-approval-requested');
  await requested.waitFor();
  const id = (await requested.getAttribute('data-approval-id')) ?? '';
  expect(id).toMatch(/^apr_[0-9a-f]{24}$/);
  return id;
}

/** The maker sees their own request in the work list, without approve or reject. */
async function makerCannotApprove(page: Page, id: string): Promise<void> {
  await page.goto('/approvals');
  await page.getByTestId(`approval-view-${id}`).click();
  await page.getByTestId('approval-own').waitFor();
  expect(await page.getByTestId('approval-approve').count()).toBe(0);
}

/** The checker (province.supervisor) reads the payload of each request and approves it. */
async function checkerApprovesRuns(page: Page, ids: [number, string][]): Promise<void> {
  await signIn(page, 'province.supervisor');
  await page.goto('/approvals');
  for (const [year, id] of ids) {
    await page.getByTestId(`approval-view-${id}`).click();
    const detail = page.locator(`[data-testid="approval-detail"][data-status="pending"]`);
    await detail.waitFor();
    expect(await textOf(page.getByTestId('approval-payload-year'))).toBe(String(year));
    expect(await textOf(page.getByTestId('approval-payload-province'))).toBe('330000');
    await page.getByTestId('approval-approve').click();
    await page.locator('[data-testid="approval-detail"][data-status="approved"]').waitFor();
  }
  await page.screenshot({ path: '/tmp/tongchou-approvals-checker.png', fullPage: true });
}

async function yearEndRuns(maker: TestPage, checker: TestPage): Promise<void> {
  const page = maker.page;
  await signIn(page, 'province.fund');
  await page.goto('/fund/year-end');
  await page.getByTestId('fund-year-end').waitFor();
  const ids: [number, string][] = [];
  for (const year of [2025, 2023, 2024]) ids.push([year, await requestRunApproval(page, year)]);
  await makerCannotApprove(page, ids[0]![1]);
  await checkerApprovesRuns(checker.page, ids);
  await page.goto('/fund/year-end');
  await page.getByTestId('fund-year-end').waitFor();
  await yearEnd2025Refused(page);
  await yearEnd2023RunTwice(page);
  await yearEnd2024Unified(page);
  expect(maker.errors).toEqual([]);
  expect(checker.errors).toEqual([]);
}

/** A transaction's postings: open the first one (read again from the transactions route). */
async function openFirstTransaction(page: Page): Promise<void> {
  await page.getByTestId('journal-table').getByTestId('journal-open').first().click();
  const drawer = page.getByTestId('transaction-drawer');
  const postings = drawer.getByTestId('postings-table');
  await postings.locator('tbody tr.ant-table-row').first().waitFor();
  const legs = await postings.locator('tbody tr.ant-table-row').allInnerTexts();
  expect(legs.length).toBeGreaterThanOrEqual(2);
  // At least one leg in 杭州's segment (a transfer also has legs in the province's segment),
  // and the postings balance: the summary row's debit total equals its credit total.
  expect(legs.some((leg) => leg.startsWith('330100'))).toBe(true);
  const summary = (await textOf(postings.locator('.ant-table-summary tr'))).split('\t');
  expect(summary[summary.length - 2]?.trim()).toMatch(yuanPattern);
  expect(summary[summary.length - 2]?.trim()).toBe(summary[summary.length - 1]?.trim());
  await page.keyboard.press('Escape');
}

/** Older page by beforeSeq: the first entry of the next page is older than the last one shown. */
async function pageToOlderEntries(page: Page): Promise<void> {
  const seqs = (rows: string[]) => rows.map((r) => Number(/\d+/.exec(r)?.[0] ?? Number.NaN));
  const newestPage = seqs(await rowTexts(page, 'journal-table'));
  const lastSeq = newestPage[newestPage.length - 1] ?? 0;
  await page.getByTestId('journal-older').click();
  await page.waitForFunction((last) => {
    const row = document.querySelector('[data-testid="journal-table"] tbody tr.ant-table-row');
    const seq = Number(row?.querySelectorAll('td')[1]?.textContent ?? 'NaN');
    return seq < last;
  }, lastSeq);
  const olderPage = seqs(await rowTexts(page, 'journal-table'));
  expect(Math.max(...olderPage)).toBeLessThan(Math.min(...newestPage));
}

/** Trial balance: totals shown and balanced. */
async function trialBalanceBalances(page: Page): Promise<void> {
  await page.getByRole('tab', { name: '试算平衡表' }).click();
  const balanced = page.locator('[data-testid="tb-balanced"][data-balanced="true"]');
  await balanced.waitFor();
  const debit = await textOf(page.getByTestId('tb-total-debit'));
  const credit = await textOf(page.getByTestId('tb-total-credit'));
  expect(debit).toMatch(yuanPattern);
  expect(debit).toBe(credit);
  await page.screenshot({ path: '/tmp/tongchou-fund-ledger-hz.png', fullPage: true });
}

async function otherLedgersNotInScope(page: Page): Promise<void> {
  await page.goto('/fund/330200/ledger');
  await page.getByTestId('fund-not-in-scope').waitFor();
  expect(await textOf(page.getByTestId('fund-not-in-scope'))).toBe('无权查看或不存在');
  expect(await page.getByTestId('journal-table').count()).toBe(0);
  const body = await textOf(page.locator('body'));
  expect(body).not.toContain('宁波');
  await page.screenshot({ path: '/tmp/tongchou-fund-ledger-nb-refused.png', fullPage: true });

  // The province's ledger is outside a city handler's scope too.
  await page.goto('/fund/330000/ledger');
  await page.getByTestId('fund-not-in-scope').waitFor();
}

async function cityLedger({ page, errors }: TestPage): Promise<void> {
  await signIn(page, 'hz.handler');
  await page.goto('/fund/ledger');
  const journal = await rowTexts(page, 'journal-table');
  expect(journal.length).toBeGreaterThan(0);
  expect(journal.length).toBeLessThanOrEqual(50);
  await openFirstTransaction(page);
  await pageToOlderEntries(page);
  await trialBalanceBalances(page);
  await otherLedgersNotInScope(page);
  expect(errors).toEqual([]);
}

async function cityBudget({ page, errors }: TestPage): Promise<void> {
  await signIn(page, 'hz.handler');
  await page.goto('/fund/budgets');
  const detail = page.getByTestId('budget-detail');
  await detail.getByTestId('budget-status').waitFor();
  expect(await textOf(page.getByTestId('budget-year'))).toContain('2025');
  expect(await detail.getByTestId('budget-status').getAttribute('data-status')).toBe('approved');
  const lines = await rowTexts(page, 'budget-lines');
  expect(lines.length).toBeGreaterThan(10);
  expect(lines.join('\n')).toContain('工伤保险费收入');
  expect(await textOf(page.getByTestId('budget-income-total'))).toMatch(yuanPattern);
  await budgetExecution(page);
  expect(errors).toEqual([]);
}

/** The execution table and chart of the city's budget, and its Excel download. */
async function budgetExecution(page: Page): Promise<void> {
  const exec = await cellsOfRow(page, 'execution-table', '4101');
  // expand-less rows: account, line, annual, planned, actual, variance, variance %, execution %
  expect(exec[1]).toBe('工伤保险费收入');
  for (const amount of exec.slice(2, 6)) expect(amount).toMatch(yuanPattern);
  expect(exec[6]).toMatch(/^-?\d+\.\d{2}%$/);
  expect(exec[7]).toMatch(/^\d+\.\d{2}%$/);
  const months = await rowTexts(page, 'execution-months');
  expect(months).toHaveLength(12);
  expect(months[0]).toContain('2025-01');
  expect(await page.getByTestId('execution-chart').locator('canvas').count()).toBe(1);

  const href = await page.getByTestId('execution-xlsx').getAttribute('href');
  expect(href).toBe('/api/v1/regions/330100/fund/budgets/2025/execution.xlsx');
  const download = await page.request.get(href ?? '');
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toContain('spreadsheetml');
  await page.screenshot({ path: '/tmp/tongchou-fund-budgets-hz.png', fullPage: true });
}

/** The maker consolidates the submitted budgets; answers the approval's id. */
async function consolidate(page: Page): Promise<string | undefined> {
  await signIn(page, 'province.fund');
  await page.goto('/fund/budgets');
  const table = page.getByTestId('province-budgets-table');
  await table.locator('tbody tr.ant-table-row').first().waitFor();
  expect(await table.locator('tbody tr.ant-table-row').count()).toBe(12);
  await page.getByTestId('budget-consolidate').click();
  const result = page.getByTestId('consolidation-result');
  await result.waitFor();
  const approvalId = /apr_[0-9a-f]{24}/.exec(await textOf(result))?.[0];
  expect(approvalId).toBeDefined();
  return approvalId;
}

/** The checker (another person, no consolidate button) approves the pending consolidation. */
async function approveAsChecker(page: Page, approvalId: string | undefined): Promise<void> {
  await signIn(page, 'province.supervisor');
  await page.goto('/fund/budgets');
  const pending = page.getByTestId('pending-approval');
  await pending.waitFor();
  expect(await textOf(pending)).toContain(approvalId ?? '?');
  expect(await page.getByTestId('budget-consolidate').count()).toBe(0);
  await page.getByTestId('approval-approve').click();
  await page.getByText(`已对 ${approvalId} 作出审批决定。`).waitFor();
}

async function makerConfirms(page: Page): Promise<void> {
  await page.reload();
  await page.getByTestId('budget-approve').click();
  const approved = page.getByTestId('approval-result');
  await approved.waitFor();
  expect(await textOf(approved)).toMatch(/复核人 usr_[0-9a-f]+/);
  expect(await textOf(approved)).toContain('330700');
  await page.screenshot({ path: '/tmp/tongchou-fund-budgets-province.png', fullPage: true });
}

describe('fund pages', () => {
  const journeys = setUpJourneys();

  it('(a) province.fund opens the fund overview from the menu and sees all 11 cities with figures', () =>
    withPage(journeys, overviewOfAllCities));

  it('(b) province.fund asks for approval of the runs, province.supervisor approves them, province.fund runs 2023 (per-city result), 2025 refused, 2024 unified', () =>
    withPage(journeys, (maker) => withPage(journeys, (checker) => yearEndRuns(maker, checker))));

  it("(c) hz.handler reads 杭州's ledger, but 宁波's ledger by URL is not found in scope", () =>
    withPage(journeys, cityLedger));

  it('(d) hz.handler views the 2025 budget and its execution table, with the Excel link', () =>
    withPage(journeys, cityBudget));

  it('(e) province.fund consolidates the submitted 2025 budgets, province.supervisor approves, province.fund confirms', () =>
    withPage(journeys, (maker) =>
      withPage(journeys, async (checker) => {
        const approvalId = await consolidate(maker.page);
        await approveAsChecker(checker.page, approvalId);
        await makerConfirms(maker.page);
        expect(maker.errors).toEqual([]);
        expect(checker.errors).toEqual([]);
      }),
    ));
});
