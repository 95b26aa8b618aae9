-- 0035 the separation decision (issue 11): when a grade 5–10 worker's labour relationship ends,
-- 一次性工伤医疗补助金 (the fund's, paid in two phases through the ledger like the decision's lump
-- sums: approved Dr 5109 / Cr 2102, paid Dr 2102 / Cr 1003) and 一次性伤残就业补助金 (the employer's,
-- recorded, never posted) under maker-checker, on the case's approved benefit decision; the grades
-- 5–6 伤残津贴 ends with the relationship. Decisions in docs/benefits.md ("Separation").
-- Forward-only: never edit once shipped.
CREATE TABLE benefit_separations (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^bsp_[0-9]{6}_[0-9a-f]{16}$'),
  case_id text NOT NULL,
  -- The case's approved benefit decision whose input the separation's calculation extends; the
  -- fund's grant is paid as one of its payments (benefit_payments.decision_id).
  decision_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'superseded')),
  separation_date date NOT NULL,
  reason text NOT NULL CHECK (reason IN ('worker_request', 'contract_expiry')),
  -- The registry's birth date and the statutory retirement age the handler gave, and the date they
  -- make: the grants are for a worker below it.
  birth_date date NOT NULL,
  retirement_age_years integer NOT NULL CHECK (retirement_age_years BETWEEN 40 AND 70),
  retirement_age_months integer NOT NULL CHECK (retirement_age_months BETWEEN 0 AND 11),
  retirement_date date NOT NULL CHECK (retirement_date > separation_date),
  -- The calculator's input exactly as run (POST /api/v1/calculations accepts it unchanged) and
  -- its result.
  calculation_input jsonb NOT NULL,
  calculation_result jsonb NOT NULL,
  snapshot_id char(64) NOT NULL REFERENCES benefit_parameter_snapshots (snapshot_id),
  payload_sha256 char(64) NOT NULL,
  approval_id text NOT NULL,
  ledger_transaction_id text,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  approved_by text,
  approved_on date,
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  FOREIGN KEY (region_code, decision_id) REFERENCES benefit_decisions (region_code, id),
  CONSTRAINT benefit_separations_approved_complete CHECK (
    (status = 'approved') = (approved_by IS NOT NULL AND approved_on IS NOT NULL))
);
-- A relationship ends once: one open (proposed or approved) separation per case; a new proposal
-- supersedes the open one, and an approved one refuses any other.
CREATE UNIQUE INDEX benefit_separations_one_open
  ON benefit_separations (region_code, case_id) WHERE status IN ('proposed', 'approved');
