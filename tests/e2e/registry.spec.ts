import { describe, expect, it } from 'vitest';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
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
