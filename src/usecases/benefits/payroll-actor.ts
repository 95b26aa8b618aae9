import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { decide } from '../../identity/policy.ts';
import { type Permission, rolePermissions } from '../../identity/roles.ts';

/**
 * The user a command-line payroll step acts as (`--as`): active, holding `permission`
 * (fund:write to run, issue the file and import the return; fund:approve to approve), with a scope
 * covering the city — the same policy as the routes; else null. The run asks for an approval a
 * user of another role decides, so the maker is a real user, never "system".
 */
export async function payrollActorOf(
  db: Database,
  input: { username: string; permission: Permission; regionCode: string },
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
  return decide(actor, input.permission, { regionCode: input.regionCode }) === 'allow'
    ? actor
    : null;
}
