-- 0060 a missing worker who reappears (下落不明 职工重新出现, issue 12; docs/benefits.md, "Whereabouts
-- unknown", "Reappearance"). 《河南省工伤保险条例》第三十二条: "该职工重新出现的，自出现的次月起停发供养亲属抚恤金，
-- 领取的一次性工亡补助金应当退回。" (浙江: a `demo` rule value taken from 河南's, its text having no such
-- article). Recorded on the missing event under maker-checker; the pensions it started end on the
-- last day of the month he reappeared; months paid after it are open overpayments (reason
-- `missing_reappeared`), and the advance drawn is a receivable of its payee (reason
-- `missing_advance`), both for the recovery flow of 0045. Forward-only: never edit once shipped.

ALTER TABLE benefit_missing ADD COLUMN reappeared_on date;
ALTER TABLE benefit_missing ADD COLUMN reappeared_evidence text
  CHECK (reappeared_evidence IS NULL OR length(reappeared_evidence) BETWEEN 1 AND 500);
ALTER TABLE benefit_missing ADD COLUMN reappeared_approval_id text;
ALTER TABLE benefit_missing ADD COLUMN reappeared_recorded_on date;
ALTER TABLE benefit_missing ADD COLUMN reappeared_by text;
ALTER TABLE benefit_missing ADD CONSTRAINT benefit_missing_reappeared_complete CHECK (
  (reappeared_on IS NULL) = (reappeared_evidence IS NULL)
  AND (reappeared_on IS NULL) = (reappeared_approval_id IS NULL)
  AND (reappeared_on IS NULL) = (reappeared_recorded_on IS NULL)
  AND (reappeared_on IS NULL) = (reappeared_by IS NULL));
-- A worker declared dead does not reappear in this record, and one who reappeared is not declared
-- dead on it (the use cases refuse both; this is the table's word on it).
ALTER TABLE benefit_missing ADD CONSTRAINT benefit_missing_reappeared_or_declared
  CHECK (reappeared_on IS NULL OR declared_dead_on IS NULL);

-- The advance to return is owed on a payment, not on an entitlement: an overpayment row is anchored
-- on exactly one of an entitlement (the months paid) or a lump-sum payment of a decision (the
-- advance), whose payee owes it. The expense account the payment was posted to rides on the row
-- (an entitlement's comes from its kind), so the recovery's recognition (Dr 1132 / Cr 51xx) and
-- its order, offset and repayments work unchanged.
ALTER TABLE benefit_overpayments ALTER COLUMN entitlement_id DROP NOT NULL;
ALTER TABLE benefit_overpayments ADD COLUMN decision_id text;
ALTER TABLE benefit_overpayments ADD COLUMN payment_id text;
ALTER TABLE benefit_overpayments ADD COLUMN expense_account text
  CHECK (expense_account IS NULL OR expense_account ~ '^51[0-9]{2}$');
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_payment_fk
  FOREIGN KEY (region_code, payment_id) REFERENCES benefit_payments (region_code, id);
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_one_anchor CHECK (
  (entitlement_id IS NULL) <> (payment_id IS NULL)
  AND (payment_id IS NULL) = (decision_id IS NULL)
  AND (payment_id IS NULL) = (expense_account IS NULL));
-- Once per payment and reason, as once per entitlement and reason (benefit_overpayments_once).
CREATE UNIQUE INDEX benefit_overpayments_payment_once ON benefit_overpayments (region_code, payment_id, reason)
  WHERE payment_id IS NOT NULL;

ALTER TABLE benefit_overpayments DROP CONSTRAINT benefit_overpayments_reason_check;
ALTER TABLE benefit_overpayments ADD CONSTRAINT benefit_overpayments_reason_check
  CHECK (reason IN ('death', 'suspension', 'missing', 'correction', 'survivor_end',
    'missing_reappeared', 'missing_advance'));

-- The 停发供养亲属抚恤金及退回预支一次性工亡补助金通知书 is a change letter of its own event kind.
ALTER TABLE benefit_change_letters DROP CONSTRAINT benefit_change_letters_event_kind_check;
ALTER TABLE benefit_change_letters ADD CONSTRAINT benefit_change_letters_event_kind_check
  CHECK (event_kind IN ('stop', 'resume', 'correction', 'retirement', 'survivor', 'reappeared'));
