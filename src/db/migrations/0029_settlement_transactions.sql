-- 0029 direct settlement's transactions (issue 13): the messages an institution's system sends
-- (idempotent by institution, transaction code and serial number), its sign-ins, the visits opened
-- against accepted cases, their fee lines, the settlements (a reversal or a cancellation is a
-- negative record linked to the original: nothing is deleted) and each line's adjudication.
-- Decisions in docs/settlement.md and docs/settlement-messages.md. Forward-only.

-- The injury's diagnoses (ICD-10) recorded on the case: a visit's diagnosis must be one of them
-- (or within one's category) for the fund to pay (adjudication rule diagnosis_unrelated).
CREATE TABLE case_injury_diagnoses (
  region_code char(6) NOT NULL,
  case_id text NOT NULL,
  code text NOT NULL CHECK (code ~ '^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$'),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, case_id, code),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);

-- An operator's sign-in (签到 9001): its number is carried by every later message of the day.
CREATE TABLE settlement_sign_ins (
  id text PRIMARY KEY CHECK (id ~ '^sgn_[0-9a-f]{16}$'),
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  operator text NOT NULL CHECK (length(operator) BETWEEN 1 AND 60),
  signed_in_at timestamptz NOT NULL DEFAULT now(),
  signed_out_at timestamptz
);

-- Every message received, once: the key is (institution, transaction code, serial number). The
-- same key with the same body replays the stored answer; with another body it is a conflict and
-- nothing is written. A technical reversal (冲正 2209) of a key never received stores a tombstone
-- (status 'reversed_unseen') so that the original, arriving late, is refused, not applied.
CREATE TABLE settlement_messages (
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  tx_code text NOT NULL CHECK (tx_code IN (
    '9001', '9002', '1101', '2201', '2202', '2203', '2204', '2205', '2206', '2207', '2208',
    '2209', '1320', '1321')),
  serial text NOT NULL CHECK (serial ~ '^[A-Za-z0-9_-]{1,40}$'),
  request_sha256 char(64),
  response jsonb,
  status text NOT NULL CHECK (status IN ('done', 'reversed', 'reversed_unseen')),
  -- The 冲正 that reversed this message: its serial (tx_code 2209).
  reversed_by text,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (institution_id, tx_code, serial)
);

-- A visit (就诊登记 2201) of an injured worker at an institution, against an accepted case. Its
-- region_code is the case's city (the fund segment that pays), wherever the institution stands.
CREATE TABLE settlement_visits (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^vis_[0-9a-f]{16}$'),
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  -- The institution's own visit number (门诊/住院号).
  his_visit_no text NOT NULL CHECK (length(his_visit_no) BETWEEN 1 AND 60),
  case_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  agreement_id text NOT NULL REFERENCES settlement_agreements (id),
  kind text NOT NULL CHECK (kind IN ('outpatient', 'inpatient', 'rehabilitation', 'device')),
  -- Admission (or outpatient) date, and discharge date once known (inpatient stays).
  opened_on date NOT NULL,
  closed_on date,
  diagnosis_code text NOT NULL CHECK (diagnosis_code ~ '^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$'),
  status text NOT NULL CHECK (status IN ('open', 'settled', 'cancelled')),
  opened_serial text NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  CONSTRAINT settlement_visits_dates CHECK (closed_on IS NULL OR closed_on >= opened_on),
  CONSTRAINT settlement_visits_his_no UNIQUE (institution_id, his_visit_no)
);
CREATE INDEX settlement_visits_institution_idx ON settlement_visits (institution_id, opened_on);
CREATE INDEX settlement_visits_case_idx ON settlement_visits (region_code, case_id);

-- A fee line (明细 2204), as uploaded. A cancelled line (2205) keeps its number: numbers are not
-- reused within a visit.
CREATE TABLE settlement_fee_lines (
  region_code char(6) NOT NULL,
  visit_id text NOT NULL,
  line_no integer NOT NULL CHECK (line_no BETWEEN 1 AND 9999),
  own_code text NOT NULL,
  name text NOT NULL,
  served_on date NOT NULL,
  quantity_milli bigint NOT NULL CHECK (quantity_milli > 0),
  unit_price_fen bigint NOT NULL CHECK (unit_price_fen >= 0),
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  status text NOT NULL CHECK (status IN ('active', 'cancelled')),
  uploaded_serial text NOT NULL,
  PRIMARY KEY (region_code, visit_id, line_no),
  FOREIGN KEY (region_code, visit_id) REFERENCES settlement_visits (region_code, id)
);

-- A settlement (结算 2207) or its negative twin (结算撤销 2208 / 冲正 2209): kind 'reversal' rows
-- carry negative amounts and name the settlement they reverse (once).
CREATE TABLE settlement_settlements (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^stl_[0-9a-f]{16}$'),
  visit_id text NOT NULL,
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  kind text NOT NULL CHECK (kind IN ('settlement', 'reversal')),
  reverses text,
  serial text NOT NULL,
  -- 中心结算时间: fixes the accounting month of the institution's statement.
  settled_at timestamptz NOT NULL DEFAULT now(),
  accounting_month char(7) NOT NULL CHECK (accounting_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  line_count integer NOT NULL,
  claimed_fen bigint NOT NULL,
  -- 工伤基金支付 (including the food allowance) and what the worker or institution bears.
  fund_fen bigint NOT NULL,
  food_allowance_fen bigint NOT NULL DEFAULT 0,
  rejected_fen bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'reversed')),
  -- Sampled for manual review (人工审核) at settlement; the review itself is the statement's.
  sampled boolean NOT NULL DEFAULT false,
  -- NULL when the fund's share is 0: such a settlement moves no money and posts no transaction.
  ledger_transaction_id text,
  snapshot_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, visit_id) REFERENCES settlement_visits (region_code, id),
  FOREIGN KEY (region_code, reverses) REFERENCES settlement_settlements (region_code, id),
  CONSTRAINT settlement_settlements_sign CHECK (
    (kind = 'settlement' AND reverses IS NULL AND fund_fen >= 0)
    OR (kind = 'reversal' AND reverses IS NOT NULL AND fund_fen <= 0 AND status = 'active'))
);
-- At most one active settlement per visit; a settlement is reversed at most once.
CREATE UNIQUE INDEX settlement_settlements_one_active
  ON settlement_settlements (region_code, visit_id) WHERE kind = 'settlement' AND status = 'active';
CREATE UNIQUE INDEX settlement_settlements_reversed_once
  ON settlement_settlements (region_code, reverses) WHERE reverses IS NOT NULL;
CREATE INDEX settlement_settlements_month_idx
  ON settlement_settlements (institution_id, accounting_month);

-- Each line's adjudication in a settlement (the answer the institution sees).
CREATE TABLE settlement_line_results (
  region_code char(6) NOT NULL,
  settlement_id text NOT NULL,
  line_no integer NOT NULL,
  catalogue_code text,
  -- The ledger expense line it is booked to: medical 5101, rehabilitation 5104, device 5105.
  category text NOT NULL CHECK (category IN ('medical', 'rehabilitation', 'device')),
  outcome text NOT NULL CHECK (outcome IN ('payable', 'partial', 'rejected')),
  claimed_fen bigint NOT NULL,
  payable_fen bigint NOT NULL,
  reasons text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (region_code, settlement_id, line_no),
  FOREIGN KEY (region_code, settlement_id) REFERENCES settlement_settlements (region_code, id),
  CONSTRAINT settlement_line_results_amounts CHECK (payable_fen BETWEEN 0 AND claimed_fen)
);
