import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { citizenIdCheckCharacter } from '../../src/kernel/ids.ts';
import { textOf } from './support/browser.ts';
import { settledModal, setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// The register: a 杭州 handler finds an employer and opens its roster; 宁波's handler cannot open
// it; the demo employer sees its own roster. ID numbers are masked everywhere.
describe('register', () => {
  const journeys = setUpJourneys();

  it('the 杭州 handler searches, opens an employer, sees its roster masked and its events', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      await page.getByTestId('nav-registry').click();
      await page.getByTestId('registry-name-prefix').fill('杭州示例机械');
      await page.getByTestId('registry-search').click();
      const employers = page.getByTestId('registry-employers');
      await employers.getByText('杭州示例机械有限公司(演示)').click();
      await page.getByTestId('registry-employer').waitFor();
      const roster = page.getByTestId('registry-roster');
      await roster.locator('tbody tr').first().waitFor();
      const rows = await roster.locator('tbody tr').allInnerTexts();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.join('\n')).toMatch(/330102\*{8}\d{3}[\dX]/);
      expect(await textOf(page.getByTestId('registry-events'))).toContain('registered');
      const url = new URL(page.url()).pathname;
      expect(url).toMatch(/^\/registry\/330100\/emp_330100_[0-9a-f]{16}$/);
      expect(errors).toEqual([]);
    }));

  it('宁波’s handler gets not-in-scope for a 杭州 employer', () =>
    withPage(journeys, async ({ page }) => {
      await signIn(page, 'nb.handler');
      await page.goto('/registry/330100/emp_330100_0000000000000001');
      await page.getByTestId('registry-not-in-scope').waitFor();
    }));

  it('the demo employer sees its own roster', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'demo.employer');
      await page.getByTestId('nav-registry').click();
      const roster = page.getByTestId('registry-roster');
      await roster.locator('tbody tr').first().waitFor();
      expect((await roster.locator('tbody tr').allInnerTexts()).length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    }));
});

// 增员 and 减员 from the roster: a refused number changes nothing and says why; a valid one appears
// on the roster (masked), and its 减员 closes the spell.
describe('register: 增员 and 减员', () => {
  const journeys = setUpJourneys();
  it('the demo employer hires a worker, is refused a bad number, then records the 减员', () =>
    withPage(journeys, async ({ page, errors }) => {
      // A number no seed uses: 杭州 上城区, born 1990-07-15, a random sequence 700–999, its GB 11643
      // check character computed; drawn per attempt with the name, so a retry on the same database
      // hires another worker instead of meeting the first attempt's.
      const first17 = `33010219900715${String(700 + Math.floor(Math.random() * 300)).padStart(3, '0')}`;
      const idNumber = `${first17}${citizenIdCheckCharacter(first17)}`;
      const name = `增员测试${'甲乙丙丁戊己庚辛壬癸'[Math.floor(Math.random() * 10)]}`;
      await signIn(page, 'demo.employer');
      await page.getByTestId('nav-registry').click();
      const roster = page.getByTestId('registry-roster');
      await roster.locator('tbody tr').first().waitFor();
      const before = (await roster.locator('tbody tr').allInnerTexts()).length;

      await page.getByTestId('roster-hire').click();
      // One changed digit: the check character no longer matches (GB 11643), refused by the server.
      const wrong = `${first17.slice(0, 16)}${(Number(first17[16]) + 1) % 10}${idNumber[17]}`;
      await page.getByTestId('roster-hire-id').fill(wrong);
      await page.getByTestId('roster-hire-name').fill(name);
      await page.getByTestId('roster-hire-submit').click();
      await page.getByTestId('roster-error').waitFor();
      expect(await roster.locator('tbody tr').count()).toBe(before);

      await page.getByTestId('roster-hire-id').fill(idNumber);
      await page.getByTestId('roster-hire-submit').click();
      const added = roster.locator('tbody tr', { hasText: name });
      await added.waitFor();
      expect(await textOf(added)).toContain(`${idNumber.slice(0, 6)}********`);
      expect(await textOf(added)).not.toContain(idNumber);

      await added.getByTestId('roster-leave').click();
      await settledModal(page);
      await page.getByTestId('roster-leave-submit').click();
      // Ended today: still on today's roster, with today's date as its 减员 date, and no 减员 button.
      await added.getByTestId('roster-leave').waitFor({ state: 'detached' });
      expect(await textOf(added)).toMatch(/\d{4}-\d{2}-\d{2}\s+\d{4}-\d{2}-\d{2}/);
      expect(errors).toEqual([]);
    }));
});

// 项目参保 on the employer's page: a refused registration says why on the field and stores
// nothing; a valid one shows its one-off contribution and the ledger transaction of its receivable.
describe('register: 项目参保', () => {
  const journeys = setUpJourneys();

  // Typed and left with Tab (Enter would submit the form), not clicked: the other picker's closing
  // panel may still cover the field.
  async function pickDate(page: Page, testId: string, date: string): Promise<void> {
    const input = page.getByTestId(testId);
    await input.fill(date);
    await input.press('Tab');
  }

  it('the 杭州 handler registers a project and sees its contribution and receivable', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      await page.goto('/registry/330100/emp_330100_0000000000000001');
      const card = page.getByTestId('registry-projects-card');
      await page.getByTestId('registry-projects').waitFor();
      const name = `测试项目${Math.floor(Math.random() * 1_000_000)}`;
      await card.getByTestId('project-register').click();
      await page.getByTestId('project-name').fill(name);
      await page.getByTestId('project-site').fill('杭州市示例地块');
      await page.getByTestId('project-contract-value').fill('123,456,789.00');
      await page.getByTestId('project-division').fill('47');
      await pickDate(page, 'project-start', '2026-03-01');
      await pickDate(page, 'project-end', '2026-02-28');
      await page.getByTestId('project-submit').click();
      // Refused by the server (project.invalid_dates), shown on the completion date's field.
      await page.getByText('计划竣工日期早于开工日期').waitFor();
      expect(await textOf(page.getByTestId('registry-projects'))).not.toContain(name);

      await pickDate(page, 'project-end', '2027-06-30');
      await page.getByTestId('project-submit').click();
      // 123,456,789.00 × 0.2 × 0.013 (class 6) = 320,987.6514 → 320,987.65 元.
      const done = page.getByTestId('project-registered');
      await done.waitFor();
      expect(await textOf(done)).toMatch(
        /一次性工伤保险费 320,987\.65 元，记账凭证 contributions:project:prj_330100_[0-9a-f]{16}/,
      );
      const row = page.getByTestId('registry-projects').locator('tbody tr', { hasText: name });
      await row.waitFor();
      expect(await textOf(row)).toContain('320,987.65');
      expect(errors).toEqual([]);
    }));
});
