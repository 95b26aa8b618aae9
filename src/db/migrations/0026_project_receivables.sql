-- 0026 按项目参保 in the fund ledger (issue 10): a project's one-off contribution is a receivable of
-- its contractor's city, posted at registration, and the tax bureau's collection records may pay a
-- project. Forward-only: never edit once shipped; add a new numbered file instead.

-- The receivable posted when a project is registered (Dr 1131 / Cr 4101 in the city segment, in the
-- same transaction as the project row). One per project; transaction_id is the ledger's id,
-- deterministic from the project id. A project whose contribution rounds to 0 fen has no row (no
-- money to owe); projects registered before this migration have none either (nothing posted).
CREATE TABLE project_receivables (
  region_code char(6) NOT NULL,
  project_id text NOT NULL,
  transaction_id text NOT NULL UNIQUE,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  effective_date date NOT NULL,
  posted_by text NOT NULL,
  posted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, project_id),
  FOREIGN KEY (region_code, project_id) REFERENCES construction_projects (region_code, id)
);
CREATE TRIGGER project_receivables_append_only BEFORE UPDATE OR DELETE ON project_receivables
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER project_receivables_no_truncate BEFORE TRUNCATE ON project_receivables
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- A collection record may name a project (the file's optional 项目编号 / project column):
-- project_ref is what the file said; project_id the project it was matched to. A record matched to a
-- project has its employer and no match_month (it pays no employer-month: arrears and the monthly
-- reconciliation leave it out); one matched to an employer-month has no project_id.
ALTER TABLE collection_records
  ADD COLUMN project_ref text CHECK (project_ref ~ '^[0-9A-Za-z_-]{1,60}$'),
  ADD COLUMN project_id text,
  ADD CONSTRAINT collection_records_project
    FOREIGN KEY (region_code, project_id) REFERENCES construction_projects (region_code, id);
ALTER TABLE collection_records DROP CONSTRAINT collection_records_match;
ALTER TABLE collection_records ADD CONSTRAINT collection_records_match CHECK (
  (status = 'matched') = (employer_id IS NOT NULL AND (match_month IS NOT NULL OR project_id IS NOT NULL))
  AND (match_month IS NULL OR project_id IS NULL));
ALTER TABLE collection_records DROP CONSTRAINT collection_records_unmatched_reason_check;
ALTER TABLE collection_records ADD CONSTRAINT collection_records_unmatched_reason_check CHECK (
  unmatched_reason IN ('unknown_credit_code', 'other_city', 'no_assessment', 'unknown_project',
                       'project_other_employer'));
CREATE INDEX collection_records_project_idx ON collection_records (region_code, project_id)
  WHERE project_id IS NOT NULL;

DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON project_receivables FROM tongchou_app;
  END IF;
END $$;
