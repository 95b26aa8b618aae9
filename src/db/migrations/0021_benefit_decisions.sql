-- 0019 the benefit decision (工伤保险待遇核定, issue 11; planned as 0021, numbered at merge): from a
-- recognised or deemed case with a concluded appraisal, the calculator's input and result pinned with the parameters behind them,
-- approved under maker-checker; the fund's lump sums paid in two phases through the ledger
-- (approved: Dr 51xx / Cr 2102; paid on the bank's confirmation: Dr 2102 / Cr 1003); the periodic
-- items become entitlements for the payroll. Decisions in docs/adr/0014-benefit-decision.md.
-- Forward-only: never edit once shipped.

-- The benefit parameters a decision was computed with, content-addressed by the calculator's
-- snapshot id (sha256 of the canonical parameter set): the rule set is rebuilt from `content` and
-- must hash to the same id, so a decision can be recomputed years later with the same figures
-- whatever the live YAML says by then. One row per distinct parameter set, shared by decisions.
CREATE TABLE benefit_parameter_snapshots (
  snapshot_id char(64) PRIMARY KEY CHECK (snapshot_id ~ '^[0-9a-f]{64}$'),
  content jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER benefit_parameter_snapshots_append_only BEFORE UPDATE OR DELETE
  ON benefit_parameter_snapshots FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

-- A proposed benefit decision of a case. A new proposal supersedes the open one (the approval asked
-- for the old one no longer fits: its payload names the old decision and its amounts).
CREATE TABLE benefit_decisions (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^bdc_[0-9]{6}_[0-9a-f]{16}$'),
  case_id text NOT NULL,
  appraisal_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'superseded')),
  -- The calculator's input exactly as run (POST /api/v1/calculations accepts it unchanged).
  calculation_input jsonb NOT NULL,
  -- The calculator's result: baseWageFen, items, snapshotId, trace.
  calculation_result jsonb NOT NULL,
  -- The 12 months before the injury: [{month, wageFen, source: declaration | entered, declarationId?}].
  wage_months jsonb NOT NULL,
  -- Required when any month was entered by the handler: the note or material reference behind it.
  wage_evidence text CHECK (wage_evidence IS NULL OR length(wage_evidence) BETWEEN 1 AND 500),
  snapshot_id char(64) NOT NULL REFERENCES benefit_parameter_snapshots (snapshot_id),
  -- What the checker approves (canonical payload of the approval) and its hash.
  payload_sha256 char(64) NOT NULL,
  -- The approval asked for this proposal (its payload is what the checker sees).
  approval_id text NOT NULL,
  ledger_transaction_id text,
  -- The 工伤保险待遇核定通知书 issued on approval (letters, migration 0018).
  letter_id text,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  approved_by text,
  approved_on date,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  FOREIGN KEY (region_code, appraisal_id) REFERENCES appraisals (region_code, id),
  CONSTRAINT benefit_decisions_approved_complete CHECK (
    (status = 'approved') = (approved_by IS NOT NULL AND approved_on IS NOT NULL))
);
-- One open (proposed or approved) decision per case: a second one supersedes the proposal first.
CREATE UNIQUE INDEX benefit_decisions_one_open
  ON benefit_decisions (region_code, case_id) WHERE status IN ('proposed', 'approved');

-- A payment of one lump sum the fund pays. The payable (Dr 51xx / Cr 2102) is posted on approval;
-- each attempt is paid on the bank's confirmation (Dr 2102 / Cr 1003) or fails: a failure after a
-- confirmation (a returned transfer) posts the reversal (Dr 1003 / Cr 2102), and the lump sum is
-- reissued as a new attempt. At most one live attempt (issued or paid) per decision and item.
CREATE TABLE benefit_payments (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^bpy_[0-9]{6}_[0-9a-f]{16}$'),
  decision_id text NOT NULL,
  item_code text NOT NULL,
  account text NOT NULL CHECK (account ~ '^51[0-9]{2}$'),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  attempt integer NOT NULL CHECK (attempt >= 1),
  status text NOT NULL CHECK (status IN ('issued', 'paid', 'failed')),
  payable_transaction_id text NOT NULL,
  paid_transaction_id text,
  reversal_transaction_id text,
  bank_reference text CHECK (bank_reference IS NULL OR length(bank_reference) BETWEEN 1 AND 64),
  paid_on date,
  failure_reason text CHECK (failure_reason IS NULL OR length(failure_reason) BETWEEN 1 AND 500),
  reissue_of text,
  issued_by text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  updated_by text,
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, decision_id) REFERENCES benefit_decisions (region_code, id),
  UNIQUE (region_code, decision_id, item_code, attempt),
  CONSTRAINT benefit_payments_paid_recorded CHECK (
    (paid_transaction_id IS NOT NULL) = (bank_reference IS NOT NULL AND paid_on IS NOT NULL)),
  CONSTRAINT benefit_payments_status_legs CHECK (
    (status = 'issued' AND paid_transaction_id IS NULL)
    OR (status = 'paid' AND paid_transaction_id IS NOT NULL AND reversal_transaction_id IS NULL)
    OR (status = 'failed' AND failure_reason IS NOT NULL
        AND (reversal_transaction_id IS NULL) = (paid_transaction_id IS NULL)))
);
CREATE UNIQUE INDEX benefit_payments_one_live
  ON benefit_payments (region_code, decision_id, item_code) WHERE status IN ('issued', 'paid');

-- An entitlement: one periodic item of an approved decision (伤残津贴, 生活护理费, …), per person and
-- kind (the calculator's item code), for the payroll to run; items the employer pays are recorded
-- with payer 'employer' and never paid by the fund.
CREATE TABLE benefit_entitlements (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^ent_[0-9]{6}_[0-9a-f]{16}$'),
  worker_id text NOT NULL REFERENCES workers (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z_]*$'),
  frequency text NOT NULL CHECK (frequency IN ('monthly')),
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  payer text NOT NULL CHECK (payer IN ('fund', 'employer')),
  starts_on date NOT NULL,
  ends_on date,
  status text NOT NULL CHECK (status IN ('active', 'ended')),
  decision_id text NOT NULL,
  snapshot_id char(64) NOT NULL REFERENCES benefit_parameter_snapshots (snapshot_id),
  citation text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, decision_id) REFERENCES benefit_decisions (region_code, id),
  CONSTRAINT benefit_entitlements_dates CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
-- One active entitlement per person and kind, province-wide (a worker has one 伤残津贴 whichever
-- city decided it): the database refuses a second whatever the caller does.
CREATE UNIQUE INDEX benefit_entitlements_one_active
  ON benefit_entitlements (worker_id, kind) WHERE status = 'active';
CREATE INDEX benefit_entitlements_decision_idx ON benefit_entitlements (region_code, decision_id);
