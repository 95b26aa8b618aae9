-- 0030 direct settlement's month (issue 13): the manual review of settled lines (人工审核), the
-- totals an institution declares for its accounting month (对账), and the monthly statement whose
-- payment is proposed by one person and approved by another. Decisions in docs/settlement.md
-- ("Monthly statement"). Forward-only.

-- One review of one settled line, once: accepted, or deducted (扣款) with an amount and a reason.
-- A deduction is booked Dr 2101 / Cr 51xx in the settlement's segment by the transaction named
-- here, written in the same database transaction as this row.
CREATE TABLE settlement_line_reviews (
  region_code char(6) NOT NULL,
  settlement_id text NOT NULL,
  line_no integer NOT NULL,
  -- Copied from the settlement: the statement this review counts in.
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  accounting_month char(7) NOT NULL CHECK (accounting_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  decision text NOT NULL CHECK (decision IN ('accepted', 'deducted')),
  deducted_fen bigint NOT NULL CHECK (deducted_fen >= 0),
  reason_code text CHECK (reason_code = 'deducted_after_review'),
  reason text CHECK (length(reason) BETWEEN 1 AND 500),
  ledger_transaction_id text,
  reviewed_by text NOT NULL,
  reviewed_on date NOT NULL,
  reviewed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, settlement_id, line_no),
  FOREIGN KEY (region_code, settlement_id, line_no)
    REFERENCES settlement_line_results (region_code, settlement_id, line_no),
  CONSTRAINT settlement_line_reviews_shape CHECK (
    (decision = 'accepted' AND deducted_fen = 0 AND reason_code IS NULL
      AND ledger_transaction_id IS NULL)
    OR (decision = 'deducted' AND deducted_fen > 0 AND reason_code IS NOT NULL
      AND reason IS NOT NULL AND ledger_transaction_id IS NOT NULL))
);
CREATE INDEX settlement_line_reviews_month_idx
  ON settlement_line_reviews (institution_id, accounting_month);

-- The institution's own totals for an accounting month (总额对账 1320), with its per-settlement
-- detail when it sends one (明细对账 1321). Declared again until the statement is paid.
CREATE TABLE settlement_declared_totals (
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  accounting_month char(7) NOT NULL CHECK (accounting_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  settlement_count integer NOT NULL,
  fund_fen bigint NOT NULL,
  -- [{serial, fundFen}] or NULL when only totals were sent.
  detail jsonb,
  declared_by text NOT NULL,
  declared_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (institution_id, accounting_month)
);

-- The monthly statement once its payment is proposed: the payload the checker approves (totals
-- and per-segment amounts, as computed at the proposal) and, once approved, the payment's
-- transactions (Dr 2101 / Cr 1003 per segment; the guarantee stays in 2101). An institution is
-- province-wide reference data, so the statement is keyed by institution and month, not by city.
CREATE TABLE settlement_statements (
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  accounting_month char(7) NOT NULL CHECK (accounting_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status text NOT NULL CHECK (status IN ('proposed', 'paid')),
  payload jsonb NOT NULL,
  payable_fen bigint NOT NULL CHECK (payable_fen >= 0),
  -- The approvals row (its region is the institution's managing city).
  approval_region_code char(6) NOT NULL,
  approval_id text NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  approved_by text,
  paid_on date,
  ledger_transaction_ids text[],
  PRIMARY KEY (institution_id, accounting_month),
  CONSTRAINT settlement_statements_paid CHECK (
    (status = 'proposed' AND paid_on IS NULL AND ledger_transaction_ids IS NULL)
    OR (status = 'paid' AND paid_on IS NOT NULL AND approved_by IS NOT NULL
      AND ledger_transaction_ids IS NOT NULL))
);
