import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { decide, type Owner } from '../../identity/policy.ts';
import { type Permission, rolePermissions } from '../../identity/roles.ts';

/**
 * The user a command acts as (`--as`): active, holding one of `permissions` (a route's permission
 * or its alternative) over `owner` by the one policy function; else null. A command that asks an
 * approval another person decides needs a real user of the register, never "system". As behind a
 * route, the use case still applies its own scope (an institution's managing city, for instance).
 */
export async function userActorOf(
  db: Database,
  input: { username: string; permissions: readonly Permission[]; owner: Owner },
): Promise<Actor | null> {
  const [u] = await db.withConnection((ex) =>
    ex.orm.select().from(users).where(eq(users.username, input.username)),
  );
  if (!u || u.disabled) return null;
  const actor: Actor = {
    userId: u.id,
    username: u.username,
    role: u.role,
    scopeKind: u.scopeKind,
    scopeCode: u.scopeCode,
    permissions: rolePermissions[u.role],
    requestId: `cli-${randomUUID()}`,
  };
  return input.permissions.some((p) => decide(actor, p, input.owner) === 'allow') ? actor : null;
}
