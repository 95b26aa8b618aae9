import type { SessionPolicy } from '../usecases/identity/sessions.ts';
import type { AppDeps } from './context.ts';

/** The httpOnly cookie carrying the session token (also named in the OpenAPI security scheme). */
export const SESSION_COOKIE = 'tc_session';

export function sessionPolicy(deps: AppDeps): SessionPolicy {
  return {
    idleMinutes: deps.config.SESSION_IDLE_MINUTES,
    absoluteHours: deps.config.SESSION_ABSOLUTE_HOURS,
    maxFailures: deps.config.LOGIN_MAX_FAILURES,
    lockMinutes: deps.config.LOGIN_LOCK_MINUTES,
  };
}
