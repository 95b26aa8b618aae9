import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { todayInChina } from '../../src/kernel/dates.ts';
import { queryJournalEntries } from '../../src/usecases/fund/ledger/ledger-read.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';
import { type FailedLineSeed, reissueAccount, seedFailedLine } from './support/reissue-seed.ts';

// Issue 12, the reissue by hand on the payroll page: this month's run of 杭州 failed one line of
// 4 321.00 yuan at the bank (seeded through the use cases, support/reissue-seed.ts). The handler
// finds it under 未付成功的发放, ticks it and proposes a reissue batch; the city's supervisor
// approves the batch at its address; the handler downloads its payment file and imports a return
// that confirms it: the batch is reconciled and the line leaves the list of lines to reissue. The
// card 补发批次与冲回 then lists the batch (and, in the second journey, the release) with its
// status, and its link opens it.

const batchPath = /\/payroll\/(prb_[0-9a-f]{20})$/;
const releasePath = /\/payroll\/(prr_[0-9a-f]{20})$/;

function failedRow(page: Page, seed: FailedLineSeed) {
  return page.getByTestId('failed-lines').locator('tr', { hasText: seed.workerId });
}

async function handlerProposes(page: Page, seed: FailedLineSeed): Promise<string> {
  await signIn(page, 'hz.handler');
  await page.getByTestId('nav-payroll').click();
  const row = failedRow(page, seed);
  await row.waitFor();
  expect(await textOf(row)).toContain('4,321.00');
  expect(await textOf(row)).toContain('账户已销户');
  expect(await textOf(row)).toContain(`************${reissueAccount.slice(-4)}`);
  expect(await textOf(row)).not.toContain(reissueAccount);
  await row.locator('input[type="checkbox"]').check();
  expect(await textOf(page.getByTestId('failed-lines-selection'))).toBe('已选 1 笔，4,321.00 元');
  await page.getByTestId('failed-lines-propose').click();
  await page.getByTestId('reissue-batch').waitFor();
  const batchId = batchPath.exec(new URL(page.url()).pathname)?.[1] ?? '';
  expect(batchId).not.toBe('');
  expect(await textOf(page.getByTestId('reissue-batch-status'))).toBe('待审批');
  expect(await textOf(page.getByTestId('reissue-batch-total'))).toBe('合计 1 笔，4,321.00 元');
  // The maker holds no fund:approve: no approval button, and no file before the approval.
  expect(await page.getByTestId('reissue-approve').count()).toBe(0);
  expect(await page.getByTestId('reissue-download').count()).toBe(0);
  return batchId;
}

async function supervisorApproves(page: Page, batchId: string): Promise<void> {
  await signIn(page, 'hz.supervisor');
  await page.goto(new URL(`/payroll/${batchId}`, page.url()).href);
  await page.getByTestId('reissue-batch').waitFor();
  await page.getByTestId('reissue-approve').click();
  await page.getByTestId('reissue-batch-approved').waitFor();
  expect(await textOf(page.getByTestId('reissue-batch-status'))).toBe('已审批');
  expect(await textOf(page.getByTestId('reissue-batch-approved'))).toContain('hz.supervisor');
}

async function handlerPays(page: Page, seed: FailedLineSeed, batchId: string): Promise<void> {
  await signIn(page, 'hz.handler');
  await page.goto(new URL(`/payroll/${batchId}`, page.url()).href);
  await page.getByTestId('reissue-batch').waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('reissue-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${batchId}.csv`);
  const rows = (await readFile(await download.path(), 'utf8')).trim().split('\n').slice(1);
  expect(rows).toHaveLength(1);
  const cells = rows[0]?.split(',') ?? [];
  expect([cells[1], cells[3], cells[7], cells[8]]).toEqual([
    batchId,
    seed.workerId,
    reissueAccount,
    '432100',
  ]);
  await page.getByTestId('reissue-return').waitFor();
  expect(await textOf(page.getByTestId('reissue-batch-status'))).toBe('已出盘');
  await page.getByTestId('reissue-return-file').setInputFiles({
    name: 'bank-return.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `line_id,status,bank_reference,paid_on,reason\n${cells[0]},paid,BK-R1,${todayInChina()},\n`,
      'utf8',
    ),
  });
  await page.getByTestId('reissue-return-send').click();
  await page.getByTestId('reissue-return-done').waitFor();
  expect(await textOf(page.getByTestId('reissue-return-done'))).toBe(
    '已导入：确认 1 笔，失败 0 笔，重复 0 笔',
  );
  await page.getByTestId('reissue-batch-status').filter({ hasText: '已对账' }).waitFor();
  // Paid again: no longer a line to reissue.
  await expect.poll(() => failedRow(page, seed).count()).toBe(0);
}

