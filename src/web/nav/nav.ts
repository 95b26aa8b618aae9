import type { Permission, ScopeKind } from '../../identity/roles.ts';
import type { MessageKey } from '../i18n/dictionary.ts';
import { parseCasesPath } from '../modules/cases/cases-routes.ts';
import { parseFundPath } from '../modules/fund/fund-routes.ts';
import { parseRegistryPath } from '../modules/registry/registry-routes.ts';
import { parseSettlementReferencePath } from '../modules/settlement/settlement-institutions-routes.ts';
import { parseSettlementPath } from '../modules/settlement/settlement-month-routes.ts';

export type NavKey =
  | 'home'
  | 'calculator'
  | 'audit'
  | 'approvals'
  | 'fund'
  | 'fund-overview'
  | 'fund-ledger'
  | 'fund-budgets'
  | 'fund-year-end'
  | 'registry'
  | 'contributions'
  | 'appraisals'
  | 'cases'
  | 'my-cases'
  | 'payroll'
  | 'recoveries'
  | 'settlement'
  | 'settlement-review'
  | 'settlement-institutions'
  | 'settlement-catalogue';

export type NavItem = {
  key: NavKey;
  path: string;
  labelKey: MessageKey;
  testId: string;
  /** Sub-items (the Fund menu's pages), already filtered by permission. */
  children?: NavItem[];
};

type NavRule = Omit<NavItem, 'children'> & {
  requires: Permission | null;
  /** The scopes the item shows for (absent: any); a page run by city needs a city. */
  scopes?: readonly ScopeKind[];
  children?: readonly NavRule[];
};

/**
 * The menu, in display order, with the permission each item needs (null: everyone signed in).
 * The calculator page is also public at /calculator; the menu item only shows for `calc:use`.
 * A "Users" item (user:read) is left out until the API has a users endpoint to show.
 * The Fund item opens a sub-menu; its pages open the user's own region (the server scopes data).
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
  {
    // The checker's work list (maker-checker): whoever may decide approvals.
    key: 'approvals',
    path: '/approvals',
    labelKey: 'nav.approvals',
    testId: 'nav-approvals',
    requires: 'fund:approve',
  },
  {
    key: 'fund',
    path: '/fund',
    labelKey: 'nav.fund',
    testId: 'nav-fund',
    requires: 'fund:read',
    children: [
      {
        key: 'fund-overview',
        path: '/fund',
        labelKey: 'nav.fundOverview',
        testId: 'nav-fund-overview',
        requires: 'fund:read',
      },
      {
        key: 'fund-ledger',
        path: '/fund/ledger',
        labelKey: 'nav.fundLedger',
        testId: 'nav-fund-ledger',
        requires: 'fund:read',
      },
      {
        key: 'fund-budgets',
        path: '/fund/budgets',
        labelKey: 'nav.fundBudgets',
        testId: 'nav-fund-budgets',
        requires: 'fund:read',
      },
      {
        key: 'fund-year-end',
        path: '/fund/year-end',
        labelKey: 'nav.fundYearEnd',
        testId: 'nav-fund-year-end',
        requires: 'fund:read',
      },
    ],
  },
  {
    key: 'registry',
    path: '/registry',
    labelKey: 'nav.registry',
    testId: 'nav-registry',
    requires: 'contribution:read',
  },
  {
    key: 'contributions',
    path: '/contributions',
    labelKey: 'nav.contributions',
    testId: 'nav-contributions',
    requires: 'contribution:read',
  },
  {
    // The appraisal committee's work list (劳动能力鉴定).
    key: 'appraisals',
    path: '/appraisals',
    labelKey: 'nav.appraisals',
    testId: 'nav-appraisals',
    requires: 'appraisal:read',
  },
  {
    // The determination officer's work list (and the city handler's, the supervisor's reads).
    key: 'cases',
    path: '/cases',
    labelKey: 'nav.cases',
    testId: 'nav-cases',
    requires: 'case:read',
  },
  {
    // The portal: an employer's or a worker's own cases.
    key: 'my-cases',
    path: '/my/cases',
    labelKey: 'nav.myCases',
    testId: 'nav-my-cases',
    requires: 'case:report',
  },
  {
    // The monthly benefit payroll (月度发放), run by city: the handler starts, downloads and
    // reconciles (fund:write), the city's supervisor approves (fund:approve); both read it.
    key: 'payroll',
    path: '/payroll',
    labelKey: 'nav.payroll',
    testId: 'nav-payroll',
    requires: 'fund:read',
    scopes: ['city'],
  },
  {
    // Recovering overpaid benefits (多领待遇追回), by city: the handler asks and applies (fund:write),
    // a second person approves (fund:approve); every fund reader of the city sees the list.
    key: 'recoveries',
    path: '/benefits/recoveries',
    labelKey: 'nav.recoveries',
    testId: 'nav-recoveries',
    requires: 'fund:read',
    scopes: ['city'],
  },
  {
    // An institution's months and statements (its own; a city handler's by institution id).
    key: 'settlement',
    path: '/settlement',
    labelKey: 'nav.settlement',
    testId: 'nav-settlement',
    requires: 'bill:read',
  },
  {
    // The manual-review queue (人工审核) of settled lines.
    key: 'settlement-review',
    path: '/settlement/review',
    labelKey: 'nav.settlementReview',
    testId: 'nav-settlement-review',
    requires: 'settlement:read',
  },
  {
    // 协议机构 and their agreements (the city's, or the province's for province staff).
    key: 'settlement-institutions',
    path: '/settlement/institutions',
    labelKey: 'nav.settlementInstitutions',
    testId: 'nav-settlement-institutions',
    requires: 'settlement:read',
  },
  {
    // The catalogue browser (目录), province-wide; its import needs settlement:write.
    key: 'settlement-catalogue',
    path: '/settlement/catalogue',
    labelKey: 'nav.settlementCatalogue',
    testId: 'nav-settlement-catalogue',
    requires: 'settlement:read',
  },
];

type Holder = { permissions: ReadonlySet<Permission>; scope: ScopeKind | null };

function shows(rule: NavRule, held: Holder): boolean {
  if (rule.requires !== null && !held.permissions.has(rule.requires)) return false;
  return rule.scopes === undefined || (held.scope !== null && rule.scopes.includes(held.scope));
}

function visible(rules: readonly NavRule[], held: Holder): NavItem[] {
  return rules
    .filter((rule) => shows(rule, held))
    .map(({ key, path, labelKey, testId, children }) => {
      const item: NavItem = { key, path, labelKey, testId };
      if (children !== undefined) item.children = visible(children, held);
      return item;
    });
}

/** The menu for a user's permissions and scope kind (null: items needing a scope stay hidden). */
export function navItemsFor(
  permissions: readonly Permission[],
  scope: ScopeKind | null = null,
): NavItem[] {
  return visible(navRules, { permissions: new Set(permissions), scope });
}

