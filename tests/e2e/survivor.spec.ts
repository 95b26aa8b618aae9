import { describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/kernel/dates.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 12's survivor in the browser: the demo survivor 陈丽华 (demo.survivor, a 供养亲属) logs in,
// opens 我的工伤 and sees her own 供养亲属抚恤金 of 2 800.00, last month's payment of it (paid), and
// the death decision's letter — never her child's 2 100.00. Data: support/survivor-seed.ts, on
// this spec's own server (its payroll run posts).

const lastMonth = (() => {
  const [y, m] = todayInChina().slice(0, 7).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
})();

describe('a survivor’s own benefits', () => {
  const journeys = setUpJourneys({ survivorMonth: lastMonth });

  it('the demo survivor sees her pension, her monthly payment and the letter, not her child’s', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'demo.survivor');
      await page.getByTestId('nav-my-cases').click();
      const section = page.getByTestId('survivor-benefits');
      await section.waitFor();
      expect(await textOf(section)).toContain('我的供养亲属待遇');
      const entitlements = await textOf(page.getByTestId('survivor-entitlements'));
      expect(entitlements.replace(/\s+/g, ' ')).toContain('供养亲属抚恤金 2,800.00');
      const rows = page.getByTestId('survivor-monthly-payments').locator('tbody tr');
      expect(await rows.count()).toBe(1);
      const [line] = await rows.allInnerTexts();
      expect(line?.replace(/\s+/g, ' ').trim()).toMatch(
        new RegExp(`^${lastMonth} 供养亲属抚恤金 2,800\\.00 已支付 ${lastMonth}-20`),
      );
      expect(await textOf(page.getByTestId('survivor-letters'))).toContain(
        '工伤保险待遇核定通知书',
      );
      expect(await textOf(section)).not.toContain('2,100.00');
      expect(errors).toEqual([]);
    }));
});
