import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/kernel/dates.ts';
import { testRuleBook } from '../../src/runtime/testing.ts';
import { demoSerials } from '../../src/usecases/seed/seed-settlement-month-demo.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 13's browser acceptance point: the institution's month is reconciled, a line is deducted
// after review, the statement's payment is proposed by one person and approved by a second, and
// the payment appears in the ledger. Data: the demo institution's month (seed-settlement-month-demo.ts,
// three visits settled today through the real messages, fund share 436.00 yuan, the first of its
// serials sampled by the centre's hash).

const month = todayInChina().slice(0, 7);
const monthPath = `/settlement/INST-330100-0001/${month}`;
const [sampledSerial] = demoSerials(testRuleBook().benefits, month);

async function openMonth(page: Page): Promise<void> {
  await page.goto(monthPath);
  await page.getByTestId('statement-panel').waitFor();
}

async function institutionDeclares(page: Page): Promise<void> {
  await signIn(page, 'demo.institution');
  await page.getByTestId('nav-settlement').click();
  await page.getByTestId(`settlement-month-${month}`).click();
  await page.getByTestId('statement-panel').waitFor();
  expect(await textOf(page.getByTestId('statement-reconciliation'))).toBe('机构未申报');
  await page.getByTestId('declare-count').fill('3');
  await page.getByTestId('declare-fund').fill('436.00');
  await page.getByTestId('declare-submit').click();
  await page.getByTestId('statement-reconciliation').filter({ hasText: '对账相符' }).waitFor();
  // The institution sees its settlements and the line paid only in part.
  expect(
    await page.getByTestId('month-settlements').locator('tbody tr.ant-table-row').count(),
  ).toBe(3);
  expect(await textOf(page.getByTestId('month-rejections'))).toContain('over_price_cap');
}

async function handlerReviewsAndProposes(page: Page): Promise<void> {
  await signIn(page, 'hz.handler');
  await page.getByTestId('nav-settlement-review').click();
  await page.getByTestId(`review-open-${sampledSerial}`).click();
  await page.getByTestId('review-accept-1').click();
  // The page reloads the settlement after each review, and the reload re-renders line 2's form: fill
  // it only once line 1 shows accepted, or the reload clears what was typed (FC3, session 16).
  await page.getByTestId('review-accepted-1').waitFor();
  await page.getByTestId('review-amount-2').fill('100.00');
  await page.getByTestId('review-reason-2').fill('检查费重复收取');
  await page.getByTestId('review-deduct-2').click();
  expect(await textOf(page.getByTestId('review-deducted-2'))).toBe('已扣款 100.00 元');
  await openMonth(page);
  expect(await textOf(page.getByTestId('statement-deducted'))).toBe('100.00');
  // 436.00 − 100.00 = 336.00; 5 % retained = 16.80; payable 319.20.
  expect(await textOf(page.getByTestId('statement-payable'))).toBe('319.20');
  await page.getByTestId('statement-propose').click();
  await page.getByTestId('statement-proposed').waitFor();
  expect(await page.getByTestId('statement-approve').count()).toBe(0);
}

async function supervisorApproves(page: Page): Promise<void> {
  await signIn(page, 'hz.supervisor');
  await openMonth(page);
  await page.getByTestId('statement-approve').click();
  await page.getByTestId('statement-paid').waitFor();
  expect(await textOf(page.getByTestId('statement-paid'))).toContain('hz.supervisor');
  expect(await textOf(page.getByTestId('statement-ledger-ids'))).toBe(
    `settlement-statement:INST-330100-0001:${month}:paid:330100`,
  );
}

describe('settlement: the institution’s month, review, maker-checker payment', () => {
  const journeys = setUpJourneys({ settlementMonth: true });

  it('reconciles, deducts after review, is proposed by one and paid on approval by another', async () => {
    await withPage(journeys, async ({ page, errors }) => {
      await institutionDeclares(page);
      expect(errors).toEqual([]);
    });
    await withPage(journeys, async ({ page, errors }) => {
      await handlerReviewsAndProposes(page);
      expect(errors).toEqual([]);
    });
    await withPage(journeys, async ({ page, errors }) => {
      await supervisorApproves(page);
      // The payment is in the ledger: the transaction the statement names exists there.
      const txId = `settlement-statement:INST-330100-0001:${month}:paid:330100`;
      const answer = await page.request.get(
        `/api/v1/regions/330100/fund/transactions/${encodeURIComponent(txId)}`,
      );
      expect(answer.status()).toBe(200);
      const body = await answer.text();
      expect(body).toContain('2101');
      expect(body).toContain('1003');
      expect(body).toContain('31920');
      expect(errors).toEqual([]);
    });
  }, 300_000);
});
