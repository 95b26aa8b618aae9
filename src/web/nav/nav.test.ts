import { describe, expect, it } from 'vitest';
import { type Role, rolePermissions, roles } from '../../identity/roles.ts';
import { navItemsFor, permissionForPath } from './nav.ts';

const expected: Record<Role, string[]> = {
  province_fund_manager: ['home', 'calculator', 'fund'],
  city_handler: ['home', 'calculator', 'fund'],
  determination_officer: ['home', 'calculator'],
  appraisal_committee: ['home', 'calculator'],
  supervisor: ['home', 'audit', 'fund'],
  institution: ['home'],
  employer: ['home', 'calculator'],
  worker: ['home', 'calculator'],
};

describe('navItemsFor', () => {
  it.each(roles)('gives %s exactly its menu, in order', (role) => {
    const keys = navItemsFor(rolePermissions[role]).map((item) => item.key);
    expect(keys).toEqual(expected[role]);
  });

  it('shows only Home without permissions', () => {
    expect(navItemsFor([]).map((item) => item.key)).toEqual(['home']);
  });

  it('gives every item a stable test id and a path', () => {
    const all = navItemsFor(['calc:use', 'audit:read', 'fund:read']);
    expect(all.map((item) => [item.testId, item.path])).toEqual([
      ['nav-home', '/'],
      ['nav-calculator', '/calculator'],
      ['nav-audit', '/audit'],
      ['nav-fund', '/fund'],
    ]);
  });

  it('maps each permission to its own item and nothing else', () => {
    expect(navItemsFor(['audit:read']).map((item) => item.key)).toEqual(['home', 'audit']);
    expect(navItemsFor(['fund:read']).map((item) => item.key)).toEqual(['home', 'fund']);
    expect(navItemsFor(['pii:reveal', 'case:write']).map((item) => item.key)).toEqual(['home']);
  });
});

describe('permissionForPath', () => {
  it('names the guard of each page and nothing for unknown paths', () => {
    expect(permissionForPath('/')).toBeNull();
    expect(permissionForPath('/audit')).toBe('audit:read');
    expect(permissionForPath('/nowhere')).toBeUndefined();
  });
});
