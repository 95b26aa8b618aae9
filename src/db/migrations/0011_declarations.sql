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
