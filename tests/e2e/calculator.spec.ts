import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type TestPage, textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';

// Journey (f): the public calculator, without log-in, on the real POST /api/v1/calculations.
async function fillDate(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(value);
}

async function fillGrade7Case(page: Page): Promise<void> {
  await page.getByTestId('calc-quick-amount').fill('6000');
  await page.getByTestId('calc-quick-months').fill('12');
  await page.getByTestId('calc-quick-apply').click();
  await page.getByTestId('calc-wage-11').waitFor();
  await fillDate(page, '受伤日期', '2025-03-01');
  await fillDate(page, '伤残等级鉴定日期', '2025-09-01');
}

async function openCalculator(page: Page): Promise<void> {
  await page.goto('/calculator');
  await page.getByTestId('calc-form').waitFor();
}

async function computesGrade7({ page, errors }: TestPage): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-calculator-link').click();
  await page.getByTestId('calc-form').waitFor();
  expect(new URL(page.url()).pathname).toBe('/calculator');
  expect(await page.getByTestId('nav').count()).toBe(0);
  expect(await page.getByRole('heading', { name: '工伤待遇计算器' }).count()).toBe(1);

  await fillGrade7Case(page);
  expect(await page.getByTestId('calc-wage-0').inputValue()).toBe('6000.00');
  await page.getByText('7 级', { exact: true }).click();
  await page.getByTestId('calc-submit').click();

  const item = page.getByTestId('calc-item-disability_lump_sum');
  await item.waitFor();
  const text = await textOf(item);
  expect(text).toContain('一次性伤残补助金');
  expect(text).toContain('第三十七条');
  // 条例 Art. 37: grade 7 = 13 months of the own wage, 6,000.00 元 within the 60–300 % clamp.
  expect(await textOf(item.getByTestId('calc-item-amount'))).toBe('78,000.00 元');
  const explanationZh = await textOf(item.getByTestId('calc-item-explanation'));
  expect(explanationZh).toContain('13 个月');
  expect(await textOf(page.getByTestId('calc-base-wage'))).toBe('6,000.00 元');
  expect(text).toContain('基金支付');
  await page.screenshot({ path: '/tmp/tongchou-calculator.png', fullPage: true });
  await explainsInEnglish(page, explanationZh);
  expect(errors).toEqual([]);
}

/** The explanation comes from the trace in the reader's language. */
async function explainsInEnglish(page: Page, explanationZh: string): Promise<void> {
  const item = page.getByTestId('calc-item-disability_lump_sum');
  await page.getByTestId('lang-en').click();
  await page.getByText('One-off disability grant', { exact: true }).waitFor();
  expect(await textOf(item.getByTestId('calc-item-amount'))).toBe('78,000.00 yuan');
  const explanationEn = await textOf(item.getByTestId('calc-item-explanation'));
  expect(explanationEn).not.toBe(explanationZh);
  expect(explanationEn).toContain('13');
  expect(explanationEn).not.toContain('个月');
  await page.screenshot({ path: '/tmp/tongchou-calculator-en.png', fullPage: true });
}

async function badAmountBeforeSending({ page }: TestPage): Promise<void> {
  await openCalculator(page);
  await fillGrade7Case(page);
  await page.getByTestId('calc-wage-3').fill('6000.123');
  await page.getByText('7 级', { exact: true }).click();
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/calculations')) requests.push(request.url());
  });
  await page.getByTestId('calc-submit').click();
  const wageItem = page
    .locator('.ant-form-item.wage-item')
    .filter({ has: page.getByTestId('calc-wage-3') });
  await wageItem.locator('.ant-form-item-explain-error').waitFor();
  expect(await textOf(wageItem)).toContain('请输入以元为单位的金额');
  expect(requests).toEqual([]);
  expect(await page.getByTestId('calc-result').count()).toBe(0);
}

async function serverProblemOnItsField({ page }: TestPage): Promise<void> {
  await openCalculator(page);
  await fillGrade7Case(page);
  // No grade chosen: the server, not the page, decides it is required and says where.
  const answer = page.waitForResponse((r) => r.url().includes('/api/v1/calculations'));
  await page.getByTestId('calc-submit').click();
  const response = await answer;
  expect(response.status()).toBe(400);
  const problem = (await response.json()) as { errors?: { path: string }[] };
  expect(problem.errors?.map((e) => e.path)).toContain('disabilityGrade');
  const gradeItem = page.locator('.ant-form-item').filter({ has: page.getByTestId('calc-grade') });
  const explain = gradeItem.locator('.ant-form-item-explain-error');
  await explain.first().waitFor();
  expect((await textOf(explain.first())).trim()).not.toBe('');
  expect(await page.getByTestId('calc-result').count()).toBe(0);
}

