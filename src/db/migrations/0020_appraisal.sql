-- 0020 the appraisal procedure (劳动能力鉴定, issue 11; 《工伤保险条例》第二十一条至第二十九条): the expert pool
-- of each committee, the audited random draw of an appraisal's panel, and the procedure's columns
-- on the shared appraisals table of 0016 (status values, applicant, due dates, service, the
-- GB/T 16180-2014 clauses). Forward-only. Decisions: docs/adr/0013-appraisal-draw.md, docs/cases.md.

-- 第二十四条第二款: "劳动能力鉴定委员会建立医疗卫生专家库。" One pool per committee: a city's
-- (设区的市级) committee by the city's code, the provincial committee by the province's code. An
-- expert leaves the pool by deactivation, never by deletion, so every recorded draw's pool
-- snapshot still names rows that exist.
CREATE TABLE appraisal_experts (
  committee_code char(6) NOT NULL REFERENCES regions (code),
  id text NOT NULL CHECK (id ~ '^exp_[0-9]{6}_[0-9a-f]{16}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  specialty text NOT NULL CHECK (specialty ~ '^[a-z][a-z_]{1,39}$'),
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deactivated_by text,
  deactivated_at timestamptz,
  PRIMARY KEY (committee_code, id),
  CONSTRAINT appraisal_experts_deactivation CHECK (active = (deactivated_at IS NULL))
);
CREATE INDEX appraisal_experts_pool_idx ON appraisal_experts (committee_code, specialty, id)
  WHERE active;

-- The procedure's own columns on 0016's appraisals.
ALTER TABLE appraisals
  ADD COLUMN applicant_kind text NOT NULL DEFAULT 'worker'
    CHECK (applicant_kind IN ('employer', 'worker', 'relative', 'agency')),
  ADD COLUMN treatment_stabilised_on date,
  -- 第二十五条第二款: the conclusion within 60 days of the application, extendable by 30.
  ADD COLUMN due_on date,
  ADD COLUMN extended_due_on date,
  ADD COLUMN extension_reason text,
  -- 送达: the day the applicant received the conclusion; 第二十六条's 15 days run from it.
  ADD COLUMN served_on date,
  -- GB/T 16180-2014 clauses as the committee enters them (the standard's text is not held).
  ADD COLUMN grading_clauses text[] NOT NULL DEFAULT '{}',
  ADD COLUMN conclusion_letter_id text,
  ADD CONSTRAINT appraisals_status_known CHECK (status IN ('received', 'panel_drawn', 'concluded')),
  ADD CONSTRAINT appraisals_concluded_status CHECK ((status = 'concluded') = (concluded_on IS NOT NULL)),
  ADD CONSTRAINT appraisals_extension_reasoned
    CHECK ((extended_due_on IS NULL) = (extension_reason IS NULL)),
  ADD CONSTRAINT appraisals_served_after_conclusion CHECK (served_on IS NULL OR served_on >= concluded_on),
  -- 第二十六条: a re-appraisal is the provincial committee's; it and a review revisit a conclusion.
  ADD CONSTRAINT appraisals_kind_committee
    CHECK ((kind = 're_appraisal') = (committee_level = 'province')),
  ADD CONSTRAINT appraisals_previous_of_kind
    CHECK ((kind = 'initial') = (previous_appraisal_id IS NULL));
-- The committee's work list: open appraisals by due date, per city.
CREATE INDEX appraisals_open_due_idx ON appraisals (region_code, due_on) WHERE status <> 'concluded';

-- The panel draw of an appraisal (第二十五条第一款 "随机抽取3名或者5名相关专家"; 第二十七条 recusal): everything
-- the pure draw reads, so `replayDraw` reproduces it exactly. One per appraisal, append-only.
CREATE TABLE appraisal_draws (
  region_code char(6) NOT NULL,
  appraisal_id text NOT NULL,
  committee_code char(6) NOT NULL REFERENCES regions (code),
  specialty text NOT NULL,
  algorithm text NOT NULL,
  seed bigint NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
  panel_size smallint NOT NULL CHECK (panel_size IN (3, 5)),
  pool_ids text[] NOT NULL,
  -- [{expertId, reason}], in the order given.
  recusals jsonb NOT NULL,
  drawn_ids text[] NOT NULL CHECK (cardinality(drawn_ids) = panel_size),
  drawn_by text NOT NULL,
  drawn_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, appraisal_id),
  FOREIGN KEY (region_code, appraisal_id) REFERENCES appraisals (region_code, id)
);
CREATE TRIGGER appraisal_draws_append_only BEFORE UPDATE OR DELETE ON appraisal_draws
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER appraisal_draws_no_truncate BEFORE TRUNCATE ON appraisal_draws
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
