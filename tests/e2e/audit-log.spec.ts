import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  logIn,
  openPage,
  startApp,
  type TestApp,
  textOf,
} from './support/browser.ts';
import { ensureWebBuild } from './support/build-web.ts';

// Journey (e): a supervisor opens the audit log and sees the log-in events.
describe('audit log viewer', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    app = await startApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists the log-in events with Beijing time, result tags and the head hash', async () => {
    const other = await openPage(browser, app.baseUrl);
    await logIn(other.page, 'hz.handler', 'wrong-password');
    await other.page.getByTestId('login-error').waitFor();
    await logIn(other.page, 'hz.handler');
    await other.page.getByTestId('home-scope').waitFor();
    await other.context.close();

    const { context, page, errors } = await openPage(browser, app.baseUrl);
    try {
      await logIn(page, 'province.supervisor');
      await page.getByTestId('nav-audit').click();
      const table = page.getByTestId('audit-table');
      await table.locator('tbody tr.ant-table-row').first().waitFor();
      const rows = await table.locator('tbody tr.ant-table-row').allInnerTexts();
      const logins = rows.filter((row) => /login/i.test(row));
      expect(logins.length).toBeGreaterThanOrEqual(3);
      expect(logins.some((row) => row.includes('成功'))).toBe(true);
      expect(logins.some((row) => /拒绝访问|业务拒绝/.test(row))).toBe(true);
      expect(rows.every((row) => /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/.test(row))).toBe(
        true,
      );
      const headHash = await textOf(page.getByTestId('audit-head-hash'));
      expect(headHash.trim()).toMatch(/^[0-9a-f]{16,}$/i);
      const headSeq = Number(await textOf(page.getByTestId('audit-head-seq')));
      expect(headSeq).toBeGreaterThanOrEqual(rows.length);
      await page.screenshot({ path: '/tmp/tongchou-audit.png', fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
