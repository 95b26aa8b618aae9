import { describe, expect, it } from 'vitest';
import { textOf, visibleNav } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Journey (a): every demo user logs in and sees exactly the menu of their role (design.md §2).
const home: [string, string] = ['nav-home', '首页'];
const calculator: [string, string] = ['nav-calculator', '待遇计算器'];
const audit: [string, string] = ['nav-audit', '审计日志'];
const fund: [string, string] = ['nav-fund', '基金'];
const approvals: [string, string] = ['nav-approvals', '待审批'];
const registry: [string, string] = ['nav-registry', '参保登记'];
const contributions: [string, string] = ['nav-contributions', '缴费'];
const cases: [string, string] = ['nav-cases', '工伤认定'];
const appraisals: [string, string] = ['nav-appraisals', '劳动能力鉴定'];
const myCases: [string, string] = ['nav-my-cases', '我的工伤'];
const payroll: [string, string] = ['nav-payroll', '月度发放'];
const recoveries: [string, string] = ['nav-recoveries', '多领待遇追回'];
const settlement: [string, string] = ['nav-settlement', '月度结算'];
const review: [string, string] = ['nav-settlement-review', '人工审核'];
const institutions: [string, string] = ['nav-settlement-institutions', '协议机构'];
const catalogue: [string, string] = ['nav-settlement-catalogue', '目录'];

const expectations: { username: string; role: string; nav: [string, string][] }[] = [
  {
    username: 'province.fund',
    role: '省级基金管理',
    nav: [
      home,
      calculator,
      approvals,
      fund,
      registry,
      contributions,
      review,
      institutions,
      catalogue,
    ],
  },
  {
    username: 'hz.handler',
    role: '市级经办',
    nav: [
      home,
      calculator,
      fund,
      registry,
      contributions,
      cases,
      payroll,
      recoveries,
      settlement,
      review,
      institutions,
      catalogue,
    ],
  },
  {
    username: 'nb.handler',
    role: '市级经办',
    nav: [
      home,
      calculator,
      fund,
      registry,
      contributions,
      cases,
      payroll,
      recoveries,
      settlement,
      review,
      institutions,
      catalogue,
    ],
  },
  { username: 'hz.determination', role: '工伤认定', nav: [home, calculator, cases] },
  { username: 'nb.determination', role: '工伤认定', nav: [home, calculator, cases] },
  {
    username: 'province.appraisal',
    role: '劳动能力鉴定委员会',
    nav: [home, calculator, appraisals],
  },
  {
    username: 'hz.supervisor',
    role: '稽核内控',
    nav: [
      home,
      audit,
      approvals,
      fund,
      cases,
      payroll,
      recoveries,
      review,
      institutions,
      catalogue,
    ],
  },
  {
    username: 'province.supervisor',
    role: '稽核内控',
    nav: [home, audit, approvals, fund, cases, review, institutions, catalogue],
  },
  { username: 'demo.institution', role: '协议机构', nav: [home, settlement] },
  {
    username: 'demo.employer',
    role: '参保单位',
    nav: [home, calculator, registry, contributions, myCases],
  },
  { username: 'demo.worker', role: '工伤职工/近亲属', nav: [home, calculator, myCases] },
  // A survivor (供养亲属) holds the same role: her pension is on 我的工伤 (survivor.spec.ts).
  { username: 'demo.survivor', role: '工伤职工/近亲属', nav: [home, calculator, myCases] },
];

describe('navigation by role', () => {
  const journeys = setUpJourneys();

  it.each(expectations)('$username ($role) sees exactly its menu', ({ username, role, nav }) =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, username);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await visibleNav(page)).toEqual(nav);
      const scope = await textOf(page.getByTestId('header-scope'));
      expect(scope.startsWith(`${role} · `)).toBe(true);
      expect(errors).toEqual([]);
    }),
  );

  it('sends a signed-out visitor of a private page to the log-in page', () =>
    withPage(journeys, async ({ page }) => {
      await page.goto('/audit');
      await page.getByTestId('login-card').waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
    }));

  it('refuses the audit page to a role without audit:read even by URL', () =>
    withPage(journeys, async ({ page }) => {
      await signIn(page, 'hz.handler');
      await page.goto('/audit');
      await page.getByText('您的角色无权访问此页面。').waitFor();
      expect(await page.getByTestId('audit-table').count()).toBe(0);
    }));
});
