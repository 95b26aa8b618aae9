import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/kernel/dates.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';
import { demoWorkerAccount } from './support/payroll-seed.ts';
import { insertOverpayment } from './support/recovery-seed.ts';

// Issue 12 in the browser: 杭州's handler runs last month's payroll, the city's supervisor approves
// it (maker-checker), the handler downloads the payment file and imports the bank's return in
// which the demo worker's line failed; this month's run reissues it, is approved and paid; the
// demo worker sees both payments (and the failure) on the own case page. Data: three fund-paid
// entitlements with card accounts (support/payroll-seed.ts), 6 800.00 + 2 700.00 + 3 500.00 =
// 13 000.00 yuan a month, on this spec's own server.

const thisMonth = todayInChina().slice(0, 7);
const lastMonth = (() => {
  const [y, m] = thisMonth.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
})();
const runIdOf = (month: string) => `prl_330100_${month.replace('-', '')}`;

async function openRun(page: Page, month: string): Promise<void> {
  await page.getByTestId('nav-payroll').click();
  await page.getByTestId(`payroll-open-${month}`).click();
  await page.getByTestId('payroll-run').waitFor();
  await page.getByTestId('payroll-run').filter({ hasText: month }).waitFor();
}

async function handlerStarts(page: Page, month: string, total: string): Promise<void> {
  await signIn(page, 'hz.handler');
  await page.getByTestId('nav-payroll').click();
  await page.getByTestId('payroll-start').waitFor();
  if (month !== thisMonth) {
    const picker = page.getByTestId('payroll-month');
    await picker.click();
    await picker.fill(month);
    await picker.press('Enter');
  }
  await page.getByTestId('payroll-start-submit').click();
  await page.getByTestId(`payroll-open-${month}`).waitFor();
  await page.getByTestId('payroll-run').filter({ hasText: month }).waitFor();
  // The opened run has its own address.
  expect(new URL(page.url()).pathname).toBe(`/payroll/${runIdOf(month)}`);
  expect(await textOf(page.getByTestId('payroll-run-status'))).toBe('待审批');
  expect(await textOf(page.getByTestId('payroll-run-total'))).toBe(total);
  expect(await textOf(page.getByTestId('payroll-by-kind'))).toContain('生活护理费');
  // The maker sees no approval button; the list shows the run.
  expect(await page.getByTestId('payroll-approve').count()).toBe(0);
}

/**
 * The handler computes the unapproved run again (重新计算, a reason first): nothing changed since,
 * so the same lines and total come back, awaiting a new approval (the checker's step below).
 */
async function handlerRecomputes(page: Page, month: string, total: string): Promise<void> {
  await signIn(page, 'hz.handler');
  await openRun(page, month);
  await page.getByTestId('payroll-recompute').click();
  const submit = page.getByTestId('payroll-recompute-submit');
  await submit.waitFor();
  expect(await submit.isDisabled()).toBe(true);
  await page.getByTestId('payroll-recompute-reason').fill('待遇变动后重新核对');
  await submit.click();
  await page.getByTestId('payroll-recomputed').waitFor();
  expect(await textOf(page.getByTestId('payroll-recomputed'))).toBe(
    '已重新计算：合计 3 笔，13,000.00 元，待审批',
  );
  await page.getByTestId('payroll-run-status').filter({ hasText: '待审批' }).waitFor();
  expect(await textOf(page.getByTestId('payroll-run-total'))).toBe(total);
}

async function supervisorApproves(page: Page, month: string): Promise<void> {
  await signIn(page, 'hz.supervisor');
  // The checker is sent the run's address: a fresh page load opens it.
  await page.goto(new URL(`/payroll/${runIdOf(month)}`, page.url()).href);
  await page.getByTestId('payroll-run').filter({ hasText: month }).waitFor();
  expect(await page.getByTestId('payroll-start').count()).toBe(0);
  await page.getByTestId('payroll-approve').click();
  await page.getByTestId('payroll-run-approved').waitFor();
  expect(await textOf(page.getByTestId('payroll-run-status'))).toBe('已审批');
  expect(await textOf(page.getByTestId('payroll-run-approved'))).toContain(todayInChina());
  // The list names the checker (and the maker) by their log-in names, and so does the run.
  await page.getByTestId('payroll-runs').filter({ hasText: 'hz.supervisor' }).waitFor();
  expect(await textOf(page.getByTestId('payroll-run-approved'))).toContain('hz.supervisor');
  expect(await textOf(page.getByTestId('payroll-runs'))).toContain('hz.handler');
  expect(await page.getByTestId('payroll-download').count()).toBe(0);
}

