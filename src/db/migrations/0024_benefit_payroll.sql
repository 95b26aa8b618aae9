-- 0024 the monthly benefit payroll (月度发放, issue 12, first slice; numbered at merge if needed): per
-- city and month one run computes a line per payable entitlement (chunked, resumable from a
-- checkpoint), is approved under maker-checker bound to its totals, posts the payable
-- (Dr 5106/5108 / Cr 2102) once, issues a payment file, and takes the bank's return: confirmed
-- lines post Dr 2102 / Cr 1003, failed lines stay owed in 2102. Decisions in docs/benefits.md
-- ("Monthly payroll"). Forward-only: never edit once shipped.

-- The bank account of a worker's social-security card (社会保障卡), dated: the row in force on a
-- day is the one with the latest valid_from on or before it, so "the account changed this month" is
-- a question the payroll can answer, and a line keeps the account it was paid to.
CREATE TABLE social_security_card_accounts (
  worker_id text NOT NULL REFERENCES workers (id),
  valid_from date NOT NULL,
  bank_name text NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 60),
  account_number text NOT NULL CHECK (account_number ~ '^[0-9]{10,30}$'),
  account_name text NOT NULL CHECK (length(account_name) BETWEEN 1 AND 50),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (worker_id, valid_from)
);

-- One run per city and month: 50 concurrent starts meet on the unique key and find one run.
-- computing → computed (every line written, totals and anomalies known, approval asked)
-- → approved (payable posted) → file_issued (payment file's sha256 stored) → reconciled (every
-- line answered by the bank).
CREATE TABLE payroll_runs (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^prl_[0-9]{6}_[0-9]{4}(0[1-9]|1[0-2])$'),
  month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status text NOT NULL
    CHECK (status IN ('computing', 'computed', 'approved', 'file_issued', 'reconciled')),
  -- The last entitlement id whose line is written (entitlements are taken in id order); null
  -- before the first chunk. A killed computation resumes after it.
  checkpoint_entitlement_id text,
  line_count integer NOT NULL DEFAULT 0 CHECK (line_count >= 0),
  total_fen bigint NOT NULL DEFAULT 0 CHECK (total_fen >= 0),
  -- {kind: {lines, amountFen}} once computed.
  totals jsonb,
  -- The anomaly guards' findings once computed (shown with the approval).
  anomalies jsonb,
  -- sha256 of the approval's canonical payload (run, month, totals, lines digest, anomalies).
  totals_sha256 char(64),
  approval_id text,
  payable_transaction_id text,
  file_sha256 char(64),
  started_by text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  computed_at timestamptz,
  approved_by text,
  approved_on date,
  file_issued_by text,
  file_issued_at timestamptz,
  reconciled_at timestamptz,
  PRIMARY KEY (region_code, id),
  CONSTRAINT payroll_runs_city_month UNIQUE (region_code, month),
  CONSTRAINT payroll_runs_id_of_month
    CHECK (id = 'prl_' || region_code || '_' || replace(month, '-', '')),
  CONSTRAINT payroll_runs_computed_complete CHECK (
    status = 'computing' OR (totals IS NOT NULL AND anomalies IS NOT NULL
      AND totals_sha256 IS NOT NULL AND computed_at IS NOT NULL)),
  CONSTRAINT payroll_runs_approved_complete CHECK (
    status IN ('computing', 'computed') OR (approved_by IS NOT NULL AND approved_on IS NOT NULL)),
  CONSTRAINT payroll_runs_file_complete CHECK (
    status NOT IN ('file_issued', 'reconciled') OR file_sha256 IS NOT NULL)
);

-- One line per run and entitlement. The id derives from the run and the entitlement, so a resumed
-- computation writes the same ids. The account is the card account in force on the month's first
-- day, copied: a later change of the card does not rewrite what was sent.
CREATE TABLE payroll_lines (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^pln_[0-9a-f]{20}$'),
  run_id text NOT NULL,
  entitlement_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  kind text NOT NULL,
  -- The benefit-expense account the line is posted to (5106 生活护理费, 5108 伤残津贴, …).
  expense_account text NOT NULL CHECK (expense_account ~ '^51[0-9]{2}$'),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  bank_name text,
  account_number text,
  account_name text,
  -- The card account's valid_from (the guard "account changed this month" reads it).
  account_valid_from date,
  status text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'paid', 'failed')),
  bank_reference text CHECK (bank_reference IS NULL OR length(bank_reference) BETWEEN 1 AND 64),
  paid_on date,
  failure_reason text CHECK (failure_reason IS NULL OR length(failure_reason) BETWEEN 1 AND 500),
  -- The bank return that answered the line (its sha256) and the ledger transaction of a confirmation.
  return_sha256 char(64),
  paid_transaction_id text,
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, run_id) REFERENCES payroll_runs (region_code, id),
  FOREIGN KEY (region_code, entitlement_id) REFERENCES benefit_entitlements (region_code, id),
  CONSTRAINT payroll_lines_run_entitlement UNIQUE (region_code, run_id, entitlement_id),
  CONSTRAINT payroll_lines_account_whole CHECK (
    (bank_name IS NULL) = (account_number IS NULL) AND (bank_name IS NULL) = (account_name IS NULL)
    AND (bank_name IS NULL) = (account_valid_from IS NULL)),
  CONSTRAINT payroll_lines_status_recorded CHECK (
    (status = 'issued' AND bank_reference IS NULL AND paid_transaction_id IS NULL
      AND failure_reason IS NULL)
    OR (status = 'paid' AND bank_reference IS NOT NULL AND paid_on IS NOT NULL
      AND paid_transaction_id IS NOT NULL AND failure_reason IS NULL)
    OR (status = 'failed' AND failure_reason IS NOT NULL AND paid_transaction_id IS NULL))
);
CREATE INDEX payroll_lines_worker_idx ON payroll_lines (worker_id);
