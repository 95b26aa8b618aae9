import type { Executor } from '../../db/client.ts';
import { boolOf, dateOrNullOf, intOf, withColumns } from '../../db/rows.ts';

/**
 * Log-in throttling (NIST SP 800-63B §5.2.2), kept in the database so every process sees it:
 * - per user name and client address: after `throttleFailures` wrong answers each further try must
 *   wait, `throttleBaseSeconds` doubling with each failure up to `throttleMaxMinutes`; a try that
 *   arrives while throttled is refused without weighing its password;
 * - per account: `accountCeiling` weighed wrong passwords in a row, from any address, lock it for
 *   `lockMinutes` (or until `tongchou users unlock`).
 * Every count is one UPDATE or INSERT … ON CONFLICT statement computed from the row's current value,
 * so concurrent failures queue on the row lock and none is lost.
 */
export type ThrottlePolicy = {
  throttleFailures: number;
  throttleBaseSeconds: number;
  throttleMaxMinutes: number;
  accountCeiling: number;
  lockMinutes: number;
};

/** A throttle row is forgotten after a quiet day (and pruned a few rows per failure). */
const FORGET_AFTER = "interval '1 day'";
/** Each failure prunes at most this many forgotten rows: bounded work, and the table stays bounded. */
const PRUNE_ROWS_MAX = 10;

/** Whether this address must wait before trying this user name again. */
export async function isThrottled(
  tx: Executor,
  key: { username: string; address: string },
): Promise<boolean> {
  const r = withColumns(
    await tx.query(
      `SELECT coalesce(throttled_until > now(), false) AS throttled FROM login_throttles
        WHERE username = $1 AND address = $2`,
      [key.username, key.address],
    ),
    { throttled: boolOf },
  );
  return r.rows[0]?.throttled ?? false;
}

/** The wait after `failures` failures, as SQL over a parameterised failure count expression. */
function waitSql(failures: string): string {
  return `CASE WHEN ${failures} >= $3 THEN now() + make_interval(secs => least(
            $4::float8 * power(2, least(${failures} - $3, 30)), $5::float8 * 60)) END`;
}

/**
 * Counts one failure of (user name, address) and answers whether this try arrived while the
 * address was throttled (it was then refused unweighed) and the failures counted so far.
 */
export async function countAddressFailure(
  tx: Executor,
  policy: ThrottlePolicy,
  key: { username: string; address: string },
): Promise<{ throttled: boolean; failures: number }> {
  // A quiet day (and no wait pending) starts the count again.
  const next = `CASE WHEN login_throttles.last_failure_at < now() - ${FORGET_AFTER}
                      AND coalesce(login_throttles.throttled_until <= now(), true)
                     THEN 1 ELSE login_throttles.failures + 1 END`;
  // latest_throttled is computed from the row the upsert locked (the latest committed version, even
  // under a burst of concurrent failures), so each try is judged against every failure before it.
  const r = withColumns(
    await tx.query(
      `INSERT INTO login_throttles AS login_throttles
              (username, address, failures, last_failure_at, throttled_until, latest_throttled)
       VALUES ($1, $2, 1, now(), ${waitSql('1')}, false)
       ON CONFLICT (username, address) DO UPDATE SET
         failures = ${next},
         last_failure_at = now(),
         throttled_until = ${waitSql(`(${next})`)},
         latest_throttled = coalesce(login_throttles.throttled_until > now(), false)
       RETURNING failures, latest_throttled`,
      [
        key.username,
        key.address,
        policy.throttleFailures,
        policy.throttleBaseSeconds,
        policy.throttleMaxMinutes,
      ],
    ),
    { failures: intOf, latest_throttled: boolOf },
  );
  await pruneForgotten(tx);
  const row = r.rows[0];
  return { throttled: row?.latest_throttled ?? false, failures: row?.failures ?? 1 };
}

async function pruneForgotten(tx: Executor): Promise<void> {
  await tx.query(
    `DELETE FROM login_throttles WHERE (username, address) IN (
       SELECT username, address FROM login_throttles
        WHERE last_failure_at < now() - ${FORGET_AFTER}
          AND coalesce(throttled_until <= now(), true)
        ORDER BY last_failure_at LIMIT ${PRUNE_ROWS_MAX})`,
  );
}

/**
 * Counts one failure on the account. `failed_attempts` counts every failure in a row; `guesses`
 * only weighed ones, and reaching the ceiling locks the account. A lock that has run out starts the
 * guesses again, so time lifts it; a lock still running keeps its end (more tries do not extend it).
 */
export async function countAccountFailure(
  tx: Executor,
  policy: ThrottlePolicy,
  input: { userId: string; weighed: boolean },
): Promise<{ failedAttempts: number; guesses: number; lockedUntil: Date | null }> {
  const expired = 'locked_until IS NOT NULL AND locked_until <= now()';
  const guesses = `(CASE WHEN ${expired} THEN 0 ELSE guesses END + CASE WHEN $2 THEN 1 ELSE 0 END)`;
  const r = withColumns(
    await tx.query(
      `UPDATE users SET
         failed_attempts = failed_attempts + 1,
         guesses = ${guesses},
         locked_until = CASE
           WHEN locked_until > now() THEN locked_until
           WHEN ${guesses} >= $3 THEN now() + make_interval(mins => $4)
           END
       WHERE id = $1
       RETURNING failed_attempts, guesses, locked_until`,
      [input.userId, input.weighed, policy.accountCeiling, policy.lockMinutes],
    ),
    { failed_attempts: intOf, guesses: intOf, locked_until: dateOrNullOf },
  );
  const row = r.rows[0];
  return {
    failedAttempts: row?.failed_attempts ?? 0,
    guesses: row?.guesses ?? 0,
    lockedUntil: row?.locked_until ?? null,
  };
}

/**
 * The right password (the caller has locked the user row and found the account open): clears the
 * account's counts and forgives this address only; another address that failed stays throttled.
 */
export async function clearAccountFailures(
  tx: Executor,
  input: { userId: string; username: string; address: string },
): Promise<void> {
  await tx.query(
    'UPDATE users SET failed_attempts = 0, guesses = 0, locked_until = NULL WHERE id = $1',
    [input.userId],
  );
  await tx.query('DELETE FROM login_throttles WHERE username = $1 AND address = $2', [
    input.username,
    input.address,
  ]);
}

/** `users unlock`: the account lock, its counts and every address throttle of the name end. */
export async function unlockAccount(
  tx: Executor,
  user: { id: string; username: string },
): Promise<void> {
  await tx.query(
    'UPDATE users SET failed_attempts = 0, guesses = 0, locked_until = NULL WHERE id = $1',
    [user.id],
  );
  await tx.query('DELETE FROM login_throttles WHERE username = $1', [user.username]);
}
