import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { regions, sessions, users } from '../../db/schema.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import {
  type Permission,
  type Role,
  rolePermissions,
  type ScopeKind,
} from '../../identity/roles.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { ThrottlePolicy } from './login-throttle.ts';

/** What the UI and the API know about the signed-in user. */
export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: { kind: ScopeKind; code: string | null; name: string | null };
  permissions: Permission[];
  /** enrolled: TOTP confirmed; pending: this session may only enrol it (LOGIN_SECOND_FACTOR). */
  secondFactor: { enrolled: boolean; pending: boolean };
};

export type SessionPolicy = ThrottlePolicy & {
  idleMinutes: number;
  absoluteHours: number;
  /** `required`: roles that move money or reveal ID numbers must log in with TOTP. */
  secondFactor: 'optional' | 'required';
};

export const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  scopeKind: users.scopeKind,
  scopeCode: users.scopeCode,
  passwordHash: users.passwordHash,
  disabled: users.disabled,
  totpSecret: users.totpSecret,
  totpConfirmedAt: users.totpConfirmedAt,
  scopeName: regions.name,
};

type UserRow = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeCode: string | null;
  scopeName: string | null;
  totpConfirmedAt: Date | null;
};

/** Session tokens are 256-bit CSPRNG values; only their SHA-256 is stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The user as the API shows it; `permissions` narrows the role's (an API token's scope). */
export function toSessionUser(
  u: UserRow,
  options: { pending?: boolean; permissions?: readonly Permission[] } = {},
): SessionUser {
  const granted = options.permissions;
  const pending = options.pending ?? false;
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    scope: { kind: u.scopeKind, code: u.scopeCode, name: u.scopeName },
    // A session limited to enrolling a second factor holds no permission until it has.
    permissions: pending
      ? []
      : rolePermissions[u.role].filter((p) => granted === undefined || granted.includes(p)),
    secondFactor: { enrolled: u.totpConfirmedAt !== null, pending },
  };
}

export function actorOf(user: SessionUser, requestId: string): Actor {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    scopeKind: user.scope.kind,
    scopeCode: user.scope.code,
    // A session that must first enrol a second factor acts with no permission at all.
    permissions: user.secondFactor.pending ? [] : user.permissions,
    requestId,
  };
}

export type LoginOutcome = {
  user: SessionUser;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
};

/** A new server-side session with its CSRF token (inside the log-in transaction). */
export async function openSession(
  tx: Executor,
  policy: SessionPolicy,
  user: UserRow,
  pending: boolean,
): Promise<LoginOutcome> {
  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  await tx.orm.insert(sessions).values({
    tokenHash: tokenHash(sessionToken),
    userId: user.id,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    secondFactorPending: pending,
  });
  return { user: toSessionUser(user, { pending }), sessionToken, csrfToken, expiresAt };
}

/** Resolves a session cookie: absolute and idle timeouts, revoked and disabled users end it. */
export async function authenticateSession(
  db: Database,
  policy: Pick<SessionPolicy, 'idleMinutes'>,
  sessionToken: string,
): Promise<{ user: SessionUser; csrfToken: string } | null> {
  const h = tokenHash(sessionToken);
  const [row] = await db.withConnection((ex) =>
    ex.orm
      .select({
        ...userColumns,
        csrfToken: sessions.csrfToken,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
        revokedAt: sessions.revokedAt,
        pending: sessions.secondFactorPending,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(regions, eq(regions.code, users.scopeCode))
      .where(eq(sessions.tokenHash, h)),
  );
  if (!row || row.revokedAt || row.disabled) return null;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now) return null;
  const lastSeen = row.lastSeenAt.getTime();
  if (now - lastSeen > policy.idleMinutes * 60_000) return null;
  // Touch at most once a minute: idle timeout needs minute precision, not a write per request.
  if (now - lastSeen > 60_000)
    await db.withConnection((ex) =>
      ex.orm.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.tokenHash, h)),
    );
  return { user: toSessionUser(row, { pending: row.pending }), csrfToken: row.csrfToken };
}

export async function logout(db: Database, actor: Actor, sessionToken: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.orm
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.tokenHash, tokenHash(sessionToken)), isNull(sessions.revokedAt)));
    await appendAudit(tx, {
      actor: actor.username,
      role: actor.role,
      scope: scopeLabel(actor),
      action: 'auth.logout',
      object: `user/${actor.userId}`,
      result: 'ok',
      requestId: actor.requestId,
    });
  });
}

/**
 * Ends a user's sessions (ASVS 7.4.2 / 7.4.3): all of them when disabled or reset by an
 * administrator, all but the one in use after the user changed their own password.
 */
export async function revokeSessions(
  tx: Executor,
  userId: string,
  keepSessionToken: string | null = null,
): Promise<number> {
  const keep =
    keepSessionToken === null ? undefined : ne(sessions.tokenHash, tokenHash(keepSessionToken));
  const ended = await tx.orm
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep))
    .returning({ tokenHash: sessions.tokenHash });
  return ended.length;
}
