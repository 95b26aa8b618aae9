-- 0053 a survivor's pension ends, is suspended or resumes (issue 12; docs/benefits.md, "Survivors'
-- pensions end"): the dependant turns 18 and can work, takes a job or joins the army, remarries (a
-- spouse), is adopted, dies (an end for good: the other survivors' pensions are recomputed under the
-- cap of 《工伤保险条例》第三十九条第一款第（二）项), or serves a prison sentence (a suspension) and is
-- released. A handler proposes, a second person approves the exact payload (the plan included), and
-- the apply ends and starts the entitlements in one transaction; arrears post, an overpayment of the
-- dependant becomes an open benefit_overpayments row (reason 'survivor_end'). Forward-only.
CREATE TABLE benefit_survivor_changes (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^bsc_[0-9a-f]{20}$'),
  -- The decision the pensions belong to (a death or a missing worker's decision).
  decision_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  dependant_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('aged_out', 'employed', 'remarried', 'adopted', 'died',
    'imprisoned', 'released')),
  event_on date NOT NULL,
  -- The event's month, paid whole: the payroll does not reissue the ended pension's failed lines after it.
  last_paid_month char(7) NOT NULL CHECK (last_paid_month ~ '^[0-9]{4}-[0-9]{2}$'),
  -- The event's dependant's own pension the apply ends (null: a release).
  ended_entitlement_id text,
  status text NOT NULL CHECK (status IN ('proposed', 'applied', 'superseded', 'rejected')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  evidence text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 1000),
  plan jsonb NOT NULL,
  approval_id text NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  applied_on date,
  applied_by text,
  ledger_transaction_id text,
  payment_id text,
  overpayment_id text,
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, decision_id) REFERENCES benefit_decisions (region_code, id),
  FOREIGN KEY (region_code, dependant_id) REFERENCES case_dependants (region_code, id),
  CONSTRAINT benefit_survivor_changes_applied CHECK (
    (status = 'applied') = (applied_on IS NOT NULL AND applied_by IS NOT NULL))
);
-- One open proposal per dependant (a new one supersedes it); one change per approval.
CREATE UNIQUE INDEX benefit_survivor_changes_one_open ON benefit_survivor_changes (region_code, dependant_id)
  WHERE status = 'proposed';
CREATE UNIQUE INDEX benefit_survivor_changes_approval ON benefit_survivor_changes (region_code, approval_id);
-- An end for good happens once per dependant.
CREATE UNIQUE INDEX benefit_survivor_changes_one_end ON benefit_survivor_changes (region_code, dependant_id)
  WHERE status = 'applied' AND kind NOT IN ('imprisoned', 'released');

ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_reason_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_reason_check
  CHECK (reason IN ('death', 'suspension', 'missing', 'correction', 'survivor_end'));
