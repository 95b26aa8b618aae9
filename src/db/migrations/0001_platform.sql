-- 0001 platform: regions, identity, sessions, approvals, persons (PII), tamper-evident audit log.
-- Forward-only: never edit once shipped; add a new numbered file instead.

CREATE TABLE regions (
  code char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name text NOT NULL,
  name_en text NOT NULL,
  level text NOT NULL CHECK (level IN ('province', 'city')),
  parent_code char(6) REFERENCES regions(code),
  insured_employers integer NOT NULL DEFAULT 0 CHECK (insured_employers >= 0),
  insured_workers integer NOT NULL DEFAULT 0 CHECK (insured_workers >= 0)
);

-- Users are a reference table (not distributed by city): scope_code says which region they serve.
CREATE TABLE users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('province_fund_manager', 'city_handler', 'determination_officer',
    'appraisal_committee', 'supervisor', 'institution', 'employer', 'worker')),
  scope_kind text NOT NULL CHECK (scope_kind IN ('province', 'city', 'institution', 'employer', 'self')),
  scope_code text,
  region_code char(6) NOT NULL REFERENCES regions(code),
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id text NOT NULL REFERENCES users(id),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Maker-checker: an approval is bound to the hash of the exact payload; approver ≠ maker.
CREATE TABLE approvals (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL,
  action text NOT NULL,
  payload_hash text NOT NULL CHECK (payload_hash ~ '^[0-9a-f]{64}$'),
  maker_id text NOT NULL REFERENCES users(id),
  checker_id text REFERENCES users(id),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'consumed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  PRIMARY KEY (region_code, id),
  CHECK (checker_id IS NULL OR checker_id <> maker_id)
);

-- Insured persons (the registry grows in a later issue); here they carry the ID numbers that are
-- masked for every role without pii:reveal.
CREATE TABLE persons (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL,
  id_number char(18) NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, id_number)
);

-- Audit log: a hash chain appended through one chain-head row locked FOR UPDATE, so concurrent
-- writers queue instead of forking the chain.
CREATE TABLE audit_events (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text,
  role text,
  scope text,
  action text NOT NULL,
  object text,
  result text NOT NULL CHECK (result IN ('ok', 'denied', 'refused', 'error')),
  request_id text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);

CREATE TABLE audit_chain_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = '42501';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
