import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryExamples } from '../../src/api/routes/registry/registry-route-kit.ts';
import { insertEntitlement, insertWorker } from '../../src/usecases/benefits/testing.ts';
import { apiSession } from './support/api.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 12's 待遇调整 in the browser: 杭州's handler proposes the 2025 batch on the page (after a
// year without parameters is refused with the server's text), sees its before/after lines and
// downloads the report; the city's supervisor rejects it (through the API) and the handler asks for
// approval again on the page; the supervisor approves it; the handler applies it. Its own server
// (not payroll.spec.ts's: a payroll run of 杭州 after July 2025 refuses the batch, and the batch
// would change what that journey pays), with two fund-paid entitlements of 杭州 inserted once,
// so a retry meets the same register: the proposal replays, and each step acts only if the
// batch still waits for it. Demo 浙江 2025 (from 2025-07-01, src/rules/values/330000):
//   伤残津贴 grade 1: 4 567.89 × 1.02 + 30.00 = 4 689.2478 → 4 689.25 元;
//   生活护理费 full: 2 700.00 × 1.05 = 2 835.00 元;
//   a month: 7 267.89 → 7 524.25 元, 256.36 元 more.

const batchId = 'idx_330100_2025';
const batchPath = `/payroll/indexation/${batchId}`;

async function openBatch(page: Page): Promise<void> {
  await page.goto(batchPath);
  await page.getByTestId('indexation-batch').filter({ hasText: batchId }).waitFor();
  // The approval's state comes from the list: wait until it is there.
  await page.getByTestId('indexation-batches').filter({ hasText: '2025' }).waitFor();
}

async function propose(page: Page, year: string): Promise<void> {
  const input = page.locator(
    'input[data-testid="indexation-year"], [data-testid="indexation-year"] input',
  );
  await input.fill(year);
  await page.getByTestId('indexation-propose-submit').click();
}

async function handlerProposes(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await page.getByTestId('nav-payroll').click();
  await page.getByTestId('payroll-indexation').click();
  await page.getByTestId('indexation-propose').waitFor();
  expect(new URL(page.url()).pathname).toBe('/payroll/indexation');
  // A year with no adjustment in the parameters: refused, the server's text shown, nothing made.
  await propose(page, '2024');
  await page.getByTestId('indexation-propose-error').waitFor();
  expect(await textOf(page.getByTestId('indexation-propose-error'))).toContain(
    'no adjustment of 2024',
  );
  await propose(page, '2025');
  await page.getByTestId('indexation-batch').filter({ hasText: batchId }).waitFor();
  expect(new URL(page.url()).pathname).toBe(batchPath);
  expect(await textOf(page.getByTestId('indexation-totals'))).toBe(
    '调整 2 笔：每月 7,267.89 元 → 7,524.25 元，增加 256.36 元',
  );
  const lines = await textOf(page.getByTestId('indexation-lines'));
  for (const figure of ['4,567.89', '4,689.25', '121.36', '2,700.00', '2,835.00', '135.00'])
    expect(lines).toContain(figure);
  expect(lines).toContain('2025-07-01');
  // The maker has no approval button (fund:approve is the supervisor's).
  expect(await page.getByTestId('indexation-approve').count()).toBe(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('indexation-report').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${batchId}.xlsx`);
}

/**
 * The supervisor rejects the batch's approval (through the API: the approvals page is
 * cases.spec.ts's); the handler sees it rejected, without the apply, and asks for approval again
 * on the page: a new approval of the same payload, pending. A retry meets the approval pending
 * again (rejected and asked once more) or already approved (nothing to do here).
 */
async function rejectedThenAskedAgain(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await openBatch(page);
  const approval = page.getByTestId('indexation-approval');
  if ((await textOf(approval)) === '待审批') {
    const supervisor = await apiSession(new URL(page.url()).origin, 'hz.supervisor');
    const shown = (await supervisor.get(
      `/api/v1/regions/330100/indexation-batches/${batchId}?limit=1`,
    )) as { approvalId: string };
    const decided = await supervisor.post(
      `/api/v1/regions/330100/approvals/${shown.approvalId}/decision`,
      { decision: 'rejected' },
    );
    await supervisor.close();
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await openBatch(page);
    expect(await textOf(approval)).toBe('已驳回');
  }
  if ((await textOf(approval)) === '已驳回') {
    expect(await page.getByTestId('indexation-apply').count()).toBe(0);
    await page.getByTestId('indexation-ask-again').click();
    await approval.filter({ hasText: '待审批' }).waitFor();
  }
  expect(await page.getByTestId('indexation-ask-again').count()).toBe(0);
}

async function supervisorApproves(page: Page): Promise<void> {
  await signIn(page, 'hz.supervisor');
  await openBatch(page);
  expect(await page.getByTestId('indexation-propose').count()).toBe(0);
  // A retry after the approval finds it decided: nothing left to click.
  if ((await textOf(page.getByTestId('indexation-approval'))) === '待审批')
    await page.getByTestId('indexation-approve').click();
  await page.getByTestId('indexation-checker').filter({ hasText: 'hz.supervisor' }).waitFor();
}

async function handlerApplies(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await openBatch(page);
  if ((await textOf(page.getByTestId('indexation-status'))) === '待执行') {
    expect(await textOf(page.getByTestId('indexation-approval'))).toBe('已审批');
    await page.getByTestId('indexation-apply').click();
  }
  await page.getByTestId('indexation-notice').waitFor();
  expect(await textOf(page.getByTestId('indexation-status'))).toBe('已执行');
  expect(await textOf(page.getByTestId('indexation-approval'))).toBe('已用于执行');
  expect(await page.getByTestId('indexation-apply').count()).toBe(0);
  // The list's row: applied, the same monthly totals as the hand figures above.
  const row = page.getByTestId('indexation-batches').locator('tr', { hasText: '已执行' });
  await row.waitFor();
  const text = await textOf(row);
  for (const figure of ['2025', '7,267.89', '7,524.25', 'hz.handler', 'hz.supervisor'])
    expect(text).toContain(figure);
}

describe('indexation: proposed on the page, approved by another, applied', () => {
  const journeys = setUpJourneys();

  beforeAll(async () => {
    const db = journeys.database();
    const employerId = registryExamples.employerId('330100');
    const grade1 = await insertWorker(db, '1971-05-05');
    await insertEntitlement(db, {
      employerId,
      workerId: grade1,
      kind: 'disability_allowance',
      amountFen: 456_789,
      startsOn: '2025-01-01',
      grade: 1,
    });
    const nursed = await insertWorker(db, '1972-06-06');
    await insertEntitlement(db, {
      employerId,
      workerId: nursed,
      kind: 'nursing_allowance',
      amountFen: 270_000,
      startsOn: '2025-01-01',
      grade: 1,
      nursingLevel: 'full',
    });
  });

  it('proposes 2025, shows the before/after lines, is rejected, asked again, approved and applied', async () => {
    for (const step of [
      handlerProposes,
      rejectedThenAskedAgain,
      supervisorApproves,
      handlerApplies,
    ])
      await withPage(journeys, async ({ page, errors }) => {
        await step(page);
        expect(errors).toEqual([]);
      });
  });
});
