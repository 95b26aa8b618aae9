import { describe, expect, it } from 'vitest';
import { type Role, rolePermissions, roleScopes, roles } from '../../identity/roles.ts';
import {
  navItemsFor,
  parseIndexationPath,
  parsePayrollPath,
  permissionForPath,
  selectedNavKey,
} from './nav.ts';

const expected: Record<Role, string[]> = {
  province_fund_manager: [
    'home',
    'calculator',
    'approvals',
    'fund',
    'registry',
    'contributions',
    'settlement-review',
    'settlement-institutions',
    'settlement-catalogue',
  ],
  city_handler: [
    'home',
    'calculator',
    'fund',
    'registry',
    'contributions',
    'cases',
    'payroll',
    'recoveries',
    'settlement',
    'settlement-review',
    'settlement-institutions',
    'settlement-catalogue',
  ],
  determination_officer: ['home', 'calculator', 'cases'],
  appraisal_committee: ['home', 'calculator', 'appraisals'],
  supervisor: [
    'home',
    'audit',
    'approvals',
    'fund',
    'cases',
    'payroll',
    'recoveries',
    'settlement-review',
    'settlement-institutions',
    'settlement-catalogue',
  ],
  institution: ['home', 'settlement'],
  employer: ['home', 'calculator', 'registry', 'contributions', 'my-cases'],
  worker: ['home', 'calculator', 'my-cases'],
};

const fundPages = ['fund-overview', 'fund-ledger', 'fund-budgets', 'fund-year-end'];

describe('navItemsFor', () => {
  it.each(roles)('gives %s exactly its menu, in order (in its first scope)', (role) => {
    const items = navItemsFor(rolePermissions[role], roleScopes[role][0] ?? null);
    expect(items.map((item) => item.key)).toEqual(expected[role]);
    const fund = items.find((item) => item.key === 'fund');
    if (expected[role].includes('fund'))
      expect(fund?.children?.map((item) => item.key)).toEqual(fundPages);
    else expect(fund).toBeUndefined();
  });

  it('shows the payroll, run by city, to a city scope only', () => {
    const supervisor = rolePermissions.supervisor;
    expect(navItemsFor(supervisor, 'city').map((item) => item.key)).toContain('payroll');
    expect(navItemsFor(supervisor, 'province').map((item) => item.key)).not.toContain('payroll');
    expect(navItemsFor(supervisor).map((item) => item.key)).not.toContain('payroll');
    expect(navItemsFor(['fund:read'], 'city').map((item) => [item.key, item.path])).toEqual([
      ['home', '/'],
      ['fund', '/fund'],
      ['payroll', '/payroll'],
      ['recoveries', '/benefits/recoveries'],
    ]);
    expect(navItemsFor(supervisor, 'province').map((item) => item.key)).not.toContain('recoveries');
    expect(permissionForPath('/benefits/recoveries')).toBe('fund:read');
    expect(selectedNavKey('/benefits/recoveries')).toBe('recoveries');
    expect(permissionForPath('/payroll')).toBe('fund:read');
    expect(selectedNavKey('/payroll')).toBe('payroll');
  });

  it('shows only Home without permissions', () => {
    expect(navItemsFor([]).map((item) => item.key)).toEqual(['home']);
  });

  it('gives every item a stable test id and a path', () => {
    const all = navItemsFor(['calc:use', 'audit:read', 'fund:approve', 'fund:read']);
    expect(all.map((item) => [item.testId, item.path])).toEqual([
      ['nav-home', '/'],
      ['nav-calculator', '/calculator'],
      ['nav-audit', '/audit'],
      ['nav-approvals', '/approvals'],
      ['nav-fund', '/fund'],
    ]);
    expect(all[4]?.children?.map((item) => [item.testId, item.path])).toEqual([
      ['nav-fund-overview', '/fund'],
      ['nav-fund-ledger', '/fund/ledger'],
      ['nav-fund-budgets', '/fund/budgets'],
      ['nav-fund-year-end', '/fund/year-end'],
    ]);
  });

  it('maps each permission to its own item and nothing else', () => {
    expect(navItemsFor(['audit:read']).map((item) => item.key)).toEqual(['home', 'audit']);
    expect(navItemsFor(['fund:read']).map((item) => item.key)).toEqual(['home', 'fund']);
    expect(navItemsFor(['fund:write']).map((item) => item.key)).toEqual(['home']);
    expect(navItemsFor(['fund:approve']).map((item) => item.key)).toEqual(['home', 'approvals']);
    expect(navItemsFor(['pii:reveal', 'case:write']).map((item) => item.key)).toEqual(['home']);
    expect(navItemsFor(['case:read']).map((item) => item.key)).toEqual(['home', 'cases']);
    expect(navItemsFor(['case:report']).map((item) => item.key)).toEqual(['home', 'my-cases']);
  });
});

