-- 待遇调整 of a province's register (issue 12: indexation of 1 M entitlements ≥ 50 % of a raw
-- INSERT of the new rows). The proposal now writes a batch's lines page by page before it writes
-- the batch row (the payload, digest and approval are known only once the last page is folded),
-- and every line paid two foreign-key checks, one trigger call each: at 200 000 lines they cost
-- 45 % of the lines' INSERT (EXPLAIN ANALYZE: 3.4 s for the batch key, 5.0 s for the entitlement
-- key, 10.5 s for the rows themselves). Neither guards anything the flow does not already:
-- - the entitlement key: the apply ends the lined entitlements with one UPDATE and refuses
--   (benefit.indexation_changed) unless it ended exactly as many as the batch has lines, each
--   active at its before amount, so a line naming no entitlement can never be applied; and
--   entitlements are never deleted (they are the payroll's history).
-- - the batch key: lines are written only by the proposal, in the transaction that writes or
--   rewrites the batch row under the batch's advisory lock and row lock, and deleted only there
--   too; batches are never deleted. The apply reads the lines back and binds their digest to the
--   approval, so lines not the approved ones cannot be applied either.
-- The primary key (one line per batch and entitlement) and the unique successor id stay, and so
-- does every constraint of benefit_entitlements, its one-active-per-person-and-kind indexes first.
ALTER TABLE benefit_indexation_lines
  DROP CONSTRAINT benefit_indexation_lines_region_code_entitlement_id_fkey;
ALTER TABLE benefit_indexation_lines
  DROP CONSTRAINT benefit_indexation_lines_region_code_batch_id_fkey;
