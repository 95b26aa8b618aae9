import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import type { ServerOptions } from './server.ts';

/** Debian's Chromium (apt-get install chromium fonts-noto-cjk), headless, no network chatter. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type TestApp = { baseUrl: string; close: () => Promise<void> };

/**
 * The server under test: the in-process test server (fresh in-memory database, seeded demo
 * users, serving dist/web). TONGCHOU_E2E_BASE_URL points the journeys at an already running
 * server instead (e.g. `npm start`); the journeys then share that server's state.
 */
export async function startApp(options: ServerOptions = {}): Promise<TestApp> {
  const external = process.env['TONGCHOU_E2E_BASE_URL'];
  if (external !== undefined && external !== '') {
    return { baseUrl: external.replace(/\/$/, ''), close: async () => {} };
  }
  const { startTestServer } = await import('./server.ts');
  return startTestServer(options);
}

export type TestPage = { context: BrowserContext; page: Page; errors: string[] };

/** A fresh context (own cookies and localStorage) in Beijing time, collecting page errors. */
export async function openPage(browser: Browser, baseUrl: string): Promise<TestPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
  });
  const page = await context.newPage();
  // The machine may be busy (other suites, the first calculation loads the rules): be patient.
  page.setDefaultTimeout(60_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/** The visible menu: [test id, label] of each item, in order. */
export async function visibleNav(page: Page): Promise<[string, string][]> {
  const items = page.getByTestId('nav').locator('[data-testid^="nav-"]');
  await items.first().waitFor();
  const out: [string, string][] = [];
  for (const item of await items.all()) {
    if (!(await item.isVisible())) continue;
    out.push([(await item.getAttribute('data-testid')) ?? '', (await textOf(item)).trim()]);
  }
  return out;
}

/** The text a person sees (layout-aware innerText, not the DOM's textContent). */
export function textOf(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator method, rendered text is the point.
  return locator.innerText();
}
