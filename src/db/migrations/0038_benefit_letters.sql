-- 0038 numbered letters for the separation and regrade decisions (issue 11, "every decision a
-- numbered letter"; docs/letters.md): two more letter types with their own series, and the
-- separation's letter id (a regrade decision is a benefit_decisions row: its letter goes in the
-- existing letter_id column). Forward-only: never edit once shipped.

-- The types a series may have: 0018's seven, plus
--   benefit_separation 一次性工伤医疗补助金和一次性伤残就业补助金核定通知书 (杭人社工补〔2026〕1号),
--   benefit_regrade    工伤保险待遇重新核定通知书 (杭人社工待重〔2026〕1号).
ALTER TABLE letter_series DROP CONSTRAINT letter_series_letter_type_check;
ALTER TABLE letter_series ADD CONSTRAINT letter_series_letter_type_check
  CHECK (letter_type IN ('determination_acceptance', 'determination_not_accepted',
    'determination_materials', 'determination_suspension', 'determination_decision',
    'appraisal_conclusion', 'benefit_decision', 'benefit_separation', 'benefit_regrade'));

-- The 核定通知书 issued in the transaction that approves the separation (null until then).
ALTER TABLE benefit_separations ADD COLUMN letter_id text;
ALTER TABLE benefit_separations ADD CONSTRAINT benefit_separations_letter
  FOREIGN KEY (region_code, letter_id) REFERENCES letters (region_code, id);
ALTER TABLE benefit_separations ADD CONSTRAINT benefit_separations_letter_when_approved
  CHECK (letter_id IS NULL OR status = 'approved');
