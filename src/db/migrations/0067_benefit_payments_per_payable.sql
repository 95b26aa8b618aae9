-- A benefit payment is one attempt at paying one item of one payable transaction. Until now the
-- keys named the decision and the item only: one live attempt per (decision, item) and one row
-- per (decision, item, attempt). But several payables of one decision pay the same item: a
-- correction's arrears and a survivor change's arrears are paid as a payment of the entitlement's
-- decision under the item of the entitlement's kind, and so are the arrears of months a decision
-- approved after its payroll months ran (docs/benefits.md, "Months run before the decision"). The
-- second of them broke the keys (a unique violation, the change refused with a server error).
-- Keyed on the payable transaction as well: the reissue chain of one payable keeps exactly one
-- live attempt, as before; another payable's payment of the same item is another chain.
-- Forward-only: never edit once shipped.
ALTER TABLE benefit_payments
  DROP CONSTRAINT benefit_payments_region_code_decision_id_item_code_attempt_key;
ALTER TABLE benefit_payments ADD CONSTRAINT benefit_payments_payable_item_attempt
  UNIQUE (region_code, decision_id, payable_transaction_id, item_code, attempt);
DROP INDEX benefit_payments_one_live;
CREATE UNIQUE INDEX benefit_payments_one_live
  ON benefit_payments (region_code, decision_id, payable_transaction_id, item_code)
  WHERE status IN ('issued', 'paid');

-- The months of an entitlement paid outside the payroll: a decision approved after its payroll
-- months ran pays them with the decision (one payment per kind). A later change of the entitlement
-- that compares what each month paid with what it owed (a correction, a regrade) reads these with
-- the payroll's lines, so such a month is not read as unpaid and paid again.
CREATE TABLE benefit_entitlement_arrears (
  region_code char(6) NOT NULL,
  entitlement_id text NOT NULL,
  month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  payment_id text NOT NULL,
  PRIMARY KEY (region_code, entitlement_id, month),
  FOREIGN KEY (region_code, entitlement_id) REFERENCES benefit_entitlements (region_code, id),
  FOREIGN KEY (region_code, payment_id) REFERENCES benefit_payments (region_code, id)
);