/** The permission a page needs, for guarding direct visits to a URL (undefined: no such page). */
/**
 * `/payroll/<run id>`: one run of the monthly payroll opened, so a run has an address a checker can
 * be sent (the list alone is `/payroll`); `/payroll/<batch id>` (prb_…) a reissue batch by hand
 * opened, for the same reason. Null for any other path.
 */
/** What /payroll opens: a run, a reissue batch or a release, each at its own address (or none). */
export type PayrollPath = {
  runId: string | null;
  batchId: string | null;
  releaseId: string | null;
};

export function parsePayrollPath(path: string): PayrollPath | null {
  const none = { runId: null, batchId: null, releaseId: null };
  if (path === '/payroll') return none;
  const run = /^\/payroll\/(prl_[0-9]{6}_[0-9]{4}(?:0[1-9]|1[0-2]))$/.exec(path);
  if (run?.[1] !== undefined) return { ...none, runId: run[1] };
  const batch = /^\/payroll\/(prb_[0-9a-f]{20})$/.exec(path);
  if (batch?.[1] !== undefined) return { ...none, batchId: batch[1] };
  const release = /^\/payroll\/(prr_[0-9a-f]{20})$/.exec(path);
  return release?.[1] === undefined ? null : { ...none, releaseId: release[1] };
}

/**
 * `/payroll/indexation`: the city's indexation batches (待遇调整), reached from the payroll page
 * (it changes what the payroll pays from the effective month); `/payroll/indexation/<batch id>`
 * (idx_<city>_<YYYY>) one batch opened, so a checker can be sent its address. Null for any other path.
 */
export function parseIndexationPath(path: string): { batchId: string | null } | null {
  if (path === '/payroll/indexation') return { batchId: null };
  const batch = /^\/payroll\/indexation\/(idx_[0-9]{6}_[0-9]{4})$/.exec(path);
  return batch?.[1] === undefined ? null : { batchId: batch[1] };
}

export function permissionForPath(path: string): Permission | null | undefined {
  // The indexation page is the payroll area's: the same reader (fund:read) opens it; its buttons
  // follow fund:write and fund:approve, and the server decides.
  if (parsePayrollPath(path) !== null || parseIndexationPath(path) !== null)
    return navRules.find((r) => r.key === 'payroll')?.requires;
  const fund = parseFundPath(path);
  if (fund !== null) return 'fund:read';
  if (parseRegistryPath(path) !== null) return 'contribution:read';
  const cases = parseCasesPath(path);
  if (cases !== null)
    return cases.view === 'portal' || cases.view === 'own-case' ? 'case:report' : 'case:read';
  if (parseSettlementReferencePath(path) !== null) return 'settlement:read';
  const settlement = parseSettlementPath(path);
  // A month's page opens for the institution (bill:read) and for staff (settlement:read): the
  // server decides which institution each may read.
  if (settlement !== null)
    return settlement.view === 'review'
      ? 'settlement:read'
      : settlement.view === 'months'
        ? 'bill:read'
        : null;
  return navRules.find((rule) => rule.path === path)?.requires;
}

/** The menu key to highlight for a path: a fund page selects its sub-item, whatever the region. */
export function selectedNavKey(path: string): NavKey | undefined {
  const fund = parseFundPath(path);
  if (fund !== null) return `fund-${fund.view}`;
  if (parseRegistryPath(path) !== null) return 'registry';
  const cases = parseCasesPath(path);
  if (cases !== null)
    return cases.view === 'portal' || cases.view === 'own-case' ? 'my-cases' : 'cases';
  const reference = parseSettlementReferencePath(path);
  if (reference !== null)
    return reference.view === 'catalogue' ? 'settlement-catalogue' : 'settlement-institutions';
  const settlement = parseSettlementPath(path);
  if (settlement !== null) return settlement.view === 'review' ? 'settlement-review' : 'settlement';
  if (parsePayrollPath(path) !== null || parseIndexationPath(path) !== null) return 'payroll';
  return navRules.find((rule) => rule.path === path)?.key;
}
