-- 0036 the regrade decision (issue 11, 《河南省工伤保险条例》第三十条第二款): after a re-appraisal (再次鉴定)
-- or a review (复查鉴定) changed the conclusion an approved benefit decision rests on, a further
-- decision of the case replaces it from the month the region's rule gives. Docs: docs/benefits.md,
-- "Regrade". Forward-only: never edit once shipped.

-- The decision a regrade replaces, and the plan the checker approved (the endings, the new
-- entitlements, the lump-sum difference, the arrears, what moved money and what waits for a
-- person: src/domain/benefits/regrade.ts). A first decision has neither.
ALTER TABLE benefit_decisions ADD COLUMN replaces_decision_id text;
ALTER TABLE benefit_decisions ADD COLUMN regrade jsonb;
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_replaces
  FOREIGN KEY (region_code, replaces_decision_id) REFERENCES benefit_decisions (region_code, id);
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_regrade_complete
  CHECK ((replaces_decision_id IS NULL) = (regrade IS NULL));

-- 'replaced': approved once, then replaced by an applied regrade decision (it keeps who approved it).
ALTER TABLE benefit_decisions DROP CONSTRAINT benefit_decisions_status_check;
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_status_check
  CHECK (status IN ('proposed', 'approved', 'superseded', 'replaced'));
ALTER TABLE benefit_decisions DROP CONSTRAINT benefit_decisions_approved_complete;
ALTER TABLE benefit_decisions ADD CONSTRAINT benefit_decisions_approved_complete CHECK (
  (status IN ('approved', 'replaced')) = (approved_by IS NOT NULL AND approved_on IS NOT NULL));

-- A regrade proposal waits beside the approved decision it would replace: one proposal and one
-- approved decision per case (was: one of either).
DROP INDEX benefit_decisions_one_open;
CREATE UNIQUE INDEX benefit_decisions_one_proposed
  ON benefit_decisions (region_code, case_id) WHERE status = 'proposed';
CREATE UNIQUE INDEX benefit_decisions_one_approved
  ON benefit_decisions (region_code, case_id) WHERE status = 'approved';
-- A decision is replaced once.
CREATE UNIQUE INDEX benefit_decisions_replaced_once
  ON benefit_decisions (region_code, replaces_decision_id)
  WHERE replaces_decision_id IS NOT NULL AND status IN ('approved', 'replaced');
