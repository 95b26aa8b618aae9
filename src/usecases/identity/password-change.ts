import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { countAccountFailure, type ThrottlePolicy } from './login-throttle.ts';
import { hashPassword, verifyPassword, weakPasswordReason } from './passwords.ts';
import { revokeSessions } from './sessions.ts';

/** The new password's length is checked at the boundary (the contract, ASVS 6.2.1 / 6.2.9). */
export type PasswordChange = { currentPassword: string; newPassword: string };

export type PasswordChangeRefusal =
  | 'user.current_password_wrong'
  | 'user.password_weak'
  | 'user.not_found';

/**
 * A user changes their own password (ASVS 6.2.2, 6.2.3): the current one is required, the new one
 * must differ and not contain the user name. Every other session of the user ends (ASVS 7.4.3); the
 * one in use stays. A wrong current password counts towards the account's ceiling like a wrong
 * log-in, so a borrowed session cannot guess it without limit.
 */
export async function changeOwnPassword(
  db: Database,
  policy: ThrottlePolicy,
  actor: Actor,
  input: PasswordChange & { sessionToken: string | null },
): Promise<Result<{ sessionsEnded: number }, PasswordChangeRefusal>> {
  const [user] = await db.withConnection((ex) =>
    ex.orm
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, actor.userId)),
  );
  if (!user) return refuse('user.not_found', 'no such user');
  const weak =
    input.newPassword === input.currentPassword
      ? 'must differ from the current password'
      : weakPasswordReason(input.newPassword, actor.username);
  const currentOk = await verifyPassword(user.passwordHash, input.currentPassword);
  if (!currentOk)
    return db.transaction(async (tx) => {
      await countAccountFailure(tx, policy, { userId: actor.userId, weighed: true });
      await appendAudit(tx, {
        ...okEventOf(actor, 'user.password.change', `user/${actor.userId}`, {}),
        result: 'refused',
        details: { reason: 'wrong current password' },
      });
      return refuse(
        'user.current_password_wrong',
        '当前密码不正确 / the current password is wrong',
      );
    });
  if (weak !== null) return refuse('user.password_weak', `newPassword: ${weak}`);
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    // Guarded by the hash just verified: a concurrent change wins once, the other is refused.
    const changed = await tx.orm
      .update(users)
      .set({ passwordHash, passwordChangedAt: sql`now()` })
      .where(and(eq(users.id, actor.userId), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id });
    if (changed.length === 0)
      return refuse('user.current_password_wrong', 'the password changed meanwhile; log in again');
    const sessionsEnded = await revokeSessions(tx, actor.userId, input.sessionToken);
    await appendAudit(
      tx,
      okEventOf(actor, 'user.password.change', `user/${actor.userId}`, { sessionsEnded }),
    );
    return ok({ sessionsEnded });
  });
}