/** The bank's answer to the payment file: the line to `failing` (an account) failed, the rest paid. */
function bankReturnOf(paymentFile: string, lines: number, failing: string | null): string {
  const [header, ...rows] = paymentFile.trim().split('\n');
  expect(header).toBe(
    'line_id,run_id,month,worker_id,kind,account_name,bank_name,account_number,amount_fen,amount_yuan',
  );
  expect(rows).toHaveLength(lines);
  const answers = rows.map((row, i) => {
    const cells = row.split(',');
    return cells[7] === failing
      ? `${cells[0]},failed,,,户名与账号不符`
      : `${cells[0]},paid,BK-${i},${todayInChina()},`;
  });
  return ['line_id,status,bank_reference,paid_on,reason', ...answers, ''].join('\n');
}

async function downloadFile(page: Page, month: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('payroll-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${runIdOf(month)}.csv`);
  const paymentFile = await readFile(await download.path(), 'utf8');
  await page.getByTestId('payroll-return').waitFor();
  expect(await textOf(page.getByTestId('payroll-run-status'))).toBe('已出盘');
  return paymentFile;
}

async function sendReturn(page: Page, name: string, body: string): Promise<void> {
  await page.getByTestId('payroll-return-file').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(body, 'utf8'),
  });
  await page.getByTestId('payroll-return-send').click();
}

/** Last month: the demo worker's line fails at the bank (a malformed return is refused first). */
async function handlerPaysWithOneFailure(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await openRun(page, lastMonth);
  const paymentFile = await downloadFile(page, lastMonth);
  // A malformed return is refused whole, every problem listed; nothing changes.
  await sendReturn(
    page,
    'bad-return.csv',
    'line_id,status,bank_reference,paid_on,reason\npln_x,paid,,,\n',
  );
  await page.getByTestId('payroll-return-error').waitFor();
  expect(await textOf(page.getByTestId('payroll-return-error'))).toContain('第 2 行 line_id');
  await sendReturn(page, 'bank-return.csv', bankReturnOf(paymentFile, 3, demoWorkerAccount));
  await page.getByTestId('payroll-return-done').waitFor();
  expect(await textOf(page.getByTestId('payroll-return-done'))).toBe(
    '已导入：确认 2 笔，失败 1 笔，重复 0 笔',
  );
  await page.getByTestId('payroll-run-status').filter({ hasText: '已对账' }).waitFor();
  expect(await textOf(page.getByTestId('payroll-rec-confirmed'))).toBe('2');
  expect(await textOf(page.getByTestId('payroll-rec-failed'))).toBe('1');
  expect(await textOf(page.getByTestId('payroll-rec-outstanding'))).toBe('0');
}

/** This month: the three months' lines and the reissue of the failed one, all paid. */
async function handlerPaysAll(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await openRun(page, thisMonth);
  const paymentFile = await downloadFile(page, thisMonth);
  // The failed line goes to the same card account again: twice in this file (month + reissue).
  expect(paymentFile.split(demoWorkerAccount).length - 1).toBe(2);
  await sendReturn(page, 'bank-return.csv', bankReturnOf(paymentFile, 4, null));
  await page.getByTestId('payroll-return-done').waitFor();
  expect(await textOf(page.getByTestId('payroll-return-done'))).toBe(
    '已导入：确认 4 笔，失败 0 笔，重复 0 笔',
  );
  await page.getByTestId('payroll-run-status').filter({ hasText: '已对账' }).waitFor();
  // The other downloads of the page: the fixed-width file and the reconciliation report.
  for (const [testId, name] of [
    ['payroll-download-fixed', `${runIdOf(thisMonth)}.txt`],
    ['payroll-report-xlsx', `${runIdOf(thisMonth)}-reconciliation.xlsx`],
  ] as const) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(testId).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
  }
  expect(await page.getByTestId('payroll-error').count()).toBe(0);
  await page.screenshot({ path: '/tmp/tongchou-payroll.png', fullPage: true });
}

