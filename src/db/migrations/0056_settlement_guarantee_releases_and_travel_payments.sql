-- 0056 the year-end release of the guarantee retained from an institution's monthly statements
-- (责任保证金, settlement.guarantee.release = year_end, demo) and the payment of a referral's travel
-- and lodging claim (《浙江省工伤保险条例》第二十四条第二款; claims recorded since 0042), both
-- maker-checker through the ledger (issue 13). Decisions in docs/settlement-statements.md and
-- docs/settlement-messages.md. Forward-only.

-- A release per institution and calendar year: proposed with an approval bound to its payload
-- (the year's paid statements' guarantee per segment, less the deductions found after each was
-- paid), then paid: Dr 2101 / Cr 1003 per segment, ids in ledger_transaction_ids.
CREATE TABLE settlement_guarantee_releases (
  institution_id text NOT NULL REFERENCES settlement_institutions (id),
  year int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  status text NOT NULL CHECK (status IN ('proposed', 'paid')),
  payload jsonb NOT NULL,
  release_fen bigint NOT NULL CHECK (release_fen > 0),
  -- The approvals row (its region is the institution's managing city).
  approval_region_code char(6) NOT NULL,
  approval_id text NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  approved_by text,
  paid_on date,
  ledger_transaction_ids text[],
  PRIMARY KEY (institution_id, year),
  CONSTRAINT settlement_guarantee_releases_paid CHECK (
    (status = 'proposed' AND paid_on IS NULL AND ledger_transaction_ids IS NULL)
    OR (status = 'paid' AND paid_on IS NOT NULL AND approved_by IS NOT NULL
      AND ledger_transaction_ids IS NOT NULL))
);

-- The payment of a recorded travel claim: recorded → proposed (an approval bound to the claim) →
-- paid (Dr 5103 / Cr 2102, then Dr 2102 / Cr 1003 in the case's segment, one ledger transaction).
ALTER TABLE settlement_referral_claims
  ADD COLUMN status text NOT NULL DEFAULT 'recorded'
    CHECK (status IN ('recorded', 'proposed', 'paid')),
  ADD COLUMN approval_region_code char(6),
  ADD COLUMN approval_id text,
  ADD COLUMN proposed_by text,
  ADD COLUMN proposed_at timestamptz,
  ADD COLUMN approved_by text,
  ADD COLUMN paid_on date,
  ADD COLUMN ledger_transaction_id text,
  ADD CONSTRAINT settlement_referral_claims_payment CHECK (
    (status = 'recorded' AND approval_id IS NULL AND paid_on IS NULL)
    OR (status = 'proposed' AND approval_id IS NOT NULL AND paid_on IS NULL)
    OR (status = 'paid' AND approval_id IS NOT NULL AND paid_on IS NOT NULL
      AND approved_by IS NOT NULL AND ledger_transaction_id IS NOT NULL));
