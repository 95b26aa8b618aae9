/**
 * The settlement reference pages: `/settlement/institutions` (协议机构), one institution at
 * `/settlement/institutions/:institutionId` and the catalogue browser `/settlement/catalogue`.
 * Kept apart from settlement-month-routes.ts, whose paths (`/settlement/INST-…/yyyy-mm`) these
 * never match: "institutions" and "catalogue" are not institution ids.
 */
export type SettlementReferenceRoute =
  | { view: 'institutions' }
  | { view: 'institution'; institutionId: string }
  | { view: 'catalogue' };

export const settlementInstitutionsPath = '/settlement/institutions';
export const settlementCataloguePath = '/settlement/catalogue';

export function parseSettlementReferencePath(path: string): SettlementReferenceRoute | null {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] !== 'settlement') return null;
  if (parts.length === 2 && parts[1] === 'catalogue') return { view: 'catalogue' };
  if (parts[1] !== 'institutions') return null;
  if (parts.length === 2) return { view: 'institutions' };
  const institutionId = parts[2];
  if (parts.length !== 3 || institutionId === undefined) return null;
  if (!/^INST-[0-9]{6}-[0-9]{4}$/.test(institutionId)) return null;
  return { view: 'institution', institutionId };
}

export function settlementInstitutionPath(institutionId: string): string {
  return `${settlementInstitutionsPath}/${institutionId}`;
}

/**
 * The region whose institutions a user reads: their own city, or the province for province staff
 * and the supervisor (the server scopes the rest). An institution's own page names its city.
 */
export function referenceRegionOf(scope: { kind: string; code: string | null }): string | null {
  if (scope.kind !== 'city' && scope.kind !== 'province') return null;
  return scope.code;
}