/**
 * The second worker died on the first day of the month before; his line failed after the death was
 * recorded, so it is owed to no one: the handler ticks it (it cannot be reissued) and proposes its
 * release, the supervisor approves at the release's address, which posts Dr 2102 / Cr the line's
 * expense account 1 234.00 yuan, and the line leaves the open list.
 */
async function handlerProposesRelease(page: Page, seed: FailedLineSeed): Promise<string> {
  await signIn(page, 'hz.handler');
  await page.getByTestId('nav-payroll').click();
  const row = page.getByTestId('failed-lines').locator('tr', { hasText: seed.deadWorkerId });
  await row.waitFor();
  expect(await textOf(row)).toContain('1,234.00');
  expect(await textOf(row)).toContain('所属月份在登记的死亡之后');
  await row.locator('input[type="checkbox"]').check();
  expect(await textOf(page.getByTestId('failed-lines-release-selection'))).toBe(
    '可冲回 1 笔，1,234.00 元',
  );
  expect(await page.getByTestId('failed-lines-propose').isDisabled()).toBe(true);
  await page.getByTestId('failed-lines-release').click();
  await page.getByTestId('payroll-release').waitFor();
  const releaseId = releasePath.exec(new URL(page.url()).pathname)?.[1] ?? '';
  expect(releaseId).not.toBe('');
  expect(await textOf(page.getByTestId('release-status'))).toBe('待审批');
  expect(await textOf(page.getByTestId('release-total'))).toBe('合计 1 笔，1,234.00 元');
  expect(await page.getByTestId('release-approve').count()).toBe(0);
  return releaseId;
}

async function supervisorReleases(page: Page, releaseId: string): Promise<void> {
  await signIn(page, 'hz.supervisor');
  await page.goto(new URL(`/payroll/${releaseId}`, page.url()).href);
  await page.getByTestId('payroll-release').waitFor();
  await page.getByTestId('release-approve').click();
  await page.getByTestId('release-transaction').waitFor();
  expect(await textOf(page.getByTestId('release-status'))).toBe('已冲回');
}

/**
 * The card 补发批次与冲回 of /payroll lists the batch or the release (newest first) with its status;
 * its link opens it at its address.
 */
async function listedAndOpened(
  page: Page,
  id: string,
  expected: { tab: '补发批次' | '冲回'; status: string; panel: string },
): Promise<void> {
  await page.goto(new URL('/payroll', page.url()).href);
  const card = page.getByTestId('by-hand');
  await card.waitFor();
  await card.getByRole('tab', { name: expected.tab }).click();
  const status = card.getByTestId(`by-hand-status-${id}`);
  await status.waitFor();
  expect(await textOf(status)).toBe(expected.status);
  await card.getByTestId(`by-hand-open-${id}`).click();
  await page.getByTestId(expected.panel).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/payroll/${id}`);
}

/** The release's ledger transaction as the journal reads it (ledger-read.ts). */
async function postingsOf(db: Database, releaseId: string) {
  const [entry] = await db.withConnection((ex) =>
    queryJournalEntries(ex, 'WHERE t.id = $1', [`benefit-payroll-release:${releaseId}`]),
  );
  return (entry?.postings ?? []).map((p) => [p.account, p.side, p.amountFen]);
}

describe('payroll: a failed line reissued by hand from the payroll page', () => {
  const journeys = setUpJourneys();

  it('the handler proposes, the supervisor approves, the file goes out, the bank confirms', async () => {
    const seed = await seedFailedLine(journeys.database());
    let batchId = '';
    const steps: ((page: Page) => Promise<void>)[] = [
      async (page) => {
        batchId = await handlerProposes(page, seed);
      },
      (page) => supervisorApproves(page, batchId),
      (page) => handlerPays(page, seed, batchId),
      async (page) => {
        await signIn(page, 'hz.handler');
        await listedAndOpened(page, batchId, {
          tab: '补发批次',
          status: '已对账',
          panel: 'reissue-batch',
        });
      },
    ];
    for (const step of steps)
      await withPage(journeys, async ({ page, errors }) => {
        await step(page);
        expect(errors).toEqual([]);
      });
  });

  it('a line owed to no one: the handler proposes its release, the supervisor approves, 2102 falls', async () => {
    const seed = await seedFailedLine(journeys.database());
    let releaseId = '';
    await withPage(journeys, async ({ page }) => {
      releaseId = await handlerProposesRelease(page, seed);
    });
    await withPage(journeys, async ({ page }) => {
      await supervisorReleases(page, releaseId);
      await listedAndOpened(page, releaseId, {
        tab: '冲回',
        status: '已冲回',
        panel: 'payroll-release',
      });
    });
    expect(await postingsOf(journeys.database(), releaseId)).toEqual([
      ['2102', 'debit', 123_400],
      ['5108', 'credit', 123_400],
    ]);
  });
});
