-- 0019 the determination part of the injury case (工伤认定, issue 11): the report, the application
-- and its time limits (《工伤保险条例》第十七条), the running statutory clocks (第十八条, 第二十条), the
-- decision's grounds, service and review. The state machine lives in src/domain/cases/determination.ts;
-- decisions in docs/adr/0012-injury-cases.md. Forward-only.

ALTER TABLE cases
  ADD CONSTRAINT cases_status_known CHECK (status IN ('reported', 'applied', 'awaiting_materials',
    'not_accepted', 'accepted', 'suspended', 'decided', 'served', 'under_review')),
  -- The accident report: who reported and when (the handler enters paper reports).
  ADD COLUMN reporter_kind text NOT NULL DEFAULT 'handler'
    CHECK (reporter_kind IN ('employer', 'worker', 'relative', 'handler')),
  ADD COLUMN reported_on date,
  ADD COLUMN accident_place text,
  ADD COLUMN accident_summary text,
  -- The application (第十七条): who applied, when, and the last days of both periods.
  ADD COLUMN applicant_type text CHECK (applicant_type IN ('employer', 'worker', 'relative', 'union')),
  ADD COLUMN applied_on date,
  ADD COLUMN employer_application_due_on date,
  ADD COLUMN worker_application_due_on date,
  -- 第十七条第一款 "经报社会保险行政部门同意，申请时限可以适当延长": the approved extension and its reference.
  ADD COLUMN employer_extension_to date,
  ADD COLUMN employer_extension_ref text,
  ADD COLUMN application_late boolean NOT NULL DEFAULT false,
  -- 第十七条第四款: the employer's late window (costs in it fall on the employer); the calculator's
  -- applicationDate / applicationDeadlineExtendedTo come from applied_on / employer_extension_to.
  ADD COLUMN employer_liable_from date,
  ADD COLUMN employer_liable_until date,
  -- The clocks. acceptance_due_on runs while 'applied'; decision_due_on while 'accepted' (and stands
  -- still, with suspended_on set, while 'suspended').
  ADD COLUMN clear_case boolean NOT NULL DEFAULT false,
  ADD COLUMN accepted_on date,
  ADD COLUMN acceptance_due_on date,
  ADD COLUMN decision_due_on date,
  ADD COLUMN suspended_on date,
  ADD COLUMN determination_grounds text[] NOT NULL DEFAULT '{}',
  ADD COLUMN served_on date,
  ADD COLUMN review_channel text CHECK (review_channel IN ('administrative_review', 'litigation')),
  -- The one running deadline the work list and the dashboard read (no computing per row): its kind
  -- and day, kept by every state change. NULL when no clock runs (reported, suspended, decided, …).
  ADD COLUMN next_due_kind text CHECK (next_due_kind IN ('acceptance', 'decision')),
  ADD COLUMN next_due_on date,
  ADD CONSTRAINT cases_next_due_paired CHECK ((next_due_kind IS NULL) = (next_due_on IS NULL)),
  ADD CONSTRAINT cases_applied_dated CHECK ((applicant_type IS NULL) = (applied_on IS NULL)),
  ADD CONSTRAINT cases_liable_window CHECK (
    (employer_liable_from IS NULL) = (employer_liable_until IS NULL)
    AND (employer_liable_from IS NULL OR employer_liable_from <= employer_liable_until)),
  ADD CONSTRAINT cases_suspended_dated CHECK ((status = 'suspended') = (suspended_on IS NOT NULL)),
  ADD CONSTRAINT cases_decided_outcome CHECK (
    (status IN ('decided', 'served', 'under_review')) = (determination_outcome IS NOT NULL));

-- The work list of a city: by status, ordered by the running deadline then id (keyset paging). The
-- coalesce puts cases without a running clock last; the query orders by the same expression.
CREATE INDEX cases_work_list_idx
  ON cases (region_code, status, (coalesce(next_due_on, DATE '9999-12-31')), id);
CREATE INDEX cases_work_due_idx
  ON cases (region_code, (coalesce(next_due_on, DATE '9999-12-31')), id);
-- The dashboard: per city and kind, counts of due dates before a day; partial, so only running clocks.
CREATE INDEX cases_running_due_idx
  ON cases (region_code, next_due_kind, next_due_on) WHERE next_due_on IS NOT NULL;
CREATE INDEX cases_accident_idx ON cases (region_code, accident_date, id);
