import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, openPage, startApp, type TestApp, type TestPage } from './browser.ts';
import { ensureWebBuild } from './build-web.ts';
import type { ServerOptions } from './server.ts';

/** The server and browser one spec file's journeys share. */
export type Journeys = { open: () => Promise<TestPage> };

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
  };
}

/** Runs a journey on a fresh page (own cookies) and closes its context whatever happens. */
export async function withPage(
  journeys: Journeys,
  journey: (tab: TestPage) => Promise<void>,
): Promise<void> {
  const tab = await journeys.open();
  try {
    await journey(tab);
  } finally {
    await tab.context.close();
  }
}
