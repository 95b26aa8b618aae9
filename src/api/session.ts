import type { SessionPolicy } from '../usecases/identity/sessions.ts';
import type { AppDeps } from './context.ts';

/** The httpOnly cookie carrying the session token (also named in the OpenAPI security scheme). */
export const SESSION_COOKIE = 'tc_session';

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
