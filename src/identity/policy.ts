import type { Actor } from './actor.ts';
import type { Permission } from './roles.ts';

/**
 * The one policy function: role × scope × action. Routes declare a permission and, for records,
 * the record's owner (region, institution, employer, person). A record outside the actor's scope is
 * reported as not found (404), so its existence does not leak across cities.
 */
export type Owner = {
  regionCode?: string;
  institutionId?: string;
  employerId?: string;
  personId?: string;
};

export type Decision = 'allow' | 'forbidden' | 'not_found';

/** Province 330000 covers 33xxxx; city codes cover themselves. */
export function regionWithin(scopeRegion: string, regionCode: string): boolean {
  if (scopeRegion === regionCode) return true;
  return scopeRegion.endsWith('0000') && regionCode.slice(0, 2) === scopeRegion.slice(0, 2);
}

export function decide(actor: Actor, permission: Permission, owner?: Owner): Decision {
  if (!actor.permissions.includes(permission)) return 'forbidden';
  if (!owner) return 'allow';
  const code = actor.scopeCode;
  switch (actor.scopeKind) {
    case 'province':
    case 'city':
      if (owner.regionCode === undefined) return 'allow';
      return code !== null && regionWithin(code, owner.regionCode) ? 'allow' : 'not_found';
    case 'institution':
      return owner.institutionId !== undefined && owner.institutionId === code
        ? 'allow'
        : 'not_found';
    case 'employer':
      return owner.employerId !== undefined && owner.employerId === code ? 'allow' : 'not_found';
    case 'self':
      return owner.personId !== undefined && owner.personId === code ? 'allow' : 'not_found';
  }
}

/** Region codes an actor may list records of; null = all of the province. */
export function visibleRegion(actor: Actor): string | null {
  if (actor.scopeKind === 'province') return actor.scopeCode;
  if (actor.scopeKind === 'city') return actor.scopeCode;
  return null;
}