describe('permissionForPath', () => {
  it('names the guard of each page and nothing for unknown paths', () => {
    expect(permissionForPath('/')).toBeNull();
    expect(permissionForPath('/cases')).toBe('case:read');
    expect(permissionForPath(`/cases/330100/cas_330100_${'0'.repeat(16)}`)).toBe('case:read');
    expect(permissionForPath('/my/cases')).toBe('case:report');
    expect(selectedNavKey(`/my/cases/cas_330100_${'0'.repeat(16)}`)).toBe('my-cases');
    expect(permissionForPath('/audit')).toBe('audit:read');
    expect(permissionForPath('/registry')).toBe('contribution:read');
    expect(permissionForPath('/contributions')).toBe('contribution:read');
    expect(permissionForPath('/registry/330100/emp_330100_0000000000000001')).toBe(
      'contribution:read',
    );
    expect(permissionForPath('/settlement')).toBe('bill:read');
    expect(permissionForPath('/settlement/review')).toBe('settlement:read');
    expect(permissionForPath('/settlement/INST-330100-0001/2026-12')).toBeNull();
    expect(selectedNavKey('/settlement/INST-330100-0001/2026-12')).toBe('settlement');
    expect(permissionForPath('/settlement/institutions')).toBe('settlement:read');
    expect(permissionForPath('/settlement/institutions/INST-330100-0001')).toBe('settlement:read');
    expect(permissionForPath('/settlement/catalogue')).toBe('settlement:read');
    expect(selectedNavKey('/settlement/institutions/INST-330100-0001')).toBe(
      'settlement-institutions',
    );
    expect(selectedNavKey('/settlement/catalogue')).toBe('settlement-catalogue');
    expect(permissionForPath('/nowhere')).toBeUndefined();
  });

  it('guards every fund page, with or without a region, by fund:read', () => {
    for (const path of ['/fund', '/fund/ledger', '/fund/330200/ledger', '/fund/330100'])
      expect(permissionForPath(path), path).toBe('fund:read');
    expect(permissionForPath('/fund/330100/unknown')).toBeUndefined();
  });
});

describe('selectedNavKey', () => {
  it('highlights the fund sub-item whatever the region', () => {
    expect(selectedNavKey('/fund')).toBe('fund-overview');
    expect(selectedNavKey('/fund/330100')).toBe('fund-overview');
    expect(selectedNavKey('/fund/330200/ledger')).toBe('fund-ledger');
    expect(selectedNavKey('/fund/year-end')).toBe('fund-year-end');
    expect(selectedNavKey('/audit')).toBe('audit');
    expect(selectedNavKey('/nowhere')).toBeUndefined();
  });
});

describe('parsePayrollPath', () => {
  it('gives each payroll run, reissue batch and release an address under /payroll', () => {
    const none = { runId: null, batchId: null, releaseId: null };
    expect(parsePayrollPath('/payroll')).toEqual(none);
    expect(parsePayrollPath('/payroll/prl_330100_202509')).toEqual({
      ...none,
      runId: 'prl_330100_202509',
    });
    expect(parsePayrollPath('/payroll/prb_0123456789abcdef0123')).toEqual({
      ...none,
      batchId: 'prb_0123456789abcdef0123',
    });
    expect(parsePayrollPath('/payroll/prr_0123456789abcdef0123')).toEqual({
      ...none,
      releaseId: 'prr_0123456789abcdef0123',
    });
    for (const bad of [
      '/payroll/prl_330100_202513',
      '/payroll/prb_0123',
      '/payroll/prr_0123',
      '/payroll/x',
      '/payroll/',
      '/payrolls',
    ])
      expect(parsePayrollPath(bad), bad).toBeNull();
    expect(permissionForPath('/payroll/prl_330100_202509')).toBe('fund:read');
    expect(selectedNavKey('/payroll/prl_330100_202509')).toBe('payroll');
    expect(permissionForPath('/payroll/x')).toBeUndefined();
  });
});

describe('parseIndexationPath', () => {
  it('gives the indexation page and each batch an address under /payroll, guarded as the payroll', () => {
    expect(parseIndexationPath('/payroll/indexation')).toEqual({ batchId: null });
    expect(parseIndexationPath('/payroll/indexation/idx_330100_2025')).toEqual({
      batchId: 'idx_330100_2025',
    });
    for (const bad of [
      '/payroll/indexation/',
      '/payroll/indexation/idx_3301_2025',
      '/payroll/indexation/prl_330100_202509',
      '/payroll/indexations',
      '/indexation',
    ])
      expect(parseIndexationPath(bad), bad).toBeNull();
    // Not a payroll run either: the two parsers never both answer.
    expect(parsePayrollPath('/payroll/indexation')).toBeNull();
    expect(permissionForPath('/payroll/indexation')).toBe('fund:read');
    expect(permissionForPath('/payroll/indexation/idx_330100_2025')).toBe('fund:read');
    expect(selectedNavKey('/payroll/indexation/idx_330100_2025')).toBe('payroll');
    expect(permissionForPath('/payroll/indexation/x')).toBeUndefined();
  });
});
