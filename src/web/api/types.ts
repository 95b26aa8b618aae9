import type { Permission, Role, ScopeKind } from '../../identity/roles.ts';

export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: { kind: ScopeKind; code: string | null; name: string | null };
  permissions: Permission[];
};

export type Session = { user: SessionUser; csrfToken: string };

export type ProblemFieldError = { path: string; code: string; message: string };

/** RFC 9457 problem details as the server sends them (application/problem+json). */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: ProblemFieldError[];
  /** auth.locked: when the lock ends (ISO instant). */
  lockedUntil?: string;
  /** Machine-readable details (e.g. `{ policy: 'out_of_scope' }` on a scoped 404). */
  details?: Record<string, unknown>;
};

export type City = {
  code: string;
  name: string;
  nameEn: string;
  insuredEmployers: number;
  insuredWorkers: number;
};

export type Regions = {
  province: { code: string; name: string; nameEn: string };
  cities: City[];
};

export type AuditResult = 'ok' | 'denied' | 'refused' | 'error';

export type AuditEvent = {
  seq: number;
  at: string;
  actor: string | null;
  role: string | null;
  scope: string | null;
  action: string;
  object: string | null;
  result: AuditResult;
  requestId: string;
  hash: string;
};

export type AuditPage = { events: AuditEvent[]; head: { seq: number; hash: string } };
