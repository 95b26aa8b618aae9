-- 0011 payroll declarations (缴费工资申报, issue 10): one accepted version of an employer's
-- declaration for a month, its lines per worker, and every upload attempt with its row report.
-- Forward-only: never edit once shipped. Decisions in docs/adr/0009-payroll-declarations.md.
-- declarations and declaration_lines are the fixed contract other areas (assessment) read: columns
-- may be added, none renamed or removed.

-- One accepted version of an employer's payroll declaration (缴费工资申报) for one month.
CREATE TABLE declarations (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^dcl_[0-9]{6}_[0-9a-f]{16}$'),
  employer_id text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),   -- first day of the declared month
  version integer NOT NULL CHECK (version >= 1),
  previous_id text,                                          -- the version this one replaces
  file_sha256 char(64) NOT NULL,
  file_name text NOT NULL,
  worker_count integer NOT NULL CHECK (worker_count >= 0),
  wage_total_fen bigint NOT NULL CHECK (wage_total_fen >= 0),
  base_total_fen bigint NOT NULL CHECK (base_total_fen >= 0),  -- Σ clamped bases
  diff jsonb NOT NULL,            -- vs previous version: {added, removed, changed} counts (+ ids)
  declared_by text NOT NULL,
  declared_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
  UNIQUE (region_code, employer_id, month, version)
);
-- One worker's line of a declaration version (every version keeps all its lines).
CREATE TABLE declaration_lines (
  region_code char(6) NOT NULL,
  declaration_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  row_number integer NOT NULL,           -- 1-based data row in the file (header not counted)
  wage_fen bigint NOT NULL CHECK (wage_fen >= 0),       -- declared monthly wage
  base_fen bigint NOT NULL CHECK (base_fen >= 0),       -- contribution base after the clamp
  PRIMARY KEY (region_code, declaration_id, worker_id),
  FOREIGN KEY (region_code, declaration_id) REFERENCES declarations (region_code, id)
);
-- A worker's declared wages across employers and months (a worker's page, the assessment's checks).
CREATE INDEX declaration_lines_worker_idx ON declaration_lines (worker_id);

-- Every upload that reached the file (the employer found and in the caller's scope): accepted ones
-- name the version they created; refused ones keep their row report (row, column, code, messages
-- in zh and en; no ID number in any message), which is all a refused upload leaves behind. An
-- upload whose bytes equal the current version's is answered `exists` and leaves no row at all.
CREATE TABLE declaration_imports (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^dci_[0-9]{6}_[0-9a-f]{16}$'),
  employer_id text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  file_sha256 char(64) NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  file_bytes bigint NOT NULL CHECK (file_bytes >= 0),
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'refused')),
  declaration_id text,
  row_count integer NOT NULL CHECK (row_count >= 0),
  -- All problems found; `problems` holds the first DECLARATION_PROBLEMS_KEPT of them.
  problem_count integer NOT NULL CHECK (problem_count >= 0),
  problems jsonb NOT NULL,
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
  FOREIGN KEY (region_code, declaration_id) REFERENCES declarations (region_code, id),
  CONSTRAINT declaration_imports_outcome CHECK (
    (outcome = 'accepted' AND declaration_id IS NOT NULL AND problem_count = 0)
    OR (outcome = 'refused' AND declaration_id IS NULL AND problem_count > 0))
);
CREATE INDEX declaration_imports_employer_idx
  ON declaration_imports (region_code, employer_id, imported_at);

-- Versions and attempts are history: a correction is a new version, never an edit (0007's
-- convention for the application role).
DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON declarations, declaration_lines, declaration_imports
      FROM tongchou_app;
  END IF;
END $$;
