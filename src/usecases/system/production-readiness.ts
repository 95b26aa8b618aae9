import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { auditEvents, regions, users } from '../../db/schema.ts';
import { verifyPassword } from '../identity/passwords.ts';
import { DEMO_PASSWORD } from '../seed/demo-password.ts';

/** One reason the database must not be served in production, with the operator's fix. */
export type ReadinessProblem = { setting: string; problem: string; fix: string };

/**
 * What production mode checks in the database before it serves: a province exists (created by
 * `tongchou init`), the demo was never seeded into it, and none of the demo users (by name, given
 * by the caller from the demo province file) still logs in with the published demo password. A real
 * user who happens to share a demo user name passes, since the password decides. At most a dozen
 * argon2 verifications: fast enough for every start.
 */
export async function productionDatabaseProblems(
  db: Database,
  demoUsernames: readonly string[],
): Promise<ReadinessProblem[]> {
  const problems: ReadinessProblem[] = [];
  const { provinces, seeded, candidates } = await db.withConnection(async (ex) => ({
    provinces: await ex.orm.$count(regions, eq(regions.level, 'province')),
    seeded: await ex.orm
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'seed.demo'))
      .limit(1),
    candidates: await ex.orm
      .select({ username: users.username, passwordHash: users.passwordHash })
      .from(users)
      .where(and(inArray(users.username, [...demoUsernames]), eq(users.disabled, false))),
  }));
  if (provinces === 0)
    problems.push({
      setting: 'database',
      problem: 'holds no province: nobody could log in',
      fix: 'create the province and its first administrator with `tongchou init --province FILE`',
    });
  if (seeded.length > 0)
    problems.push({
      setting: 'database',
      problem:
        'was seeded with the demo province (`seed.demo` in the audit log): its persons and ledger are fictitious and its users share the password printed in the README',
      fix: 'serve production from a fresh database created with `tongchou init --province FILE`',
    });
  const demoUsers: string[] = [];
  for (const u of candidates)
    if (await verifyPassword(u.passwordHash, DEMO_PASSWORD)) demoUsers.push(u.username);
  if (demoUsers.length > 0)
    problems.push({
      setting: 'database',
      problem: `holds demo users who log in with the published demo password: ${demoUsers.sort().join(', ')}`,
      fix: 'change their passwords or disable them, or start from a fresh database created with `tongchou init`',
    });
  return problems;
}
