-- 0013 按项目参保 (issue 10): a construction project insured once, for its duration, by a one-off
-- contribution computed from its contract value (the province's formula, a dated parameter), with
-- the workers it covers listed by name. Forward-only: never edit once shipped.

-- A project belongs to the city of its general contractor (the employer that registers it). The
-- contribution, its inputs and its citations are fixed at registration: a project is never updated
-- (a changed contract is a new registration), so the row is append-only like the audit log.
CREATE TABLE construction_projects (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^prj_[0-9]{6}_[0-9a-f]{16}$'),
  employer_id text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  site_address text NOT NULL CHECK (length(site_address) BETWEEN 1 AND 300),
  contract_value_fen bigint NOT NULL CHECK (contract_value_fen > 0),
  industry_standard text NOT NULL CHECK (industry_standard IN ('GB/T 4754-2011', 'GB/T 4754-2017')),
  industry_division char(2) NOT NULL CHECK (industry_division ~ '^[0-9]{2}$'),
  start_date date NOT NULL,
  end_date date NOT NULL,
  risk_class smallint NOT NULL CHECK (risk_class BETWEEN 1 AND 8),
  labour_share text NOT NULL,
  base_rate text NOT NULL,
  contribution_fen bigint NOT NULL CHECK (contribution_fen >= 0),
  formula text NOT NULL,
  citations jsonb NOT NULL,
  registered_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
  CONSTRAINT construction_projects_dates CHECK (end_date >= start_date)
);
CREATE INDEX construction_projects_employer_idx
  ON construction_projects (region_code, employer_id, start_date);
CREATE TRIGGER construction_projects_append_only BEFORE UPDATE OR DELETE ON construction_projects
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER construction_projects_no_truncate BEFORE TRUNCATE ON construction_projects
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- The workers a project covers (by list: 按项目参保 covers whoever is on the list, for the project's
-- dates, without a payroll declaration). A worker may be on many projects; once per project.
CREATE TABLE project_workers (
  region_code char(6) NOT NULL,
  project_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  worker_name text NOT NULL CHECK (length(worker_name) BETWEEN 1 AND 50),
  added_on date NOT NULL,
  added_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, project_id, worker_id),
  FOREIGN KEY (region_code, project_id) REFERENCES construction_projects (region_code, id)
);
CREATE INDEX project_workers_worker_idx ON project_workers (worker_id);

DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON construction_projects FROM tongchou_app;
  END IF;
END $$;
