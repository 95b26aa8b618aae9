-- 0008 authentication (issue 9): throttled log-in instead of a lock anyone can trigger, password
-- changes, an optional TOTP second factor, API tokens with scope, expiry and last use.
-- Forward-only: never edit once shipped. Documented in docs/security.md ("Authentication").

-- Failures of one user name from one client address (NIST SP 800-63B §5.2.2: growing wait periods).
-- Keyed by the name as typed, whether or not such a user exists, so an unknown name is throttled
-- exactly like a real one and the answers cannot tell them apart.
CREATE TABLE login_throttles (
  username text NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  address text NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
  failures integer NOT NULL CHECK (failures >= 1),
  last_failure_at timestamptz NOT NULL,
  -- Until when this address may not try this name again (null: not throttled yet).
  throttled_until timestamptz,
  -- Whether the latest failure arrived while throttled (it was refused without weighing the
  -- password). Written by the same upsert that counts, from the row it locked, so a burst of
  -- concurrent tries is judged against the failures before it, never against a stale read.
  latest_throttled boolean NOT NULL DEFAULT false,
  PRIMARY KEY (username, address)
);
-- Stale rows are pruned a few at a time by each failure, oldest first.
CREATE INDEX login_throttles_last_failure_idx ON login_throttles (last_failure_at);

-- failed_attempts keeps its meaning: every failed log-in in a row, from any address, throttled or
-- not (monitoring; the count the lock-out race used to lose). guesses counts only the wrong
-- passwords that were actually weighed (the address was not throttled): the per-account ceiling
-- compares guesses, so one address hammering a throttled name cannot lock its owner out.
ALTER TABLE users ADD COLUMN guesses integer NOT NULL DEFAULT 0 CHECK (guesses >= 0);
ALTER TABLE users ADD CONSTRAINT users_failed_attempts_check CHECK (failed_attempts >= 0);
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;
-- TOTP (RFC 6238): the shared secret (base32), set at enrolment and confirmed by a first code; the
-- last accepted time step, so a code is accepted once (RFC 6238 §5.2).
ALTER TABLE users ADD COLUMN totp_secret text CHECK (totp_secret ~ '^[A-Z2-7]{32}$');
ALTER TABLE users ADD COLUMN totp_confirmed_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step bigint;
ALTER TABLE users ADD CONSTRAINT users_totp_confirmed_has_secret
  CHECK (totp_confirmed_at IS NULL OR totp_secret IS NOT NULL);

-- A session opened with the password alone by a user who must enrol a second factor: it may only
-- enrol, read itself and log out.
ALTER TABLE sessions ADD COLUMN second_factor_pending boolean NOT NULL DEFAULT false;

-- API tokens: the permissions they carry (a subset of the user's role), an expiry, the last use.
ALTER TABLE api_tokens ADD COLUMN permissions text[];
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN revoked_by text;
-- Tokens made before this migration had neither: they keep their role's permissions of today and
-- expire in 90 days (the default lifetime), so integrations keep working while they are replaced.
UPDATE api_tokens t SET
  permissions = CASE u.role
    WHEN 'province_fund_manager' THEN ARRAY['region:read', 'calc:use', 'fund:read', 'fund:write',
      'fund:approve', 'contribution:read']
    WHEN 'city_handler' THEN ARRAY['region:read', 'calc:use', 'fund:read', 'fund:write', 'case:read',
      'case:write', 'contribution:read', 'contribution:write', 'bill:read']
    WHEN 'determination_officer' THEN ARRAY['region:read', 'calc:use', 'case:read', 'case:write',
      'pii:reveal']
    WHEN 'appraisal_committee' THEN ARRAY['region:read', 'calc:use', 'appraisal:read',
      'appraisal:write']
    WHEN 'supervisor' THEN ARRAY['region:read', 'audit:read', 'user:read', 'fund:read', 'case:read',
      'fund:approve']
    WHEN 'institution' THEN ARRAY['bill:submit', 'bill:read']
    WHEN 'employer' THEN ARRAY['contribution:read', 'self:read', 'calc:use']
    ELSE ARRAY['self:read', 'calc:use']
  END,
  expires_at = now() + interval '90 days'
FROM users u WHERE u.id = t.user_id;
ALTER TABLE api_tokens ALTER COLUMN permissions SET NOT NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_permissions_check
  CHECK (cardinality(permissions) BETWEEN 1 AND 64);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_expiry_check CHECK (expires_at > created_at);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
