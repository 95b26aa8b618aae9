-- 0031 cross-province care (跨省异地就医, issue 13; docs/settlement-cross-province.md): filings (备案)
-- of accepted cases, the province's advances (预付金) to the national clearing system, and the
-- national system's monthly clearing files (费用清算) with their rows. Money moves only through the
-- ledger: each advance and each cleared row names its ledger transaction. Forward-only.

-- A filing: the worker of a case of this city is treated in another province, from a date, until
-- a validity end computed from dated parameters. A revoked filing still covers the days before its
-- revocation (treatment then was filed), so it keeps its row; overlap is checked by the use case
-- under the case's row lock, on the covered range [from_date, covered_until].
CREATE TABLE settlement_xp_filings (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^xpf_[0-9]{6}_[0-9a-f]{16}$'),
  case_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('long_term_residence', 'referral')),
  province char(6) NOT NULL CHECK (province ~ '^[1-9][0-9]0000$'),
  from_date date NOT NULL,
  valid_until date NOT NULL,
  -- The parameter the validity was read from, with its source (the filing keeps its term).
  validity_citation text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'revoked')),
  revoked_on date,
  revoked_reason text CHECK (revoked_reason IS NULL OR length(revoked_reason) BETWEEN 1 AND 500),
  revoked_by text,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  CONSTRAINT settlement_xp_filings_term CHECK (valid_until >= from_date),
  CONSTRAINT settlement_xp_filings_not_our_province CHECK (province <> substr(region_code, 1, 2) || '0000'),
  CONSTRAINT settlement_xp_filings_revocation CHECK (
    (status = 'revoked') = (revoked_on IS NOT NULL AND revoked_by IS NOT NULL AND revoked_reason IS NOT NULL)
    AND (revoked_on IS NULL OR revoked_on BETWEEN from_date AND valid_until + 1))
);
CREATE INDEX settlement_xp_filings_case_idx ON settlement_xp_filings (region_code, case_id);

-- An advance paid by the province's fund to the national clearing system, after maker-checker.
CREATE TABLE settlement_xp_advances (
  region_code char(6) NOT NULL CHECK (region_code ~ '^[1-9][0-9]0000$'),
  id text NOT NULL CHECK (id ~ '^[A-Za-z0-9._:-]{1,60}$'),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  paid_on date NOT NULL,
  approval_id text NOT NULL,
  ledger_transaction_id text NOT NULL UNIQUE,
  paid_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id)
);

-- One imported clearing file of a province, once per content (sha256).
CREATE TABLE settlement_xp_clearings (
  region_code char(6) NOT NULL CHECK (region_code ~ '^[1-9][0-9]0000$'),
  id text NOT NULL CHECK (id ~ '^xpc_[0-9]{6}_[0-9a-f]{16}$'),
  file_sha256 char(64) NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  cleared_on date NOT NULL,
  row_count integer NOT NULL CHECK (row_count >= 1),
  cleared_fen bigint NOT NULL CHECK (cleared_fen >= 0),
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  CONSTRAINT settlement_xp_clearings_file UNIQUE (region_code, file_sha256)
);

-- A cleared settlement: its key is the treating province and its serial, whatever file carried it.
-- region_code is the case's city (the segment that bears the expense). The worker's ID number is
-- not stored: the case names the worker.
CREATE TABLE settlement_xp_clearing_rows (
  region_code char(6) NOT NULL,
  treating_province char(6) NOT NULL CHECK (treating_province ~ '^[1-9][0-9]0000$'),
  serial text NOT NULL CHECK (serial ~ '^[A-Za-z0-9_-]{1,40}$'),
  clearing_region_code char(6) NOT NULL,
  clearing_id text NOT NULL,
  row_number integer NOT NULL CHECK (row_number >= 1),
  case_id text NOT NULL,
  filing_id text NOT NULL,
  institution_name text NOT NULL CHECK (length(institution_name) BETWEEN 1 AND 200),
  category text NOT NULL CHECK (category IN ('medical', 'rehabilitation', 'device')),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  settled_on date NOT NULL,
  -- sha256 of the row's canonical content: the same serial again with other content is refused.
  row_sha256 char(64) NOT NULL,
  ledger_transaction_id text NOT NULL UNIQUE,
  PRIMARY KEY (region_code, treating_province, serial),
  CONSTRAINT settlement_xp_clearing_rows_key UNIQUE (treating_province, serial),
  FOREIGN KEY (clearing_region_code, clearing_id) REFERENCES settlement_xp_clearings (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  FOREIGN KEY (region_code, filing_id) REFERENCES settlement_xp_filings (region_code, id)
);
CREATE INDEX settlement_xp_clearing_rows_clearing_idx
  ON settlement_xp_clearing_rows (clearing_region_code, clearing_id);
