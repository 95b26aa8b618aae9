-- 0064 the release of failed payroll lines owed to no one (issue 12; docs/benefits.md, "Release of
-- failed lines owed to no one"). A failed line's payable was posted (Dr 51xx / Cr 2102) when its
-- run was approved; once a later event (a death, a stop, a survivor's end, a retirement) makes it
-- owed to no one, no reissue may pay it and its liability is released: Dr 2102 / Cr 51xx, proposed
-- by a handler, approved by a checker bound to the exact payload, one ledger transaction per city
-- and release. The death's own reversal (death-record.ts) releases the same way and is recorded
-- in the same table, so nothing is released twice, whoever releases it.
-- Forward-only: never edit once shipped.

-- proposed (payload and approval asked) → applied (lines released, the ledger posted).
CREATE TABLE payroll_releases (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^prr_[0-9a-f]{20}$'),
  status text NOT NULL CHECK (status IN ('proposed', 'applied')),
  -- The proposal's day (part of the id; the apply posts on its own day).
  proposed_on date NOT NULL,
  line_count integer NOT NULL CHECK (line_count > 0),
  total_fen bigint NOT NULL CHECK (total_fen >= 0),
  -- The approval's canonical payload (lines, amounts, expense accounts, reasons).
  payload jsonb NOT NULL,
  approval_id text NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  applied_by text,
  applied_at timestamptz,
  transaction_id text,
  PRIMARY KEY (region_code, id),
  CONSTRAINT payroll_releases_applied_complete CHECK (
    status = 'proposed'
    OR (applied_by IS NOT NULL AND applied_at IS NOT NULL AND transaction_id IS NOT NULL))
);

-- One row per failed line whose liability left 2102: the primary key refuses a second release of
-- a line whatever the caller does (two releases applied at once, a release and a death's
-- reversal). `release_id` is null for a death's reversal (`source = 'death'`).
CREATE TABLE payroll_released_lines (
  region_code char(6) NOT NULL,
  line_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('release', 'death')),
  release_id text,
  reason text NOT NULL
    CHECK (reason IN ('after_death', 'after_stop', 'after_survivor_end', 'after_retirement')),
  expense_account text NOT NULL,
  -- What the bank was to pay (amount_fen: a deduction by offset is not in 2102).
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  transaction_id text NOT NULL,
  released_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, line_id),
  FOREIGN KEY (region_code, line_id) REFERENCES payroll_lines (region_code, id),
  FOREIGN KEY (region_code, release_id) REFERENCES payroll_releases (region_code, id),
  CONSTRAINT payroll_released_lines_source CHECK ((source = 'release') = (release_id IS NOT NULL))
);
CREATE INDEX payroll_released_lines_release_idx ON payroll_released_lines (region_code, release_id)
  WHERE release_id IS NOT NULL;

-- The lines deaths recorded before this migration reversed: their audit events name them
-- (benefits.death.record, details.reversedLineIds), the ledger transaction per city is
-- benefit-death:<worker>:<city>:reversal.
INSERT INTO payroll_released_lines (region_code, line_id, source, reason, expense_account,
  amount_fen, transaction_id)
SELECT l.region_code, l.id, 'death', 'after_death', l.expense_account, l.amount_fen,
  'benefit-death:' || l.worker_id || ':' || l.region_code || ':reversal'
FROM audit_events a
CROSS JOIN LATERAL jsonb_array_elements_text(
  CASE WHEN jsonb_typeof(a.details->'reversedLineIds') = 'array'
       THEN a.details->'reversedLineIds' ELSE '[]'::jsonb END) x(line_id)
JOIN payroll_lines l ON l.id = x.line_id
WHERE a.action = 'benefits.death.record' AND a.result = 'ok'
ON CONFLICT DO NOTHING;
