import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { boolOf, withColumns } from '../../db/rows.ts';
import { regions, users } from '../../db/schema.ts';
import { roleNeedsSecondFactor } from '../../identity/roles.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import {
  clearAccountFailures,
  countAccountFailure,
  countAddressFailure,
  isThrottled,
} from './login-throttle.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { acceptTotp } from './second-factor.ts';
import { type LoginOutcome, openSession, type SessionPolicy, userColumns } from './sessions.ts';

export type LoginRefusal = 'auth.invalid_credentials' | 'auth.second_factor_required';

export type LoginInput = {
  username: string;
  password: string;
  /** The TOTP code, for a user who enrolled one. */
  totpCode?: string | undefined;
  /** The client address (the socket's, or X-Forwarded-For's through TRUST_PROXY hops). */
  address: string;
  requestId: string;
};

/**
 * One answer for an unknown name, a wrong password, a throttled address, a locked or disabled
 * account and a wrong second factor: which of them it was is in the audit log only.
 */
const REFUSED =
  '用户名或密码错误;多次失败后需稍候再试 / wrong user name or password; after repeated failures, wait before trying again';

type LoginUser = NonNullable<Awaited<ReturnType<typeof findUser>>>;
type Audit = (result: 'ok' | 'refused', reason?: string) => Promise<unknown>;

async function findUser(db: Database, username: string) {
  const [user] = await db.withConnection((ex) =>
    ex.orm
      .select(userColumns)
      .from(users)
      .leftJoin(regions, eq(regions.code, users.scopeCode))
      .where(eq(users.username, username)),
  );
  return user;
}

function auditOf(tx: Executor, user: LoginUser | undefined, input: LoginInput): Audit {
  return (result, reason) =>
    appendAudit(tx, {
      actor: user?.username ?? null,
      role: user?.role ?? null,
      scope: user
        ? user.scopeCode
          ? `${user.scopeKind}:${user.scopeCode}`
          : user.scopeKind
        : null,
      action: 'auth.login',
      object: user ? `user/${user.id}` : null,
      result,
      requestId: input.requestId,
      details: { address: input.address, ...(reason ? { reason } : {}) },
    });
}

/**
 * Log-in (ASVS 6.3, NIST SP 800-63B §5.2.2). The argon2 check runs for every attempt, against a
 * dummy hash for an unknown name, before any branch, so every refusal costs the same time; it runs
 * outside the transaction so no row or PGlite's single connection is held for its ~50 ms. Counting,
 * throttling and the lock are decided inside the transaction by statements that read and write the
 * row at once (login-throttle.ts). Every attempt is audited with its reason and address.
 */
export async function login(
  db: Database,
  policy: SessionPolicy,
  input: LoginInput,
): Promise<Result<LoginOutcome, LoginRefusal>> {
  const user = await findUser(db, input.username);
  const verified = await verifyPassword(
    user?.passwordHash ?? (await dummyPasswordHash()),
    input.password,
  );
  return db.transaction(async (tx) => {
    const audit = auditOf(tx, user, input);
    if (!user) return refuseAttempt(tx, policy, input, null, audit, 'unknown user');
    if (user.disabled) return refuseAttempt(tx, policy, input, user, audit, 'disabled');
    if (!verified) return refuseAttempt(tx, policy, input, user, audit, 'wrong password');
    return rightPassword(tx, policy, input, user, audit);
  });
}

/** Counts the failure for the address and the account, audits it, answers as for every refusal. */
async function refuseAttempt(
  tx: Executor,
  policy: SessionPolicy,
  input: LoginInput,
  user: LoginUser | null,
  audit: Audit,
  reason: string,
): Promise<Result<never, LoginRefusal>> {
  const address = await countAddressFailure(tx, policy, input);
  const account = user
    ? await countAccountFailure(tx, policy, { userId: user.id, weighed: !address.throttled })
    : null;
  const notes = [
    reason,
    address.throttled ? 'address throttled, not weighed' : null,
    account?.lockedUntil ? `account locked until ${account.lockedUntil.toISOString()}` : null,
  ];
  await audit('refused', notes.filter((n) => n !== null).join('; '));
  return refuse('auth.invalid_credentials', REFUSED);
}

/** Whether the account may log in now (not locked, not disabled, password unchanged); row locked. */
async function accountOpen(tx: Executor, user: LoginUser): Promise<boolean> {
  const r = withColumns(
    await tx.query(
      `SELECT (NOT disabled AND password_hash = $2
               AND (locked_until IS NULL OR locked_until <= now())) AS open
         FROM users WHERE id = $1 FOR UPDATE`,
      [user.id, user.passwordHash],
    ),
    { open: boolOf },
  );
  return r.rows[0]?.open ?? false;
}

/**
 * The right password. A throttled address or a locked account is refused like a wrong password
 * (and not counted: the password was right). Then the second factor, if the user enrolled one;
 * a user who must enrol gets a session that can only enrol.
 */
async function rightPassword(
  tx: Executor,
  policy: SessionPolicy,
  input: LoginInput,
  user: LoginUser,
  audit: Audit,
): Promise<Result<LoginOutcome, LoginRefusal>> {
  if (await isThrottled(tx, input)) {
    await audit('refused', 'right password from a throttled address, not counted');
    return refuse('auth.invalid_credentials', REFUSED);
  }
  if (!(await accountOpen(tx, user))) {
    await audit('refused', 'right password, account locked');
    return refuse('auth.invalid_credentials', REFUSED);
  }
  if (user.totpSecret !== null && user.totpConfirmedAt !== null) {
    if (!input.totpCode) {
      await audit('refused', 'second factor required');
      return refuse(
        'auth.second_factor_required',
        '请输入动态验证码 / enter the code from your authenticator app',
      );
    }
    if (!(await acceptTotp(tx, user.id, user.totpSecret, input.totpCode)))
      return refuseAttempt(tx, policy, input, user, audit, 'wrong second factor');
  }
  await clearAccountFailures(tx, {
    userId: user.id,
    username: input.username,
    address: input.address,
  });
  const pending =
    policy.secondFactor === 'required' &&
    roleNeedsSecondFactor(user.role) &&
    user.totpConfirmedAt === null;
  const session = await openSession(tx, policy, user, pending);
  await audit('ok', pending ? 'session limited to enrolling a second factor' : undefined);
  return ok(session);
}
