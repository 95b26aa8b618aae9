-- 0059 the reissue of failed payroll lines by hand, outside a run (issue 12: "failed → voided and
-- reissued next run or by hand"; docs/benefits.md, "Reissue by hand"). A handler proposes an
-- off-cycle reissue batch of a city — failed, not yet reissued lines, each to the card account in
-- force on the proposal's day — a checker approves that exact payload and the batch's lines are
-- written once; the batch has its own payment file and its own bank return, like a run, but posts
-- no payable (the failed lines' amounts are owed in 2102 since their runs were approved).
-- The batch's lines are payroll_lines rows (run_id null, batch_id set), so the unique index on
-- reissue_of (migration 0027) keeps one reissue per failed line whoever writes it, a run or a batch.
-- Forward-only: never edit once shipped.

-- proposed (payload and approval asked) → applied (lines written) → file_issued (payment file's
-- sha256 stored) → reconciled (every line answered by the bank).
CREATE TABLE payroll_reissue_batches (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^prb_[0-9a-f]{20}$'),
  status text NOT NULL CHECK (status IN ('proposed', 'applied', 'file_issued', 'reconciled')),
  -- The day whose card accounts the lines take (the proposal's day).
  accounts_on date NOT NULL,
  line_count integer NOT NULL CHECK (line_count > 0),
  total_fen bigint NOT NULL CHECK (total_fen > 0),
  -- The approval's canonical payload (the lines, amounts and accounts the checker approves).
  payload jsonb NOT NULL,
  approval_id text NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  applied_by text,
  applied_at timestamptz,
  file_sha256 char(64),
  file_issued_by text,
  file_issued_at timestamptz,
  reconciled_at timestamptz,
  PRIMARY KEY (region_code, id),
  CONSTRAINT payroll_reissue_batches_applied_complete CHECK (
    status = 'proposed' OR (applied_by IS NOT NULL AND applied_at IS NOT NULL)),
  CONSTRAINT payroll_reissue_batches_file_complete CHECK (
    status NOT IN ('file_issued', 'reconciled') OR file_sha256 IS NOT NULL)
);

-- A line belongs to a run or to a batch, never both. A batch's line is always a reissue and says
-- the month the payment was owed for (the exclusions after a death, a stop or a survivor's end
-- read that month, as they read a run's month for a run's line).
ALTER TABLE payroll_lines ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE payroll_lines ADD COLUMN batch_id text;
ALTER TABLE payroll_lines ADD COLUMN reissue_month char(7)
  CHECK (reissue_month IS NULL OR reissue_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
ALTER TABLE payroll_lines ADD CONSTRAINT payroll_lines_batch
  FOREIGN KEY (region_code, batch_id) REFERENCES payroll_reissue_batches (region_code, id);
ALTER TABLE payroll_lines ADD CONSTRAINT payroll_lines_run_or_batch CHECK (
  (run_id IS NULL) <> (batch_id IS NULL)
  AND (batch_id IS NULL OR (reissue_of IS NOT NULL AND reissue_month IS NOT NULL)));
CREATE INDEX payroll_lines_batch_order_idx ON payroll_lines (region_code, batch_id, id)
  WHERE batch_id IS NOT NULL;
