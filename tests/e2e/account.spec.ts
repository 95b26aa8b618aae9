import { describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../../src/usecases/identity/totp.ts';
import { type TestPage, textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { logIn, signIn } from './support/log-in.ts';

// Journeys of the account page (账户安全): change one's password; enrol an authenticator app and
// log in with its code.

async function logOut({ page }: TestPage): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-card').waitFor();
}

async function changesPassword(tab: TestPage): Promise<void> {
  const { page, errors } = tab;
  await signIn(page, 'demo.employer');
  await page.getByTestId('header-account').click();
  await page.getByTestId('password-card').waitFor();
  await page.getByTestId('password-current').fill('Tongchou-Demo-2026');
  await page.getByTestId('password-new').fill('my-own-long-password');
  await page.getByTestId('password-repeat').fill('my-own-long-password');
  await page.getByTestId('password-submit').click();
  await expect.poll(() => textOf(page.getByTestId('password-outcome'))).toContain('密码已修改');

  await logOut(tab);
  await logIn(page, 'demo.employer', 'my-own-long-password');
  await page.getByTestId('home-scope').waitFor();
  expect(errors).toEqual([]);
}

const codeAt = (secret: string, offset: number) =>
  hotp(base32Decode(secret), totpStep(Date.now()) + offset);

async function enrolsAndUsesSecondFactor(tab: TestPage): Promise<void> {
  const { page } = tab;
  await signIn(page, 'hz.determination');
  await page.getByTestId('header-account').click();
  await page.getByTestId('totp-password').fill('Tongchou-Demo-2026');
  await page.getByTestId('totp-start').click();
  const secret = (await textOf(page.getByTestId('totp-secret'))).trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByTestId('totp-code').fill(codeAt(secret, 0));
  await page.getByTestId('totp-confirm').click();
  await expect.poll(() => textOf(page.getByTestId('totp-outcome'))).toContain('已绑定动态验证码');

  await logOut(tab);
  await logIn(page, 'hz.determination');
  await page.getByTestId('login-totp').waitFor();
  expect(await textOf(page.getByTestId('login-error'))).toContain('6 位动态验证码');
  // The confirmation used this step's code; a code is accepted once, so log in with the next one.
  await page.getByTestId('login-totp').fill(codeAt(secret, 1));
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-scope').waitFor();
}

describe('account security', () => {
  const journeys = setUpJourneys();

  it('changes the password, and the new one logs in', () => withPage(journeys, changesPassword));

  it('enrols an authenticator app, and log-in then asks for its code', () =>
    withPage(journeys, enrolsAndUsesSecondFactor));
});
