import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { apiTokens, regions, sessions, users } from '../../db/schema.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import {
  type Permission,
  type Role,
  rolePermissions,
  type ScopeKind,
} from '../../identity/roles.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';

/** What the UI and the API know about the signed-in user. */
export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: { kind: ScopeKind; code: string | null; name: string | null };
  permissions: Permission[];
};

export type SessionPolicy = {
  idleMinutes: number;
  absoluteHours: number;
  maxFailures: number;
  lockMinutes: number;
};

export type LoginRefusal = 'auth.invalid_credentials' | 'auth.locked';

const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  scopeKind: users.scopeKind,
  scopeCode: users.scopeCode,
  passwordHash: users.passwordHash,
  disabled: users.disabled,
  failedAttempts: users.failedAttempts,
  lockedUntil: users.lockedUntil,
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
};

/** Session tokens are 256-bit CSPRNG values; only their SHA-256 is stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toSessionUser(u: UserRow): SessionUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    scope: { kind: u.scopeKind, code: u.scopeCode, name: u.scopeName },
    permissions: [...rolePermissions[u.role]],
  };
}

export function actorOf(user: SessionUser, requestId: string): Actor {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    scopeKind: user.scope.kind,
    scopeCode: user.scope.code,
    permissions: user.permissions,
    requestId,
  };
}

export type LoginOutcome = {
  user: SessionUser;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
};

/**
 * Log-in: argon2id check, lock after repeated failures, a server-side session with its CSRF token.
 * Every attempt is audited; the message never says whether the user name exists.
 */
export async function login(
  db: Database,
  policy: SessionPolicy,
  input: { username: string; password: string; requestId: string },
): Promise<Result<LoginOutcome, LoginRefusal>> {
  const [user] = await db.withConnection((ex) =>
    ex.orm
      .select(userColumns)
      .from(users)
      .leftJoin(regions, eq(regions.code, users.scopeCode))
      .where(eq(users.username, input.username)),
  );
  const passwordOk = await verifyPassword(
    user?.passwordHash ?? (await dummyPasswordHash()),
    input.password,
  );
  const now = new Date();
  return db.transaction(async (tx) => {
    const audit = (result: 'ok' | 'refused', reason?: string) =>
      appendAudit(tx, {
        actor: user?.username ?? null,
        role: user?.role ?? null,
        scope: user
          ? user.scopeCode
            ? `${user.scopeKind}:${user.scopeCode}`
            : user.scopeKind
          : null,
        action: 'auth.login',
        object: user ? `user/${user.id}` : null,
        result,
        requestId: input.requestId,
        details: reason ? { reason } : {},
      });
    if (!user || user.disabled) {
      await audit('refused', user ? 'disabled' : 'unknown user');
      return refuse('auth.invalid_credentials', '用户名或密码错误 / wrong user name or password');
    }
    const lockedUntil = user.lockedUntil;
    if (lockedUntil && lockedUntil > now) {
      await audit('refused', 'locked');
      return refuse(
        'auth.locked',
        `账户已锁定,请于 ${lockedUntil.toISOString()} 后重试 / account locked until ${lockedUntil.toISOString()}`,
        {
          lockedUntil: lockedUntil.toISOString(),
        },
      );
    }
    if (!passwordOk) return wrongPassword(tx, policy, user, now, audit);
    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
    await tx.orm
      .update(users)
      .set({ failedAttempts: 0, lockedUntil: null })
      .where(eq(users.id, user.id));
    await tx.orm.insert(sessions).values({
      tokenHash: tokenHash(sessionToken),
      userId: user.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    await audit('ok');
    return ok({ user: toSessionUser(user), sessionToken, csrfToken, expiresAt });
  });
}

/** A wrong password: counts the failure and locks the account after `maxFailures` in a row. */
async function wrongPassword(
  tx: Executor,
  policy: SessionPolicy,
  user: { id: string; lockedUntil: Date | null; failedAttempts: number },
  now: Date,
  audit: (result: 'refused', reason: string) => Promise<unknown>,
): Promise<Result<never, LoginRefusal>> {
  const failures = (user.lockedUntil ? 0 : user.failedAttempts) + 1;
  const lock =
    failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null;
  await tx.orm
    .update(users)
    .set({ failedAttempts: lock ? 0 : failures, lockedUntil: lock })
    .where(eq(users.id, user.id));
  await audit('refused', lock ? 'wrong password; account locked' : 'wrong password');
  return lock
    ? refuse(
        'auth.locked',
        `连续 ${policy.maxFailures} 次密码错误,账户已锁定至 ${lock.toISOString()} / account locked until ${lock.toISOString()}`,
        { lockedUntil: lock.toISOString() },
      )
    : refuse('auth.invalid_credentials', '用户名或密码错误 / wrong user name or password');
}

/** Resolves a session cookie: absolute and idle timeouts, revoked and disabled users end it. */
export async function authenticateSession(
  db: Database,
  policy: SessionPolicy,
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
  return { user: toSessionUser(row), csrfToken: row.csrfToken };
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

/** API tokens for institutions: shown once, stored as SHA-256. */
export async function createApiToken(
  db: Database,
  actor: Actor,
  input: { userId: string; name: string },
): Promise<{ id: string; token: string }> {
  const token = `tc_${randomBytes(32).toString('base64url')}`;
  const id = `tok_${randomBytes(8).toString('hex')}`;
  await db.transaction(async (tx) => {
    await tx.orm
      .insert(apiTokens)
      .values({ id, tokenHash: tokenHash(token), userId: input.userId, name: input.name });
    await appendAudit(tx, {
      actor: actor.username,
      role: actor.role,
      scope: scopeLabel(actor),
      action: 'api_token.create',
      object: `api_token/${id}`,
      result: 'ok',
      requestId: actor.requestId,
      details: { userId: input.userId, name: input.name },
    });
  });
  return { id, token };
}

export async function authenticateApiToken(
  db: Database,
  token: string,
): Promise<SessionUser | null> {
  const [row] = await db.withConnection((ex) =>
    ex.orm
      .select(userColumns)
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .leftJoin(regions, eq(regions.code, users.scopeCode))
      .where(and(eq(apiTokens.tokenHash, tokenHash(token)), isNull(apiTokens.revokedAt))),
  );
  return row && !row.disabled ? toSessionUser(row) : null;
}
