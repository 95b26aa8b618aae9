-- 0045 recovering overpayments (issue 12; docs/benefits.md, "Recovering overpayments"). An open
-- `benefit_overpayments` row (after a death, a 第四十二条 stop, a missing worker) is recovered under
-- 《社会保险经办条例》第四十六条 "个人多享受社会保险待遇的，由社会保险经办机构责令退回；难以一次性退回的，可以签订还款协议分期退回，
-- 也可以从其后续享受的社会保险待遇或者个人账户余额中抵扣。": by a recovery order (责令退回, repaid in one or more
-- instalments) or by an offset against the same person's later payroll lines (抵扣). A recovery is
-- decided under maker-checker; applying it recognises the receivable (Dr 1132 暂付款 / Cr 51xx, the
-- overpaid months' expense account). Forward-only: never edit once shipped.

CREATE TABLE benefit_recoveries (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^brc_[0-9a-f]{20}$'),
  overpayment_id text NOT NULL,
  -- The person who received the overpayment: the one it is recovered from (never a survivor).
  worker_id text NOT NULL REFERENCES workers (id),
  method text NOT NULL CHECK (method IN ('offset', 'order')),
  -- The overpayment's amount: what the recognition posts and the recovery must bring to zero.
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  -- An offset's most per payroll month (the last month takes what is left).
  monthly_fen bigint CHECK (monthly_fen IS NULL OR monthly_fen > 0),
  -- The benefit-expense account the overpaid months were posted to (the recognition's credit).
  expense_account text NOT NULL CHECK (expense_account ~ '^51[0-9]{2}$'),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  decided_on date NOT NULL,
  approval_id text NOT NULL,
  recognised_transaction_id text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'settled')),
  settled_on date,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  FOREIGN KEY (region_code, overpayment_id) REFERENCES benefit_overpayments (region_code, id),
  CONSTRAINT benefit_recoveries_monthly_of_offset CHECK ((method = 'offset') = (monthly_fen IS NOT NULL)),
  CONSTRAINT benefit_recoveries_settled CHECK ((status = 'settled') = (settled_on IS NOT NULL))
);
-- One recovery per overpayment, ever (a settled one settled it; write-off is not built).
CREATE UNIQUE INDEX benefit_recoveries_once ON benefit_recoveries (region_code, overpayment_id);
-- One approval applies one recovery: a replayed apply finds the row it wrote.
CREATE UNIQUE INDEX benefit_recoveries_approval ON benefit_recoveries (region_code, approval_id);
-- One active offset per person and city: each payroll line carries one recovery's deduction.
CREATE UNIQUE INDEX benefit_recoveries_one_offset ON benefit_recoveries (region_code, worker_id)
  WHERE status = 'active' AND method = 'offset';

-- A repayment of a recovery order (the bank's credit to the fund): Dr 1003 / Cr 1132, once per approval.
CREATE TABLE benefit_recovery_repayments (
  region_code char(6) NOT NULL,
  id text NOT NULL CHECK (id ~ '^brp_[0-9a-f]{20}$'),
  recovery_id text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  paid_on date NOT NULL,
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 64),
  approval_id text NOT NULL,
  transaction_id text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, id),
  UNIQUE (region_code, approval_id),
  FOREIGN KEY (region_code, recovery_id) REFERENCES benefit_recoveries (region_code, id)
);

-- An offset on a payroll line: amount_fen stays what the bank pays (the file, the return, the
-- reissue and 2102 read it unchanged); offset_fen is withheld for the named recovery, so the
-- month's entitlement is amount_fen + offset_fen. A line without a deduction keeps 0 and no
-- recovery, so its bytes in the file and in the approval's digest are what they were.
ALTER TABLE payroll_lines ADD COLUMN offset_fen bigint NOT NULL DEFAULT 0 CHECK (offset_fen >= 0);
ALTER TABLE payroll_lines ADD COLUMN recovery_id text;
ALTER TABLE payroll_lines ADD CONSTRAINT payroll_lines_recovery_fk
  FOREIGN KEY (region_code, recovery_id) REFERENCES benefit_recoveries (region_code, id);
ALTER TABLE payroll_lines ADD CONSTRAINT payroll_lines_offset_whole
  CHECK ((offset_fen = 0) = (recovery_id IS NULL));
-- The offsets written so far for a recovery (its balance) are read by recovery.
CREATE INDEX payroll_lines_recovery_idx ON payroll_lines (region_code, recovery_id)
  WHERE recovery_id IS NOT NULL;