/**
 * Issue 8 on the page: 《河南省工伤保险条例》第二十七条 — a grade-7 worker with an occupational disease
 * two years from retirement. Base: the 河南 pooling-area average in force on the separation date,
 * 5,200 元 (demo value). Medical grant 12 × 5,200 × 130 % = 81,120 元 (第一款 增发百分之三十);
 * employment grant 36 × 5,200 × 40 % = 74,880 元 (第二款: two years left, 3 × 20 % less).
 */
async function henanNearRetirement({ page, errors }: TestPage): Promise<void> {
  await openCalculator(page);
  await page.getByText('河南省（410000）', { exact: true }).click();
  await fillGrade7Case(page);
  await page.getByText('7 级', { exact: true }).click();
  await page.getByText('患职业病（河南：一次性工伤医疗补助金增发 30 %）', { exact: true }).click();
  await page.getByTestId('calc-separation').click();
  await fillDate(page, '解除日期', '2025-10-01');
  await page.getByTestId('calc-years-to-retirement').fill('2');
  await page.getByTestId('calc-submit').click();
  const medical = page.getByTestId('calc-item-medical_separation_grant');
  await medical.waitFor();
  expect(await textOf(medical.getByTestId('calc-item-amount'))).toBe('81,120.00 元');
  const employment = page.getByTestId('calc-item-employment_separation_grant');
  expect(await textOf(employment.getByTestId('calc-item-amount'))).toBe('74,880.00 元');
  expect(await textOf(employment)).toContain('《河南省工伤保险条例》第二十七条第二款');
  expect(errors).toEqual([]);
}

/**
 * 《浙江省工伤保险条例》第三十五条第二款 on the page: an uninsured employer pays a spouse of 62 周岁
 * without labour capacity or other income once: 20 − 2 = 18 years, 本人工资 6,000 元 × 40 % =
 * 2,400 元 × 216 months = 518,400 元, in place of the monthly pension.
 */
async function zhejiangOneOff({ page, errors }: TestPage): Promise<void> {
  await openCalculator(page);
  await page.getByTestId('calc-kind').getByText('因工死亡', { exact: true }).click();
  await page.getByTestId('calc-quick-amount').fill('6000');
  await page.getByTestId('calc-quick-months').fill('12');
  await page.getByTestId('calc-quick-apply').click();
  await page.getByTestId('calc-wage-11').waitFor();
  await fillDate(page, '受伤日期', '2025-06-10');
  await fillDate(page, '死亡日期', '2025-06-10');
  await page.getByTestId('calc-employer-insured').click();
  await page.getByText('添加供养亲属', { exact: true }).click();
  await page.getByTestId('calc-dependant-0-one-off').click();
  await fillDate(page, '出生日期', '1963-03-01');
  await page.getByText('无劳动能力又无其他生活来源', { exact: true }).click();
  await page.getByTestId('calc-submit').click();
  const item = page.getByTestId('calc-item-survivor_pension_one_off');
  await item.waitFor();
  expect(await textOf(item.getByTestId('calc-item-amount'))).toBe('518,400.00 元');
  expect(await textOf(item)).toContain('《浙江省工伤保险条例》第三十五条第二款');
  expect(await textOf(item.getByTestId('calc-item-explanation'))).toContain('216 个月');
  expect(await page.getByTestId('calc-item-survivor_pension').count()).toBe(0);
  expect(errors).toEqual([]);
}

describe('public benefit calculator', () => {
  const journeys = setUpJourneys();

  it('computes a grade-7 case for a visitor who is not logged in', () =>
    withPage(journeys, computesGrade7));

  it('shows a bad amount next to its field before sending', () =>
    withPage(journeys, badAmountBeforeSending));

  it('maps the server problem onto the field it names', () =>
    withPage(journeys, serverProblemOnItsField));

  it('applies the 河南 occupational-disease uplift and near-retirement cut a visitor enters', () =>
    withPage(journeys, henanNearRetirement));

  it('pays a 浙江 survivor once for an uninsured employer', () =>
    withPage(journeys, zhejiangOneOff));
});
