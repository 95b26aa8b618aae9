import type { SessionPolicy } from '../usecases/identity/sessions.ts';
import type { AppDeps } from './context.ts';

/** The httpOnly cookie carrying the session token over plain HTTP (a demo without TLS). */
export const SESSION_COOKIE = 'tc_session';

/**
 * Its name when the cookie is Secure: a browser keeps a `__Host-` cookie only if it came over
 * HTTPS with Secure, Path=/ and no Domain, so neither a sibling subdomain nor a plain-HTTP
 * attacker can plant or shadow the session (ASVS v5.0.0-3.3.1, 3.3.3).
 */
export const SECURE_SESSION_COOKIE = '__Host-tc_session';

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function sessionPolicy(deps: AppDeps): SessionPolicy {
  return {
    idleMinutes: deps.config.SESSION_IDLE_MINUTES,
    absoluteHours: deps.config.SESSION_ABSOLUTE_HOURS,
    throttleFailures: deps.config.LOGIN_THROTTLE_FAILURES,
    throttleBaseSeconds: deps.config.LOGIN_THROTTLE_BASE_SECONDS,
    throttleMaxMinutes: deps.config.LOGIN_THROTTLE_MAX_MINUTES,
    accountCeiling: deps.config.LOGIN_ACCOUNT_CEILING,
    lockMinutes: deps.config.LOGIN_LOCK_MINUTES,
    secondFactor: deps.config.LOGIN_SECOND_FACTOR,
  };
}
