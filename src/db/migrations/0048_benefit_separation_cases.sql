-- 0048 the combined separation (issue 11): 《浙江省工伤保险条例》第二十八条 "职工在同一用人单位连续工作期间多次发生工伤…
-- 一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发". One separation covers every graded case of
-- the worker at the employer in one continuous employment: its two grants are decided once, at the
-- highest grade, and the periodic items of every covered case end with it. The cases it covers are
-- listed here, the separation's own case among them, each with the approved decision and the grade
-- read when it was proposed; a separation deciding one case alone has no rows here (0035 unchanged).
-- Decisions in docs/benefits.md ("Several injuries at one employer"). Forward-only: never edit once
-- shipped.
CREATE TABLE benefit_separation_cases (
  region_code char(6) NOT NULL,
  separation_id text NOT NULL,
  case_id text NOT NULL,
  decision_id text NOT NULL,
  grade integer NOT NULL CHECK (grade BETWEEN 1 AND 10),
  PRIMARY KEY (region_code, separation_id, case_id),
  FOREIGN KEY (region_code, separation_id) REFERENCES benefit_separations (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
  FOREIGN KEY (region_code, decision_id) REFERENCES benefit_decisions (region_code, id)
);
-- A case's reads and the once-only check find the separations covering it.
CREATE INDEX benefit_separation_cases_case_idx ON benefit_separation_cases (region_code, case_id);
