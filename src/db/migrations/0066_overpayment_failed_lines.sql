-- An overpayment counts the lines sent to the bank (`issued`) as paid: the money is gone unless the
-- bank answers otherwise. When the bank's return then fails such a line, nothing was paid for it,
-- so it leaves the overpayment (docs/benefits.md, "Recovering overpayments": "A line the bank fails
-- later"): one row here per line and overpayment, with the return that failed it, and the
-- overpayment's amount, months and lines reduced in the same transaction as the return. An
-- overpayment left with no line is `cancelled` (amount 0): nothing was overpaid.
--
-- Every reissue line now says the month it was owed for (`reissue_month`), as a batch's line does
-- since 0059: a run's reissue line took its run's month in the reissue's rules (a line owed for the
-- month of a death, failed again after its reissue in the next run, was then read as a month after
-- the death), and the overpayments read the original's month through one join only (a chain of
-- reissues lost it). Filled for the reissue lines written before, from the root of each chain:
-- the run's month line, or a batch line (whose month is written).
-- Forward-only: never edit once shipped.
ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_status_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_status_check
  CHECK (status IN ('open', 'recovered', 'waived', 'cancelled'));
ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_amount_fen_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_amount_fen_check
  CHECK (amount_fen > 0 OR (amount_fen = 0 AND status = 'cancelled'));

CREATE TABLE benefit_overpayment_failed_lines (
  region_code char(6) NOT NULL,
  overpayment_id text NOT NULL,
  line_id text NOT NULL,
  -- The month the line was owed for and what it had counted (amount_fen: what the bank was to pay).
  month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  -- The return file that failed it (sha256 of its bytes, as payroll_lines.return_sha256).
  return_sha256 char(64) NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, overpayment_id, line_id),
  FOREIGN KEY (region_code, overpayment_id) REFERENCES benefit_overpayments (region_code, id),
  FOREIGN KEY (region_code, line_id) REFERENCES payroll_lines (region_code, id)
);

WITH RECURSIVE up AS (
  SELECT l.region_code, l.id AS line_id, l.reissue_of AS cur
  FROM payroll_lines l
  WHERE l.reissue_of IS NOT NULL AND l.reissue_month IS NULL
  UNION ALL
  SELECT u.region_code, u.line_id, p.reissue_of
  FROM up u
  JOIN payroll_lines p ON p.region_code = u.region_code AND p.id = u.cur
  WHERE p.reissue_of IS NOT NULL AND p.reissue_month IS NULL
), owed AS (
  SELECT u.region_code, u.line_id, coalesce(p.reissue_month, r.month) AS month
  FROM up u
  JOIN payroll_lines p ON p.region_code = u.region_code AND p.id = u.cur
  LEFT JOIN payroll_runs r ON r.region_code = p.region_code AND r.id = p.run_id
  WHERE p.reissue_of IS NULL OR p.reissue_month IS NOT NULL
)
UPDATE payroll_lines l SET reissue_month = o.month
FROM owed o
WHERE l.region_code = o.region_code AND l.id = o.line_id;

ALTER TABLE payroll_lines ADD CONSTRAINT payroll_lines_reissue_month_owed
  CHECK ((reissue_of IS NULL) = (reissue_month IS NULL));

-- A failed line of a worker's own item for a month after a whereabouts-unknown event's accident is
-- owed to no one (the event counted such a month as overpaid): one more reason a release names.
ALTER TABLE payroll_released_lines DROP CONSTRAINT payroll_released_lines_reason_check;
ALTER TABLE payroll_released_lines ADD CONSTRAINT payroll_released_lines_reason_check
  CHECK (reason IN ('after_death', 'after_stop', 'after_survivor_end', 'after_retirement',
    'after_missing'));
