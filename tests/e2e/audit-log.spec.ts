import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type TestPage, textOf } from './support/browser.ts';
import { type Journeys, setUpJourneys, withPage } from './support/journeys.ts';
import { logIn, signIn } from './support/log-in.ts';

// Journey (e): a supervisor opens the audit log and sees the log-in events.

/** A refused and an accepted log-in of another user, so the log has both kinds to show. */
function logInTwice(journeys: Journeys): Promise<void> {
  return withPage(journeys, async ({ page }) => {
    await logIn(page, 'hz.handler', 'wrong-password');
    await page.getByTestId('login-error').waitFor();
    await signIn(page, 'hz.handler');
  });
}

async function auditRows(page: Page): Promise<string[]> {
  const table = page.getByTestId('audit-table');
  await table.locator('tbody tr.ant-table-row').first().waitFor();
  return table.locator('tbody tr.ant-table-row').allInnerTexts();
}

async function readsTheLog({ page, errors }: TestPage): Promise<void> {
  await logIn(page, 'province.supervisor');
  await page.getByTestId('nav-audit').click();
  const rows = await auditRows(page);
  const logins = rows.filter((row) => /login/i.test(row));
  expect(logins.length).toBeGreaterThanOrEqual(3);
  expect(logins.some((row) => row.includes('成功'))).toBe(true);
  expect(logins.some((row) => /拒绝访问|业务拒绝/.test(row))).toBe(true);
  // The browser's log-ins came from loopback: the source column shows the address.
  expect(logins.some((row) => /(^|\s|:)127\.0\.0\.1(\s|$)/.test(row))).toBe(true);
  expect(rows.every((row) => /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/.test(row))).toBe(true);
  const headHash = await textOf(page.getByTestId('audit-head-hash'));
  expect(headHash.trim()).toMatch(/^[0-9a-f]{16,}$/i);
  const headSeq = Number(await textOf(page.getByTestId('audit-head-seq')));
  expect(headSeq).toBeGreaterThanOrEqual(rows.length);
  await page.screenshot({ path: '/tmp/tongchou-audit.png', fullPage: true });
  expect(errors).toEqual([]);
}

describe('audit log viewer', () => {
  const journeys = setUpJourneys();

  it('lists the log-in events with Beijing time, result tags and the head hash', async () => {
    await logInTwice(journeys);
    await withPage(journeys, readsTheLog);
  });
});
