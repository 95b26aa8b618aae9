import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoIdNumber } from '../../src/usecases/seed/demo-ids.ts';
import { apiSession } from './support/api.ts';
import { textOf } from './support/browser.ts';
import { settledModal, setUpJourneys, submitModal, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';
import { seedMissingCase } from './support/missing-seed.ts';

// 职工下落不明 on the case page (《工伤保险条例》第四十一条), as 杭州's handler (maker) with the city's
// supervisor (checker, through the API: the approvals page is cases.spec.ts's). The case comes from
// support/missing-seed.ts: accident on a business trip on 2025-03-10, 本人工资 6 000.00 declared.
//
// Hand-computed (the figures of src/usecases/benefits/benefit-missing.db.test.ts):
// - the employer keeps paying 2025-03, 04, 05: 3 × 6 000.00 = 18 000.00 ("从事故发生当月起3个月内照发工资");
// - the spouse's 供养亲属抚恤金 40 % × 6 000.00 = 2 400.00 a month from 2025-06-01 ("从第4个月起");
// - the advance allowed 50 % × 20 × 54 188.00 = 541 880.00 ("可以预支一次性工亡补助金的50%");
// - reappeared on 2025-07-15: the pension ends 2025-07-31 (《河南省工伤保险条例》第三十二条 "自出现的次月起
//   停发供养亲属抚恤金", the demo province's rule borrowed from it); no payroll ran and no advance was
//   drawn, so nothing is to be returned.

const REGION = '330100';
const SPOUSE_BIRTH = '1982-05-06';
const REAPPEARED = '2025-07-15';

/** Types a date into an antd date picker and leaves it closed (cases.spec.ts's pickDate). */
async function pickDate(page: Page, testId: string, date: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  await input.press('Tab');
  await expect.poll(() => page.locator('.ant-picker-dropdown:visible').count()).toBe(0);
  await expect.poll(() => input.inputValue()).toBe(date);
}

/**
 * Leaves the picker (a click on the modal's title) and waits until nothing in the modal moves: the
 * picker's focus ring and a button's wave outlast settledModal's one-second poll under load (the
 * record's OK waited on them once), so submitModal would fail before its click.
 */
async function calm(dialog: Locator): Promise<void> {
  await dialog.locator('.ant-modal-title').click();
  await expect
    .poll(() => dialog.evaluate((el) => el.getAnimations({ subtree: true }).length), {
      timeout: 10_000,
    })
    .toBe(0);
}

/** Waits for `where`; an error the panel shows instead fails the step with its text. */
async function shown(panel: Locator, where: Locator): Promise<void> {
  const refused = panel.getByTestId('missing-error');
  await refused.or(where).first().waitFor();
  if ((await refused.count()) > 0) throw new Error(await textOf(refused));
}

/** The approval the ask names, approved by the supervisor; then the handler applies it. */
async function approveAndApply(
  panel: Locator,
  step: string,
  approve: (id: string) => Promise<void>,
) {
  const asked = panel.getByTestId(`missing-asked-${step}`);
  await shown(panel, asked);
  const id = /apr_[0-9a-f]{24}/.exec(await textOf(asked))?.[0] ?? '';
  await approve(id);
  await asked.getByTestId('missing-apply').click();
  await shown(panel, panel.getByTestId('missing-state'));
  await expect.poll(() => asked.count()).toBe(0);
}

/** Asks the record; answers the spouse's ID number (the browser does not keep it). */
async function record(page: Page, panel: Locator): Promise<string> {
  await panel.getByTestId('missing-step-record').click();
  const dialog = await settledModal(page);
  await dialog.getByTestId('missing-reason').fill('出差途中渡船事故，公安机关证明下落不明');
  await dialog.getByTestId('missing-monthly-wage').fill('6000.00');
  await dialog.getByTestId('missing-add-dependant').click();
  await dialog.getByTestId('missing-dependant-name-0').fill('王丽');
  const id = demoIdNumber('330102', SPOUSE_BIRTH, 100 + Math.floor(Math.random() * 900));
  await dialog.getByTestId('missing-dependant-id-0').fill(id);
  await pickDate(page, 'missing-dependant-birth-0', SPOUSE_BIRTH);
  await calm(dialog);
  await submitModal(page, 'record');
  return id;
}

/**
 * The maker comes back later (a reload): the ask is still there, without the ID number, which the
 * apply asks again before it sends the approved body.
 */
async function applyRecordLater(
  page: Page,
  panel: Locator,
  spouseId: string,
  approve: (id: string) => Promise<void>,
): Promise<void> {
  const asked = panel.getByTestId('missing-asked-record');
  await shown(panel, asked);
  const id = /apr_[0-9a-f]{24}/.exec(await textOf(asked))?.[0] ?? '';
  await approve(id);
  await page.reload();
  await asked.getByTestId('missing-apply').click();
  const dialog = await settledModal(page);
  await dialog.getByTestId('missing-id-again-0').fill(spouseId);
  await submitModal(page, 'record apply');
  await shown(panel, panel.getByTestId('missing-state'));
  await expect.poll(() => asked.count()).toBe(0);
}

async function reappear(page: Page, panel: Locator): Promise<void> {
  await panel.getByTestId('missing-step-reappeared').click();
  const dialog = await settledModal(page);
  await pickDate(page, 'missing-reappeared-on', REAPPEARED);
  await dialog
    .getByTestId('missing-reappeared-evidence')
    .fill('本人到派出所报到，公安机关出具证明');
  await calm(dialog);
  await submitModal(page, 'reappeared');
}

describe('the missing worker on the case page', () => {
  const journeys = setUpJourneys();

  it('the handler records the worker missing (applied after a reload), then his reappearance', () =>
    withPage(journeys, async ({ page, errors }) => {
      const caseId = await seedMissingCase(journeys.database());
      await signIn(page, 'hz.handler');
      const supervisor = await apiSession(new URL(page.url()).origin, 'hz.supervisor');
      const approve = async (approvalId: string) => {
        expect(approvalId).toMatch(/^apr_[0-9a-f]{24}$/);
        const r = await supervisor.post(
          `/api/v1/regions/${REGION}/approvals/${approvalId}/decision`,
          {
            decision: 'approved',
          },
        );
        expect(r.status).toBe(200);
      };
      await page.goto(`/cases/${REGION}/${caseId}`);
      const panel = page.getByTestId('missing-panel');
      await panel.waitFor();
      await applyRecordLater(page, panel, await record(page, panel), approve);
      expect(await textOf(panel.getByTestId('missing-stage'))).toBe('下落不明');
      expect(await textOf(panel.getByTestId('missing-pensions-start'))).toBe('2025-06-01');
      const state = await textOf(panel.getByTestId('missing-state'));
      expect(state).toContain('2025-03、2025-04、2025-05，每月 6,000.00，合计 18,000.00');
      expect(state).toContain('541,880.00');
      const spouse = panel.getByTestId('missing-pensions').locator('tr', { hasText: '王丽' });
      expect(await textOf(spouse)).toContain('2,400.00');
      for (const step of ['advance', 'declared', 'reappeared'])
        expect(await panel.getByTestId(`missing-step-${step}`).count()).toBe(1);

      await reappear(page, panel);
      await approveAndApply(panel, 'reappeared', approve);
      await shown(panel, panel.getByTestId('missing-reappeared'));
      expect(await textOf(panel.getByTestId('missing-stage'))).toBe('已重新出现');
      expect(await textOf(spouse)).toContain('2025-07-31');
      expect(await textOf(panel.getByTestId('missing-return-total'))).toContain('0.00');
      expect(await panel.locator('[data-testid^="missing-step-"]').count()).toBe(0);
      await supervisor.close();
      expect(errors).toEqual([]);
    }));
});
