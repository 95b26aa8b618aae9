import type { Permission, Role, ScopeKind } from './roles.ts';

/** Who is acting, as every use case receives it (from a session, an API token or the CLI). */
export type Actor = {
  userId: string;
  username: string;
  role: Role;
  scopeKind: ScopeKind;
  /** 6-digit region code for province/city scopes; institution/employer/person id otherwise. */
  scopeCode: string | null;
  permissions: readonly Permission[];
  requestId: string;
};

/** The system itself (CLI batch runs, seeding): acts with province scope, audited as "system". */
export function systemActor(requestId: string, provinceCode = '330000'): Actor {
  return {
    userId: 'system',
    username: 'system',
    role: 'province_fund_manager',
    scopeKind: 'province',
    scopeCode: provinceCode,
    permissions: [],
    requestId,
  };
}

export function scopeLabel(actor: Pick<Actor, 'scopeKind' | 'scopeCode'>): string {
  return actor.scopeCode ? `${actor.scopeKind}:${actor.scopeCode}` : actor.scopeKind;
}
