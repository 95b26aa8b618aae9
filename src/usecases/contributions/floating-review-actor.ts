import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';

/**
 * The user a command-line review acts as (`--as`), when active and its role may write
 * contributions; else null. A review's run asks for an approval that a user of another role must
 * decide, so the maker is a real user of the register of users, never "system".
 */
export async function contributionActorOf(db: Database, username: string): Promise<Actor | null> {
  const [u] = await db.withConnection((ex) =>
    ex.orm.select().from(users).where(eq(users.username, username)),
  );
  if (!u || u.disabled || !rolePermissions[u.role].includes('contribution:write')) return null;
  return {
    userId: u.id,
    username: u.username,
    role: u.role,
    scopeKind: u.scopeKind,
    scopeCode: u.scopeCode,
    permissions: rolePermissions[u.role],
    requestId: `cli-${randomUUID()}`,
  };
}
