/**
 * Roles and permissions (design.md §2). One policy function (policy.ts) decides role × scope ×
 * action; routes declare the permission they need.
 */
export const roles = [
  'province_fund_manager',
  'city_handler',
  'determination_officer',
  'appraisal_committee',
  'supervisor',
  'institution',
  'employer',
  'worker',
] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'region:read',
  'audit:read',
  'pii:reveal',
  'user:read',
  'user:manage',
  'calc:use',
  'fund:read',
  'fund:write',
  'fund:approve',
  'case:read',
  'case:write',
  // The portal's own cases: an employer or a worker reports, applies and follows its own cases.
  'case:report',
  'appraisal:read',
  'appraisal:write',
  'contribution:read',
  'contribution:write',
  'bill:submit',
  'bill:read',
  'self:read',
  // A worker's or employer's own case: materials uploaded through self-service (issue 11).
  'self:write',
  // Direct settlement (issue 13): institutions, agreements, catalogues, review and statements.
  // An institution's own system holds bill:submit / bill:read instead, scoped to itself.
  'settlement:read',
  'settlement:write',
] as const;
export type Permission = (typeof permissions)[number];

/** Which scopes a role may hold. "self" = a worker's own records. */
export type ScopeKind = 'province' | 'city' | 'institution' | 'employer' | 'self';

export const roleScopes: Record<Role, readonly ScopeKind[]> = {
  province_fund_manager: ['province'],
  city_handler: ['city'],
  determination_officer: ['city'],
  appraisal_committee: ['city', 'province'],
  supervisor: ['city', 'province'],
  institution: ['institution'],
  employer: ['employer'],
  worker: ['self'],
};

/** Separation of duties: a supervisor reads and reviews, never handles business. */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  province_fund_manager: [
    'region:read',
    'calc:use',
    'fund:read',
    'fund:write',
    'fund:approve',
    'contribution:read',
    'settlement:read',
  ],
  city_handler: [
    'region:read',
    'calc:use',
    'fund:read',
    'fund:write',
    'case:read',
    'case:write',
    'contribution:read',
    'contribution:write',
    'bill:read',
    'settlement:read',
    'settlement:write',
  ],
  determination_officer: ['region:read', 'calc:use', 'case:read', 'case:write', 'pii:reveal'],
  appraisal_committee: ['region:read', 'calc:use', 'appraisal:read', 'appraisal:write'],
  supervisor: [
    'region:read',
    'audit:read',
    'user:read',
    'fund:read',
    'case:read',
    'fund:approve',
    'settlement:read',
  ],
  institution: ['bill:submit', 'bill:read'],
  // contribution:write: its own roster's 增员 / 减员 (and, later, its declarations), never another's.
  employer: [
    'contribution:read',
    'contribution:write',
    'self:read',
    'self:write',
    'calc:use',
    'case:report',
  ],
  worker: ['self:read', 'self:write', 'calc:use', 'case:report'],
};

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  province_fund_manager: { zh: '省级基金管理', en: 'Provincial fund manager' },
  city_handler: { zh: '市级经办', en: 'City handler' },
  determination_officer: { zh: '工伤认定', en: 'Determination officer' },
  appraisal_committee: { zh: '劳动能力鉴定委员会', en: 'Appraisal committee' },
  supervisor: { zh: '稽核内控', en: 'Supervisor / auditor' },
  institution: { zh: '协议机构', en: 'Contracted institution' },
  employer: { zh: '参保单位', en: 'Employer' },
  worker: { zh: '工伤职工/近亲属', en: 'Worker or relative' },
};

/**
 * Permissions that move money or reveal ID numbers: a role holding one may be made to log in with a
 * second factor (LOGIN_SECOND_FACTOR=required), and an API token carrying one is for such work too.
 */
export const secondFactorPermissions: readonly Permission[] = [
  'fund:write',
  'fund:approve',
  'pii:reveal',
];

export function roleNeedsSecondFactor(role: Role): boolean {
  return rolePermissions[role].some((p) => secondFactorPermissions.includes(p));
}
