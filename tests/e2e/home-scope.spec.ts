import { describe, expect, it } from 'vitest';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Journey (d): the home page shows the user's scope; a 杭州 handler sees 杭州 and not 宁波.
describe('home page scope', () => {
  const journeys = setUpJourneys();

  it('shows the 杭州 handler 杭州 only, with the chart', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      const scope = page.getByTestId('home-scope');
      expect(await textOf(scope)).toBe('市级经办 · 杭州市 (330100)');
      const table = page.getByTestId('regions-table');
      await table.locator('tbody tr').first().waitFor();
      const rows = await table.locator('tbody tr').allInnerTexts();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain('杭州');
      expect(rows[0]).toContain('330100');
      expect(await textOf(page.locator('body'))).not.toContain('宁波');
      expect(await page.getByTestId('home-chart').locator('canvas').count()).toBeGreaterThan(0);
      await page.screenshot({ path: '/tmp/tongchou-home-hz-handler.png', fullPage: true });
      expect(errors).toEqual([]);
    }));

  it('shows the provincial fund manager all 11 cities of 浙江', () =>
    withPage(journeys, async ({ page }) => {
      await signIn(page, 'province.fund');
      const table = page.getByTestId('regions-table');
      await table.locator('tbody tr').first().waitFor();
      const rows = await table.locator('tbody tr').allInnerTexts();
      expect(rows).toHaveLength(11);
      expect(rows.join('\n')).toContain('宁波');
      expect(rows.join('\n')).toContain('丽水');
      await page.screenshot({ path: '/tmp/tongchou-home-province.png', fullPage: true });
    }));
});
