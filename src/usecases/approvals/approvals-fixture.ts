import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { actorOf, type SessionUser } from '../identity/sessions.ts';

/** Two distinct demo users of a seeded database, as actors: a maker and a checker. */
export async function approvalsFixture(db: Database): Promise<{ maker: Actor; checker: Actor }> {
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({ id: users.id, username: users.username, role: users.role })
      .from(users)
      .where(inArray(users.username, ['hz.handler', 'hz.supervisor'])),
  );
  const byName = new Map(rows.map((r) => [r.username, r]));
  const as = (username: string, code: string): Actor => {
    const r = byName.get(username);
    if (!r) throw new Error(`${username} not seeded`);
    const user: SessionUser = {
      id: r.id,
      username: r.username,
      displayName: r.username,
      role: r.role,
      scope: { kind: 'city', code, name: null },
      permissions: [],
      secondFactor: { enrolled: false, pending: false },
    };
    return actorOf(user, `fixture-${username}`);
  };
  return { maker: as('hz.handler', '330100'), checker: as('hz.supervisor', '330100') };
}
