import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  type Request,
} from 'playwright-core';
import type { Database } from '../../../src/db/client.ts';
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

/** The server under test; `db` only when it runs in this process (not an external server). */
export type TestApp = { baseUrl: string; close: () => Promise<void>; db?: Database };

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
  trackRequests(page);
  return { context, page, errors };
}

type InFlight = { method: string; url: string; since: number };
const inFlight = new WeakMap<Page, Map<Request, InFlight>>();
const lastDone = new WeakMap<Page, string[]>();
const consoleLines = new WeakMap<Page, string[]>();

/** Keeps the page's API requests still waiting for an answer, and the last few answered. */
function trackRequests(page: Page): void {
  const open = new Map<Request, InFlight>();
  const done: string[] = [];
  inFlight.set(page, open);
  lastDone.set(page, done);
  const settle = (request: Request, how: string) => {
    const entry = open.get(request);
    if (entry === undefined) return;
    open.delete(request);
    done.push(`${entry.method} ${entry.url} → ${how} after ${Date.now() - entry.since} ms`);
    if (done.length > 8) done.shift();
  };
  page.on('request', (request) => {
    if (!request.url().includes('/api/')) return;
    open.set(request, { method: request.method(), url: request.url(), since: Date.now() });
  });
  page.on('requestfinished', (request) => {
    request.response().then(
      (r) => settle(request, String(r?.status() ?? '?')),
      () => settle(request, 'page closed'),
    );
  });
  page.on('requestfailed', (request) => settle(request, `failed ${request.failure()?.errorText}`));
  // React's and antd's warnings (e.g. a form instance not connected to a form) say why a click did
  // nothing.
  const said: string[] = [];
  consoleLines.set(page, said);
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    said.push(`${m.type()}: ${m.text().slice(0, 300)}`);
    if (said.length > 8) said.shift();
  });
}

/**
 * What the page's API traffic looks like now: the requests still waiting (with how long) and the
 * last ones answered. A step that times out says so, telling a request the server never answered
 * from a click that sent nothing.
 */
export function requestsNow(page: Page): string {
  const now = Date.now();
  const waiting = [...(inFlight.get(page)?.values() ?? [])].map(
    (r) => `${r.method} ${r.url} waiting ${now - r.since} ms`,
  );
  return [
    `waiting: ${waiting.length === 0 ? 'none' : waiting.join('; ')}`,
    `last answered: ${(lastDone.get(page) ?? []).join('; ') || 'none'}`,
    `console: ${(consoleLines.get(page) ?? []).join('; ') || 'nothing'}`,
  ].join('\n');
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
