-- 0050 manual correction of an entitlement recorded wrong (issue 12; docs/benefits.md, "Correcting
-- an entitlement"): a handler proposes the corrected amount, start or end with a reason and the
-- evidence, a second person approves the exact payload (the plan included), and the apply replaces
-- the wrong row from its start by the corrected one in one transaction. The months the city's posted
-- payroll runs paid are compared with what was due: a net paid too little is posted and paid as a
-- benefit payment (as a regrade's arrears), a net paid too much becomes an open overpayment (reason
-- 'correction') for the recovery. Forward-only: never edit once shipped.
CREATE TABLE benefit_corrections (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^bcr_[0-9a-f]{20}$'),
  entitlement_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  -- The decision the entitlement belongs to: the arrears' benefit payment is issued under it.
  decision_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'applied', 'superseded')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  evidence text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 1000),
  -- The plan the checker approved: before, after, per month paid / due / difference, the net.
  plan jsonb NOT NULL,
  approval_id text NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  applied_on date,
  applied_by text,
  corrected_entitlement_id text,
  ledger_transaction_id text,
  payment_id text,
  overpayment_id text,
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, entitlement_id) REFERENCES benefit_entitlements (region_code, id),
  CONSTRAINT benefit_corrections_applied CHECK (
    (status = 'applied') = (applied_on IS NOT NULL AND applied_by IS NOT NULL
      AND corrected_entitlement_id IS NOT NULL))
);
-- One open proposal per entitlement (a new one supersedes it) and one applied correction ever:
-- the wrong row is ended by it, so a second correction corrects the corrected row.
CREATE UNIQUE INDEX benefit_corrections_one_open ON benefit_corrections (region_code, entitlement_id)
  WHERE status IN ('proposed', 'applied');
CREATE UNIQUE INDEX benefit_corrections_approval ON benefit_corrections (region_code, approval_id);

ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_reason_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_reason_check
  CHECK (reason IN ('death', 'suspension', 'missing', 'correction'));
