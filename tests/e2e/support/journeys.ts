import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import {
  launchBrowser,
  openPage,
  requestsNow,
  startApp,
  type TestApp,
  type TestPage,
} from './browser.ts';
import { ensureWebBuild } from './build-web.ts';
import type { ServerOptions } from './server.ts';

/**
 * The server and browser one spec file's journeys share; `database` is the in-process server's
 * (a spec that inserts its own records needs it, so it cannot run against TONGCHOU_E2E_BASE_URL).
 */
export type Journeys = { open: () => Promise<TestPage>; database: () => Database };

/**
 * Registers, in the calling `describe`, the set-up every spec repeated: build the UI if stale,
 * start the server, launch Chromium; and close both afterwards.
 */
export function setUpJourneys(options: ServerOptions = {}): Journeys {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureWebBuild();
    app = await startApp(options);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  return {
    open: () => {
      if (app === undefined || browser === undefined) throw new Error('journeys are not set up');
      return openPage(browser, app.baseUrl);
    },
    database: () => {
      if (app?.db === undefined)
        throw new Error('this journey inserts records: it needs the in-process test server');
      return app.db;
    },
  };
}

/**
 * The page when a journey failed: its API traffic and console (requestsNow), the text of an open
 * modal (a validation message says why a submit sent nothing), and a screenshot under .tmp/.
 */
async function pageNow(tab: TestPage): Promise<string> {
  const modal = tab.page.locator('.ant-modal-wrap:visible');
  const shown =
    (await modal.count()) > 0
      ? (
          await modal
            .first()
            .textContent({ timeout: 5_000 })
            .catch(() => '?')
        )?.replace(/\s+/g, ' ')
      : 'none';
  const file = join('.tmp', `e2e-failure-${Date.now()}.png`);
  mkdirSync('.tmp', { recursive: true });
  await tab.page.screenshot({ path: file, fullPage: true, timeout: 10_000 }).catch(() => {});
  return `${requestsNow(tab.page)}\nopen modal: ${shown}\nscreenshot: ${file}`;
}

/**
 * Runs a journey on a fresh page (own cookies) and closes its context whatever happens. A failed
 * journey's error carries the page's API traffic at that moment (see requestsNow).
 */
export async function withPage(
  journeys: Journeys,
  journey: (tab: TestPage) => Promise<void>,
): Promise<void> {
  const tab = await journeys.open();
  try {
    await journey(tab);
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message}\n${await pageNow(tab)}`;
    throw error;
  } finally {
    await tab.context.close();
  }
}

/**
 * The open modal once its opening animation has ended. Every time the journey's submit did nothing
 * (the modal stayed open, no request sent, no message shown: the accept, the officer's service and
 * the committee's service), OK had been clicked at once after the modal appeared; the steps that
 * fill fields first never failed so. A person cannot click a dialog still zooming in; the journey
 * waits as they do (the registry's 减员 once failed the same way). Whether the lost click is antd's (motion) or the browser's is not established.
 */
export async function settledModal(page: Page): Promise<Locator> {
  const dialog = page.locator('.ant-modal-wrap:visible');
  await dialog.waitFor();
  // The e2e project's expect.poll waits 15 s (vitest.config.ts), not vitest's default 1 s.
  await expect
    .poll(() => dialog.evaluate((el) => el.getAnimations({ subtree: true }).length))
    .toBe(0);
  return dialog;
}

/** The text of the page's refusals: an antd error message, or a form field's own error. */
async function refusalOf(page: Page, dialog: Locator): Promise<string | null> {
  const shown = page
    .locator('.ant-message-error')
    .or(dialog.locator('.ant-form-item-explain-error'));
  if ((await shown.count()) === 0) return null;
  return (await shown.allInnerTexts()).join('; ');
}

/**
 * Submits the open modal and waits for it to close, as a person does: if OK was clicked and the
 * page sent nothing (no request, no message, no field error) for 3 s, the
 * click was lost and is made again, at most twice more. The settled-modal wait made such lost clicks
 * rarer, not impossible: CI once lost the committee's service click after it (stop 27). A request
 * that did leave is never sent again: a second click only follows silence, so nothing can be
 * submitted twice. A refusal fails the step at once with its text.
 */
export async function submitModal(page: Page, step = 'submit'): Promise<void> {
  const dialog = await settledModal(page);
  const ok = dialog.locator('.ant-modal-footer .ant-btn-primary');
  let sent = 0;
  const count = (r: { method: () => string; url: () => string }) => {
    if (r.method() !== 'GET' && r.url().includes('/api/')) sent += 1;
  };
  page.on('request', count);
  try {
    for (let click = 1; ; click += 1) {
      await ok.click();
      for (let waited = 0; waited < 3_000 || sent > 0; waited += 250) {
        if (!(await dialog.isVisible())) return;
        const refused = await refusalOf(page, dialog);
        if (refused !== null) throw new Error(`${step}: refused by the page: ${refused}`);
        if (waited > 60_000) throw new Error(`${step}: the modal stayed open for a minute`);
        await page.waitForTimeout(250);
      }
      if (click === 3) throw new Error(`${step}: three clicks on OK sent nothing`);
    }
  } finally {
    page.off('request', count);
  }
}
