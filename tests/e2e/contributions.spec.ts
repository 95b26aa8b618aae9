import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { citizenIdCheckCharacter } from '../../src/kernel/ids.ts';
import { formatYuan, formatYuanPlain } from '../../src/kernel/money.ts';
import { type ApiSession, apiSession } from './support/api.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 10's browser journey: the employer uploads a declaration with one bad row and sees the row
// report; fixes it; the handler of its city sees the assessment, then the collection and the
// arrears; another city's handler cannot see them. The steps other people take (the supervisor's
// approvals, the tax bureau's file) go through the API as those people.

const MONTH = '2025-06';
const EMPLOYER = 'emp_330100_0000000000000001';
const CREDIT_CODE = '91330100MA0000015W';

function idNumber(sequence: number): string {
  // 杭州 上城区, born 1991-03-0x; sequences above 900 are used by no seed.
  const first17 = `33010219910303${String(900 + sequence).padStart(3, '0')}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}
const workers = [
  { idNumber: idNumber(1), name: '申报甲' },
  { idNumber: idNumber(3), name: '申报乙' },
  { idNumber: idNumber(5), name: '申报丙' },
];

function declarationCsv(wages: string[]): Buffer {
  const rows = workers.map((w, i) => `${w.idNumber},${w.name},${wages[i]}`);
  return Buffer.from(`公民身份号码,姓名,缴费工资\r\n${rows.join('\r\n')}\r\n`, 'utf8');
}

async function pickMonth(page: Page, testId: string, month: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(month);
  await input.press('Enter');
}

async function upload(page: Page, csv: Buffer): Promise<void> {
  await pickMonth(page, 'declaration-month', MONTH);
  await page
    .getByTestId('declaration-file')
    .setInputFiles({ name: `${MONTH}.csv`, mimeType: 'text/csv', buffer: csv });
  await page.getByTestId('declaration-send').click();
}

/** The approval id the page shows in `testId`, approved by the supervisor through the API. */
async function approveShown(page: Page, supervisor: ApiSession, testId: string): Promise<void> {
  const shown = page.getByTestId(testId).filter({ hasText: /apr_[0-9a-f]{24}/ });
  await shown.waitFor();
  const approval = /apr_[0-9a-f]{24}/.exec(await textOf(shown))?.[0];
  const decided = await supervisor.post(`/api/v1/regions/330100/approvals/${approval}/decision`, {
    decision: 'approved',
  });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
}

async function tabRows(page: Page, tab: string, testId: string): Promise<string> {
  await page.getByRole('tab', { name: tab }).click();
  const table = page.getByTestId(testId);
  await table.locator('tbody tr.ant-table-row').first().waitFor();
  return textOf(table);
}

/**
 * The 杭州 handler's floating-rate review: three years of experience (a low cost ratio) imported
 * through the API as from the finance system, then on the city page: run, the supervisor approves
 * (API), apply, the employer's letter downloads as a PDF.
 */
async function floatingReviewJourney(page: Page): Promise<void> {
  const base = new URL(page.url()).origin;
  const handler = await apiSession(base, 'hz.handler');
  const supervisor = await apiSession(base, 'hz.supervisor');
  const rows = [2023, 2024, 2025].map((y) => `${CREDIT_CODE},${y},500000,50000,0,20`);
  const imported = await handler.post('/api/v1/regions/330100/contributions/experience', {
    csv: `credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount\n${rows.join('\n')}\n`,
  });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  await page.goto('/contributions');
  await page.getByTestId('floating-year').fill('2026');
  await page.getByTestId('floating-run').click();
  await approveShown(page, supervisor, 'floating-review-detail');
  await page.getByTestId('floating-apply').click();
  const letter = page.getByTestId(`floating-letter-${EMPLOYER}`);
  await letter.waitFor();
  expect(await textOf(page.getByTestId('floating-review-detail'))).toContain('applied');
  const pdf = await page.request.get((await letter.getAttribute('href')) ?? '');
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  for (const s of [handler, supervisor]) await s.close();
}

describe('contributions: declaration → assessment → collection → arrears', () => {
  const journeys = setUpJourneys();

  it('runs from the employer’s upload to the handler’s arrears, scoped by city', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'demo.employer');
      const base = new URL(page.url()).origin;
      const employer = await apiSession(base, 'demo.employer');
      for (const w of workers) {
        const hired = await employer.post('/api/v1/employer/spells', {
          ...w,
          startDate: '2025-01-01',
        });
        expect(hired.status, JSON.stringify(hired.body)).toBe(201);
      }

      // One bad row (a negative wage, row 2): refused whole, the report names it.
      await page.getByTestId('nav-contributions').click();
      await upload(page, declarationCsv(['8000.00', '-100', '12000.50']));
      await page.getByTestId('declaration-refused').waitFor();
      const report = await textOf(page.getByTestId('declaration-report'));
      expect(report).toContain('declaration.wage_negative');
      expect(report).toMatch(/\b2\b/);
      await page.getByTestId('declaration-report-download').waitFor();

      // Fixed: accepted as version 1.
      await upload(page, declarationCsv(['8000.00', '9000.00', '12000.50']));
      await page.getByTestId('declaration-accepted').waitFor();
      expect(await textOf(page.getByTestId('declaration-accepted'))).toContain('第 1 版');

      // The 杭州 handler assesses the month on the city page; a supervisor approves; posted.
      await page.context().clearCookies();
      await signIn(page, 'hz.handler');
      const handler = await apiSession(base, 'hz.handler');
      const supervisor = await apiSession(base, 'hz.supervisor');
      await page.getByTestId('nav-contributions').click();
      await pickMonth(page, 'assess-month', MONTH);
      await page.getByTestId('assess-request').click();
      await approveShown(page, supervisor, 'assess-answer');
      await page.getByTestId('assess-post').click();
      await page.getByTestId('assess-answer').filter({ hasText: '已入账' }).waitFor();
      const { assessments } = (await handler.get(
        `/api/v1/regions/330100/contributions/assessments?employerId=${EMPLOYER}&month=${MONTH}`,
      )) as { assessments: { amountFen: number }[] };
      const assessed = assessments[0]?.amountFen ?? 0;
      expect(assessed).toBeGreaterThan(0);

      // The tax bureau collected half: its file is imported on the city page, posted with approval.
      const paid = Math.floor(assessed / 2);
      const file = `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\r\nE2E-${Date.now()},${CREDIT_CODE},${MONTH},${formatYuanPlain(paid)},2025-07-10\r\n`;
      await page.getByTestId('collections-file').setInputFiles({
        name: 'tax-2025-07.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(file),
      });
      await page.getByTestId('collections-import').click();
      expect(await textOf(page.getByTestId('collections-imported'))).toMatch(/已匹配\s+1/);
      await page.getByTestId('collections-request').click();
      await approveShown(page, supervisor, 'collections-posting');
      await page.getByTestId('collections-post').click();
      await page.getByTestId('collections-posting').filter({ hasText: 'posted' }).waitFor();

      // What the handler sees on the employer's page.
      await page.goto(`/registry/330100/${EMPLOYER}`);
      await page.getByTestId('contributions-tabs').waitFor();
      expect(await tabRows(page, '核定', 'contributions-assessments')).toContain(
        formatYuan(assessed),
      );
      expect(await tabRows(page, '缴费记录', 'contributions-collections')).toContain(
        formatYuan(paid),
      );
      expect(await tabRows(page, '欠费', 'contributions-arrears')).toContain(
        formatYuan(assessed - paid),
      );

      // 宁波's handler cannot open it.
      await page.context().clearCookies();
      await signIn(page, 'nb.handler');
      await page.goto(`/registry/330100/${EMPLOYER}`);
      await page.getByTestId('registry-not-in-scope').waitFor();
      const nb = await apiSession(base, 'nb.handler');
      const r = await nb.post('/api/v1/regions/330100/contributions/assessments', { month: MONTH });
      expect(r.status).toBe(404);
      for (const s of [employer, handler, supervisor, nb]) await s.close();
      expect(errors).toEqual([]);
    }));
});

describe('contributions: the floating-rate review', () => {
  const journeys = setUpJourneys();

  it('runs a review on the city page: run, approval, apply, the letter', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      await floatingReviewJourney(page);
      expect(errors).toEqual([]);
    }));
});
