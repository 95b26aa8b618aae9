-- 0027 the death event (issue 12): a worker's recorded date of death, the end of their own periodic
-- entitlements at the end of the month of death, the overpayment of the months already paid after
-- it (a recovery record, no ledger movement until recovered), and the reissue of a failed payroll
-- line, exactly once. Decisions in docs/benefits.md ("Death", "Reissue of failed lines").
-- Forward-only: never edit once shipped.

-- One recorded death per worker (the province-wide person record): the primary key refuses a
-- second. A correction of the date is not built; re-recording is refused with a typed code.
CREATE TABLE worker_deaths (
  worker_id text PRIMARY KEY REFERENCES workers (id),
  died_on date NOT NULL,
  -- The evidence the handler saw (death certificate number, hospital, police record …).
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  -- The city of the handler who recorded it (not a distribution key: the person is province-wide).
  recorded_region_code char(6) NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- The months of an entitlement paid after the month of death: computed when the death is
-- recorded, shown, and recovered later (offset or recovery order: not built). No ledger movement
-- until then: the expense stays booked and the receivable is only recognised on recovery.
CREATE TABLE benefit_overpayments (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^ovp_[0-9a-f]{20}$'),
  worker_id text NOT NULL REFERENCES worker_deaths (worker_id),
  entitlement_id text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('death')),
  -- The months (YYYY-MM) and the payroll lines paid in them, in month order.
  months jsonb NOT NULL,
  line_ids jsonb NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recovered', 'waived')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, entitlement_id) REFERENCES benefit_entitlements (region_code, id),
  CONSTRAINT benefit_overpayments_once UNIQUE (region_code, entitlement_id, reason)
);
CREATE INDEX benefit_overpayments_worker_idx ON benefit_overpayments (worker_id);

-- A reissue line pays a failed line of an earlier run again (next month's run of the city, or by
-- hand): same entitlement, same amount, its liability already in 2102. The unique key makes a
-- failed line reissuable once and only once, whatever the caller does.
ALTER TABLE payroll_lines ADD COLUMN reissue_of text;
ALTER TABLE payroll_lines ADD CONSTRAINT payroll_lines_reissue_of
  FOREIGN KEY (region_code, reissue_of) REFERENCES payroll_lines (region_code, id);
CREATE UNIQUE INDEX payroll_lines_reissued_once ON payroll_lines (region_code, reissue_of)
  WHERE reissue_of IS NOT NULL;
-- A run may hold an entitlement's month line and a reissue line of the same entitlement: the key
-- of one line per run and entitlement holds for month lines only.
ALTER TABLE payroll_lines DROP CONSTRAINT payroll_lines_run_entitlement;
CREATE UNIQUE INDEX payroll_lines_run_entitlement ON payroll_lines (region_code, run_id, entitlement_id)
  WHERE reissue_of IS NULL;
-- The next run looks for its city's failed lines: few among millions of paid ones.
CREATE INDEX payroll_lines_failed_idx ON payroll_lines (region_code, id) WHERE status = 'failed';
