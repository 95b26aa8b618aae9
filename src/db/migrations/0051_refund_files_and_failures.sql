-- 0051 refunds of the 2103 excess and the bank (issue 10): the refund file a city sends for a day's
-- approved refunds, the refunds each file carried, and the bank's report that a refund was not paid
-- (the ledger reverses it, Dr 1001 / Cr 2103, as a transaction of its own). Forward-only: never
-- edit once shipped; add a new numbered file instead.

-- A refund file: the CSV of docs/contributions.md ("The refund file"), rendered from the refund rows
-- only, so the same refunds give the same bytes; its sha256 is recorded when first issued. `id`
-- derives from the city, the day and the refunds it carries.
CREATE TABLE contribution_refund_files (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^crfile_[0-9]{6}_[0-9a-f]{16}$'),
  file_on date NOT NULL,
  sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  refund_count int NOT NULL CHECK (refund_count > 0),
  total_fen bigint NOT NULL CHECK (total_fen > 0),
  issued_by text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id)
);

-- A refund is sent once: the primary key on the refund keeps it out of a second file.
CREATE TABLE contribution_refund_file_items (
  region_code char(6) NOT NULL,
  refund_id text NOT NULL,
  file_id text NOT NULL,
  PRIMARY KEY (region_code, refund_id),
  FOREIGN KEY (region_code, refund_id) REFERENCES contribution_refunds (region_code, id),
  FOREIGN KEY (region_code, file_id) REFERENCES contribution_refund_files (region_code, id)
);
CREATE INDEX contribution_refund_file_items_file_idx
  ON contribution_refund_file_items (region_code, file_id);

-- The bank reported a sent refund not paid: at most one per refund (UNIQUE refund_id), idempotent
-- by the handler's client key. The employer's excess counts the amount again.
CREATE TABLE contribution_refund_failures (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^crff_[0-9]{6}_[0-9a-f]{16}$'),
  client_key text NOT NULL CHECK (client_key ~ '^[0-9A-Za-z._:-]{8,100}$'),
  refund_id text NOT NULL,
  employer_id text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  failed_on date NOT NULL,
  payload_sha256 char(64) NOT NULL,
  transaction_id text NOT NULL UNIQUE,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, client_key),
  UNIQUE (region_code, refund_id),
  FOREIGN KEY (region_code, refund_id) REFERENCES contribution_refunds (region_code, id)
);
CREATE INDEX contribution_refund_failures_employer_idx
  ON contribution_refund_failures (region_code, employer_id);

CREATE TRIGGER contribution_refund_files_append_only BEFORE UPDATE OR DELETE ON contribution_refund_files
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_files_no_truncate BEFORE TRUNCATE ON contribution_refund_files
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_file_items_append_only BEFORE UPDATE OR DELETE ON contribution_refund_file_items
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_file_items_no_truncate BEFORE TRUNCATE ON contribution_refund_file_items
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_failures_append_only BEFORE UPDATE OR DELETE ON contribution_refund_failures
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER contribution_refund_failures_no_truncate BEFORE TRUNCATE ON contribution_refund_failures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON contribution_refund_files FROM tongchou_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON contribution_refund_file_items FROM tongchou_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON contribution_refund_failures FROM tongchou_app;
  END IF;
END $$;
