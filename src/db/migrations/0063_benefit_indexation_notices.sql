-- The notice of an indexation batch (issue 12, "the letter of any change"): one 关于调整<year>年工伤保险
-- 定期待遇的通知 per city and year (letter type `benefit_indexation`, 工待调), issued when the batch is
-- applied, addressed to everyone whose periodic benefit it changed; each person's own figures are
-- their view's (the batch's lines). A notice of the rule, not a letter per person: a province's batch
-- may change a million entitlements.
ALTER TABLE letter_series DROP CONSTRAINT letter_series_letter_type_check;
ALTER TABLE letter_series ADD CONSTRAINT letter_series_letter_type_check
  CHECK (letter_type IN ('determination_acceptance', 'determination_not_accepted',
    'determination_materials', 'determination_suspension', 'determination_decision',
    'appraisal_conclusion', 'benefit_decision', 'benefit_separation', 'benefit_regrade',
    'benefit_change', 'benefit_indexation'));

CREATE TABLE benefit_indexation_notices (
  region_code char(6) NOT NULL,
  batch_id text NOT NULL,
  letter_id text NOT NULL,
  PRIMARY KEY (region_code, batch_id),
  UNIQUE (region_code, letter_id),
  FOREIGN KEY (region_code, batch_id) REFERENCES benefit_indexation_batches (region_code, id),
  FOREIGN KEY (region_code, letter_id) REFERENCES letters (region_code, id)
);

-- Append-only, as the letters it links.
CREATE TRIGGER benefit_indexation_notices_append_only BEFORE UPDATE OR DELETE ON benefit_indexation_notices
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER benefit_indexation_notices_no_truncate BEFORE TRUNCATE ON benefit_indexation_notices
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON benefit_indexation_notices FROM tongchou_app;
  END IF;
END $$;
