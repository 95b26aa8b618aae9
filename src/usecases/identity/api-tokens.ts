import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { apiTokens, regions, users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { type Permission, permissions, rolePermissions } from '../../identity/roles.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { type SessionUser, tokenHash, toSessionUser, userColumns } from './sessions.ts';

/**
 * API tokens for institutions' systems: shown once, stored as SHA-256, each with a name, the
 * permissions it carries (a subset of its user's role: least privilege per integration), an expiry
 * and its last use; revoked by `tongchou users token revoke`.
 */
export const newApiTokenSchema = z.strictObject({
  username: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  permissions: z.array(z.enum(permissions)).min(1).max(permissions.length),
  expiresInDays: z.number().int().min(1),
});
export type NewApiToken = z.output<typeof newApiTokenSchema>;

export type ApiTokenRefusal =
  | 'user.not_found'
  | 'token.scope_not_allowed'
  | 'token.lifetime_too_long'
  | 'token.not_found';

export type ApiTokenView = {
  id: string;
  username: string;
  name: string;
  permissions: Permission[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Creates a token; the caller shows `token` once (only its hash is kept). */
export async function createApiToken(
  db: Database,
  actor: Actor,
  input: NewApiToken,
  limits: { maxDays: number },
): Promise<Result<{ id: string; token: string; expiresAt: Date }, ApiTokenRefusal>> {
  if (input.expiresInDays > limits.maxDays)
    return refuse(
      'token.lifetime_too_long',
      `a token lives at most ${limits.maxDays} days (API_TOKEN_MAX_DAYS)`,
    );
  return db.transaction(async (tx) => {
    const [user] = await tx.orm
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(eq(users.username, input.username));
    if (!user) return refuse('user.not_found', `no user ${input.username}`);
    const role: readonly Permission[] = rolePermissions[user.role];
    const outside = input.permissions.filter((p) => !role.includes(p));
    if (outside.length > 0)
      return refuse(
        'token.scope_not_allowed',
        `role ${user.role} does not hold ${outside.join(', ')}; it holds ${role.join(', ')}`,
      );
    const token = `tc_${randomBytes(32).toString('base64url')}`;
    const id = `tok_${randomBytes(8).toString('hex')}`;
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    const scope = [...new Set(input.permissions)];
    await tx.orm.insert(apiTokens).values({
      id,
      tokenHash: tokenHash(token),
      userId: user.id,
      name: input.name,
      permissions: scope,
      expiresAt,
    });
    const details = {
      username: input.username,
      name: input.name,
      permissions: scope,
      expiresAt: expiresAt.toISOString(),
    };
    await appendAudit(tx, okEventOf(actor, 'api_token.create', `api_token/${id}`, details));
    return ok({ id, token, expiresAt });
  });
}

/** A bearer token: unrevoked, unexpired, its user enabled; acts with the token's permissions only. */
export async function authenticateApiToken(
  db: Database,
  token: string,
): Promise<SessionUser | null> {
  const hash = tokenHash(token);
  const [row] = await db.withConnection((ex) =>
    ex.orm
      .select({
        ...userColumns,
        granted: apiTokens.permissions,
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .leftJoin(regions, eq(regions.code, users.scopeCode))
      .where(
        and(
          eq(apiTokens.tokenHash, hash),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, sql`now()`),
        ),
      ),
  );
  if (!row || row.disabled) return null;
  // Last use to the minute: enough to find idle tokens, without a write per request.
  if (row.lastUsedAt === null || Date.now() - row.lastUsedAt.getTime() > 60_000)
    await db.withConnection((ex) =>
      ex.orm.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.tokenHash, hash)),
    );
  return toSessionUser(row, { permissions: row.granted });
}

/** Revokes a token at once (the next request with it is unauthenticated); audited. */
export async function revokeApiToken(
  db: Database,
  actor: Actor,
  input: { id: string },
): Promise<Result<{ alreadyRevoked: boolean }, ApiTokenRefusal>> {
  return db.transaction(async (tx) => {
    const [row] = await tx.orm
      .select({ revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.id, input.id))
      .for('update');
    if (!row) return refuse('token.not_found', `no API token ${input.id}`);
    if (row.revokedAt !== null) return ok({ alreadyRevoked: true });
    await tx.orm
      .update(apiTokens)
      .set({ revokedAt: sql`now()`, revokedBy: actor.username })
      .where(eq(apiTokens.id, input.id));
    await appendAudit(tx, okEventOf(actor, 'api_token.revoke', `api_token/${input.id}`, {}));
    return ok({ alreadyRevoked: false });
  });
}

/** Tokens, newest first, of one user or of all; never the token itself. */
export async function listApiTokens(
  db: Database,
  filter: { username?: string | undefined; limit: number },
): Promise<ApiTokenView[]> {
  return db.withConnection((ex) =>
    ex.orm
      .select({
        id: apiTokens.id,
        username: users.username,
        name: apiTokens.name,
        permissions: apiTokens.permissions,
        createdAt: apiTokens.createdAt,
        expiresAt: apiTokens.expiresAt,
        lastUsedAt: apiTokens.lastUsedAt,
        revokedAt: apiTokens.revokedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(filter.username === undefined ? undefined : eq(users.username, filter.username))
      .orderBy(desc(apiTokens.createdAt), apiTokens.id)
      .limit(filter.limit),
  );
}
