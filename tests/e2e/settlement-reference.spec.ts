import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 13's reference pages: a city handler creates an institution (协议机构), signs a service
// agreement (服务协议), sees it listed; browses the demo catalogue (seed-settlement-demo.ts: 20
// DEMO- items, 3 of them rehabilitation) and sees a bad catalogue file refused with its row report.

const name = `e2e 协议医院 ${Date.now()}`;

async function createInstitution(page: Page): Promise<string> {
  await page.getByTestId('nav-settlement-institutions').click();
  await page.getByTestId('institutions-card').waitFor();
  await page.getByTestId('institution-create').click();
  await page.getByTestId('institution-name').fill(name);
  await page.getByTestId('institution-create-submit').click();
  await page.getByTestId('institution-title').filter({ hasText: name }).waitFor();
  const id = new URL(page.url()).pathname.split('/').at(-1) ?? '';
  expect(id).toMatch(/^INST-330100-\d{4}$/);
  return id;
}

async function signAgreement(page: Page): Promise<void> {
  await page.getByTestId('agreement-sign').click();
  // Nothing chosen: the browser refuses before sending, on the field.
  await page.getByTestId('agreement-to').fill('2030-12-31');
  await page.getByTestId('agreement-sign-submit').click();
  await page.getByText('one or more scopes').waitFor();
  await page.getByTestId('agreement-scopes').getByText('门诊', { exact: true }).click();
  await page.getByTestId('agreement-scopes').getByText('住院', { exact: true }).click();
  await page.getByTestId('agreement-cross').check();
  await page.getByTestId('agreement-sign-submit').click();
  const rows = page.getByTestId('agreements-table').locator('tbody tr.ant-table-row');
  await rows.first().waitFor();
  expect(await rows.count()).toBe(1);
  const row = await textOf(rows.first());
  expect(row).toContain('门诊');
  expect(row).toContain('住院');
  expect(row).toContain('2030-12-31');
}

async function seesItListed(page: Page, id: string): Promise<void> {
  await page.getByTestId('nav-settlement-institutions').click();
  await page.getByTestId('institutions-name').locator('input').fill('e2e');
  await page.getByTestId('institutions-name').locator('input').press('Enter');
  await page.getByTestId(`institution-open-${id}`).waitFor();
  const row = await textOf(
    page.getByTestId('institutions-table').locator('tbody tr.ant-table-row'),
  );
  expect(row).toContain(name);
  expect(row).toContain('正常');
  expect(row).toContain('医疗机构');
}

async function browsesCatalogue(page: Page): Promise<void> {
  await page.getByTestId('nav-settlement-catalogue').click();
  await page.getByTestId('catalogue-prefix').fill('DEMO-');
  await page.getByTestId('catalogue-search').click();
  const rows = page.getByTestId('catalogue-table').locator('tbody tr.ant-table-row');
  await rows.nth(19).waitFor();
  expect(await rows.count()).toBe(20);
  expect(await textOf(rows.first())).toContain('DEMO-A-001');
  await page.getByTestId('catalogue-kind').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '康复项目' }).click();
  await page.getByTestId('catalogue-search').click();
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="catalogue-table"] tbody tr.ant-table-row').length ===
      3,
  );
  expect(await textOf(rows.first())).toContain('运动疗法');
}

async function importRefused(page: Page): Promise<void> {
  const csv =
    'code,kind,name,drug_class,unit,price_cap,quantity_limit,valid_from,valid_to\nE2E-1,nonsense,x,,次,abc,,2026-01-01,\n';
  await page
    .getByTestId('catalogue-import-card')
    .locator('input[type=file]')
    .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('catalogue-import-refused').waitFor();
  const href = await page.getByTestId('catalogue-import-report').getAttribute('href');
  expect(href).toMatch(
    /^\/api\/v1\/settlement\/catalogue\/imports\/cim_[0-9a-f]{16}\/report\.xlsx$/,
  );
  const report = await page.request.get(href ?? '');
  expect(report.status()).toBe(200);
  expect(report.headers()['content-type']).toContain('spreadsheetml');
}

describe('settlement reference pages: institutions, agreements, catalogue', () => {
  const journeys = setUpJourneys();

  it('a city handler creates an institution, signs an agreement and sees it listed', async () => {
    await withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      const id = await createInstitution(page);
      await signAgreement(page);
      await seesItListed(page, id);
      expect(errors).toEqual([]);
    });
  });

  it('the handler searches the demo catalogue and a bad file is refused with its row report', async () => {
    await withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      await browsesCatalogue(page);
      await importRefused(page);
      expect(errors).toEqual([]);
    });
  });

  it('the province’s supervisor reads institutions and code maps but is offered no form', async () => {
    await withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'province.supervisor');
      await page.getByTestId('nav-settlement-institutions').click();
      await page.getByTestId('institution-open-INST-330100-0001').click();
      await page.getByTestId('agreements-table').waitFor();
      expect(await page.getByTestId('agreement-sign').count()).toBe(0);
      expect(await page.getByTestId('institution-status').count()).toBe(0);
      // The first demo hospital's own codes, mapped to the demo catalogue (read only).
      await page.getByTestId('code-maps-table').getByText('ZY-YP-0101').waitFor();
      expect(await textOf(page.getByTestId('code-maps-table'))).toContain('DEMO-D-001');
      expect(await page.getByTestId('code-map-set').count()).toBe(0);
      expect(errors).toEqual([]);
    });
  });
});
