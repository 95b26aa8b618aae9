import type { Permission } from '../../identity/roles.ts';
import type { MessageKey } from '../i18n/dictionary.ts';

export type NavKey = 'home' | 'calculator' | 'audit' | 'fund';

export type NavItem = {
  key: NavKey;
  path: string;
  labelKey: MessageKey;
  testId: string;
};

type NavRule = NavItem & { requires: Permission | null };

/**
 * The menu, in display order, with the permission each item needs (null: everyone signed in).
 * The calculator page is also public at /calculator; the menu item only shows for `calc:use`.
 * A "Users" item (user:read) is left out until the API has a users endpoint to show.
 */
const navRules: readonly NavRule[] = [
  { key: 'home', path: '/', labelKey: 'nav.home', testId: 'nav-home', requires: null },
  {
    key: 'calculator',
    path: '/calculator',
    labelKey: 'nav.calculator',
    testId: 'nav-calculator',
    requires: 'calc:use',
  },
  {
    key: 'audit',
    path: '/audit',
    labelKey: 'nav.audit',
    testId: 'nav-audit',
    requires: 'audit:read',
  },
  { key: 'fund', path: '/fund', labelKey: 'nav.fund', testId: 'nav-fund', requires: 'fund:read' },
];

export function navItemsFor(permissions: readonly Permission[]): NavItem[] {
  const held = new Set(permissions);
  return navRules
    .filter((rule) => rule.requires === null || held.has(rule.requires))
    .map(({ key, path, labelKey, testId }) => ({ key, path, labelKey, testId }));
}

/** The permission a page needs, for guarding direct visits to a URL. */
export function permissionForPath(path: string): Permission | null | undefined {
  return navRules.find((rule) => rule.path === path)?.requires;
}
