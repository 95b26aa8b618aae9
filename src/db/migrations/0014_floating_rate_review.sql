-- 0014 浮动费率评审 (issue 10, docs/adr/0011-floating-rate-review.md): each employer's yearly
-- experience, and the yearly review of a city that proposes every employer's floating grade from it,
-- approved by maker-checker and applied from an effective date. Forward-only: never edit once shipped.

-- An employer's experience of one year: what it paid, what the fund spent on its injured workers,
-- how many injuries and its average headcount. The cases and benefits areas do not exist yet, so
-- the history comes from the province's old system by import (source 'import'); 'system' is kept for
-- the figures the system will compute itself. A re-import of the same year replaces the row.
CREATE TABLE employer_experience (
  region_code char(6) NOT NULL,
  employer_id text NOT NULL,
  year smallint NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  contributions_fen bigint NOT NULL CHECK (contributions_fen >= 0),
  benefit_costs_fen bigint NOT NULL CHECK (benefit_costs_fen >= 0),
  injuries integer NOT NULL CHECK (injuries >= 0),
  average_headcount integer NOT NULL CHECK (average_headcount >= 0),
  source text NOT NULL CHECK (source IN ('import', 'system')),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, employer_id, year),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id)
);

-- A review of one city for one year. Its proposals are rows of floating_review_items; their hash,
-- count, the city, the year and the effective date are what the checker approves (the approval's
-- payload). One live review per city and year: a new run supersedes a proposed one, and none runs
-- after one was applied.
CREATE TABLE floating_reviews (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^frv_[0-9]{6}_[0-9a-f]{16}$'),
  review_year smallint NOT NULL CHECK (review_year BETWEEN 1990 AND 2100),
  effective_from date NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'applied', 'superseded')),
  proposals_hash char(64) NOT NULL,
  proposal_count integer NOT NULL CHECK (proposal_count >= 0),
  changed_count integer NOT NULL CHECK (changed_count >= 0),
  left_out_count integer NOT NULL CHECK (left_out_count >= 0),
  approval_id text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  applied_by text,
  applied_at timestamptz,
  PRIMARY KEY (region_code, id),
  CONSTRAINT floating_reviews_effective_in_year
    CHECK (extract(year FROM effective_from) = review_year),
  CONSTRAINT floating_reviews_applied CHECK ((status = 'applied') = (applied_at IS NOT NULL))
);
CREATE UNIQUE INDEX floating_reviews_live_idx ON floating_reviews (region_code, review_year)
  WHERE status IN ('proposed', 'applied');

-- One employer of a review: proposed (with the figures, the grade and the rule's trail) or left out
-- (with the reason, e.g. no experience in the window). `application` is set when the review is
-- applied: the grade changed, was unchanged, or was skipped (the note says why).
CREATE TABLE floating_review_items (
  region_code char(6) NOT NULL,
  review_id text NOT NULL,
  employer_id text NOT NULL,
  employer_name text NOT NULL,
  credit_code char(18) NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('proposed', 'left_out')),
  risk_class smallint CHECK (risk_class BETWEEN 1 AND 8),
  current_grade text NOT NULL CHECK (current_grade IN ('down2', 'down1', 'base', 'up1', 'up2')),
  proposed_grade text CHECK (proposed_grade IN ('down2', 'down1', 'base', 'up1', 'up2')),
  window_years jsonb NOT NULL,
  contributions_fen bigint,
  benefit_costs_fen bigint,
  injuries integer,
  headcount_years integer,
  ratio text,
  incidence text,
  trail jsonb NOT NULL,
  citations jsonb NOT NULL,
  left_out_reason text CHECK (left_out_reason IN ('no_experience', 'no_contributions', 'unclassified')),
  application text CHECK (application IN ('changed', 'unchanged', 'skipped')),
  application_note text,
  PRIMARY KEY (region_code, review_id, employer_id),
  FOREIGN KEY (region_code, review_id) REFERENCES floating_reviews (region_code, id),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
  CONSTRAINT floating_review_items_outcome CHECK (
    (outcome = 'proposed' AND proposed_grade IS NOT NULL AND left_out_reason IS NULL)
    OR (outcome = 'left_out' AND proposed_grade IS NULL AND left_out_reason IS NOT NULL))
);
