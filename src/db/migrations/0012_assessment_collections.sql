-- 0012 assessment (核定), tax-bureau collections (征收) and their ledger postings (issue 10).
-- Forward-only: never edit once shipped. Decisions in docs/adr/0010-assessment-and-collections.md;
-- the collection file layout in docs/contributions.md.

-- One run of the assessment of a city-month: the employers whose current declaration had no
-- assessment yet, assessed in one INSERT … SELECT; the difference against the versions they replace
-- is posted as one ledger transaction (transaction_id; null when the difference is zero). seq counts
-- the runs of the city-month that assessed anything (a rerun with nothing new writes no run).
CREATE TABLE contribution_assessment_runs (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^asr_[0-9]{6}_[0-9]{6}_[0-9]{3,}$'),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  seq integer NOT NULL CHECK (seq >= 1),
  employer_count integer NOT NULL CHECK (employer_count >= 1),
  amount_total_fen bigint NOT NULL CHECK (amount_total_fen >= 0),
  difference_fen bigint NOT NULL,
  amounts_sha256 char(64) NOT NULL,
  approval_id text NOT NULL,
  transaction_id text,
  run_by text NOT NULL,
  run_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, month, seq)
);

-- One version of an employer-month's assessment: the declaration version it rests on, the rate's
-- parts as exact decimal strings and the amount rounded once (rounding.money). previous_amount_fen
-- is the amount of the version it replaces (0 for version 1): the run posts amount − previous.
CREATE TABLE contribution_assessments (
  region_code char(6) NOT NULL,
  employer_id text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  version integer NOT NULL CHECK (version >= 1),
  run_id text NOT NULL,
  declaration_id text NOT NULL,
  declaration_version integer NOT NULL,
  worker_count integer NOT NULL CHECK (worker_count >= 0),
  base_total_fen bigint NOT NULL CHECK (base_total_fen >= 0),
  risk_class smallint NOT NULL CHECK (risk_class BETWEEN 1 AND 8),
  floating_grade text NOT NULL CHECK (floating_grade IN ('down2', 'down1', 'base', 'up1', 'up2')),
  base_rate text NOT NULL,
  multiplier text NOT NULL,
  rate text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  previous_amount_fen bigint NOT NULL CHECK (previous_amount_fen >= 0),
  citations text[] NOT NULL,
  PRIMARY KEY (region_code, employer_id, month, version),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
  FOREIGN KEY (region_code, declaration_id) REFERENCES declarations (region_code, id),
  FOREIGN KEY (region_code, run_id) REFERENCES contribution_assessment_runs (region_code, id)
);
CREATE INDEX contribution_assessments_month_idx ON contribution_assessments (region_code, month);

-- One imported collection file of the tax bureau; the same file (sha256) twice is one import.
CREATE TABLE collection_imports (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^cim_[0-9]{6}_[0-9a-f]{16}$'),
  file_sha256 char(64) NOT NULL,
  file_name text NOT NULL,
  record_count integer NOT NULL CHECK (record_count >= 0),
  duplicate_count integer NOT NULL CHECK (duplicate_count >= 0),
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, file_sha256)
);

-- One ledger posting of collected income (Dr 1001 / Cr 1131, overpayment Cr 2103).
CREATE TABLE collection_postings (
  region_code char(6) NOT NULL REFERENCES regions(code),
  transaction_id text NOT NULL,
  import_id text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  record_count integer NOT NULL CHECK (record_count >= 1),
  total_fen bigint NOT NULL CHECK (total_fen > 0),
  applied_fen bigint NOT NULL CHECK (applied_fen >= 0),
  overpaid_fen bigint NOT NULL CHECK (overpaid_fen >= 0),
  approval_id text NOT NULL,
  posted_by text NOT NULL,
  posted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, transaction_id),
  UNIQUE (region_code, import_id, seq),
  FOREIGN KEY (region_code, import_id) REFERENCES collection_imports (region_code, id),
  CONSTRAINT collection_postings_sum CHECK (applied_fen + overpaid_fen = total_fen)
);

-- One record of the tax bureau (税票号 unique province-wide: a voucher seen before is a duplicate).
-- status: matched (employer_id + match_month name an assessment), unmatched (in the handler's
-- queue, unmatched_reason says why), rejected (resolved without money: resolution says why).
-- posting_id is set once the record's money is in the ledger, with the part applied to the
-- receivable and the part beyond the assessment (暂收款).
CREATE TABLE collection_records (
  region_code char(6) NOT NULL,
  voucher text NOT NULL CHECK (voucher ~ '^[0-9A-Za-z-]{1,40}$'),
  import_id text NOT NULL,
  row_number integer NOT NULL CHECK (row_number >= 1),
  credit_code char(18) NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  paid_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('matched', 'unmatched', 'rejected')),
  unmatched_reason text CHECK (unmatched_reason IN ('unknown_credit_code', 'other_city', 'no_assessment')),
  employer_id text,
  match_month date,
  resolution text,
  resolved_by text,
  resolved_at timestamptz,
  posting_id text,
  applied_fen bigint CHECK (applied_fen >= 0),
  overpaid_fen bigint CHECK (overpaid_fen >= 0),
  PRIMARY KEY (region_code, voucher),
  CONSTRAINT collection_records_voucher_key UNIQUE (voucher),
  FOREIGN KEY (region_code, import_id) REFERENCES collection_imports (region_code, id),
  FOREIGN KEY (region_code, posting_id) REFERENCES collection_postings (region_code, transaction_id),
  CONSTRAINT collection_records_match CHECK ((status = 'matched') = (employer_id IS NOT NULL AND match_month IS NOT NULL)),
  CONSTRAINT collection_records_queue CHECK ((status = 'unmatched') = (unmatched_reason IS NOT NULL)),
  CONSTRAINT collection_records_posted CHECK (
    (posting_id IS NULL AND applied_fen IS NULL AND overpaid_fen IS NULL)
    OR (status = 'matched' AND applied_fen + overpaid_fen = amount_fen))
);
CREATE INDEX collection_records_import_idx ON collection_records (region_code, import_id);
CREATE INDEX collection_records_employer_idx ON collection_records (region_code, employer_id, match_month);
CREATE INDEX collection_records_queue_idx ON collection_records (region_code) WHERE status = 'unmatched';
