-- 0010 the register (issue 10): employers (参保单位) with dated status and floating-grade events,
-- workers (职工) as one record per 公民身份号码 across the province, and employment spells
-- (增员 / 减员). Forward-only: never edit once shipped. Decisions in docs/adr/0008-register-of-employers-and-workers.md.

-- An employer belongs to the city that registered it (region_code: the distribution key). Its
-- 统一社会信用代码 is unique across the province: one legal entity is insured once (按项目参保 of a
-- construction project is a separate record kind, not here yet).
CREATE TABLE employers (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^emp_[0-9]{6}_[0-9a-f]{16}$'),
  credit_code char(18) NOT NULL CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address text NOT NULL CHECK (length(address) BETWEEN 1 AND 300),
  industry_standard text NOT NULL CHECK (industry_standard IN ('GB/T 4754-2011', 'GB/T 4754-2017')),
  industry_division char(2) NOT NULL CHECK (industry_division ~ '^[0-9]{2}$'),
  category text NOT NULL CHECK (category IN ('sme', 'large', 'public_body')),
  registered_on date NOT NULL,
  -- The latest status and floating grade, with the date each took effect; the history is in
  -- employer_events, written in the same transaction.
  status text NOT NULL CHECK (status IN ('registered', 'suspended', 'cancelled')),
  status_from date NOT NULL,
  floating_grade text NOT NULL CHECK (floating_grade IN ('down2', 'down1', 'base', 'up1', 'up2')),
  floating_grade_from date NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  CONSTRAINT employers_credit_code_key UNIQUE (credit_code)
);
-- Name-prefix search within a city (LIKE 'prefix%' needs the pattern operator class).
CREATE INDEX employers_name_prefix_idx ON employers (region_code, name text_pattern_ops);
CREATE INDEX employers_name_prefix_province_idx ON employers (name text_pattern_ops);

-- Dated events of an employer: its registration, each status change, each floating-grade change.
-- Append-only (an event corrected is a new event), like the audit log.
CREATE TABLE employer_events (
  region_code char(6) NOT NULL,
  employer_id text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL CHECK (kind IN ('registered', 'status', 'floating_grade')),
  effective_from date NOT NULL,
  data jsonb NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, employer_id, seq),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id)
);
CREATE TRIGGER employer_events_append_only BEFORE UPDATE OR DELETE ON employer_events
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER employer_events_no_truncate BEFORE TRUNCATE ON employer_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- A worker is one record per 公民身份号码 for the whole province (the province pools: a worker who
-- moves city stays the same person), so this table has no region_code. Sex and birth date are
-- stored for reading and checked here against the number (GB 11643 §4.1).
CREATE TABLE workers (
  id text PRIMARY KEY CHECK (id ~ '^wkr_[0-9a-f]{16}$'),
  id_number char(18) NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  sex text NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date date NOT NULL,
  registered_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT workers_id_number_key UNIQUE (id_number),
  CONSTRAINT workers_birth_date_of_number
    CHECK (birth_date = to_date(substr(id_number, 7, 8), 'YYYYMMDD')),
  CONSTRAINT workers_sex_of_number
    CHECK (sex = CASE WHEN substr(id_number, 17, 1)::integer % 2 = 1 THEN 'male' ELSE 'female' END)
);

-- An employment spell: 增员 on start_date, 减员 with end_date (the last day employed, inclusive;
-- null while employed). Kept in the employer's city.
CREATE TABLE employment_spells (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^spl_[0-9]{6}_[0-9a-f]{16}$'),
  employer_id text NOT NULL,
  worker_id text NOT NULL REFERENCES workers (id),
  -- The name the employer registered the worker under (its roster shows this one; the worker's own
  -- row keeps the name of the first registration, see the ADR on what registering may reveal).
  worker_name text NOT NULL CHECK (length(worker_name) BETWEEN 1 AND 50),
  start_date date NOT NULL,
  end_date date,
  hired_by text NOT NULL,
  left_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
  CONSTRAINT employment_spells_dates CHECK (end_date IS NULL OR end_date >= start_date),
  CONSTRAINT employment_spells_left_by CHECK ((end_date IS NULL) = (left_by IS NULL))
);
CREATE INDEX employment_spells_employer_idx ON employment_spells (region_code, employer_id, start_date);
CREATE INDEX employment_spells_worker_idx ON employment_spells (worker_id, start_date);
-- The home page counts the workers employed today per city.
CREATE INDEX employment_spells_open_idx ON employment_spells (region_code, worker_id)
  WHERE end_date IS NULL;

-- No two spells of one worker at one employer overlap. An exclusion constraint would need
-- btree_gist, which the embedded PGlite does not load; this trigger holds on both backends. The
-- transaction-scoped advisory lock on (employer, worker) serialises concurrent writers of the same
-- pair on PostgreSQL, so two 增员 committing at once cannot both pass the check.
CREATE FUNCTION employment_spells_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('employment_spells:' || NEW.employer_id || ':' || NEW.worker_id));
  IF EXISTS (
    SELECT 1 FROM employment_spells s
    WHERE s.region_code = NEW.region_code AND s.employer_id = NEW.employer_id
      AND s.worker_id = NEW.worker_id AND s.id <> NEW.id
      AND daterange(s.start_date, s.end_date, '[]') && daterange(NEW.start_date, NEW.end_date, '[]')
  ) THEN
    RAISE EXCEPTION 'employment spell % overlaps another spell of the same worker at employer %',
      NEW.id, NEW.employer_id USING ERRCODE = '23P01';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER employment_spells_no_overlap BEFORE INSERT OR UPDATE ON employment_spells
  FOR EACH ROW EXECUTE FUNCTION employment_spells_no_overlap();

-- The event log is append-only for the application role too (0007's convention).
DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON employer_events FROM tongchou_app;
  END IF;
END $$;