/** The demo worker's own case (accident 2024-11-05): the failure with its reason, then both paid. */
async function workerSeesBothPayments(page: Page): Promise<void> {
  await signIn(page, 'demo.worker');
  await page.goto('/my/cases');
  const portal = page.getByTestId('case-portal');
  await portal.waitFor();
  await portal.locator('tr', { hasText: '2024-11-05' }).getByRole('link').click();
  const table = page.getByTestId('own-monthly-payments');
  await table.waitFor();
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBe(3);
  const texts = await rows.allInnerTexts();
  const flat = texts.map((t) => t.replace(/\s+/g, ' ').trim());
  expect(flat[0]).toMatch(new RegExp(`^${thisMonth} 伤残津贴 6,800\\.00 已支付 ${todayInChina()}`));
  expect(flat[1]).toMatch(
    new RegExp(`^${thisMonth} 伤残津贴（补发） 6,800\\.00 已支付 ${todayInChina()}`),
  );
  expect(flat[2]).toMatch(new RegExp(`^${lastMonth} 伤残津贴 6,800\\.00 失败 .*户名与账号不符`));
  // The decision behind it: the calculator's 伤残津贴 for grade 3 on 8 500.00 yuan.
  expect(await textOf(page.getByTestId('own-benefit-items'))).toContain('6,800.00');
}

/** The overpayment's row on /benefits/recoveries, opened (its actions below it). */
async function openOverpayment(page: Page, overpaymentId: string): Promise<void> {
  await page.getByTestId('nav-recoveries').click();
  const row = page.getByTestId('recoveries-table').locator('tr', { hasText: overpaymentId });
  await row.locator('.ant-table-row-expand-icon').click();
  await page.getByTestId('recovery-row').waitFor();
}

/**
 * The handler asks an order for an open overpayment and may not approve it (the server's text is
 * shown); the supervisor approves it on the same page; the handler, in the same browser, applies it.
 */
async function recoveryByOrder(journeys: ReturnType<typeof setUpJourneys>): Promise<void> {
  const overpaymentId = await insertOverpayment(journeys.database());
  const maker = await journeys.open();
  const checker = await journeys.open();
  try {
    await signIn(maker.page, 'hz.handler');
    await openOverpayment(maker.page, overpaymentId);
    await maker.page.getByTestId('recovery-reason').fill('本人一次性退回');
    await maker.page.getByTestId('recovery-decide-ask').click();
    await maker.page.getByTestId('recovery-asked').waitFor();
    await maker.page.getByTestId('recovery-approve-own').click();
    await maker.page.getByTestId('recovery-error').waitFor();
    expect(await textOf(maker.page.getByTestId('recovery-error'))).not.toBe('');
    await signIn(checker.page, 'hz.supervisor');
    await openOverpayment(checker.page, overpaymentId);
    await checker.page.getByTestId('recovery-approve').click();
    await expect.poll(() => checker.page.getByTestId('recovery-approve').count()).toBe(0);
    await maker.page.getByTestId('recovery-apply').click();
    const row = maker.page
      .getByTestId('recoveries-table')
      .locator('tr', { hasText: overpaymentId });
    await row.filter({ hasText: '责令退回' }).waitFor();
    expect(await textOf(row)).toContain('13,600.00');
    expect([...maker.errors, ...checker.errors]).toEqual([]);
  } finally {
    await maker.context.close();
    await checker.context.close();
  }
}

describe('payroll: two months, approved by another, a failure reissued, seen by the worker', () => {
  const journeys = setUpJourneys({ payrollMonth: true });

  it('runs last month with one failed line, reissues it this month, and the worker sees both payments', async () => {
    const steps: ((page: Page) => Promise<void>)[] = [
      (page) => handlerStarts(page, lastMonth, '合计 3 笔，13,000.00 元'),
      (page) => handlerRecomputes(page, lastMonth, '合计 3 笔，13,000.00 元'),
      (page) => supervisorApproves(page, lastMonth),
      handlerPaysWithOneFailure,
      (page) => handlerStarts(page, thisMonth, '合计 4 笔，19,800.00 元'),
      (page) => supervisorApproves(page, thisMonth),
      handlerPaysAll,
      workerSeesBothPayments,
    ];
    for (const step of steps)
      await withPage(journeys, async ({ page, errors }) => {
        await step(page);
        expect(errors).toEqual([]);
      });
  });

  it('recovers an overpayment by an order, asked by the handler and approved by another', async () => {
    await recoveryByOrder(journeys);
  });
});
