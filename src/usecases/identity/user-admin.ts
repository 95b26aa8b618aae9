import { eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { unlockAccount } from './login-throttle.ts';
import { hashPassword, weakPasswordReason } from './passwords.ts';
import { revokeSessions } from './sessions.ts';

/**
 * What an administrator does to one account from the command line (`tongchou users …`): disable
 * and enable, unlock, set a password, reset the second factor. Each is one audited transaction.
 */
export type UserAdminRefusal = 'user.not_found' | 'user.password_weak';

type Target = { id: string; username: string };

async function targetOf(tx: Executor, username: string): Promise<Target | undefined> {
  const [row] = await tx.orm
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.username, username))
    .for('update');
  return row;
}

/** Runs `change` on the named user inside one transaction and audits it as `action`. */
async function onUser<T>(
  db: Database,
  actor: Actor,
  input: { username: string; action: string },
  change: (tx: Executor, user: Target) => Promise<Result<T, UserAdminRefusal>>,
): Promise<Result<T, UserAdminRefusal>> {
  return db.transaction(async (tx) => {
    const user = await targetOf(tx, input.username);
    if (!user) return refuse('user.not_found', `no user ${input.username}`);
    const out = await change(tx, user);
    if (!out.ok) return out;
    const details = { username: user.username, ...(out.value ?? {}) };
    await appendAudit(tx, okEventOf(actor, input.action, `user/${user.id}`, details));
    return out;
  });
}

/** Disabling ends every session at once; API tokens stop working while the user is disabled. */
export function disableUser(
  db: Database,
  actor: Actor,
  username: string,
): Promise<Result<{ sessionsEnded: number }, UserAdminRefusal>> {
  return onUser(db, actor, { username, action: 'user.disable' }, async (tx, user) => {
    await tx.orm.update(users).set({ disabled: true }).where(eq(users.id, user.id));
    return ok({ sessionsEnded: await revokeSessions(tx, user.id) });
  });
}

export function enableUser(
  db: Database,
  actor: Actor,
  username: string,
): Promise<Result<Record<string, never>, UserAdminRefusal>> {
  return onUser(db, actor, { username, action: 'user.enable' }, async (tx, user) => {
    await tx.orm.update(users).set({ disabled: false }).where(eq(users.id, user.id));
    return ok({});
  });
}

/** Lifts the account lock and every address throttle of the user name before time would. */
export function unlockUser(
  db: Database,
  actor: Actor,
  username: string,
): Promise<Result<Record<string, never>, UserAdminRefusal>> {
  return onUser(db, actor, { username, action: 'user.unlock' }, async (tx, user) => {
    await unlockAccount(tx, user);
    return ok({});
  });
}

/**
 * An administrator sets a password (the user forgot theirs): every session ends, the lock and the
 * throttles are lifted. The password itself never reaches the audit log.
 */
export async function setUserPassword(
  db: Database,
  actor: Actor,
  input: { username: string; password: string },
): Promise<Result<{ sessionsEnded: number }, UserAdminRefusal>> {
  const weak = weakPasswordReason(input.password, input.username);
  if (weak !== null) return refuse('user.password_weak', `password: ${weak}`);
  // argon2 before the transaction: no row lock held for its ~50 ms.
  const passwordHash = await hashPassword(input.password);
  const action = { username: input.username, action: 'user.password.set' };
  return onUser(db, actor, action, async (tx, user) => {
    await tx.orm
      .update(users)
      .set({ passwordHash, passwordChangedAt: sql`now()` })
      .where(eq(users.id, user.id));
    await unlockAccount(tx, user);
    return ok({ sessionsEnded: await revokeSessions(tx, user.id) });
  });
}

/** A lost phone: the second factor is removed; the user enrols again at the next log-in. */
export function resetSecondFactor(
  db: Database,
  actor: Actor,
  username: string,
): Promise<Result<{ sessionsEnded: number }, UserAdminRefusal>> {
  return onUser(db, actor, { username, action: 'user.second_factor.reset' }, async (tx, user) => {
    await tx.orm
      .update(users)
      .set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null })
      .where(eq(users.id, user.id));
    return ok({ sessionsEnded: await revokeSessions(tx, user.id) });
  });
}
