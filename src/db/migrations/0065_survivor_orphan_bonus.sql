-- A survivor who becomes an orphan or a 孤寡老人 after the decision gets the 10 % of
-- 《工伤保险条例》第三十九条第一款第（二）项 ("孤寡老人或者孤儿每人每月在上述标准的基础上增加10%") from the next
-- month: a survivor change of kind `orphan_or_sole_elder` (src/domain/benefits/survivor-change.ts).
-- It keeps the dependant in the cap's set, so it is no end for good: the one-end index leaves it out,
-- and one such raise per dependant is its own unique index.
ALTER TABLE benefit_survivor_changes DROP CONSTRAINT benefit_survivor_changes_kind_check;
ALTER TABLE benefit_survivor_changes ADD CONSTRAINT benefit_survivor_changes_kind_check
  CHECK (kind IN ('aged_out', 'employed', 'remarried', 'adopted', 'died', 'imprisoned', 'released',
    'orphan_or_sole_elder'));

DROP INDEX benefit_survivor_changes_one_end;
CREATE UNIQUE INDEX benefit_survivor_changes_one_end ON benefit_survivor_changes (region_code, dependant_id)
  WHERE status = 'applied' AND kind NOT IN ('imprisoned', 'released', 'orphan_or_sole_elder');
CREATE UNIQUE INDEX benefit_survivor_changes_one_bonus ON benefit_survivor_changes (region_code, dependant_id)
  WHERE status = 'applied' AND kind = 'orphan_or_sole_elder';
