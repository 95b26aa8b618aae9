import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { textOf, withColumns } from '../../db/rows.ts';
import { sessions, users } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { countAccountFailure, type ThrottlePolicy } from './login-throttle.ts';
import { verifyPassword } from './passwords.ts';
import { revokeSessions, tokenHash } from './sessions.ts';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.ts';

export type SecondFactorRefusal =
  | 'user.current_password_wrong'
  | 'second_factor.already_enrolled'
  | 'second_factor.not_started'
  | 'second_factor.code_wrong';

/** The issuer an authenticator app shows beside the account name. */
const ISSUER = 'tongchou';

/**
 * Accepts a TOTP code once: the matched time step must be later than the last one accepted, and
 * recording it is the same statement that checks it, so two concurrent uses of a code cannot both win.
 */
export async function acceptTotp(
  tx: Executor,
  userId: string,
  secret: string,
  code: string,
): Promise<boolean> {
  const step = matchTotp(secret, code, Date.now());
  if (step === null) return false;
  const r = withColumns(
    await tx.query(
      `UPDATE users SET totp_last_step = $2
        WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [userId, step],
    ),
    { id: textOf },
  );
  return r.rows.length === 1;
}

async function secondFactorOf(tx: Executor, userId: string) {
  const [row] = await tx.orm
    .select({ secret: users.totpSecret, confirmedAt: users.totpConfirmedAt })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  return row;
}

/**
 * Enrolment, step 1: a new secret for the signed-in user, shown once as base32 and as an otpauth://
 * URI. Changing a factor asks for the password again (ASVS 7.5.1): a session left open on a shared
 * desk must not bind the thief's phone; a wrong one counts towards the account ceiling. The secret
 * counts only once confirmed with a code; starting again replaces an unconfirmed secret.
 */
export async function startTotpEnrolment(
  db: Database,
  policy: ThrottlePolicy,
  actor: Actor,
  input: { password: string },
): Promise<Result<{ secret: string; uri: string }, SecondFactorRefusal>> {
  const [user] = await db.withConnection((ex) =>
    ex.orm
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, actor.userId)),
  );
  const passwordOk = user ? await verifyPassword(user.passwordHash, input.password) : false;
  return db.transaction(async (tx) => {
    if (!passwordOk) {
      await countAccountFailure(tx, policy, { userId: actor.userId, weighed: true });
      return refuse('user.current_password_wrong', '密码不正确 / the password is wrong');
    }
    const current = await secondFactorOf(tx, actor.userId);
    if (current?.confirmedAt)
      return refuse(
        'second_factor.already_enrolled',
        '已绑定动态验证码;如需更换请联系管理员 / already enrolled: an administrator can reset it',
      );
    const secret = newTotpSecret();
    await tx.orm
      .update(users)
      .set({ totpSecret: secret, totpLastStep: null })
      .where(eq(users.id, actor.userId));
    await appendAudit(tx, okEventOf(actor, 'auth.second_factor.start', `user/${actor.userId}`, {}));
    return ok({ secret, uri: otpauthUri(secret, actor.username, ISSUER) });
  });
}

/**
 * Enrolment, step 2: a first code proves the app holds the secret. The session in use, if it was
 * limited to enrolling, becomes a full session; the user's other sessions end.
 */
export async function confirmTotpEnrolment(
  db: Database,
  actor: Actor,
  input: { code: string; sessionToken: string },
): Promise<Result<{ enrolled: true; sessionsEnded: number }, SecondFactorRefusal>> {
  return db.transaction(async (tx) => {
    const current = await secondFactorOf(tx, actor.userId);
    if (current?.confirmedAt) return refuse('second_factor.already_enrolled', 'already enrolled');
    if (!current?.secret) return refuse('second_factor.not_started', 'start the enrolment first');
    if (!(await acceptTotp(tx, actor.userId, current.secret, input.code)))
      return refuse(
        'second_factor.code_wrong',
        '验证码不正确,请核对手机时间后重试 / wrong code: check the phone clock and try again',
      );
    await tx.orm
      .update(users)
      .set({ totpConfirmedAt: new Date() })
      .where(eq(users.id, actor.userId));
    await tx.orm
      .update(sessions)
      .set({ secondFactorPending: false })
      .where(eq(sessions.tokenHash, tokenHash(input.sessionToken)));
    // Sessions opened without the new factor end (ASVS 7.4.3); the one in use stays.
    const sessionsEnded = await revokeSessions(tx, actor.userId, input.sessionToken);
    await appendAudit(
      tx,
      okEventOf(actor, 'auth.second_factor.confirm', `user/${actor.userId}`, { sessionsEnded }),
    );
    return ok({ enrolled: true, sessionsEnded });
  });
}
