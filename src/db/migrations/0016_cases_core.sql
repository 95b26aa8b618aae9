-- 0016 the injury case (issue 11), core tables only: the case (工伤"一件事": one record from the first
-- report to the first payment), its append-only timeline, and the appraisals (劳动能力鉴定) held
-- against it. These are the columns the determination, appraisal and benefit-decision parts read
-- from one another; each part adds its own columns, checks and tables in later migrations.
-- Forward-only: never edit once shipped. Decisions in docs/adr/0012-injury-cases.md.

-- A case belongs to the city whose 社会保险行政部门 determines it: the city of the employer's
-- registration at the accident (《工伤保险条例》第十七条第一款: "向统筹地区社会保险行政部门提出工伤认定申请";
-- under provincial pooling the determination stays with the city). region_code is the distribution
-- key and the scope every city role is checked against.
CREATE TABLE cases (
  region_code char(6) NOT NULL REFERENCES regions(code),
  id text NOT NULL CHECK (id ~ '^cas_[0-9]{6}_[0-9a-f]{16}$'),
  worker_id text NOT NULL REFERENCES workers (id),
  employer_region_code char(6) NOT NULL,
  employer_id text NOT NULL,
  case_type text NOT NULL CHECK (case_type IN ('accident', 'occupational_disease')),
  -- The day of the accident, or for an occupational disease the day of its diagnosis or appraisal
  -- (第十七条第一款: "自事故伤害发生之日或者被诊断、鉴定为职业病之日起").
  accident_date date NOT NULL,
  -- The state of the case's determination procedure (the state machine of src/domain/cases/).
  status text NOT NULL,
  -- Set once the determination is decided: 认定 (第十四条), 视同 (第十五条), 不予认定 (第十六条).
  determination_outcome text CHECK (determination_outcome IN ('recognised', 'deemed', 'not_recognised')),
  determination_decided_on date,
  -- Optimistic concurrency: every state change bumps it (UPDATE … WHERE version = $expected).
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (employer_region_code, employer_id) REFERENCES employers (region_code, id),
  CONSTRAINT cases_outcome_dated CHECK ((determination_outcome IS NULL) = (determination_decided_on IS NULL))
);
CREATE INDEX cases_worker_idx ON cases (worker_id, accident_date);
CREATE INDEX cases_employer_idx ON cases (employer_region_code, employer_id, accident_date);

-- The case's timeline: every event of every part (report, application, acceptance, suspension,
-- decision, service, review, appraisal, benefit decision, payment), in order. Append-only.
CREATE TABLE case_events (
  region_code char(6) NOT NULL,
  case_id text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]*$'),
  -- The legal date of the event (the day it happened or takes effect), distinct from recorded_at.
  occurred_on date NOT NULL,
  data jsonb NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, case_id, seq),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- An appraisal (劳动能力鉴定) of a recognised or deemed case: the first (第二十三条), a re-appraisal
-- by the provincial committee (再次鉴定, 第二十六条) or a review (复查鉴定, 第二十八条). Kept in the
-- case's city whichever committee concludes it.
CREATE TABLE appraisals (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^apr_[0-9]{6}_[0-9a-f]{16}$'),
  case_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('initial', 're_appraisal', 'review')),
  committee_level text NOT NULL CHECK (committee_level IN ('city', 'province')),
  -- The appraisal procedure's state (its own state machine in src/domain/cases/).
  status text NOT NULL,
  previous_appraisal_id text,
  applied_on date NOT NULL,
  -- The conclusion: a grade 1–10 (GB/T 16180-2014) or none; the nursing level (第二十二条第三款:
  -- 生活完全不能自理、生活大部分不能自理和生活部分不能自理); an extension of 停工留薪期 in months.
  concluded_on date,
  conclusion text CHECK (conclusion IN ('graded', 'not_graded')),
  disability_grade smallint CHECK (disability_grade BETWEEN 1 AND 10),
  nursing_level text CHECK (nursing_level IN ('full', 'major', 'partial')),
  stop_work_extension_months smallint CHECK (stop_work_extension_months BETWEEN 1 AND 12),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  FOREIGN KEY (region_code, previous_appraisal_id) REFERENCES appraisals (region_code, id),
  CONSTRAINT appraisals_conclusion_dated CHECK ((conclusion IS NULL) = (concluded_on IS NULL)),
  CONSTRAINT appraisals_grade_of_conclusion
    CHECK ((conclusion IS NOT DISTINCT FROM 'graded') = (disability_grade IS NOT NULL))
);
CREATE INDEX appraisals_case_idx ON appraisals (region_code, case_id, applied_on);
