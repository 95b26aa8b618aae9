import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Permission } from '../../identity/roles.ts';
import { userActorOf } from '../identity/user-actor.ts';

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
  return userActorOf(db, {
    username: input.username,
    permissions: [input.permission],
    owner: { regionCode: input.regionCode },
  });
}
