import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type TestPage, textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { demoPassword, logIn, signIn } from './support/log-in.ts';

// Journeys (b) wrong password and (c) language switch.

async function wrongPassword({ page }: TestPage): Promise<void> {
  await logIn(page, 'hz.handler', 'not-the-password');
  const error = page.getByTestId('login-error');
  await error.waitFor();
  expect(await textOf(error)).toContain('用户名或密码错误');
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(await page.getByTestId('nav').count()).toBe(0);

  await page.getByTestId('lang-en').click();
  await page.getByTestId('login-submit').click();
  await page.getByText('Wrong user name or password').waitFor();
}

/** Submits the log-in form and waits for the server's answer (every answer looks the same). */
async function submitAndWait(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.getByTestId('login-submit').click(),
  ]);
  return response.status();
}

async function throttledAfterFiveTries({ page }: TestPage): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill('nb.handler');
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await page.getByTestId('login-password').fill(`wrong-${attempt}`);
    expect(await submitAndWait(page)).toBe(401);
  }
  // The sixth try, with the right password, must wait: the answer is the same as a wrong password
  // (so nobody learns which names exist), and the page says that repeated failures make one wait.
  await page.getByTestId('login-password').fill(demoPassword);
  expect(await submitAndWait(page)).toBe(401);
  await expect.poll(() => textOf(page.getByTestId('login-error'))).toContain('须等待片刻才能再试');
  expect(await textOf(page.getByTestId('login-error'))).toContain('用户名或密码错误');
  expect(new URL(page.url()).pathname).toBe('/login');
}

async function logsOut({ page }: TestPage): Promise<void> {
  await signIn(page, 'demo.worker');
  await page.getByTestId('logout').click();
  await page.getByTestId('login-card').waitFor();
  await page.goto('/');
  await page.getByTestId('login-card').waitFor();
  expect(new URL(page.url()).pathname).toBe('/login');
}

async function navLabels(page: Page): Promise<string[]> {
  const labels = await page.getByTestId('nav').locator('[data-testid^="nav-"]').allInnerTexts();
  return labels.map((s) => s.trim());
}

const zhLabels = [
  '首页',
  '待遇计算器',
  '基金',
  '参保登记',
  '缴费',
  '工伤认定',
  '月度发放',
  '多领待遇追回',
  '月度结算',
  '人工审核',
  '协议机构',
  '目录',
];
const enLabels = [
  'Home',
  'Benefit calculator',
  'Fund',
  'Register',
  'Contributions',
  'Determination',
  'Monthly payroll',
  'Overpayment recovery',
  'Monthly settlement',
  'Manual review',
  'Institutions',
  'Catalogue',
];

async function switchesToEnglish(page: Page): Promise<void> {
  await page.getByTestId('lang-en').click();
  await expect.poll(() => navLabels(page)).toEqual(enLabels);
  expect(await textOf(page.getByTestId('logout'))).toContain('Log out');
  expect(await textOf(page.getByTestId('header-scope'))).toBe('City handler · Hangzhou (330100)');
  await page.getByTestId('regions-table').locator('tbody tr').first().waitFor();
  expect(await textOf(page.getByTestId('regions-table'))).toContain('Hangzhou');
  await page.screenshot({ path: '/tmp/tongchou-home-en.png', fullPage: true });
}

async function switchesLanguage({ page, errors }: TestPage): Promise<void> {
  await signIn(page, 'hz.handler');
  expect(await navLabels(page)).toEqual(zhLabels);
  expect(await textOf(page.getByTestId('logout'))).toContain('退出登录');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

  await switchesToEnglish(page);
  await page.reload();
  await page.getByTestId('home-scope').waitFor();
  expect(await navLabels(page)).toEqual(enLabels);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

  await page.getByTestId('lang-zh').click();
  await expect.poll(() => navLabels(page)).toEqual(zhLabels);
  await page.reload();
  await page.getByTestId('home-scope').waitFor();
  expect(await navLabels(page)).toEqual(zhLabels);
  expect(errors).toEqual([]);
}

describe('log-in and language', () => {
  const journeys = setUpJourneys();

  it('says clearly that the user name or password is wrong, and stays signed out', () =>
    withPage(journeys, wrongPassword));

  it('after five wrong passwords, even the right one must wait, and the page says so', () =>
    withPage(journeys, throttledAfterFiveTries));

  it('logs out back to the log-in page', () => withPage(journeys, logsOut));

  it('switches zh → en and back, and keeps the choice after a reload', () =>
    withPage(journeys, switchesLanguage));
});
