import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { panelResponse } from '../../src/contract/benefits/benefit-decision-contract.ts';
import { correctionListResponse } from '../../src/contract/benefits/correction-contract.ts';
import { separationListResponse } from '../../src/contract/benefits/separation-contract.ts';
import { demoIdNumber } from '../../src/usecases/seed/demo-ids.ts';
import { type ApiSession, apiSession } from './support/api.ts';
import { seedBenefitFormCases, seedStopCase, WAGE } from './support/benefit-forms-seed.ts';
import { textOf } from './support/browser.ts';
import { settledModal, setUpJourneys, submitModal, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 11's benefit forms on the case page, as 杭州's handler (maker) with the city's supervisor
// (checker, through the API as cases.spec.ts's approvals page already covers): the separation
// panel, the regrade button, the death facts form with the spouse's card account, and (a second
// journey) the worker's card account and a 第四十二条 stop. The cases come ready from
// support/benefit-forms-seed.ts, new on every attempt: each worker injured on 2025-03-10 with one
// wage month entered, 2025-02 at 6 000.00 yuan, so 本人工资 is 6 000.00 (the average of the months
// there are, inside 60–300 % of the average wage: 《工伤保险条例》第六十四条第二款).
//
// Hand-computed figures (the demo's placeholder averages, src/rules/values/330000/wages.yaml and
// 000000/national-data.yaml):
// - separation of a grade-7 worker on 2026-11-16 (born 1980-04-02, retiring at 60: more than five
//   years left, no reduction): each grant 10 months × 上年度全省职工月平均工资 of 2026, 7 500.00 =
//   75 000.00 (《浙江省工伤保险条例》第二十七条第二款 "七级伤残为十个月"), the medical one the fund's, the
//   employment one the employer's;
// - regrade 9 → 7 after a re-appraisal: the lump sum 9 × 6 000.00 = 54 000.00 becomes 13 × 6 000.00
//   = 78 000.00 (《工伤保险条例》第三十七条第一款第（一）项 "七级伤残为13个月的本人工资…九级伤残为9个月的本人工资"),
//   the difference 24 000.00 paid (payment.regrade_lump_sum.re_appraisal: difference);
// - death on 2025-07-10, a spouse: 丧葬补助金 6 × 7 200.00 = 43 200.00, 供养亲属抚恤金 40 % × 6 000.00
//   = 2 400.00 a month, 一次性工亡补助金 20 × 54 188.00 = 1 083 760.00 (《工伤保险条例》第三十九条第一款).

const REGION = '330100';
const SEPARATION_DATE = '2026-11-16';
const DIED_ON = '2025-07-10';
const SPOUSE_BIRTH = '1982-05-06';

/** A valid ID number (GB 11643) for the spouse, its sequence drawn per attempt. */
const spouseIdNumber = () =>
  demoIdNumber('330102', SPOUSE_BIRTH, 100 + Math.floor(Math.random() * 900));

/** Waits for `text` in `where`; an error the panel shows instead fails the step with its text. */
async function shown(panel: Locator, where: Locator, text: string): Promise<void> {
  const either = panel.locator('.ant-alert-error').or(where.getByText(text).first());
  await either.first().waitFor();
  const refused = panel.locator('.ant-alert-error');
  if ((await refused.count()) > 0) throw new Error(await textOf(refused.first()));
}

async function expectPdf(page: Page, link: Locator): Promise<void> {
  const pdf = await page.request.get((await link.getAttribute('href')) ?? '');
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
}

async function openCase(page: Page, caseId: string, panel: string): Promise<Locator> {
  await page.goto(`/cases/${REGION}/${caseId}`);
  const found = page.getByTestId(panel);
  await found.waitFor();
  return found;
}

async function separation(page: Page, caseId: string, s: Sessions): Promise<void> {
  let panel = await openCase(page, caseId, 'separation-panel');
  await panel.getByTestId('separation-record').click();
  await (await settledModal(page)).getByPlaceholder('YYYY-MM-DD').fill(SEPARATION_DATE);
  await submitModal(page);
  const row = panel.locator('tr', { hasText: SEPARATION_DATE });
  await shown(panel, row, '待复核');
  expect(await textOf(row)).toContain('一次性工伤医疗补助金 75,000.00');
  expect(await textOf(row)).toContain('一次性伤残就业补助金 75,000.00');
  const listed = separationListResponse.parse(
    await s.handler.get(`/api/v1/regions/${REGION}/cases/${caseId}/separation`),
  );
  await s.approve(listed[0]?.approvalId ?? '');
  panel = await openCase(page, caseId, 'separation-panel');
  await panel.getByTestId('separation-apply').click();
  await shown(panel, row, '已核定');
  expect(await textOf(row)).toContain('一次性工伤医疗补助金 75,000.00');
  expect(await panel.getByTestId('separation-record').count()).toBe(0);
  await expectPdf(page, row.getByTestId('separation-letter-download'));
}

/** The items table's amount of `label` (the first row with it). */
async function amountOf(panel: Locator, label: string): Promise<string> {
  const row = panel.getByTestId('benefit-items').locator('tr', { hasText: label }).first();
  return (await textOf(row.locator('td').nth(1))).trim();
}

async function regrade(page: Page, caseId: string, s: Sessions): Promise<void> {
  let panel = await openCase(page, caseId, 'benefit-decision-panel');
  await shown(panel, panel.getByTestId('benefit-items'), '54,000.00');
  await panel.getByTestId('benefit-regrade').click();
  await shown(panel, panel.getByTestId('benefit-status'), '待复核');
  // Beside the approved decision only the regrade is offered again: the first decision's form and
  // the death facts would be refused (benefit.decision_already_approved).
  for (const refused of ['benefit-propose', 'death-facts-record'])
    expect(await panel.getByTestId(refused).count()).toBe(0);
  await panel.getByTestId('benefit-regrade').waitFor();
  const view = panelResponse.parse(
    await s.handler.get(`/api/v1/regions/${REGION}/cases/${caseId}/benefit-decision`),
  );
  await s.approve(view.current?.approval.id ?? '');
  panel = await openCase(page, caseId, 'benefit-decision-panel');
  await panel.getByTestId('benefit-apply').click();
  await shown(panel, panel.getByTestId('benefit-status'), '已核定');
  expect(await amountOf(panel, '一次性伤残补助金')).toBe('78,000.00');
  // The trace (folded) says the months: 13, grade 7's (9 before).
  await panel.locator('.ant-collapse-header').click();
  expect(await textOf(panel.getByTestId('benefit-trace'))).toContain('× 13 个月');
  const payments = panel.getByTestId('benefit-payments');
  await payments.getByText('24,000.00').waitFor();
  await expectPdf(page, panel.getByTestId('benefit-letter-download'));
}

async function death(page: Page, caseId: string): Promise<void> {
  const panel = await openCase(page, caseId, 'benefit-decision-panel');
  await panel.getByTestId('death-facts-record').click();
  await (await settledModal(page)).getByTestId('death-died-on').fill(DIED_ON);
  await page.getByTestId('death-add-dependant').click();
  await page.getByTestId('death-dependant-name-0').fill('王丽');
  await page.getByTestId('death-dependant-id-0').fill(spouseIdNumber());
  await page.getByTestId('death-dependant-birth-0').fill(SPOUSE_BIRTH);
  // The panel shows nothing of the recorded facts (not built): the journey waits for the answer,
  // else the proposal below could reach the server first and be a disability one (refused).
  const recorded = page.waitForResponse(
    (r) => r.url().endsWith('/death-facts') && r.request().method() === 'PUT',
  );
  await submitModal(page);
  expect((await recorded).status()).toBe(200);
  await panel.getByTestId('benefit-propose').click();
  await (await settledModal(page)).getByTestId('benefit-wage-evidence').waitFor();
  await page.getByTestId('benefit-add-month').click();
  await page.getByTestId('benefit-wage-month-0').fill(WAGE.month);
  await page.getByTestId('benefit-wage-yuan-0').fill('6000.00');
  await page.getByTestId('benefit-wage-evidence').fill(WAGE.evidence);
  await submitModal(page);
  await shown(panel, panel.getByTestId('benefit-status'), '待复核');
  expect(await amountOf(panel, '丧葬补助金')).toBe('43,200.00');
  expect(await amountOf(panel, '供养亲属抚恤金')).toBe('2,400.00');
  expect(await amountOf(panel, '一次性工亡补助金')).toBe('1,083,760.00');
  await dependantCardAccount(page, caseId);
}

/** The spouse's card account (her pension is paid to it), from her row of the dependants panel. */
async function dependantCardAccount(page: Page, caseId: string): Promise<void> {
  // The panel read the case before its death facts were recorded: open the case again.
  const dependants = await openCase(page, caseId, 'dependants-panel');
  const row = dependants.locator('tr', { hasText: '王丽' });
  await row.locator('[data-testid^="dependant-card-account-"]').click();
  const card = dependants.getByTestId('dependant-card-account');
  await card.getByTestId('card-account-record').click();
  const dialog = await settledModal(page);
  expect(await dialog.getByTestId('card-account-accountName').inputValue()).toBe('王丽');
  await dialog.getByTestId('card-account-bankName').fill('中国建设银行杭州分行');
  await dialog.getByTestId('card-account-accountNumber').fill('6217000000008765');
  await submitModal(page, 'dependant card account');
  await card.getByTestId('card-account-number').waitFor();
  expect(await textOf(card.getByTestId('card-account-number'))).toBe('************8765');
}

type Sessions = { handler: ApiSession; approve: (approvalId: string) => Promise<void> };

/** The handler records the worker's card account: the page shows it masked (no pii:reveal). */
async function cardAccount(page: Page, caseId: string): Promise<void> {
  const panel = await openCase(page, caseId, 'card-account-panel');
  await panel.getByTestId('card-account-record').click();
  const dialog = await settledModal(page);
  // 户名 comes filled with the register's name; 起用日期 with today (the server's earliest month).
  expect(await dialog.getByTestId('card-account-accountName').inputValue()).toBe('工伤职工');
  await dialog.getByTestId('card-account-bankName').fill('中国工商银行杭州分行');
  await dialog.getByTestId('card-account-accountNumber').fill('6222 0200 0000 4321');
  await submitModal(page, 'card account');
  const number = panel.getByTestId('card-account-number');
  await number.waitFor();
  expect(await textOf(number)).toBe('************4321');
  expect(await textOf(panel)).not.toContain('6222020000004321');
}

/**
 * 待遇更正: the handler corrects the 伤残津贴 recorded at 4 500.00 to 4 600.00 from the same start
 * (2025-07-01); no payroll paid him (the stop below finds nothing overpaid), so the plan has no
 * month: net 0.00, no arrears, no overpayment. The supervisor approves (the approval the case's
 * list names); the handler applies from the list: the corrected 4 600.00 replaces the entitlement.
 */
async function correction(page: Page, caseId: string, s: Sessions): Promise<void> {
  const panel = await openCase(page, caseId, 'benefit-entitlements');
  await panel.getByTestId('entitlement-correct-disability_allowance').click();
  const dialog = await settledModal(page);
  await dialog.getByTestId('correction-amountYuan').fill('4600');
  await dialog.getByTestId('correction-reason').fill('本人工资录入错误');
  await dialog.getByTestId('correction-evidence').fill('工资表（单位盖章）第2页');
  await dialog.getByTestId('correction-submit').click();
  await dialog.getByTestId('correction-proposed').waitFor();
  expect(await textOf(dialog.getByTestId('correction-net'))).toBe('差额合计 0.00 元');
  expect(await dialog.getByTestId('correction-months').count()).toBe(0);
  await dialog.locator('.ant-modal-close').click();
  const listed = correctionListResponse.parse(
    await s.handler.get(`/api/v1/regions/${REGION}/cases/${caseId}/benefit-corrections`),
  );
  const [asked] = listed.corrections;
  expect(listed.corrections.map((c) => [c.status, c.approvalStatus])).toEqual([
    ['proposed', 'pending'],
  ]);
  await s.approve(asked?.approvalId ?? '');
  await openCase(page, caseId, 'benefit-corrections');
  const decision = page.getByTestId('benefit-decision-panel');
  await shown(decision, decision.getByTestId(`correction-state-${asked?.id}`), '已复核，待执行');
  await decision.getByTestId(`correction-apply-${asked?.id}`).click();
  await shown(decision, decision.getByTestId('correction-outcome'), '已执行');
  expect(await textOf(decision.getByTestId('correction-outcome'))).toBe(
    '已执行：补发 0.00 元，多发 0.00 元（转追回）',
  );
  await shown(decision, decision.getByTestId(`correction-state-${asked?.id}`), '已执行');
  await shown(decision, page.getByTestId('benefit-entitlements'), '4,600.00');
}

/**
 * The handler asks a stop on ground (三), refused treatment on 2025-07-10; the supervisor approves;
 * the handler applies: the 伤残津贴, 4 600.00 as corrected, is paid to 2025-07-31 (the month of the event whole),
 * and nothing was paid after it (no payroll ran), so nothing is overpaid.
 */
async function stop(page: Page, caseId: string, s: Sessions): Promise<void> {
  const panel = await openCase(page, caseId, 'benefit-stop-panel');
  await panel.getByTestId('stop-step-stop').click();
  const dialog = await settledModal(page);
  await dialog.getByTestId('stop-effective-on').fill('2025-07-10');
  await dialog.getByTestId('stop-reason').fill('经书面通知仍拒绝住院治疗（医院记录）');
  await submitModal(page, 'stop');
  const asked = panel.getByTestId('stop-asked-stop');
  await shown(panel, asked, '待复核');
  await s.approve(/apr_[0-9a-f]{24}/.exec(await textOf(asked))?.[0] ?? '');
  await asked.getByTestId('stop-apply').click();
  await shown(panel, panel.getByTestId('stop-state'), '已停止');
  expect(await textOf(panel.getByTestId('stop-ended'))).toBe('伤残津贴 4,600.00 发放至 2025-07-31');
  expect(await textOf(panel)).toContain('（三）拒绝治疗的');
  expect(await asked.count()).toBe(0);
  // Ground (三) may be lifted: the resumption is offered, a second stop is not.
  await panel.getByTestId('stop-step-resume').waitFor();
  expect(await panel.getByTestId('stop-step-stop').count()).toBe(0);
}

describe('benefit forms: separation, regrade and death facts on the case page', () => {
  const journeys = setUpJourneys();

  it('the handler proposes a separation, a regrade and a death decision; the checker approves', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      const base = new URL(page.url()).origin;
      const handler = await apiSession(base, 'hz.handler');
      const supervisor = await apiSession(base, 'hz.supervisor');
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
      const cases = await seedBenefitFormCases(journeys.database(), handler, supervisor);
      await separation(page, cases.separation, { handler, approve });
      await regrade(page, cases.regrade, { handler, approve });
      await death(page, cases.death);
      for (const s of [handler, supervisor]) await s.close();
      expect(errors).toEqual([]);
    }));

  it('the handler records a card account, corrects the 伤残津贴 and stops benefits (第四十二条); the checker approves', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      const base = new URL(page.url()).origin;
      const handler = await apiSession(base, 'hz.handler');
      const supervisor = await apiSession(base, 'hz.supervisor');
      const approve = async (approvalId: string) => {
        expect(approvalId).toMatch(/^apr_[0-9a-f]{24}$/);
        const r = await supervisor.post(
          `/api/v1/regions/${REGION}/approvals/${approvalId}/decision`,
          { decision: 'approved' },
        );
        expect(r.status).toBe(200);
      };
      const caseId = await seedStopCase(journeys.database(), handler, supervisor);
      await cardAccount(page, caseId);
      await correction(page, caseId, { handler, approve });
      await stop(page, caseId, { handler, approve });
      for (const s of [handler, supervisor]) await s.close();
      expect(errors).toEqual([]);
    }));
});
