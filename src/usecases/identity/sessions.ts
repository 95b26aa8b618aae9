import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
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

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  scope_kind: ScopeKind;
  scope_code: string | null;
  password_hash: string;
  disabled: boolean;
  failed_attempts: number;
  locked_until: Date | null;
  scope_name: string | null;
};

const USER_COLUMNS = `u.id, u.username, u.display_name, u.role, u.scope_kind, u.scope_code, u.password_hash,
  u.disabled, u.failed_attempts, u.locked_until, r.name AS scope_name`;

/** Session tokens are 256-bit CSPRNG values; only their SHA-256 is stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toSessionUser(u: UserRow): SessionUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    scope: { kind: u.scope_kind, code: u.scope_code, name: u.scope_name },
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
  const found = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN regions r ON r.code = u.scope_code WHERE u.username = $1`,
    [input.username],
  );
  const user = found.rows[0];
  const passwordOk = await verifyPassword(
    user?.password_hash ?? (await dummyPasswordHash()),
    input.password,
  );
  const now = new Date();
  return db.transaction(async (tx) => {
    const audit = (result: 'ok' | 'refused', reason?: string) =>
      appendAudit(tx, {
        actor: user?.username ?? null,
        role: user?.role ?? null,
        scope: user
          ? user.scope_code
            ? `${user.scope_kind}:${user.scope_code}`
            : user.scope_kind
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
    const lockedUntil = user.locked_until ? new Date(user.locked_until) : null;
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
    if (!passwordOk) {
      const failures = (lockedUntil ? 0 : user.failed_attempts) + 1;
      const lock =
        failures >= policy.maxFailures
          ? new Date(now.getTime() + policy.lockMinutes * 60_000)
          : null;
      await tx.query('UPDATE users SET failed_attempts = $2, locked_until = $3 WHERE id = $1', [
        user.id,
        lock ? 0 : failures,
        lock,
      ]);
      await audit('refused', lock ? 'wrong password; account locked' : 'wrong password');
      return lock
        ? refuse(
            'auth.locked',
            `连续 ${policy.maxFailures} 次密码错误,账户已锁定至 ${lock.toISOString()} / account locked until ${lock.toISOString()}`,
            {
              lockedUntil: lock.toISOString(),
            },
          )
        : refuse('auth.invalid_credentials', '用户名或密码错误 / wrong user name or password');
    }
    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
    await tx.query('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [
      user.id,
    ]);
    await tx.query(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
      [tokenHash(sessionToken), user.id, csrfToken, now, expiresAt],
    );
    await audit('ok');
    return ok({ user: toSessionUser(user), sessionToken, csrfToken, expiresAt });
  });
}

/** Resolves a session cookie: absolute and idle timeouts, revoked and disabled users end it. */
export async function authenticateSession(
  db: Database,
  policy: SessionPolicy,
  sessionToken: string,
): Promise<{ user: SessionUser; csrfToken: string } | null> {
  const h = tokenHash(sessionToken);
  const r = await db.query<
    UserRow & { csrf_token: string; last_seen_at: Date; expires_at: Date; revoked_at: Date | null }
  >(
    `SELECT ${USER_COLUMNS}, s.csrf_token, s.last_seen_at, s.expires_at, s.revoked_at
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN regions r ON r.code = u.scope_code
      WHERE s.token_hash = $1`,
    [h],
  );
  const row = r.rows[0];
  if (!row || row.revoked_at || row.disabled) return null;
  const now = Date.now();
  if (new Date(row.expires_at).getTime() <= now) return null;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (now - lastSeen > policy.idleMinutes * 60_000) return null;
  // Touch at most once a minute: idle timeout needs minute precision, not a write per request.
  if (now - lastSeen > 60_000)
    await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [h]);
  return { user: toSessionUser(row), csrfToken: row.csrf_token };
}

export async function logout(db: Database, actor: Actor, sessionToken: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      'UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash(sessionToken)],
    );
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
    await tx.query(
      'INSERT INTO api_tokens (id, token_hash, user_id, name) VALUES ($1, $2, $3, $4)',
      [id, tokenHash(token), input.userId, input.name],
    );
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
  const r = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN regions r ON r.code = u.scope_code
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [tokenHash(token)],
  );
  const row = r.rows[0];
  return row && !row.disabled ? toSessionUser(row) : null;
}
