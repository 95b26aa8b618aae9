-- The letters of a change to benefits already decided (issue 12, "the letter of any change"): the
-- 停止工伤保险待遇通知书 of a stop (《工伤保险条例》第四十二条), the 恢复工伤保险待遇通知书 of its lifting,
-- the 工伤保险待遇更正通知书 of a correction and the 工伤职工退休后工伤保险待遇变更通知书 of a retirement
-- (第三十五条第一款第（三）项) and the 供养亲属抚恤金变更通知书 of a survivor's change, one series per city
-- and year (letter type `benefit_change`, 工待变). Each is issued on the case whose decision the changed items rest on, in
-- the transaction that applies the change; the link below says which event issued which letter.
ALTER TABLE letter_series DROP CONSTRAINT letter_series_letter_type_check;
ALTER TABLE letter_series ADD CONSTRAINT letter_series_letter_type_check
  CHECK (letter_type IN ('determination_acceptance', 'determination_not_accepted',
    'determination_materials', 'determination_suspension', 'determination_decision',
    'appraisal_conclusion', 'benefit_decision', 'benefit_separation', 'benefit_regrade',
    'benefit_change'));

CREATE TABLE benefit_change_letters (
  region_code char(6) NOT NULL,
  letter_id text NOT NULL,
  event_kind text NOT NULL CHECK (event_kind IN ('stop', 'resume', 'correction', 'retirement', 'survivor')),
  -- The stop's id (for its stop and its lifting), the correction's, the retirement's or the
  -- survivor's change's id.
  event_id text NOT NULL,
  case_id text NOT NULL,
  PRIMARY KEY (region_code, letter_id),
  UNIQUE (region_code, event_kind, event_id, case_id),
  FOREIGN KEY (region_code, letter_id) REFERENCES letters (region_code, id),
  FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);

-- Append-only, as the letters it links.
CREATE TRIGGER benefit_change_letters_append_only BEFORE UPDATE OR DELETE ON benefit_change_letters
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER benefit_change_letters_no_truncate BEFORE TRUNCATE ON benefit_change_letters
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

DO $$
BEGIN
  IF to_regrole('tongchou_app') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON benefit_change_letters FROM tongchou_app;
  END IF;
END $$;
