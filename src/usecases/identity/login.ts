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
 * dummy hash for an unknown name, before any branch; it runs outside the transaction so no row or
 * PGlite's single connection is held for its ~50 ms. Inside, every refusal runs the same statements
 * whatever its reason (read the throttle, lock the user row, count, prune, audit): a refusal that
 * skipped the counting answered measurably faster, and a fast answer to a throttled address would
 * have told the attacker the password was right. Counting, throttling and the lock are decided by
 * statements that read and write the row at once (login-throttle.ts).
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
    const throttled = await isThrottled(tx, input);
    const open = await accountOpen(tx, user);
    const reason = !user
      ? 'unknown user'
      : user.disabled
        ? 'disabled'
        : !verified
          ? 'wrong password'
          : throttled
            ? 'right password from a throttled address'
            : !open
              ? 'right password, account locked'
              : null;
    if (reason !== null || !user) return refuseAttempt(tx, policy, input, user, audit, reason);
    return rightPassword(tx, policy, input, user, audit);
  });
}

/**
 * Counts the failure for the address and the account, audits it, answers as for every refusal. An
 * unknown name runs the account statement too, on no row, so it costs what a real one does.
 */
async function refuseAttempt(
  tx: Executor,
  policy: SessionPolicy,
  input: LoginInput,
  user: LoginUser | undefined,
  audit: Audit,
  reason: string | null,
): Promise<Result<never, LoginRefusal>> {
  const address = await countAddressFailure(tx, policy, input);
  const account = await countAccountFailure(tx, policy, {
    userId: user?.id ?? '',
    weighed: !address.throttled,
  });
  const notes = [
    reason,
    address.throttled ? 'address throttled, not weighed' : null,
    account.lockedUntil ? `account locked until ${account.lockedUntil.toISOString()}` : null,
  ];
  await audit('refused', notes.filter((n) => n !== null).join('; '));
  return refuse('auth.invalid_credentials', REFUSED);
}

/**
 * Whether the account may log in now (not locked, not disabled, password unchanged), with its row
 * locked; for an unknown name the same statement finds no row.
 */
async function accountOpen(tx: Executor, user: LoginUser | undefined): Promise<boolean> {
  const r = withColumns(
    await tx.query(
      `SELECT (NOT disabled AND password_hash = $2
               AND (locked_until IS NULL OR locked_until <= now())) AS open
         FROM users WHERE id = $1 FOR UPDATE`,
      [user?.id ?? '', user?.passwordHash ?? ''],
    ),
    { open: boolOf },
  );
  return r.rows[0]?.open ?? false;
}

/**
 * The right password, from an address not throttled, on an open account: then the second factor,
 * if the user enrolled one; a user who must enrol gets a session that can only enrol.
 */
async function rightPassword(
  tx: Executor,
  policy: SessionPolicy,
  input: LoginInput,
  user: LoginUser,
  audit: Audit,
): Promise<Result<LoginOutcome, LoginRefusal>> {
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
