import { describe, expect, it } from 'vitest';
import { citizenIdCheckCharacter } from '../../src/kernel/ids.ts';
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

// 增员 and 减员 from the roster: a refused number changes nothing and says why; a valid one appears
// on the roster (masked), and its 减员 closes the spell.
describe('register: 增员 and 减员', () => {
  const journeys = setUpJourneys();
  // A number no seed uses: 杭州 上城区, born 1990-07-15, sequence 73 + a random digit (so reruns
  // on a kept database do not collide), its GB 11643 check character computed.
  const first17 = `33010219900715${String(700 + Math.floor(Math.random() * 100)).padStart(3, '0')}`;
  const idNumber = `${first17}${citizenIdCheckCharacter(first17)}`;

  it('the demo employer hires a worker, is refused a bad number, then records the 减员', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'demo.employer');
      await page.getByTestId('nav-registry').click();
      const roster = page.getByTestId('registry-roster');
      await roster.locator('tbody tr').first().waitFor();
      const before = (await roster.locator('tbody tr').allInnerTexts()).length;

      await page.getByTestId('roster-hire').click();
      // One changed digit: the check character no longer matches (GB 11643), refused by the server.
      const wrong = `${first17.slice(0, 16)}${(Number(first17[16]) + 1) % 10}${idNumber[17]}`;
      await page.getByTestId('roster-hire-id').fill(wrong);
      await page.getByTestId('roster-hire-name').fill('增员测试');
      await page.getByTestId('roster-hire-submit').click();
      await page.getByTestId('roster-error').waitFor();
      expect(await roster.locator('tbody tr').count()).toBe(before);

      await page.getByTestId('roster-hire-id').fill(idNumber);
      await page.getByTestId('roster-hire-submit').click();
      const added = roster.locator('tbody tr', { hasText: '增员测试' });
      await added.waitFor();
      expect(await textOf(added)).toContain(`${idNumber.slice(0, 6)}********`);
      expect(await textOf(added)).not.toContain(idNumber);

      await added.getByTestId('roster-leave').click();
      await page.getByTestId('roster-leave-submit').click();
      // Ended today: still on today's roster, with today's date as its 减员 date, and no 减员 button.
      await added.getByTestId('roster-leave').waitFor({ state: 'detached' });
      expect(await textOf(added)).toMatch(/\d{4}-\d{2}-\d{2}\s+\d{4}-\d{2}-\d{2}/);
      expect(errors).toEqual([]);
    }));
});
