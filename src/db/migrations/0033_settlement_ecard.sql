-- 0033 the electronic card code of 1101 读卡 (issue 13, docs/settlement.md "Electronic card code"):
-- the national e-social-security-card platform is not reachable, so the system issues its own
-- short-lived code, signed with HMAC-SHA256 under one key held here. One row only (id = 1),
-- created on first use by INSERT … ON CONFLICT DO NOTHING then SELECT, so two first uses racing
-- agree on one key. The key is 32 random bytes as lowercase hex (text reads the same on PGlite
-- and PostgreSQL); it is never logged nor answered.
CREATE TABLE settlement_ecard_keys (
  id smallint PRIMARY KEY CHECK (id = 1),
  secret_hex text NOT NULL CHECK (secret_hex ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The application creates the key once and reads it; changing or deleting it would silently
-- invalidate every code in circulation, so only the owner (an operator's migration) may.
REVOKE UPDATE, DELETE ON settlement_ecard_keys FROM tongchou_app;
GRANT SELECT, INSERT ON settlement_ecard_keys TO tongchou_app;
