import type { Page } from 'playwright-core';

/** The password of every seeded demo user (src/seed). */
export const demoPassword = 'Tongchou-Demo-2026';

/**
 * Fills and submits the log-in form, and nothing more: the journeys that expect a refusal wait
 * for the error themselves. Use `signIn` to wait until the home page is there.
 */
export async function logIn(page: Page, username: string, password = demoPassword): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Logs a demo user in and waits for the home page (its scope line) to be shown. */
export async function signIn(page: Page, username: string): Promise<void> {
  await logIn(page, username);
  await page.getByTestId('home-scope').waitFor();
}
