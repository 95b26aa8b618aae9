-- 待遇调整 (indexation): the province's yearly adjustment of the periodic benefits applied to a
-- city's entitlements by one batch per city and year (docs/benefits.md, "Indexation"). The batch
-- holds the before/after line of every entitlement it changes, computed at the proposal under the
-- pinned parameter snapshot; a second person approves the batch's exact payload (approvals, action
-- benefits.indexation); the apply ends each old entitlement the day before the effective date and
-- starts its successor with the new amount, so the payroll pays the old amount before that month
-- and the new one from it.
CREATE TABLE benefit_indexation_batches (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^idx_[0-9]{6}_[0-9]{4}$'),
  year integer NOT NULL CHECK (year BETWEEN 2011 AND 2100),
  status text NOT NULL CHECK (status IN ('proposed', 'applied')),
  snapshot_id char(64) NOT NULL REFERENCES benefit_parameter_snapshots (snapshot_id),
  -- The approval's canonical payload and its sha256 (batch, year, snapshot, line digest, totals).
  payload jsonb NOT NULL,
  payload_sha256 char(64) NOT NULL,
  approval_id text NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  applied_by text,
  approved_by text,
  applied_at timestamptz,
  PRIMARY KEY (region_code, id),
  CONSTRAINT benefit_indexation_batches_applied_complete
    CHECK ((status = 'applied') = (applied_by IS NOT NULL AND applied_at IS NOT NULL))
);
-- One batch per city and year, whatever the caller does: a second proposal answers the first.
CREATE UNIQUE INDEX benefit_indexation_batches_one_per_year
  ON benefit_indexation_batches (region_code, year);

CREATE TABLE benefit_indexation_lines (
  region_code char(6) NOT NULL,
  batch_id text NOT NULL,
  entitlement_id text NOT NULL,
  -- The successor the apply creates: derived from the batch and the entitlement, so a resumed or
  -- repeated apply names the same row.
  new_entitlement_id text NOT NULL CHECK (new_entitlement_id ~ '^ent_[0-9]{6}_[0-9a-f]{16}$'),
  worker_id text NOT NULL,
  dependant_id text,
  decision_id text NOT NULL,
  kind text NOT NULL,
  payer text NOT NULL CHECK (payer IN ('fund', 'employer')),
  -- The grade or nursing level the parameter was read by ('all' for survivor pensions).
  rule_key text NOT NULL,
  effective_on date NOT NULL,
  ends_on date,
  before_fen bigint NOT NULL CHECK (before_fen >= 0),
  after_fen bigint NOT NULL CHECK (after_fen >= 0),
  citation text NOT NULL,
  PRIMARY KEY (region_code, batch_id, entitlement_id),
  FOREIGN KEY (region_code, batch_id) REFERENCES benefit_indexation_batches (region_code, id),
  FOREIGN KEY (region_code, entitlement_id) REFERENCES benefit_entitlements (region_code, id),
  CONSTRAINT benefit_indexation_lines_dates CHECK (ends_on IS NULL OR ends_on >= effective_on)
);
CREATE UNIQUE INDEX benefit_indexation_lines_new_entitlement
  ON benefit_indexation_lines (region_code, new_entitlement_id);
