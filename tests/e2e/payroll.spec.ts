import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/kernel/dates.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 12 in the browser: 杭州's handler starts this month's payroll, the city's supervisor
// approves it (maker-checker), the handler downloads the payment file and imports the bank's
// return in which one line failed. Data: three fund-paid entitlements with card accounts
// (support/payroll-seed.ts), 6 800.00 + 2 700.00 + 3 500.00 = 13 000.00 yuan, on this spec's
// own server.

const month = todayInChina().slice(0, 7);
const runId = `prl_330100_${month.replace('-', '')}`;

async function openRun(page: Page): Promise<void> {
  await page.getByTestId('nav-payroll').click();
  await page.getByTestId(`payroll-open-${month}`).click();
  await page.getByTestId('payroll-run').waitFor();
}

async function handlerStarts(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await page.getByTestId('nav-payroll').click();
  await page.getByTestId('payroll-start').waitFor();
  await page.getByTestId('payroll-start-submit').click();
  await page.getByTestId('payroll-run').waitFor();
  expect(await textOf(page.getByTestId('payroll-run-status'))).toBe('待审批');
  expect(await textOf(page.getByTestId('payroll-run-total'))).toBe('合计 3 笔，13,000.00 元');
  expect(await textOf(page.getByTestId('payroll-by-kind'))).toContain('生活护理费');
  // The maker sees no approval button; the list shows the run.
  expect(await page.getByTestId('payroll-approve').count()).toBe(0);
  await page.getByTestId(`payroll-open-${month}`).waitFor();
  expect(await textOf(page.getByTestId('payroll-runs'))).toContain('13,000.00');
}

async function supervisorApproves(page: Page): Promise<void> {
  await signIn(page, 'hz.supervisor');
  await openRun(page);
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

/** The bank's answer to the payment file: its first line failed, the others paid today. */
function bankReturnOf(paymentFile: string): string {
  const [header, ...rows] = paymentFile.trim().split('\n');
  expect(header?.startsWith('line_id,run_id,month,')).toBe(true);
  const lineIds = rows.map((row) => row.split(',')[0]);
  expect(lineIds).toHaveLength(3);
  const answers = lineIds.map((id, i) =>
    i === 0 ? `${id},failed,,,户名与账号不符` : `${id},paid,BK-${i},${todayInChina()},`,
  );
  return ['line_id,status,bank_reference,paid_on,reason', ...answers, ''].join('\n');
}

async function handlerPaysAndReconciles(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await openRun(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('payroll-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${runId}.csv`);
  const paymentFile = await readFile(await download.path(), 'utf8');
  await page.getByTestId('payroll-return').waitFor();
  expect(await textOf(page.getByTestId('payroll-run-status'))).toBe('已出盘');
  // A malformed return is refused whole, every problem listed; nothing changes.
  await page.getByTestId('payroll-return-file').setInputFiles({
    name: 'bad-return.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('line_id,status,bank_reference,paid_on,reason\npln_x,paid,,,\n', 'utf8'),
  });
  await page.getByTestId('payroll-return-send').click();
  await page.getByTestId('payroll-return-error').waitFor();
  expect(await textOf(page.getByTestId('payroll-return-error'))).toContain('第 2 行 line_id');
  await page.getByTestId('payroll-return-file').setInputFiles({
    name: 'bank-return.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(bankReturnOf(paymentFile), 'utf8'),
  });
  await page.getByTestId('payroll-return-send').click();
  await page.getByTestId('payroll-return-done').waitFor();
  expect(await textOf(page.getByTestId('payroll-return-done'))).toBe(
    '已导入：确认 2 笔，失败 1 笔，重复 0 笔',
  );
  await page.getByTestId('payroll-run-status').filter({ hasText: '已对账' }).waitFor();
  expect(await textOf(page.getByTestId('payroll-rec-confirmed'))).toBe('2');
  expect(await textOf(page.getByTestId('payroll-rec-failed'))).toBe('1');
  expect(await textOf(page.getByTestId('payroll-rec-outstanding'))).toBe('0');
  await page.screenshot({ path: '/tmp/tongchou-payroll.png', fullPage: true });
}

describe('payroll: the month run, approved by another, paid and reconciled', () => {
  const journeys = setUpJourneys({ payrollMonth: true });

  it('starts, is approved by the supervisor, issues the file and imports a return with one failure', async () => {
    await withPage(journeys, async ({ page, errors }) => {
      await handlerStarts(page);
      expect(errors).toEqual([]);
    });
    await withPage(journeys, async ({ page, errors }) => {
      await supervisorApproves(page);
      expect(errors).toEqual([]);
    });
    await withPage(journeys, async ({ page, errors }) => {
      await handlerPaysAndReconciles(page);
      expect(errors).toEqual([]);
    });
  });
});
