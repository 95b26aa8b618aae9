-- 0046 (issue 10) the floating-rate review's experience computed from the system's own records
-- beside the imported one, and refunds and offsets of contributions held in 2103 暂收款. Forward-only: never
-- edit once shipped; add a new numbered file instead.

-- An employer-year may now hold two rows: the figures the system derived from its own records
-- (source 'system', rewritten by each derivation) and the figures a province imported (source
-- 'import', a correction or the old system's history). The review reads the imported row when there
-- is one (docs/contributions.md, "Experience from the system's records"); both stay visible.
ALTER TABLE employer_experience DROP CONSTRAINT employer_experience_pkey;
ALTER TABLE employer_experience ADD PRIMARY KEY (region_code, employer_id, year, source);

-- A refund to an employer of money it paid beyond what it owed (held in 2103 暂收款 by the
-- collection postings), approved by a second person on this exact payload and posted Dr 2103 /
-- Cr 1001 in the city's segment. `id` derives from the city and the handler's client key, so a
-- retry names the same row and the same ledger transaction. Append-only: a refund is never edited.
CREATE TABLE contribution_refunds (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^crf_[0-9]{6}_[0-9a-f]{16}$'),
  client_key text NOT NULL CHECK (client_key ~ '^[0-9A-Za-z._:-]{8,100}$'),
  employer_id text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  bank_name text NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 100),
  account_number text NOT NULL CHECK (account_number ~ '^[0-9]{8,32}$'),
  account_name text NOT NULL CHECK (length(account_name) BETWEEN 1 AND 200),
  refund_on date NOT NULL,
  payload_sha256 char(64) NOT NULL,
  approval_id text NOT NULL,
  transaction_id text NOT NULL UNIQUE,
  refunded_by text NOT NULL,
  refunded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, client_key),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id)
);
CREATE INDEX contribution_refunds_employer_idx ON contribution_refunds (region_code, employer_id);
CREATE TRIGGER contribution_refunds_append_only BEFORE UPDATE OR DELETE ON contribution_refunds
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refunds_no_truncate BEFORE TRUNCATE ON contribution_refunds
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- An offset of such money against a later assessment of the same employer (Dr 2103 / Cr 1131): it
-- settles that employer-month like a collection does, so arrears, the posting of later records and
-- the reconciliation count it with the applied collections. Same approval, key and append-only
-- rules as a refund.
CREATE TABLE contribution_offsets (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^cof_[0-9]{6}_[0-9a-f]{16}$'),
  client_key text NOT NULL CHECK (client_key ~ '^[0-9A-Za-z._:-]{8,100}$'),
  employer_id text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  offset_on date NOT NULL,
  payload_sha256 char(64) NOT NULL,
  approval_id text NOT NULL,
  transaction_id text NOT NULL UNIQUE,
  offset_by text NOT NULL,
  offset_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, client_key),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id)
);
CREATE INDEX contribution_offsets_employer_idx ON contribution_offsets (region_code, employer_id, month);
CREATE TRIGGER contribution_offsets_append_only BEFORE UPDATE OR DELETE ON contribution_offsets
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_offsets_no_truncate BEFORE TRUNCATE ON contribution_offsets
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON contribution_refunds FROM tongchou_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON contribution_offsets FROM tongchou_app;
  END IF;
END $$;
