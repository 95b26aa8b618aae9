-- 0023 provisional due dates (issue 11, "Deadlines"): a case or appraisal clock that ends in a year
-- whose State Council holiday notice is not out yet is counted by provisionalPeriodEnd (statutory
-- holidays and weekends as rest days; weekends only in a year the calendar does not list) and
-- flagged, not refused. The calendar data file: "A year not listed (or with status statutory-only)
-- is unknown: a deadline calculator must refuse or flag it, never assume Monday–Friday."
-- When the year's official notice is imported, every running provisional due date is recomputed
-- from its basis in the same transaction (event deadline.recomputed). Forward-only.

-- The basis a provisional due date is recomputed from: {"start": "YYYY-MM-DD", "amount": n,
-- "unit": "day" | "workday" | "month" | "year"} — the day the period was counted from (itself not
-- counted) and the period. NULL when the due date is not provisional.
ALTER TABLE cases
  ADD COLUMN next_due_provisional boolean NOT NULL DEFAULT false,
  ADD COLUMN next_due_basis jsonb,
  ADD CONSTRAINT cases_next_due_provisional_basis
    CHECK (NOT next_due_provisional OR (next_due_on IS NOT NULL AND next_due_basis IS NOT NULL));
-- The recompute on a calendar import finds the running provisional clocks.
CREATE INDEX cases_provisional_due_idx ON cases (region_code, id) WHERE next_due_provisional;

ALTER TABLE appraisals
  ADD COLUMN due_provisional boolean NOT NULL DEFAULT false,
  ADD COLUMN due_basis jsonb,
  ADD COLUMN extended_due_provisional boolean NOT NULL DEFAULT false,
  ADD COLUMN extended_due_basis jsonb,
  ADD CONSTRAINT appraisals_due_provisional_basis
    CHECK (NOT due_provisional OR (due_on IS NOT NULL AND due_basis IS NOT NULL)),
  ADD CONSTRAINT appraisals_extended_due_provisional_basis
    CHECK (NOT extended_due_provisional OR (extended_due_on IS NOT NULL AND extended_due_basis IS NOT NULL));
CREATE INDEX appraisals_provisional_due_idx ON appraisals (region_code, id)
  WHERE (due_provisional OR extended_due_provisional) AND status <> 'concluded';
