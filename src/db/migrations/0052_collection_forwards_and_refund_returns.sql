-- 0052 (issue 10) forwarding a collection record to the employer's city, and the bank's return file
-- of a refund file. Forward-only: never edit once shipped; add a new numbered file instead.

-- A collection record the receiving city (region_code, where it was imported: the tax bureau paid
-- its money into that city's 财政专户) forwarded to the city its employer is registered in
-- (to_region). The record itself moves to to_region under a one-record import of that city
-- (to_import_id); this row is the trail and tells the posting that the cash is in the receiving
-- city's 1001 and reaches the employer's city through the province's due accounts.
CREATE TABLE collection_forwards (
  region_code char(6) NOT NULL REFERENCES regions(code),
  voucher text NOT NULL,
  to_region char(6) NOT NULL REFERENCES regions(code),
  from_import_id text NOT NULL,
  to_import_id text NOT NULL,
  employer_id text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  forwarded_by text NOT NULL,
  forwarded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, voucher),
  CONSTRAINT collection_forwards_voucher_key UNIQUE (voucher),
  CONSTRAINT collection_forwards_to_import_key UNIQUE (to_region, to_import_id),
  CONSTRAINT collection_forwards_other_city CHECK (to_region <> region_code),
  FOREIGN KEY (region_code, from_import_id) REFERENCES collection_imports (region_code, id),
  FOREIGN KEY (to_region, to_import_id) REFERENCES collection_imports (region_code, id)
);

-- One bank return file imported for a refund file (docs/contributions.md, "The bank's return
-- file"): the same bytes twice are one return (UNIQUE on the file and the sha256).
CREATE TABLE contribution_refund_returns (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^crret_[0-9]{6}_[0-9a-f]{16}$'),
  file_id text NOT NULL,
  sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  paid_count int NOT NULL CHECK (paid_count >= 0),
  failed_count int NOT NULL CHECK (failed_count >= 0),
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, file_id, sha256),
  FOREIGN KEY (region_code, file_id) REFERENCES contribution_refund_files (region_code, id)
);

-- The bank confirmed a sent refund paid: at most one per refund. A failure is a
-- contribution_refund_failures row (0051), written through the same failure code.
CREATE TABLE contribution_refund_confirmations (
  region_code char(6) NOT NULL,
  refund_id text NOT NULL,
  file_id text NOT NULL,
  return_id text NOT NULL,
  bank_reference text NOT NULL CHECK (length(bank_reference) BETWEEN 1 AND 64),
  paid_on date NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, refund_id),
  FOREIGN KEY (region_code, refund_id) REFERENCES contribution_refund_file_items (region_code, refund_id),
  FOREIGN KEY (region_code, return_id) REFERENCES contribution_refund_returns (region_code, id)
);

CREATE TRIGGER collection_forwards_append_only BEFORE UPDATE OR DELETE ON collection_forwards
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER collection_forwards_no_truncate BEFORE TRUNCATE ON collection_forwards
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_returns_append_only BEFORE UPDATE OR DELETE ON contribution_refund_returns
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_returns_no_truncate BEFORE TRUNCATE ON contribution_refund_returns
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_confirmations_append_only BEFORE UPDATE OR DELETE ON contribution_refund_confirmations
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_confirmations_no_truncate BEFORE TRUNCATE ON contribution_refund_confirmations
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON collection_forwards FROM tongchou_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON contribution_refund_returns FROM tongchou_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON contribution_refund_confirmations FROM tongchou_app;
  END IF;
END $$;
